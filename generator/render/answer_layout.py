"""How a typed answer sits in its box: one layout for filled forms, printed copies and the browser.

An answer is drawn at 10 pt, or a half-point smaller at a time down to 9 pt, never smaller:
the SPOC and the review meeting must be able to read it. What still does not fit is neither
shrunk nor cut off. The box shows as many whole lines as it holds, its last line says on which
page the answer continues, and the rest goes on a continuation page at the end of the form
("Continued from “What happened in incident 2” on page 3"). A one-line box that overflows
shows the start of the answer and the note; the continuation page then holds the whole answer,
so an email address or a name is never split in two.

Wrapping is greedy, word by word, and measures each distinct word once, so the work is linear
in the answer's length (pdf-lib's own multi-line layout is roughly cubic: a 2,000-character
answer took a minute in the browser). The browser's filler (site/theme/assets/ctkit/apply-pdf.js)
gets these figures and sentences as data (`browser_layout`), so both draw the same boxes.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

from .pdf_fonts import REGULAR, register_fonts

#: The sizes an answer may be drawn at, largest first; the last is the smallest the kit allows.
SIZES = (10.0, 9.5, 9.0)
MIN_SIZE = SIZES[-1]
LINE_FACTOR = 1.15      # line height, as a multiple of the size
PAD_X = 3.0             # from the box's left edge to the text
INSET = 2.0             # the text stays this far inside the box's border
#: Said in the box where an answer continues, and above its rest on the continuation page.
NOTE = "(continued on page {page})"
CONTINUED_TITLE = "Answers continued"
CONTINUED_INTRO = "These answers did not fit in their boxes on the form. Each continues here, whole."
CONTINUED_FROM = "Continued from “{label}” on page {page}"
ELLIPSIS = "…"


@dataclass(frozen=True)
class Layout:
    lines: tuple[str, ...]   # what the box shows, top line first
    size: float              # the font size it is drawn at
    rest: str = ""           # what goes on the continuation page ("" when the box holds it all)

    @property
    def whole(self) -> bool:
        return not self.rest


class _Measure:
    """Widths in points at one size, each distinct word measured once."""

    def __init__(self, size: float) -> None:
        register_fonts()
        self.size = size
        self.cache: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        width = self.cache.get(text)
        if width is None:
            width = self.cache[text] = stringWidth(text, REGULAR, self.size)
        return width


def wrap(text: str, width: float, measure) -> list[tuple[str, bool]]:
    """Lines of `text` no wider than `width`, each with whether it ends a paragraph; a word wider
    than the line is broken between its characters. Linear in the length of `text`."""
    out: list[tuple[str, bool]] = []
    space = measure(" ")
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in paragraph.split():
            w = measure(word)
            if w > width:                       # too long for any line: break it up
                if line:
                    out.append((" ".join(line), False))
                    line, used = [], 0.0
                piece, piece_w = "", 0.0
                for ch in word:
                    cw = measure(ch)
                    if piece and piece_w + cw > width:
                        out.append((piece, False))
                        piece, piece_w = "", 0.0
                    piece += ch
                    piece_w += cw
                line, used = [piece], piece_w
                continue
            if line and used + space + w > width:
                out.append((" ".join(line), False))
                line, used = [], 0.0
            used += (space if line else 0.0) + w
            line.append(word)
        out.append((" ".join(line), True))
    return out


def _join(lines: list[tuple[str, bool]]) -> str:
    return "".join(text + ("\n" if end else " ") for text, end in lines).strip()


def inner_width(width: float) -> float:
    return width - 2 * PAD_X


def line_count(height: float, size: float) -> int:
    return max(1, int((height - 2 * INSET) // (size * LINE_FACTOR)))


def lay_out(text: str, width: float, height: float, multiline: bool, page: int | str = "?") -> Layout:
    """The answer `text` in a box `width` × `height` points; `page` is where it would continue."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return Layout((), SIZES[0])
    room = inner_width(width)
    for size in SIZES:
        measure = _Measure(size)
        if multiline:
            lines = wrap(text, room, measure)
            while len(lines) > 1 and not lines[-1][0]:      # blank lines at the end show nothing
                lines.pop()
            if len(lines) <= line_count(height, size):
                return Layout(tuple(t for t, _ in lines), size)
        else:
            flat = " ".join(text.split())
            if measure(flat) <= room:
                return Layout((flat,), size)
    note = NOTE.format(page=page)
    if multiline:
        keep = line_count(height, MIN_SIZE) - 1
        return Layout(tuple(t for t, _ in lines[:keep]) + (note,), MIN_SIZE, _join(lines[keep:]))
    flat = " ".join(text.split())
    tail = f"{ELLIPSIS} {note}"
    budget = room - measure(tail)
    start, used = "", 0.0
    for ch in flat:
        used += measure(ch)
        if used > budget:
            break
        start += ch
    return Layout((f"{start.rstrip()}{tail}",), MIN_SIZE, flat)


def browser_layout() -> dict:
    """The same figures and words for the browser's filler, so it lays answers out as the kit does."""
    return {"sizes": list(SIZES), "line_factor": LINE_FACTOR, "pad_x": PAD_X, "inset": INSET, "note": NOTE,
            "ellipsis": ELLIPSIS, "continued_title": CONTINUED_TITLE, "continued_intro": CONTINUED_INTRO,
            "continued_from": CONTINUED_FROM}


__all__ = ["SIZES", "MIN_SIZE", "LINE_FACTOR", "PAD_X", "INSET", "Layout", "lay_out", "wrap", "line_count",
           "inner_width", "browser_layout", "CONTINUED_TITLE", "CONTINUED_INTRO", "CONTINUED_FROM"]
