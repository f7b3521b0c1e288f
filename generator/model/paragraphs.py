"""A rendered page as the words a reader sees, paragraph by paragraph.

What a committee approves, and what `ctkit diff` shows it, is words, not Markdown: a paragraph
re-wrapped, a word put in bold or a link pointed elsewhere reads the same. So a page is split
into its blocks (headings on their own), and each block is reduced to its plain words; both the
approved-text lock and the committee's report read pages this way.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MARKUP = re.compile(r"(\*\*|__|`|^!!!\s+\w+\s*)")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")   # a page's layout (<div class="ct-tasks" markdown>), not its words
_ATTRIBUTES = re.compile(r"\{:?\s*[#.][^}]*\}")   # attribute lists: { .ct-button }


@dataclass(frozen=True)
class Section:
    title: str            # "" for the text before the first heading
    paragraphs: list[str]


def plain_words(markdown: str) -> str:
    """One paragraph of Markdown as the words a reader sees: list items and table rows joined by '; '."""
    pieces: list[str] = []
    for line in markdown.splitlines():
        if _RULE.match(line):
            continue
        heading = _HEADING.match(line)
        if heading:
            line = heading.group(2)
        starts = bool(_ITEM.match(line)) or line.lstrip().startswith("|")
        text = _ITEM.sub("", line)
        text = " ".join(cell.strip() for cell in text.strip().strip("|").split("|") if cell.strip())
        text = _MARKUP.sub("", _LINK.sub(r"\1", _ATTRIBUTES.sub("", _HTML_TAG.sub("", text))))
        text = text.replace("*", "").strip()
        if not text:
            continue
        if pieces and starts:
            pieces[-1] = pieces[-1].rstrip(";:") + ";"
        pieces.append(text)
    return html.unescape(" ".join(" ".join(pieces).split()))


def heading_of(block: str) -> str | None:
    """The title of a block that is a heading line, else None."""
    found = _HEADING.match(block.strip().splitlines()[0]) if block.strip() else None
    return found.group(2) if found else None


def blocks(markdown: str) -> list[str]:
    """The page's blocks in order: each heading on its own, then each paragraph, list, table or note
    that has words in it."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", markdown):
        lines = block.strip("\n").splitlines()
        while lines and not lines[0].strip():
            lines.pop(0)
        if not lines:
            continue
        if _HEADING.match(lines[0].strip()):
            out.append(lines[0].strip())
            lines = lines[1:]
        rest = "\n".join(lines)
        if plain_words(rest):
            out.append(rest)
    return out


def sections(markdown: str) -> list[Section]:
    """The page as its `##` (and deeper) sections, each with its paragraphs (Markdown)."""
    out = [Section("", [])]
    for block in blocks(markdown):
        title = heading_of(block)
        if title is not None:
            out.append(Section(title, []))
        else:
            out[-1].paragraphs.append(block)
    return [s for s in out if s.title or s.paragraphs]
