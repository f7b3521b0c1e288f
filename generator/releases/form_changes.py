"""What changed in the forms and the letters between two releases, compared the way pages are.

A form is read as its wording in order (model/form.py `form_wording`: the title, introductions,
sections, each question with its hint, choices and whether it must be answered), rendered with
its release's figures. A letter is read from guidance/letters.yml: its subject line, headings,
paragraphs and lists, with the facts of a case (which differ for every letter) shown as
[case ref]. Releases from before letters.yml kept each letter as a form (`kind: letter`); such a
letter is matched with the letter that replaced it, never reported as a form removed.
"""
from __future__ import annotations

import difflib
import html
import re
from typing import Any

from ..model import Guidance, Version, form_wording
from ..model.paragraphs import plain_words
from ..templating import context_for, render_text
from .paragraph_changes import Item, change_markdown, compare_items
from .word_diff import markdown_text

LETTERS = "guidance/letters.yml"
_EXPRESSION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
_ELSE = re.compile(r"\{%-?\s*(?:else|elif\b.*?)\s*-?%\}", re.S)
_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
_NAME = re.compile(r"[A-Za-z_][\w.]*")
#: A letter that replaced another is found by its words when its name changed (threshold_decision → threshold_met).
SAME_LETTER = 0.3
KINDS = {"title": "title", "introduction": "introduction", "section": "section", "question": "question",
         "paragraph": "paragraph"}


# -- forms ---------------------------------------------------------------------------

def _words(g: Guidance, version: Version, source: str, shown: str) -> str:
    if not source:
        return ""
    text, problems = render_text(source, context_for(g, None, version), shown)
    if text is None or problems:
        return plain_words(readable(source))
    return " ".join(html.unescape(text).split())


def form_items(g: Guidance, form: Any, version: Version) -> list[Item]:
    items: list[Item] = []
    within = ""
    for piece in form_wording(form):
        text = piece.compose([_words(g, version, s, form.source) for s in piece.sources])
        if piece.kind == "section":
            within = f"section “{markdown_text(text)}”"
            items.append(Item("section", text, key=piece.key))
            continue
        items.append(Item(KINDS[piece.kind], text, key=piece.key,
                          within=within if piece.kind in ("question", "paragraph", "introduction") else ""))
    return items


def _title(g: Guidance, form: Any, version: Version) -> str:
    return _words(g, version, form.title, form.source) or form.id


def form_changes(old: Guidance, new: Guidance, old_version: Version, new_version: Version) -> list[str]:
    """Markdown: a heading for each form added, removed or changed, with every change in full."""
    lines: list[str] = []
    before = {fid: f for fid, f in old.forms.items() if f.kind != "letter"}
    after = {fid: f for fid, f in new.forms.items() if f.kind != "letter"}
    for fid in sorted(before.keys() | after.keys()):
        a, b = before.get(fid), after.get(fid)
        if b is None:
            lines += [f"### {markdown_text(_title(old, a, old_version))}", "",
                      f"**Form removed:** the form `forms/{fid}.yml` is no longer part of the guidance.", ""]
            continue
        old_items = form_items(old, a, old_version) if a else []
        changes = compare_items(old_items, form_items(new, b, new_version))
        if not changes:
            continue
        lines += [f"### {markdown_text(_title(new, b, new_version))}", "",
                  f"`forms/{fid}.yml`" + (" is a new form; all of it is new:" if a is None else ""), ""]
        for change in changes:
            lines += change_markdown(change)
    return lines


# -- letters -------------------------------------------------------------------------

def readable(source: str) -> str:
    """Template text with each fact of a case shown as [its name], and both sides of each choice kept."""
    def name(match: re.Match) -> str:
        found = _NAME.search(match.group(1))
        return f"[{found.group(0).replace('.', ' ').replace('_', ' ')}]" if found else "[…]"
    text = _EXPRESSION.sub(name, source)
    text = _TAG.sub("", _ELSE.sub(" / ", text))
    return " ".join(text.split())


def _ended(item: str) -> str:
    """A list item as a reader meets it in a sentence: ending in ';' unless it ends a sentence itself."""
    item = item.rstrip()
    return item if item.endswith((".", ";", "?", "!")) else item.rstrip(",") + ";"


