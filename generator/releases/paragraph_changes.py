"""Two releases' paragraphs (or questions, or a letter's sentences) matched up, and each change written out.

Every piece of text is an `Item`: its words, what it is ("paragraph", "question", "the subject
line"), where it sits (a section's title) and, for what has a name (a question), that name. The
items of two releases are aligned in order; a named item is matched with itself wherever it
moved, and an unnamed one with the most alike of its neighbours, so a reworded paragraph is shown
as reworded rather than as one removed and another added. `change_markdown` writes each change
for a committee: the item named as what it is, before and after in full, the changed words
marked and said in words.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from .word_diff import mark_changes, markdown_text

#: Two unnamed paragraphs this alike (in words) are one paragraph reworded.
ALIKE = 0.45


@dataclass(frozen=True)
class Item:
    kind: str               # what it is, in words: "paragraph", "question", "section heading", "subject line"
    text: str               # its plain words
    key: str | None = None  # a name that stays when it is reworded (a question's id)
    within: str = ""        # where it sits, in words: "section “Appeals”"
    note: str = ""          # e.g. " (in version 2.1 and later only)"

    @property
    def identity(self) -> str:
        return self.key if self.key is not None else f"¶{' '.join(self.text.split())}"


@dataclass(frozen=True)
class Change:
    before: Item | None
    after: Item | None

    @property
    def kind(self) -> str:
        return "reworded" if self.before and self.after else ("added" if self.after else "removed")


def _alike(a: Item, b: Item) -> float:
    if a.key is not None or b.key is not None:
        return 1.0 if a.key == b.key else 0.0
    if a.kind != b.kind:
        return 0.0
    return difflib.SequenceMatcher(a=a.text.split(), b=b.text.split(), autojunk=False).ratio()


def _pairs(old: list[Item], new: list[Item]) -> dict[int, int]:
    """new index -> old index for the items of one changed stretch that are the same item reworded."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    last = -1
    for j, item in enumerate(new):
        scores = [(_alike(old[i], item), -i) for i in range(last + 1, len(old)) if i not in taken]
        if scores:
            score, minus_i = max(scores)
            if score >= ALIKE:
                pairs[j] = -minus_i
                taken.add(-minus_i)
                last = -minus_i
    return pairs


def compare_items(old: list[Item], new: list[Item]) -> list[Change]:
    """Every item added, removed or reworded, in the order a reader meets them."""
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(a=[i.identity for i in old], b=[i.identity for i in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            changes += [Change(a, b) for a, b in zip(old[i1:i2], new[j1:j2]) if a.text != b.text]
            continue
        block_old, block_new = old[i1:i2], new[j1:j2]
        pairs = _pairs(block_old, block_new)
        paired_old = set(pairs.values())
        i = 0
        for j, item in enumerate(block_new):
            if j in pairs:
                while i < pairs[j]:   # removed items before this one keep their place
                    if i not in paired_old:
                        changes.append(Change(block_old[i], None))
                    i += 1
                changes.append(Change(block_old[pairs[j]], item))
                i = pairs[j] + 1
            else:
                changes.append(Change(None, item))
        changes += [Change(block_old[k], None) for k in range(i, len(block_old)) if k not in paired_old]
    return changes


def _where(item: Item) -> str:
    return f", in {item.within}" if item.within else ""


def change_markdown(change: Change) -> list[str]:
    """One change as Markdown blocks: what it is, in bold, then the text (before and after, marked, when reworded)."""
    if (change.after or change.before).kind == "section":
        return [_section_sentence(change), ""]
    if change.before is not None and change.after is not None:
        marked = mark_changes(change.before.text, change.after.text)
        return [f"**{change.after.kind.capitalize()} reworded{_where(change.after)}{change.after.note}:**", "",
                f"Before: {marked.before}", "", f"After: {marked.after}", "", f"In words: {marked.in_words}", ""]
    if change.after is not None:
        item = change.after
        return [f"**{item.kind.capitalize()} added{_where(item)}{item.note}:**", "", markdown_text(item.text), ""]
    item = change.before
    return [f"**{item.kind.capitalize()} removed{_where(item)}:**", "", f"<del>{markdown_text(item.text)}</del>", ""]


def _section_sentence(change: Change) -> str:
    """A section heading's change, said as what it is: the words under it are listed as their own changes."""
    if change.before is not None and change.after is not None:
        return (f"**Section renamed:** “{markdown_text(change.before.text)}” is now called "
                f"“{markdown_text(change.after.text)}”{change.after.note}.")
    if change.after is not None:
        return f"**New section “{markdown_text(change.after.text)}”{change.after.note}.**"
    return f"**Section “{markdown_text(change.before.text)}” removed.**"
