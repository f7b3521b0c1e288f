"""Fonts for every PDF the kit draws, registered once and shared.

reportlab's standard 14 fonts only know Latin-1 and raise on names such as Łukasik.
The kit bundles DejaVu Sans and Sans Mono (generator/render/fonts/, free licence alongside), which
draws curly quotes, dashes, £, € and the accented Latin of Polish, Czech, Turkish or
Romanian names; it falls back to the Vera fonts inside reportlab if the files are
missing. Any character still without a glyph is drawn as a look-alike or '?', never
as an error or an invisible gap (`drawable`).

Form fields use the same DejaVu Sans, embedded once more as a Type0 font with a
large subset (`pdf_field_font`), so that other tools can fill them with any name.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

BUNDLED_DIR = Path(__file__).resolve().parent / "fonts"
VERA_DIR = Path(reportlab.__file__).resolve().parent / "fonts"

#: Names the kit draws with, and the files behind each (bundled first, then reportlab's own).
REGULAR, BOLD, ITALIC, BOLD_ITALIC = "CtSans", "CtSans-Bold", "CtSans-Italic", "CtSans-BoldItalic"
#: For code and commands in the guidance: embedded like the rest (a standard Courier would not be).
MONO = "CtMono"
_FILES = {
    REGULAR: ((BUNDLED_DIR, "DejaVuSans.ttf"), (VERA_DIR, "Vera.ttf")),
    BOLD: ((BUNDLED_DIR, "DejaVuSans-Bold.ttf"), (VERA_DIR, "VeraBd.ttf")),
    ITALIC: ((BUNDLED_DIR, "DejaVuSans-Oblique.ttf"), (VERA_DIR, "VeraIt.ttf")),
    BOLD_ITALIC: ((BUNDLED_DIR, "DejaVuSans-Bold.ttf"), (VERA_DIR, "VeraBI.ttf")),
    MONO: ((BUNDLED_DIR, "DejaVuSansMono.ttf"), (VERA_DIR, "Vera.ttf")),
}

_registered = False
_glyphs: dict[str, frozenset[int]] = {}


def register_fonts() -> None:
    """Register the kit's fonts with reportlab (idempotent, cheap after the first call)."""
    global _registered
    if _registered:
        return
    for name, candidates in _FILES.items():
        path = next(folder / filename for folder, filename in candidates if (folder / filename).exists())
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    _registered = True


def _glyph_set(font: str) -> frozenset[int]:
    if font not in _glyphs:
        register_fonts()
        _glyphs[font] = frozenset(pdfmetrics.getFont(font).face.charToGlyph)
    return _glyphs[font]


def drawable(text: str, font: str = REGULAR) -> str:
    """`text` with any character the font lacks replaced by a look-alike, its unaccented letter, or '?'."""
    if font not in _FILES:
        return text  # a standard-14 font: reportlab draws Latin-1 itself
    glyphs = _glyph_set(font)
    if all(ord(ch) in glyphs or ch in "\n\t" for ch in text):
        return text
    out = []
    for ch in text:
        if ord(ch) in glyphs or ch in "\n\t":
            out.append(ch)
            continue
        base = _LOOKALIKE.get(ch) or "".join(c for c in unicodedata.normalize("NFKD", ch)
                                             if not unicodedata.combining(c))
        out.append(base if base and all(ord(c) in glyphs for c in base) else "?")
    return "".join(out)


def missing_glyphs(text: str, font: str = REGULAR) -> set[str]:
    """Characters of `text` the font cannot draw (tests use it to prove coverage)."""
    glyphs = _glyph_set(font)
    return {ch for ch in text if not ch.isspace() and ord(ch) not in glyphs}


_LOOKALIKE = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-",
    "\u2026": "...", "\u2022": "*", "\u20ac": "EUR", "\u00a0": " ", "\u202f": " ",
    "\u0141": "L", "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0126": "H", "\u0127": "h",
    "\u0131": "i", "\u0152": "OE", "\u0153": "oe", "\u0138": "k", "\u014a": "N", "\u014b": "n",
}