def _block_item(block: dict, within: str) -> Item | None:
    if "heading" in block:
        return Item("section", readable(block["heading"]))
    if "paragraph" in block:
        return Item("paragraph", readable(block["paragraph"]), within=within)
    if "bullets" in block:
        return Item("list", " ".join(_ended(readable(b)) for b in block["bullets"]).rstrip(";") + ".", within=within)
    if "list" in block:
        return Item("list", f"One line for each of the case's {block['list'].replace('_', ' ')}: "
                            f"{readable(block.get('item', ''))}", within=within)
    if "use" in block:
        return Item("shared wording", f"The shared wording “{block['use'].replace('_', ' ')}” (see “Wording "
                                      "several letters share”)", key=f"use:{block['use']}", within=within)
    return None


def _block_items(blocks: list, within: str = "") -> list[Item]:
    """A letter's blocks as items, each paragraph with the heading it is under."""
    items: list[Item] = []
    for block in blocks or []:
        item = _block_item(block, within)
        if item is None:
            continue
        if item.kind == "section":
            within = f"section “{markdown_text(item.text)}”"
        items.append(item)
    return items


def _letters_of(g: Guidance) -> dict[str, tuple[str, list[Item]]]:
    """Each letter by its name: (where it is written, its items)."""
    found: dict[str, tuple[str, list[Item]]] = {}
    for name, letter in ((g.letters or {}).get("letters") or {}).items():
        items = [Item("subject line", readable(letter.get("subject", "")), key="subject")]
        items += _block_items(letter.get("body"))
        found[name] = (f"`{LETTERS}` (letter `{name}`)", items)
    for fid, form in g.forms.items():
        if form.kind != "letter":
            continue
        items = [Item("subject line", readable(form.title), key="subject")]
        for section in form.sections:
            for q in section.questions:
                items += [Item("paragraph", readable(t)) for t in q.text]
        found[fid.removeprefix("letter_")] = (f"`forms/{fid}.yml` (written then as a form)", items)
    return found


def _text(items: list[Item]) -> list[str]:
    return " ".join(i.text for i in items).split()


def _matching(before: dict, after: dict) -> dict[str, str | None]:
    """new letter -> the old letter it replaces: the same name, else the most alike in words."""
    out: dict[str, str | None] = {}
    for name in after:
        if name in before:
            out[name] = name
            continue
        scores = [(difflib.SequenceMatcher(a=_text(before[o][1]), b=_text(after[name][1]), autojunk=False).ratio(), o)
                  for o in before if o not in after]
        best = max(scores, default=(0.0, None))
        out[name] = best[1] if best[0] >= SAME_LETTER else None
    return out


def _shared_items(g: Guidance) -> dict[str, list[Item]]:
    """The wording letters share (letters.yml `shared` and `parts`), by its heading in the report."""
    letters = g.letters or {}
    groups = {f"Wording several letters share: “{k.replace('_', ' ')}”": _block_items(blocks)
              for k, blocks in (letters.get("shared") or {}).items()}
    parts = letters.get("parts") or {}
    if parts:
        groups["The parts every letter has"] = [Item(f"the {k.replace('_', ' ')}", readable(v), key=f"part:{k}")
                                                for k, v in parts.items()]
    return groups


def letter_changes(old: Guidance, new: Guidance) -> list[str]:
    """Markdown: each letter added, removed, moved or changed, with every change in full."""
    before, after = _letters_of(old), _letters_of(new)
    replaces = _matching(before, after)
    used = {o for o in replaces.values() if o}
    lines: list[str] = []
    for name in after:
        where, items = after[name]
        was = replaces[name]
        old_where, old_items = before[was] if was else ("", [])
        changes = compare_items(old_items, items)
        moved = was is not None and old_where != where
        if not changes and not moved:
            continue
        lines += [f"### The {name.replace('_', ' ')} letter", ""]
        if was is None:
            lines += [f"A new letter, in {where}; all of it is new:", ""]
        elif moved:
            lines += [f"Now written in {where}; before, in {old_where}" +
                      (f", as the {was.replace('_', ' ')} letter" if was != name else "") + ".", ""]
        for change in changes:
            lines += change_markdown(change)
    for name in before:
        if name not in used:
            lines += [f"### The {name.replace('_', ' ')} letter", "",
                      f"**Letter removed:** the letter written in {before[name][0]} is no longer sent.", ""]
    old_shared, new_shared = _shared_items(old), _shared_items(new)
    for group in list(new_shared) + [g for g in old_shared if g not in new_shared]:
        changes = compare_items(old_shared.get(group, []), new_shared.get(group, []))
        if changes:
            lines += [f"### {group}", ""]
            for change in changes:
                lines += change_markdown(change)
    return lines
