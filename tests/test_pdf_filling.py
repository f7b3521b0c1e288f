"""Other tools fill the application with a name beyond Latin-1, and the name is drawn.

pdftk (from an XFDF file) and pdf.js (a resident typing in
a pdf.js viewer, then saving) each fill "Your full name" with "Zoë Łukasik – O’Brien Şahin".
poppler's pdftoppm draws the field, and the drawing is compared with the same field filled by
the kit itself: same glyphs, allowing for a pixel or two of placement. pdf.js's appearance
stream is also read back as text with PyMuPDF.
"""
from __future__ import annotations

import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

import pymupdf
import pytest

from conftest import ROOT, drawn_form, need_tool
from generator.render.fill import fill_form_pdf

NAME = "Zoë Łukasik – O’Brien Şahin"
FIELD = "applicant:name"
SAME_DRAWING = 0.1   # share of ink pixels with no counterpart within a pixel, at the best alignment


@pytest.fixture(scope="module")
def blank(guidance, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fill") / "application.pdf"
    path.write_bytes(drawn_form(guidance, "application", guidance.councils["erewash"]))
    return path


@pytest.fixture(scope="module")
def kit_filled(guidance, blank) -> Path:
    path = blank.with_name("kit.pdf")
    path.write_bytes(fill_form_pdf(guidance.forms["application"], {"applicant": {"name": NAME}}, guidance,
                                   guidance.councils["erewash"]))
    return path


def _field_rect(pdf: Path) -> tuple[int, pymupdf.Rect]:
    for number, page in enumerate(pymupdf.open(pdf)):
        for widget in page.widgets():
            if widget.field_name == FIELD:
                return number + 1, pymupdf.Rect(widget.rect)
    raise AssertionError(f"{FIELD} is not in {pdf}")


def _ink(pdftoppm: str, pdf: Path, page: int, rect: pymupdf.Rect, dpi: int = 150, inset: int = 4) -> set:
    """The dark pixels inside the field's box (its border left out), as poppler draws them."""
    x, y = int(rect.x0 * dpi / 72) + inset, int(rect.y0 * dpi / 72) + inset
    w, h = int(rect.width * dpi / 72) - 2 * inset, int(rect.height * dpi / 72) - 2 * inset
    run = subprocess.run([pdftoppm, "-r", str(dpi), "-f", str(page), "-l", str(page), "-gray",
                          "-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h), str(pdf)],
                         capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr
    _, width, height, _, pixels = run.stdout.split(maxsplit=4)
    width, height = int(width), int(height)
    return {(c, r) for r in range(height) for c in range(width) if pixels[r * width + c] < 128}


def _difference(a: set, b: set) -> float:
    """0 when the two drawings match pixel for pixel (after moving one by up to a few pixels), 1 when
    nothing matches."""
    if not a or not b:
        return 1.0

    def near(p, pixels):
        return any((p[0] + i, p[1] + j) in pixels for i in (-1, 0, 1) for j in (-1, 0, 1))

    ax, ay = min(x for x, _ in a), min(y for _, y in a)
    bx, by = min(x for x, _ in b), min(y for _, y in b)
    best = 1.0
    for dx in range(-2, 3):
        for dy in range(-2, 3):
            moved = {(x + ax - bx + dx, y + ay - by + dy) for x, y in b}
            missing = sum(not near(p, moved) for p in a) + sum(not near(p, a) for p in moved)
            best = min(best, missing / (len(a) + len(b)))
    return best


def test_the_kits_own_fill_draws_the_name_and_reads_back_as_text(kit_filled, blank, pdftoppm):
    page, rect = _field_rect(kit_filled)
    assert pymupdf.open(kit_filled)[page - 1].get_text(clip=rect).strip() == NAME
    assert len(_ink(pdftoppm, kit_filled, page, rect)) > 500
    assert _ink(pdftoppm, blank, page, rect) == set()


def test_pdftk_fills_the_application_from_xfdf_and_the_name_is_drawn(blank, kit_filled, pdftoppm, tmp_path):
    """pdftk-java's own appearance writer knows only one-byte fonts (it draws every character of a Type0
    font as .notdef), so it is asked to leave the drawing to the viewer (need_appearances), which draws
    the field with the form's embedded font; `replacement_font` is pdftk's other way round it."""
    pdftk = need_tool("pdftk", "the pdftk filling test")
    xfdf = tmp_path / "answers.xfdf"
    xfdf.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/" '
                    f'xml:space="preserve"><fields><field name="{FIELD}"><value>{escape(NAME)}</value></field>'
                    '</fields></xfdf>\n', encoding="utf-8")
    out = tmp_path / "pdftk.pdf"
    run = subprocess.run([pdftk, str(blank), "fill_form", str(xfdf), "output", str(out), "need_appearances"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    page, rect = _field_rect(out)
    drawn = _ink(pdftoppm, out, page, rect)
    assert _difference(_ink(pdftoppm, kit_filled, page, rect), drawn) < SAME_DRAWING


def test_pdfjs_fills_the_application_and_draws_the_name_in_the_embedded_font(kit_filled, blank, pdftoppm, tmp_path):
    node = need_tool("node", "the pdf.js filling test")
    out = tmp_path / "pdfjs.pdf"
    run = subprocess.run([node, str(ROOT / "tests" / "js" / "pdf_fill.mjs"), str(blank), str(out), FIELD, NAME],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    page, rect = _field_rect(out)
    assert pymupdf.open(out)[page - 1].get_text(clip=rect).strip() == NAME  # read back from pdf.js's appearance
    drawn = _ink(pdftoppm, out, page, rect)
    assert _difference(_ink(pdftoppm, kit_filled, page, rect), drawn) < SAME_DRAWING
