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
