"""Jinja2 templating of guidance text: one kind of environment, one context, located errors.

Pages, PDFs and letters all take their figures from `context_for(...)`, so a number
typed once in YAML appears everywhere. Values are HTML-escaped (autoescape) because the
rendered Markdown becomes HTML.

Content is written by editors and contributors, so every template runs in Jinja's
immutable sandbox: a page or a form hint can name the guidance's figures, but cannot reach
Python's internals (no `__globals__`, no `os`), change the model, or run anything. An
attempt is a located error in `ctkit check`, never a command run on the editor's machine.
"""
from __future__ import annotations

import html
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from markupsafe import Markup, escape

from .dates import longdate, months, weekday_date, working_days
from .errors import Problem
from .model import Council, Guidance, Version, version_key
from .template_budget import BudgetedSandbox
from .template_errors import running_line, runtime_problem, syntax_problem

TEMPLATE_NAME = "<guidance page>"


def sentence(text: str) -> str:
    """'the reports were made …' → 'The reports were made …' (the rest left as written)."""
    return text[:1].upper() + text[1:] if text else text


def tel(phone: str) -> str:
    """A UK phone number as a `tel:` address a phone can dial: '0115 907 2244' -> 'tel:+441159072244'.

    Short numbers (999, 101, 116 123) keep their digits as they are."""
    digits = "".join(ch for ch in str(phone) if ch.isdigit())
    if digits.startswith("0") and len(digits) >= 10:
        digits = "+44" + digits[1:]
    return f"tel:{digits}"


FILTERS = {"months": months, "working_days": working_days, "longdate": longdate, "weekday_date": weekday_date,
           "sentence": sentence, "tel": tel}


def at_least(version: Version | str, number: str) -> bool:
    """`{% if guidance is at_least("2.1") %}`: text that only versions from 2.1 on carry."""
    have = version.version if isinstance(version, Version) else str(version)
    return version_key(have) >= version_key(number)


def unconfirmed(value: Any) -> bool:
    """`{% if org.opcc is unconfirmed %}`: the mapping or model object is marked `verified: false`.
    Deleting `verified: false` (and its note) when a fact is confirmed is all an editor does."""
    verified = value.get("verified") if isinstance(value, dict) else getattr(value, "verified", True)
    return verified is False


TESTS = {"at_least": at_least, "unconfirmed": unconfirmed}


class _ContentEnvironment(BudgetedSandbox):
    """The budgeted sandbox, without `{% autoescape false %}`: nothing a template writes reaches a page
    unescaped."""

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        return _without_autoescape_switch(tree, name, filename)


def _without_autoescape_switch(tree: nodes.Template, name: str | None, filename: str | None) -> nodes.Template:
    for node in tree.find_all(nodes.EvalContextModifier):
        raise jinja2.TemplateSyntaxError("'autoescape' cannot be used here: text is always shown as it is written, "
                                         "never read as HTML", node.lineno, name, filename)
    return tree


def _without_safe(env: jinja2.Environment) -> jinja2.Environment:
    """No `|safe` (nor `{% filter safe %}`): a page cannot mark its own text as HTML."""
    env.filters.pop("safe", None)
    return env


#: Characters Markdown reads as links, images, emphasis, code, tables or attribute lists. Not `_`: inside a
#: word it makes no emphasis in Python-Markdown, and a reference in a page's own relative link (a form id such
#: as review_agenda in `../forms/{{ form_id }}.pdf`) would stop MkDocs finding and rewriting the link.
_MARKDOWN_SPECIAL = {ord(ch): f"&#{ord(ch)};" for ch in "\\`*{}[]()!|"}


def markdown_text(value: Any) -> Markup:
    """A value as text in Markdown: HTML-escaped, and the characters Markdown would read as syntax written
    as character references, which Markdown leaves alone and the browser shows as the character (inside
    raw HTML and link addresses too). Whoever turns the output into plain text unescapes them with the rest."""
    if isinstance(value, Markup):
        return value
    return Markup(str(escape(value)).translate(_MARKDOWN_SPECIAL))


def _markdown_join(eval_ctx: Any, items: Any, separator: str = "", attribute: Any = None) -> Markup:
    joined = [markdown_text(getattr(item, attribute) if attribute else item) for item in items]
    return markdown_text(separator).join(joined)


def _values_as_markdown_text(env: jinja2.Environment) -> jinja2.Environment:
    """Every value a template prints is text in the Markdown it writes: a council's name or a form's
    label that looks like a Markdown link is shown as those characters, never made a link."""
    env.finalize = markdown_text
    env.filters["join"] = jinja2.pass_eval_context(_markdown_join)
    return env


def make_env(undefined: type[jinja2.Undefined] = jinja2.StrictUndefined, *, loader: jinja2.BaseLoader | None = None,
             trim: bool = False, markdown: bool = True) -> jinja2.Environment:
    """The kit's one kind of Jinja environment: sandboxed, autoescaping, strict about names.

    No trim_blocks/lstrip_blocks by default: a tag ending a line must keep its line break, and a
    tag opening an indented admonition line must keep its indent (blank lines are harmless in
    Markdown). `trim` suits templates of SVG or tables, where whitespace is noise. `markdown`: what
    it writes is Markdown or HTML (not CSS), so values are written as Markdown text.
    """
    env = _ContentEnvironment(autoescape=True, undefined=undefined, keep_trailing_newline=True,
                              loader=loader, trim_blocks=trim, lstrip_blocks=trim)
    env.filters.update(FILTERS)
    env.tests.update(TESTS)
    _without_safe(env)
    return _values_as_markdown_text(env) if markdown else env


