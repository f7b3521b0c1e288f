"""Two versions of a paragraph for a committee: both in full, the changed words marked and said in words.

Deleted words are struck through in the "before" text (`<del>`), inserted words underlined in the
"after" text (`<ins>`); a reader who cannot see the marks (a screen reader, a black-and-white copy)
gets the same changes in a sentence. The words are compared as the reader sees them, so punctuation
stays with its word.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

#: Beyond this many separate changes a list of them helps nobody; the two texts say it.
MOST_CHANGES_LISTED = 6
QUOTE_WORDS = 12
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#~])")


def markdown_text(text: str) -> str:
    """Plain words safe to put in Markdown: nothing in them is read as markup."""
    return _MARKDOWN.sub(r"\\\1", text)


def quoted(words: list[str], limit: int = QUOTE_WORDS) -> str:
    shown = " ".join(words[:limit]) + (" …" if len(words) > limit else "")
    return f"“{markdown_text(shown)}”"


@dataclass(frozen=True)
class MarkedPair:
    before: str      # Markdown: the old text, deletions in <del>
    after: str       # Markdown: the new text, insertions in <ins>
    in_words: str    # the changes in a sentence


def _run(words: list[str], tag: str) -> str:
    return f"<{tag}>{markdown_text(' '.join(words))}</{tag}>"


def mark_changes(before: str, after: str) -> MarkedPair:
    a, b = before.split(), after.split()
    old, new, said = [], [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            old.append(markdown_text(" ".join(a[i1:i2])))
            new.append(markdown_text(" ".join(b[j1:j2])))
            continue
        if i2 > i1:
            old.append(_run(a[i1:i2], "del"))
        if j2 > j1:
            new.append(_run(b[j1:j2], "ins"))
        if op == "replace":
            said.append(f"{quoted(a[i1:i2])} became {quoted(b[j1:j2])}")
        elif op == "delete":
            said.append(f"{quoted(a[i1:i2])} was taken out")
        else:
            said.append(f"{quoted(b[j1:j2])} was put in" + (f" after {quoted(b[max(j1 - 3, 0):j1])}" if j1 else
                                                               " at the start"))
    if not said:
        in_words = "The words are the same; only their layout changed."
    elif len(said) > MOST_CHANGES_LISTED:
        in_words = f"{len(said)} passages changed, so most of the paragraph is new; compare the two in full."
    else:
        in_words = "; ".join(said)
        in_words = in_words[:1].upper() + in_words[1:] + "."
    return MarkedPair(" ".join(old), " ".join(new), in_words)
