"""The practitioner guidance as a PDF: the document councils attach to a committee report.

The PDF is read back with independent tools (pypdf for the catalogue, PyMuPDF for text and
bookmarks, poppler's pdftoppm for page images) and compared with the sources themselves.
"""
from __future__ import annotations

import re
import subprocess

import pytest
from pypdf import PdfReader

from generator.render import guidance_pdf
from generator.render.guidance_pdf import render_guidance_pdf
from generator.render.pdf_fonts import missing_glyphs
from generator.project import load_project
from generator.templating import context_for, longdate, render_text

from conftest import drawn_guidance

import pymupdf
NUMBER = re.compile(r"^(?:Appendix [A-Z]: |\d+(?:\.\d+)*\s+)")


@pytest.fixture(scope="module")
def pdf_bytes(guidance) -> bytes:
    return drawn_guidance(guidance)


@pytest.fixture(scope="module")
def document(pdf_bytes):
    return pymupdf.open(stream=pdf_bytes, filetype="pdf")


def _practitioner_pages(guidance):
    return sorted((p for p in guidance.pages if p.rel.startswith("practitioner/")),
                  key=lambda p: (p.meta.get("nav_order", 999), p.rel))


def _source_headings(guidance) -> list[str]:
    """Every heading an editor wrote, after templating: page titles and '##' lines."""
    context = context_for(guidance)
    found = []
    for page in _practitioner_pages(guidance):
        found.append(page.title)
        text, problems = render_text(page.body, context, page.path, page.body_line)
        assert not problems
        in_code = False
        for line in text.splitlines():
            if line.startswith("```"):
                in_code = not in_code
            match = re.match(r"^#{2,6}\s+(.+?)\s*#*$", line)
            if match and not in_code:
                found.append(" ".join(re.sub(r"[*_`]", "", match.group(1)).split()))
    return found


def _lines(page) -> list[str]:
    """The page's text as lines read left to right (words grouped by their baseline)."""
    rows: dict[int, list] = {}
    for x0, y0, x1, y1, word, *_ in page.get_text("words"):
        rows.setdefault(round(y1), []).append((x0, word))
    return [" ".join(w for _, w in sorted(words)) for _, words in sorted(rows.items())]


def test_guidance_pdf_is_english_with_a_title_the_viewer_shows(pdf_bytes, guidance):
    reader = PdfReader(__import__("io").BytesIO(pdf_bytes))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] is True or \
        str(catalog["/ViewerPreferences"]["/DisplayDocTitle"]).lower() == "true"
    title = reader.metadata.title
    assert "practitioner guidance" in title and f"version {guidance.current().version}" in title


def test_every_heading_of_the_guidance_has_a_bookmark(document, guidance):
    outline = [NUMBER.sub("", title) for _, title, _ in document.get_toc()]
    expected = _source_headings(guidance)
    missing = [h for h in expected if h not in outline]
    assert not missing, f"headings without a bookmark: {missing}"
    extras = ["Change history", "Contents"] + [f.title for f in guidance.forms.values()]
    assert sorted(outline) == sorted(expected + extras)


def test_sections_are_numbered_in_the_order_of_the_guidance(document, guidance):
    top = [title for level, title, _ in document.get_toc() if level == 1 and NUMBER.match(title)
           and not title.startswith("Appendix")]
    titles = [p.title for p in _practitioner_pages(guidance)]
    assert top == [f"{i}  {t}" for i, t in enumerate(titles, start=1)]


def test_contents_gives_the_page_each_section_starts_on(document):
    toc = document.get_toc()
    contents_page = next(page for _, title, page in toc if title == "Contents")
    first_section = next(page for level, title, page in toc if title.startswith("1  "))
    lines = []
    for number in range(contents_page - 1, first_section - 1):
        lines += _lines(document[number])
    listed = {}
    for line in lines:
        match = re.match(r"^(.+?)[ .]*\s(\d+)$", line)
        if match:
            listed[" ".join(match.group(1).rstrip(" .").split())] = int(match.group(2))
    sections = [(title, page) for level, title, page in toc if level <= 2 and title != "Contents"]
    assert len(sections) > 20
    for title, page in sections:
        shown = " ".join(title.split())
        assert listed.get(shown) == page, f"contents line for {shown!r}"
        body = " ".join(document[page - 1].get_text().split())
        assert shown in body, f"{shown!r} is not on page {page}"


def test_every_page_footer_shows_the_version_its_date_and_status(document, guidance):
    version = guidance.current()
    expected = f"version {version.version}, {longdate(version.date)} · approved"
    for number, page in enumerate(document, start=1):
        text = " ".join(page.get_text().split())
        assert expected in text and f"Page {number}" in text, f"footer of page {number}"
        _assert_footer_does_not_overlap_the_page_number(page)


