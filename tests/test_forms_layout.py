"""Looking at the pages: nothing overlaps, nothing is cut off at the page edge, and every page renders.

Geometry comes from PyMuPDF (text lines and field boxes of every page); pictures come from
poppler's pdftoppm, the tool a person would use to look at them.
"""
from __future__ import annotations

import subprocess

import pymupdf
import pytest

from conftest import drawn_form

EDGE = 36  # half an inch: printers cut off what comes closer to the edge


def _boxes(pdf: bytes):
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    for number, page in enumerate(doc, 1):
        lines = []
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                text = "".join(span["text"] for span in line["spans"]).strip()
                if text:
                    lines.append((pymupdf.Rect(line["bbox"]), text))
        widgets = [(pymupdf.Rect(w.rect), w.field_name) for w in page.widgets()]
        # A filled field's own value is drawn inside its box: that is not an overlap.
        lines = [(r, t) for r, t in lines if not any((w + (-1, -1, 1, 1)).contains(r) for w, _ in widgets)]
        yield number, page.rect, lines, widgets


def _overlap(a, b, slack: float = 1.0) -> bool:
    inner = pymupdf.Rect(a.x0 + slack, a.y0 + slack, a.x1 - slack, a.y1 - slack)
    return inner.intersects(b) and not (inner & b).is_empty


def _layout_problems(pdf: bytes) -> list[str]:
    problems = []
    for number, page, lines, widgets in _boxes(pdf):
        for rect, what in lines + widgets:
            if rect.x0 < EDGE or rect.y0 < EDGE or rect.x1 > page.x1 - EDGE or rect.y1 > page.y1 - EDGE:
                problems.append(f"page {number}: '{what}' is too near the edge")
        for rect, name in widgets:
            for text_rect, text in lines:
                if _overlap(rect, text_rect, 2.0):
                    problems.append(f"page {number}: field {name} covers '{text}'")
        for i, (a, name_a) in enumerate(widgets):
            for b, name_b in widgets[i + 1:]:
                if name_a != name_b and _overlap(a, b):
                    problems.append(f"page {number}: fields {name_a} and {name_b} overlap")
        for i, (a, text_a) in enumerate(lines):
            for b, text_b in lines[i + 1:]:
                if _overlap(a, b, 2.5):
                    problems.append(f"page {number}: '{text_a}' overlaps '{text_b}'")
    return problems


def test_no_text_or_field_overlaps_or_runs_off_the_page_on_any_form(guidance):
    council = guidance.councils["north-east-derbyshire"]  # the longest council name
    problems = []
    for form_id in sorted(guidance.forms):
        problems += [f"{form_id}: {p}" for p in _layout_problems(drawn_form(guidance, form_id, council))]
    assert problems == []


@pytest.mark.pdf
def test_every_page_of_every_form_renders_as_an_image(guidance, pdftoppm, tmp_path):
    for form_id in sorted(guidance.forms):
        pdf = tmp_path / f"{form_id}.pdf"
        pdf.write_bytes(drawn_form(guidance, form_id, guidance.councils["south-derbyshire"]))
        pages = len(pymupdf.open(str(pdf)))
        run = subprocess.run([pdftoppm, "-r", "20", "-png", str(pdf), str(tmp_path / form_id)],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0 and "Error" not in run.stderr, run.stderr
        images = sorted(tmp_path.glob(f"{form_id}-*.png"))
        assert len(images) == pages and all(image.stat().st_size > 500 for image in images)
