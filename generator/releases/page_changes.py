"""What changed in the guidance pages between two releases, written for a committee to read.

Each page is rendered as its release publishes it (the release's newest version, its own
figures), so the report quotes words a reader sees, never template code. A page is read as its
headings and paragraphs (model/paragraphs.py); they are matched up (paragraph_changes.py) and
every paragraph added, removed or reworded is given in full, under the page's own heading, with
the section it is in. A section written only for a later version (`{% if guidance is
at_least("2.1") %}`) says so.
"""
from __future__ import annotations

import re

from ..model import Guidance, Page, Version
from ..model.paragraphs import blocks, heading_of, plain_words
from ..templating import context_for, render_text
from .paragraph_changes import Item, change_markdown, compare_items
from .word_diff import markdown_text

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_IF = re.compile(r"\{%-?\s*if\s+(.+?)\s*-?%\}")
_ELSE = re.compile(r"\{%-?\s*(?:else|elif\b[^%]*)\s*-?%\}")
_ENDIF = re.compile(r"\{%-?\s*endif\s*-?%\}")
_AT_LEAST = re.compile(r"""guidance(?:\.version)?\s+is\s+at_least\(\s*["'](\d+\.\d+)["']\s*\)""")
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)


def _render(g: Guidance, page: Page, version: Version) -> str:
    """The page as its release publishes it; a page its release cannot render is read with its template
    code left out ('…' for each name), so the report still quotes only words."""
    text, problems = render_text(page.body, context_for(g, None, version), page.path, page.body_line)
    if text is not None and not problems:
        return text
    return _TAG.sub("", _EXPRESSION.sub("…", page.body))


def only_from(source: str) -> dict[str, str]:
    """Headings of a page's source written only for a later version: heading -> that version."""
    found: dict[str, str] = {}
    stack: list[str | None] = []
    for line in source.splitlines():
        heading = _HEADING.match(line)
        if heading:
            versions = [v for v in stack if v]
            if versions:
                found[heading.group(2)] = max(versions, key=lambda v: tuple(int(p) for p in v.split(".")))
        tags = sorted([(m.start(), "if", m) for m in _IF.finditer(line)] +
                      [(m.start(), "else", m) for m in _ELSE.finditer(line)] +
                      [(m.start(), "endif", m) for m in _ENDIF.finditer(line)], key=lambda t: t[0])
        for _, kind, match in tags:
            if kind == "if":
                version = _AT_LEAST.search(match.group(1))
                stack.append(version.group(1) if version else None)
            elif kind == "else" and stack:
                stack[-1] = None
            elif kind == "endif" and stack:
                stack.pop()
    return found


def page_items(markdown: str, later: dict[str, str] | None = None) -> list[Item]:
    """A rendered page as items: each section heading, then each paragraph with the section it is in."""
    later = later or {}
    items: list[Item] = []
    within = "the opening of the page"
    for block in blocks(markdown):
        title = heading_of(block)
        if title is not None:
            since = f" (in version {later[title]} and later only)" if title in later else ""
            items.append(Item("section", plain_words(title), note=since))
            within = f"section “{markdown_text(plain_words(title))}”"
            continue
        items.append(Item("paragraph", plain_words(block), within=within))
    return items


def page_changes(old: Guidance, new: Guidance, old_version: Version, new_version: Version) -> list[str]:
    """Markdown: a heading for each page added, removed or changed, with every change to it in full."""
    before = {p.rel: p for p in old.pages}
    after = {p.rel: p for p in new.pages}
    lines: list[str] = []
    for rel in sorted(before.keys() | after.keys()):
        a, b = before.get(rel), after.get(rel)
        old_items = page_items(_render(old, a, old_version)) if a else []
        new_items = page_items(_render(new, b, new_version), only_from(b.body)) if b else []
        changes = compare_items(old_items, new_items)
        title_changed = a is not None and b is not None and a.title != b.title
        if not changes and not title_changed:
            continue
        page = b or a
        lines += [f"### {markdown_text(page.title)}", "", f"`guidance/{rel}`" + (
            " is a new page; all of it is new:" if a is None else " was removed, with all of it:" if b is None
            else ""), ""]
        if title_changed:
            lines += [f"**Page renamed:** “{markdown_text(a.title)}” is now called “{markdown_text(b.title)}”.", ""]
        for change in changes:
            lines += change_markdown(change)
    return lines