def test_title_page_and_change_history_come_from_versions_yml(document, guidance):
    version = guidance.current()
    title_page = " ".join(document[0].get_text().split())
    assert f"Version {version.version}" in title_page
    assert f"in force from {longdate(version.effective_from)}" in title_page
    for approval in version.approvals:
        assert approval.body in title_page
    history_page = next(page for _, title, page in document.get_toc() if title == "Change history")
    history = " ".join(" ".join(document[n].get_text().split()) for n in range(history_page - 1, history_page + 1))
    for v in guidance.versions:
        if v.key > version.key:   # a later draft is no part of this version's history
            assert " ".join(v.summary.split()[:6]) not in history
            continue
        assert v.summary.split()[0] in history and v.version in history


def test_each_form_is_an_appendix_listing_its_questions(document, guidance):
    from generator.model import questions_in_words as form_questions
    assert guidance.forms, "the forms are part of the guidance"
    text = " ".join(" ".join(page.get_text().split()) for page in document)
    for form in guidance.forms.values():
        assert f": {form.title}" in text
        for question in form_questions(form).values():
            assert " ".join(question["label"].split()) in text


def test_every_character_in_the_guidance_can_be_drawn(document):
    text = "".join(page.get_text() for page in document)
    assert not missing_glyphs(text)


def test_same_sources_give_identical_bytes(pdf_bytes, guidance):
    assert render_guidance_pdf(guidance) == pdf_bytes


def test_a_councils_copy_laid_out_from_another_councils_contents_is_the_copy_drawn_alone(guidance, monkeypatch):
    """A council's guidance PDF after another's starts from that one's contents and page numbers (one layout
    pass, not two); it must be the same document, byte for byte, as one drawn with nothing before it."""
    erewash, bolsover = guidance.councils["erewash"], guidance.councils["bolsover"]
    monkeypatch.setattr(guidance_pdf, "_LAID_OUT", {})
    alone = render_guidance_pdf(guidance, bolsover)
    monkeypatch.setattr(guidance_pdf, "_LAID_OUT", {})
    render_guidance_pdf(guidance, erewash)
    after_another = render_guidance_pdf(guidance, bolsover)
    assert after_another == alone
    assert "Published by Bolsover District Council" in pymupdf.open(stream=after_another, filetype="pdf")[0].get_text()


def test_a_draft_says_draft_on_every_page(tmp_root, ctkit):
    assert ctkit("version", "new", "2.2", "--summary", "A draft revision.", root=tmp_root).returncode == 0
    guidance = load_project(tmp_root).require()
    document = pymupdf.open(stream=render_guidance_pdf(guidance, version=guidance.version("2.2")), filetype="pdf")
    assert "DRAFT: not approved and not in force" in document[0].get_text()
    for page in document:
        assert "Guidance version 2.2 · DRAFT, not in force" in " ".join(page.get_text().split())
        _assert_footer_does_not_overlap_the_page_number(page)


def _assert_footer_does_not_overlap_the_page_number(page):
    words = [w for w in page.get_text("words") if w[1] > page.rect.height - 2.2 * 72 / 2.54]
    number = next(w for w in words if w[4] == "Page")
    same_line = [w for w in words if abs(w[3] - number[3]) < 2 and w is not number and not w[4].isdigit()]
    assert same_line and max(w[2] for w in same_line) < number[0], "footer text runs into the page number"


def _grey_pages(pdftoppm: str, pdf_path, out_dir, dpi: int):
    subprocess.run([pdftoppm, "-r", str(dpi), "-gray", str(pdf_path), str(out_dir / "p")], check=True, timeout=120)
    for path in sorted(out_dir.glob("p-*.pgm")):
        data = path.read_bytes()
        magic, width, height, maxval, pixels = data.split(maxsplit=4)
        assert magic == b"P5" and maxval == b"255"
        yield path.name, int(width), int(height), pixels


@pytest.mark.pdf
def test_every_page_renders_with_ink_inside_the_margins_only(pdf_bytes, pdftoppm, tmp_path):
    """Each page as an image: text in the body and footer, nothing spilling into the side margins."""
    pdf = tmp_path / "guidance.pdf"
    pdf.write_bytes(pdf_bytes)
    dpi = 36
    margin = round(2.2 / 2.54 * dpi)
    pages = list(_grey_pages(pdftoppm, pdf, tmp_path, dpi))
    assert len(pages) == len(PdfReader(pdf).pages)
    for name, width, height, pixels in pages:
        def dark(x0, x1, y0, y1):
            return sum(1 for y in range(y0, y1) for x in range(x0, x1) if pixels[y * width + x] < 160)
        assert dark(margin, width - margin, margin, height - margin) > 50, f"{name} has no body text"
        assert dark(margin, width - margin, height - margin, height - margin // 3) > 10, f"{name} has no footer"
        assert dark(0, margin - 3, 0, height) == 0, f"{name} has ink in the left margin"
        assert dark(width - margin + 3, width, 0, height) == 0, f"{name} has ink in the right margin"
