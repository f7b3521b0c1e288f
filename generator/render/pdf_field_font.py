"""The font form fields are filled in: DejaVu Sans, embedded as a large subset.

A PDF reader or filler (pdf.js, pdftk, PyMuPDF, Acrobat) draws a typed answer with the
font the field's default appearance (/DA) names from the form's /DR. reportlab can only
name an unembedded standard font there (Helvetica, Latin-1), so a name such as "Zoë
Łukasik – O’Brien Şahin" came out as "Zo? ?ukasik". This module gives every form one
embedded Type0 font instead, with the glyphs of every script a resident is
likely to type (Latin with all its extensions, Greek, Cyrillic, punctuation and
currency), not just those the blank form drew: the filler needs glyphs for characters
the form never printed. CIDs are the subset's glyph ids (CIDToGIDMap /Identity), and
the /ToUnicode map lets a filler go from a character to its glyph.

The subset is made once per process, from the bundled font file, with fontTools.
"""
from __future__ import annotations

import functools
import io
from dataclasses import dataclass

import pikepdf
from fontTools import subset
from fontTools.ttLib import TTFont

from .pdf_fonts import BUNDLED_DIR

#: The name forms use for the field font in /DR and /DA.
FIELD_FONT_KEY = "CtField"
#: Unicode blocks the field font keeps (inclusive ranges).
COVERAGE = (
    (0x0020, 0x007E),   # Basic Latin
    (0x00A0, 0x024F),   # Latin-1 Supplement, Latin Extended-A and -B
    (0x02B0, 0x036F),   # spacing modifiers and combining accents
    (0x0370, 0x03FF),   # Greek
    (0x0400, 0x04FF),   # Cyrillic
    (0x1E00, 0x1EFF),   # Latin Extended Additional (Welsh ŵ ŷ, Vietnamese)
    (0x2000, 0x206F),   # General Punctuation: dashes, curly quotes, ellipsis
    (0x20A0, 0x20CF),   # currency: £ € ₺ ₴
    (0x2100, 0x214F),   # letterlike: № ℅ ™
)
_SUBSET_TAG = "CTKFLD"  # six capitals, fixed: the same bytes every time


@dataclass(frozen=True)
class FieldFont:
    program: bytes                   # the subset TrueType file
    gid_of: dict[int, int]           # code point -> glyph id (= CID)
    widths: tuple[int, ...]          # glyph id -> advance in 1/1000 em
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int
    family: str

    def width(self, text: str, size: float) -> float:
        """Advance of `text` at `size` points; characters the font lacks count as .notdef."""
        return sum(self.widths[self.gid_of.get(ord(ch), 0)] for ch in text) * size / 1000

    def encode(self, text: str) -> bytes:
        """`text` as the two-byte CIDs a content stream shows with this font (Identity-H)."""
        return b"".join(self.gid_of.get(ord(ch), 0).to_bytes(2, "big") for ch in text)

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.gid_of


@functools.cache
def field_font() -> FieldFont:
    """DejaVu Sans cut down to COVERAGE (about 1,800 glyphs, 70 kB compressed)."""
    # recalcTimestamp=False: saving would otherwise stamp the subset with the time of the build, and
    # two builds a second apart would give different PDFs.
    font = TTFont(str(BUNDLED_DIR / "DejaVuSans.ttf"), recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM", "DSIG", "MATH"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for low, high in COVERAGE for u in range(low, high + 1)])
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    order = font.getGlyphOrder()
    gid = {name: i for i, name in enumerate(order)}
    cmap = font.getBestCmap()
    scale = 1000 / font["head"].unitsPerEm
    head, os2 = font["head"], font["OS/2"]
    return FieldFont(
        program=buffer.getvalue(),
        gid_of={code: gid[name] for code, name in sorted(cmap.items())},
        widths=tuple(round(font["hmtx"][name][0] * scale) for name in order),
        bbox=tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
        ascent=round(os2.sTypoAscender * scale), descent=round(os2.sTypoDescender * scale),
        cap_height=round(getattr(os2, "sCapHeight", 729) * scale),
        family=font["name"].getDebugName(6) or "DejaVuSans",
    )


@functools.cache
def _field_font_to_unicode() -> bytes:
    """The field font's CMap, written once per process, not once per form."""
    return _to_unicode(field_font())


def _to_unicode(font: FieldFont) -> bytes:
    """A CMap from each glyph id back to its character (the lowest code point when several share a glyph)."""
    first: dict[int, int] = {}
    for code, gid in font.gid_of.items():
        first.setdefault(gid, code)
    lines = []
    items = sorted(first.items())
    for start in range(0, len(items), 100):  # at most 100 entries per block
        chunk = items[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{gid:04X}> <{''.join(f'{u:04X}' for u in _utf16(code))}>" for gid, code in chunk]
        lines.append("endbfchar")
    body = "\n".join(lines)
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            f"{body}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode("ascii")


def _utf16(code: int) -> list[int]:
    if code < 0x10000:
        return [code]
    code -= 0x10000
    return [0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)]


def add_field_font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """Embed the field font in `pdf` once; returns the indirect Type0 font dictionary."""
    font = field_font()
    name = pikepdf.Name(f"/{_SUBSET_TAG}+{font.family}")
    descriptor = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=name, Flags=32, FontBBox=list(font.bbox), ItalicAngle=0,
        Ascent=font.ascent, Descent=font.descent, CapHeight=font.cap_height, StemV=80,
        FontFile2=pdf.make_stream(font.program, Length1=len(font.program)),
    ))
    cid_font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=name,
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                         Supplement=0),
        FontDescriptor=descriptor, DW=1000, W=[0, list(font.widths)], CIDToGIDMap=pikepdf.Name.Identity,
    ))
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=name, Encoding=pikepdf.Name("/Identity-H"),
        DescendantFonts=[cid_font], ToUnicode=pdf.make_stream(_field_font_to_unicode()),
    ))


__all__ = ["FIELD_FONT_KEY", "COVERAGE", "FieldFont", "field_font", "add_field_font"]
