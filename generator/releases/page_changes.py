"""What changed in the guidance pages between two releases, said the way a committee reads it.

Each page is rendered as its release publishes it (the release's newest version, its own
figures), so the report quotes words a reader sees, never template code. A page then reads
as its sections: a new section is named, a section whose paragraphs changed is named with the
opening words of each paragraph added, reworded or removed. A section written only for a
later version (`{% if guidance is at_least("2.1") %}`) says so.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..model import Guidance, Page, Version
from ..templating import context_for, render_text

QUOTE_WORDS = 14
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_IF = re.compile(r"\{%-?\s*if\s+(.+?)\s*-?%\}")
_ELSE = re.compile(r"\{%-?\s*(?:else|elif\b[^%]*)\s*-?%\}")
_ENDIF = re.compile(r"\{%-?\s*endif\s*-?%\}")
_AT_LEAST = re.compile(r"""guidance(?:\.version)?\s+is\s+at_least\(\s*["'](\d+\.\d+)["']\s*\)""")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MARKUP = re.compile(r"(\*\*|__|`|^!!!\s+\w+\s*)")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")   # a page's layout (<div class="ct-tasks" markdown>), not its words


@dataclass
class Section:
    title: str            # "" for the text before the first heading
    paragraphs: list[str]


_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)


def _render(g: Guidance, page: Page, version: Version) -> str:
    """The page as its release publishes it; a page its release cannot render is read with its template
    code left out ('…' for each name), so the report still quotes only words."""
    text, problems = render_text(page.body, context_for(g, None, version), page.path, page.body_line)
    if text is not None and not problems:
        return text
    return _TAG.sub("", _EXPRESSION.sub("…", page.body))


def plain_words(markdown: str) -> str:
    """One paragraph of Markdown as the words a reader sees: list items and table rows joined by '; '."""
    pieces: list[str] = []
    for line in markdown.splitlines():
        if _RULE.match(line):
            continue
        starts = bool(_ITEM.match(line)) or line.lstrip().startswith("|")
        text = _ITEM.sub("", line)
        text = " ".join(cell.strip() for cell in text.strip().strip("|").split("|") if cell.strip())
        text = _MARKUP.sub("", _LINK.sub(r"\1", _HTML_TAG.sub("", text))).replace("*", "").strip()
        if not text:
            continue
        if pieces and starts:
            pieces[-1] = pieces[-1].rstrip(";:") + ";"
        pieces.append(text)
    return " ".join(" ".join(pieces).split())


def quote(paragraph: str, words: int = QUOTE_WORDS) -> str:
    """The paragraph's opening words, in quotation marks: “The consent form is one of …”."""
    found = plain_words(paragraph).split()
    shown = " ".join(found[:words])
    return f"“{shown}{' …' if len(found) > words else ''}”"


def sections(markdown: str) -> list[Section]:
    """The page as its `##` (and deeper) sections, each with its paragraphs in plain words."""
    out = [Section("", [])]
    for block in re.split(r"\n\s*\n", markdown):
        block = block.strip()
        if not block:
            continue
        heading = _HEADING.match(block.splitlines()[0])
        if heading:
            out.append(Section(heading.group(2), []))
            block = "\n".join(block.splitlines()[1:]).strip()
            if not block:
                continue
        if plain_words(block):
            out[-1].paragraphs.append(block)
    return [s for s in out if s.title or s.paragraphs]


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


def _paragraph_changes(before: list[str], after: list[str]) -> list[str]:
    lines = []
    a, b = [plain_words(p) for p in before], [plain_words(p) for p in after]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            was, now = quote(before[i1 + k]), quote(after[j1 + k])
            lines.append(f"Reworded: the paragraph beginning {was}." if was == now
                         else f"Reworded: {was} now reads {now}.")
        for k in range(j1 + pairs, j2):
            lines.append(f"Added: {quote(after[k])}.")
        for k in range(i1 + pairs, i2):
            lines.append(f"Removed: {quote(before[k])}.")
    return lines


def page_changes(old: Guidance, new: Guidance, old_version: Version, new_version: Version) -> list[str]:
    """Markdown bullet lines, one per page added, removed or changed, with its sections below."""
    before = {p.rel: p for p in old.pages}
    after = {p.rel: p for p in new.pages}
    lines = []
    for rel in sorted(after.keys() - before.keys()):
        lines.append(f"- New page: {after[rel].title} (`guidance/{rel}`).")
    for rel in sorted(before.keys() - after.keys()):
        lines.append(f"- Page removed: {before[rel].title} (`guidance/{rel}`).")
    for rel in sorted(before.keys() & after.keys()):
        found = _one_page(before[rel], after[rel], _render(old, before[rel], old_version),
                          _render(new, after[rel], new_version))
        if found:
            lines.append(f"- {after[rel].title} (`guidance/{rel}`):")
            lines += [f"    {line}" if line.startswith("    - ") else f"    - {line}" for line in found]
    return lines


def _one_page(a: Page, b: Page, text_a: str, text_b: str) -> list[str]:
    found = []
    if a.title != b.title:
        found.append(f"The title was “{a.title}”; it is now “{b.title}”.")
    later = only_from(b.body)
    old_sections = {s.title: s for s in sections(text_a)}
    new_sections = sections(text_b)
    for s in new_sections:
        name = f"section “{s.title}”" if s.title else "the opening of the page"
        if s.title and s.title not in old_sections:
            since = f" (in version {later[s.title]} and later only)" if s.title in later else ""
            found.append(f"New {name}{since}.")
            continue
        changes = _paragraph_changes(old_sections[s.title].paragraphs, s.paragraphs) if s.title in old_sections \
            else [f"Added: {quote(p)}." for p in s.paragraphs]
        if changes:
            found.append(f"In {name}:")
            found += [f"    - {c}" for c in changes]
    new_titles = {s.title for s in new_sections}
    found += [f"Section “{t}” removed." for t in old_sections if t and t not in new_titles]
    return found
