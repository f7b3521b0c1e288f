"""A template's mistakes in an editor's words, on the line where the mistake is.

Jinja reports an `{% if %}` left open as "Unexpected end of template. Jinja was looking for
the following tags: 'elif' or 'else' or 'endif'…", at the last line of the page, and errors
from inside a render (the sandbox, the budget, a filter given the wrong kind of value) carry
no line at all. Editors fix what they can find: this module reads the template's own tags
to name the block that is open or closed twice, and the traceback Jinja rewrites to find the
line that was running.
"""
from __future__ import annotations

import re
import traceback

import jinja2
from jinja2.sandbox import SecurityError

from .template_budget import TemplateTooCostly

#: Tags that open a block, and the tags allowed inside each before its end.
_BLOCKS = {"if": ("elif", "else"), "for": ("else",), "macro": (), "call": (), "filter": (), "set": (),
           "with": (), "autoescape": (), "block": (), "raw": ()}
_OTHER_TAGS = ("set", "include", "import", "from", "do", "extends", "break", "continue")
_TAG = re.compile(r"\{%[-+]?\s*(\w+)([^%]*?)[-+]?%\}", re.S)
_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_OPEN = re.compile(r"\{\{|\{%|\{#")


def _tag(name: str) -> str:
    return f"`{{% {name} %}}`"


def _line_of(source: str, index: int, first_line: int = 1) -> int:
    return source.count("\n", 0, index) + first_line


def _blocks_problem(source: str, first_line: int) -> tuple[int, str] | None:
    """The first block that is not closed, closed twice or closed by the wrong end, from the tags alone."""
    source = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), source)   # keep the lines
    open_blocks: list[tuple[str, int]] = []
    for match in _TAG.finditer(source):
        name, rest, line = match.group(1), match.group(2), _line_of(source, match.start(), first_line)
        if name == "set" and "=" in rest:
            continue   # `{% set x = … %}` is whole; only `{% set x %}…{% endset %}` is a block
        if name in _BLOCKS:
            open_blocks.append((name, line))
        elif name.startswith("end") and name[3:] in _BLOCKS:
            opened = name[3:]
            if not open_blocks:
                return line, f"{_tag(name)} on line {line} has no {_tag(opened)} before it to close"
            top, top_line = open_blocks[-1]
            if top != opened:
                return line, (f"{_tag(name)} on line {line} does not match the {_tag(top)} on line {top_line}, "
                              f"which must be closed first with {_tag('end' + top)}")
            open_blocks.pop()
        elif name in ("elif", "else"):
            inside = [b for b, _ in open_blocks[-1:] if name in _BLOCKS[b]]
            if not inside:
                return line, f"{_tag(name)} on line {line} is not inside an {_tag('if')}" + \
                    (" or a `{% for %}`" if name == "else" else "")
        elif name not in _OTHER_TAGS:
            return line, f"{_tag(name)} on line {line} is not a tag pages can use (the tags are if, elif, else, " \
                         "endif, for, endfor and set)"
    if open_blocks:
        name, line = open_blocks[-1]
        return line, f"{_tag(name)} on line {line} has no {_tag('end' + name)}"
    return None


def _last_opening(source: str, before_line: int, opener: str, first_line: int) -> int | None:
    """The line of the last `opener` ({{ or {%) on or before `before_line`."""
    found = None
    for match in _OPEN.finditer(source):
        line = _line_of(source, match.start(), first_line)
        if line > before_line:
            break
        if match.group(0) == opener:
            found = line
    return found


def syntax_problem(exc: jinja2.TemplateSyntaxError, source: str, first_line: int = 1) -> tuple[int, str]:
    """(line in the file, sentence) for a template that cannot be read; its first line is `first_line`."""
    message = exc.message or ""
    line = (exc.lineno or 1) + first_line - 1
    if message.startswith(("Unexpected end of template", "Encountered unknown tag")):
        found = _blocks_problem(source, first_line)
        if found:
            return found
    if "end of print statement" in message or "end of statement block" in message:
        opener = "{{" if "print" in message else "{%"
        start = _last_opening(source, line, opener, first_line) or line
        closer = "}}" if opener == "{{" else "%}"
        if message.startswith("unexpected"):
            return start, f"the `{opener} … {closer}` on line {start} is not complete: something is missing " \
                          f"before `{closer}`"
        return start, f"the `{opener}` on line {start} is not closed with `{closer}`, or has something extra in it"
    if message.startswith("Missing end of comment"):
        return line, f"the comment `{{#` on line {line} is never closed with `#}}`"
    if message.startswith("unexpected char") and ("'" in message or '"' in message):
        return line, f"a quotation mark in the template code on line {line} is never closed"
    return line, f"the template code on line {line} cannot be read ({message[:1].lower() + message[1:]})"


def running_line(exc: BaseException, template_name: str) -> int | None:
    """The template line that was running when `exc` was raised (Jinja rewrites tracebacks to say it)."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == template_name:
            found = frame.lineno
    return found


def runtime_problem(exc: BaseException) -> str:
    """A sentence for an error raised while a template renders."""
    if isinstance(exc, TemplateTooCostly):
        return str(exc)
    if isinstance(exc, SecurityError):
        return ("this template tries to reach inside Python (names starting with '_' or unsafe functions); "
                "templates may only use the names listed in CONTRIBUTING.md")
    if isinstance(exc, MemoryError):
        return "this template makes something too large to hold in memory; look for text or a list that keeps growing"
    if isinstance(exc, RecursionError):
        return "this template calls itself without end (a macro or a recursive loop that never stops)"
    words = str(exc) or type(exc).__name__
    return f"this template could not be rendered: {words}"
