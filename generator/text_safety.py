"""Text that came from outside the kit, made safe for where it is shown.

Three places can be tricked by what a file contains: a spreadsheet (a cell starting with
= + - @ runs as a formula), a terminal (escape sequences move the cursor or change the
title), and a report that would echo megabytes. These helpers are the one way the kit
writes such text; HTML is escaped by Jinja's autoescape and by `html.escape`.
"""
from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will show, not run: text starting like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """CSV with every cell passed through `spreadsheet_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([spreadsheet_cell(h) for h in header])
    for row in rows:
        writer.writerow([spreadsheet_cell(cell) for cell in row])
    return buffer.getvalue()


def shown(text: Any, limit: int = 80) -> str:
    """Outside text for a message: control characters escaped, lone surrogates replaced, cut to `limit`."""
    raw = str(text)
    out = []
    for ch in raw[: limit + 1]:
        if "\ud800" <= ch <= "\udfff":
            out.append("\ufffd")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch != " ":
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    text = "".join(out)
    return text[:limit] + "…" if len(raw) > limit else text


#: Line breaks other than \n and \r that people paste (Word's manual line break is U+000B).
_LINE_BREAKS = {0x0B: "\n", 0x0C: "\n", 0x85: "\n", 0x2028: "\n", 0x2029: "\n"}
#: Every other control character (C0, DEL, C1) but tab and line breaks: removed.
_CONTROLS = {c: None for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if c not in (0x09, 0x0A, 0x0D)}
_TYPED = {**_CONTROLS, **_LINE_BREAKS}


def _is_noncharacter(ch: str) -> bool:
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def typed_text(text: str) -> str:
    """Text a person typed (or pasted), made the same for every output: composed (NFC); line breaks of
    other kinds as \\n; other control characters and noncharacters (U+FFFE…) dropped; a lone surrogate,
    which no file can encode, as U+FFFD. A letter, a register row, a report and a PDF then all get it."""
    cleaned = text.translate(_TYPED)
    if any("\ud800" <= ch <= "\udfff" or _is_noncharacter(ch) for ch in cleaned):
        cleaned = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch
                          for ch in cleaned if not _is_noncharacter(ch))
    return unicodedata.normalize("NFC", cleaned)


def typed_values(data: Any) -> Any:
    """Every text inside submitted data (mappings and lists, changed in place so their line numbers stay)
    passed through `typed_text`, once, where the data is read."""
    stack = [data]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in list(items):
            if isinstance(value, str):
                node[key] = typed_text(value)
            elif isinstance(value, (dict, list)):
                stack.append(value)
    return data


def printable(text: str) -> str:
    """Text a document writer can always take: control characters (a line break pasted from Word is U+000B),
    noncharacters such as U+FFFE and lone surrogates become spaces, runs of spaces one space.

    Word files are XML, which forbids most of them, and a PDF font has no glyph for them; whatever
    someone pasted into a form, the letter is still written."""
    def bad(ch: str) -> bool:
        code = ord(ch)
        return unicodedata.category(ch) in ("Cc", "Cs") or 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE

    if not any(bad(ch) for ch in text):
        return text
    return " ".join("".join(" " if bad(ch) else ch for ch in text).split())