_SHARED_ENV = make_env()


@lru_cache(maxsize=None)
def file_env(folder: Path, *, trim: bool = False, markdown: bool = True) -> jinja2.Environment:
    """An environment for the kit's own template files in `folder` (sandboxed like any other)."""
    return make_env(loader=jinja2.FileSystemLoader(str(folder)), trim=trim, markdown=markdown)


@lru_cache(maxsize=None)
def compiled(source: str) -> jinja2.Template:
    """Template text compiled once per process (pages, wording, hints): `ctkit check` and every
    council's build render the same text, and compiling it is most of the cost."""
    template = _SHARED_ENV.from_string(source)
    template.filename = TEMPLATE_NAME
    return template


def _wording(guidance: Guidance, context: dict[str, Any]) -> dict[str, dict[str, Markup]]:
    """guidance/wording.yml rendered with this context: each sentence already escaped, so it is
    used as it is in pages and forms. A sentence that does not render is left out here;
    `ctkit check` reports it with its line (checks/guidance.py: check_wording)."""
    out: dict[str, dict[str, Markup]] = {}
    for group, items in guidance.wording.items():
        out[group] = {}
        for key, source in items.items():
            try:
                out[group][key] = Markup(compiled(source).render(context).strip())
            except jinja2.TemplateError:
                continue
    return out


def context_for(guidance: Guidance, council: Council | None = None, version: Version | None = None) -> dict[str, Any]:
    """The names every template may use (documented in CONTRIBUTING.md)."""
    version = version or guidance.current()
    council = council or guidance.lead
    context = {
        "guidance": version,
        "versions": guidance.versions,
        "criteria": guidance.criteria_for(version),
        "all_criteria": guidance.criteria,
        "council": council,
        "councils": guidance.spoc_councils,
        "lead": guidance.lead,
        "partnership": guidance.partnership,
        "org": guidance.organisations,
        "monitoring": guidance.monitoring,
        "forms": guidance.forms,
        "act2026": guidance.law,
        "online": False,   # True only for the online application form (site/apply_page.py)
    }
    context.update(_wording(guidance, context))
    return context


def process_names(guidance: Guidance, version: Version | None = None) -> dict[str, str]:
    """What the process is called (`called.*` of guidance/wording.yml) as plain text, for code that writes
    outside a page: a PDF's masthead, a chart's title, a file name."""
    called = context_for(guidance, version=version).get("called", {})
    return {key: html.unescape(str(value)) for key, value in called.items()}


class _RecordingUndefined(jinja2.ChainableUndefined):
    """Collects each undefined name with its template line instead of failing at the first."""

    found: list[tuple[int, str]] = []
    template: jinja2.Template | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename != TEMPLATE_NAME:
            frame = frame.f_back
        line = 0
        if frame is not None and self.template is not None:
            line = self.template.get_corresponding_lineno(frame.f_lineno)
        if self._undefined_name is not None:
            type(self).found.append((line, str(self._undefined_name)))


def _dotted_names(source: str, env: jinja2.Environment) -> dict[tuple[int, str], str]:
    """Map (line, last name) to the full dotted expression, for readable messages."""
    out: dict[tuple[int, str], str] = {}

    def dotted(node: nodes.Node) -> str | None:
        if isinstance(node, nodes.Name):
            return node.name
        if isinstance(node, nodes.Getattr):
            base = dotted(node.node)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            base = dotted(node.node)
            return f"{base}[{node.arg.value!r}]" if base else None
        return None

    for node in env.parse(source).find_all((nodes.Name, nodes.Getattr, nodes.Getitem)):
        name = dotted(node)
        if not name:
            continue
        last = node.name if isinstance(node, nodes.Name) else (
            node.attr if isinstance(node, nodes.Getattr) else str(getattr(node.arg, "value", "")))
        out.setdefault((node.lineno, last), name)
    return out


def render_text(source: str, context: dict[str, Any], shown: str, first_line: int = 1) -> tuple[str | None, list[Problem]]:
    """Render template text; on failure return every problem located at its file line."""
    def at(line: int | None) -> int:
        return first_line + (line or 1) - 1

    try:
        return compiled(source).render(context), []
    except jinja2.TemplateSyntaxError as exc:
        line, sentence = syntax_problem(exc, source, first_line)
        return None, [Problem(shown, line, f"template error: {sentence}")]
    except jinja2.UndefinedError:
        pass  # find them all, with lines, below
    except Exception as exc:  # noqa: BLE001 - the sandbox, the budget, a filter given the wrong kind of value
        return None, [Problem(shown, at(running_line(exc, TEMPLATE_NAME)), f"template error: {runtime_problem(exc)}")]

    problems = _undefined_names(source, context, shown, at)
    return None, problems or [Problem(shown, first_line, "template error: a name used here does not exist")]


def _undefined_names(source: str, context: dict[str, Any], shown: str, at) -> list[Problem]:
    class Recorder(_RecordingUndefined):
        found: list[tuple[int, str]] = []

    env = make_env(Recorder)
    code = env.compile(source, filename=TEMPLATE_NAME)
    template = env.template_class.from_code(env, code, env.make_globals(None), None)
    Recorder.template = template
    try:
        template.render(context)
    except Exception:  # noqa: BLE001 - a later error after an undefined one; the names found so far stand
        pass
    names = _dotted_names(source, env)
    problems = []
    for line, name in dict.fromkeys(Recorder.found):
        full = names.get((line, name), name)
        problems.append(Problem(shown, at(line),
                                f"the template variable '{full}' does not exist; see CONTRIBUTING.md for the names you can use"))
    return problems
