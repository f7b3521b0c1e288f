"""Tagged PDFs (PDF/UA-1): what assistive technology and other PDF tools find in every form and
in the practitioner guidance.

Three readers that the kit did not write look at the same files: pdf.js in Node (the structure
tree of every page, each annotation and the accessible name it gets; `tests/js/pdf_structure.mjs`,
run once for the module), pikepdf/qpdf (the catalogue, the parent tree, marked content in the
page streams) and poppler's `pdffonts` (every font embedded).
"""
from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pikepdf
import pymupdf
import pytest

from conftest import ROOT, drawn_form, drawn_guidance, need_tool
from pdf_reading import page_mcids, tagging_problems
from generator.model import field_name
from generator.render.fill import fill
from generator.render.letter_document import Block, LetterDocument
from generator.render.letter_pdf import letter_pdf
from generator.templating import context_for, render_text

COUNCIL = "erewash"
NAME = "Zoë Łukasik – O’Brien Şahin"
NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": "http://purl.org/dc/elements/1.1/",
      "pdfuaid": "http://www.aiim.org/pdfua/ns/id/", "x": "adobe:ns:meta/"}
#: A typeset letter with each kind of block a letter can have (casework builds real ones from letters.yml).
LETTER = LetterDocument(
    title="Your ASB Case Review: the outcome", sender="Erewash Borough Council",
    sender_lines=("Community Safety Team", "Town Hall", "Phone: 0115 907 2244", "https://www.erewash.gov.uk"),
    warnings=("These contact details are still to be confirmed.",), recipient=(NAME, "1 Test Street", "ZZ1 1ZZ"),
    date="27 November 2026", reference="Our reference: EREWASH-20261102-1", salutation=f"Dear {NAME}",
    blocks=(Block("paragraph", "The agencies met on 24 November 2026."), Block("heading", "Recommendations"),
            Block("bullets", items=("Derbyshire Constabulary", "Erewash Borough Council")),
            Block("heading", "Keeping in touch"), Block("paragraph", "See https://www.erewash.gov.uk for more.")),
    closing="Yours sincerely", signature=("Sam Officer", "Community Safety Officer"),
    footer="Erewash Borough Council · our reference EREWASH-20261102-1")


@pytest.fixture(scope="module")
def pdfs(guidance, tmp_path_factory) -> dict[str, Path]:
    """Every form and the guidance, for one council, as files."""
    out = tmp_path_factory.mktemp("tagged")
    council = guidance.councils[COUNCIL]
    files = {}
    for form_id, form in guidance.forms.items():
        files[form_id] = out / f"{form_id}.pdf"
        files[form_id].write_bytes(drawn_form(guidance, form_id, council))
    # The application filled in with answers too long for their boxes (continued on a page it adds), and
    # the same answers as a printed copy (`ctkit print`): tagged like the blank form.
    long = {"form": "application", "applicant": {"name": NAME, "address": "1 High Street\nCotmanhay\nIlkeston\nDE7"},
            "impact": "We cannot sleep at night. " * 120, "incidents": [{"description": "Music until 3am. " * 90}]}
    for key, printed in (("application-filled", False), ("application-printed", True)):
        files[key] = out / f"{key}.pdf"
        files[key].write_bytes(fill(guidance.forms["application"], long, guidance, council, printed=printed).pdf)
    files["guidance"] = out / "guidance.pdf"
    files["guidance"].write_bytes(drawn_guidance(guidance, council))
    files["letter"] = out / "letter.pdf"
    files["letter"].write_bytes(letter_pdf(LETTER))
    return files


@pytest.fixture(scope="module")
def pdfjs(pdfs) -> dict[str, dict]:
    """pdf.js's report on every file: one Node process for the module."""
    node = need_tool("node", "the pdf.js structure tests")
    run = subprocess.run([node, str(ROOT / "tests" / "js" / "pdf_structure.mjs"), *map(str, pdfs.values())],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    by_file = {item["file"]: item for item in json.loads(run.stdout)}
    return {key: by_file[str(path)] for key, path in pdfs.items()}


def _words(text: str) -> str:
    return " ".join(text.split())


def _templated(guidance, text: str) -> str:
    if "{" not in text:
        return text
    rendered, problems = render_text(text, context_for(guidance, guidance.councils[COUNCIL]), "test")
    assert not problems
    return _words(rendered)


# -- pdf.js ---------------------------------------------------------------------------------

def test_pdfjs_finds_a_structure_tree_on_every_page(pdfjs):
    for key, report in pdfjs.items():
        assert report["pages"] >= 1
        assert report["pagesWithoutTree"] == [], f"{key}: pages with no structure tree"


def test_every_widget_sits_in_a_form_element_and_every_link_in_a_link_element(pdfjs):
    for key, report in pdfjs.items():
        in_tree = {node["id"]: node for node in report["annotationNodes"]}
        for a in report["annotations"]:
            node = in_tree.get(a["id"])
            assert node is not None, f"{key}: annotation {a['id']} ({a['fieldName'] or a['url']}) is not in the tree"
            assert node["role"] == {"Widget": "Form", "Link": "Link"}[a["subtype"]], f"{key}: {node}"
            if a["subtype"] == "Link":
                assert a["contents"] and a["contents"] != "Link", f"{key}: link to {a['url']} has no description"


def test_every_field_is_found_by_pdfjs_with_the_name_the_form_model_gives_it(pdfjs, guidance):
    for form_id, form in guidance.forms.items():
        report = pdfjs[form_id]
        widgets = [a for a in report["annotations"] if a["subtype"] == "Widget"]
        assert {a["fieldName"] for a in widgets} == {f.name for f in form.fields()}, form_id
        assert set(report["fieldNames"]) == {f.name for f in form.fields()}, form_id
        assert all(a["alternativeText"] for a in widgets), f"{form_id}: a field without an accessible name"


def test_each_radio_button_and_tick_box_is_named_by_its_own_option(pdfjs, guidance):
    for form_id, form in guidance.forms.items():
        widgets = [a for a in pdfjs[form_id]["annotations"] if a["subtype"] == "Widget"]
        for f in form.fields():
            q = f.question
            if q.type == "radio":
                buttons = [a for a in widgets if a["fieldName"] == f.name]
                assert len(buttons) == len(q.options), f.name
                names = [a["alternativeText"] for a in buttons]
                assert len(set(names)) == len(names), f"{form_id}: {f.name} options share a name"
                for option, name in zip(q.options, names):
                    assert name.startswith(_templated(guidance, option.label)), name
                    assert _templated(guidance, q.label) in name, name
            elif q.type == "checkboxes":
                option = next(o for o in q.options if field_name(q.path + (o.value,)) == f.name)
                (box,) = [a for a in widgets if a["fieldName"] == f.name]
                assert box["alternativeText"].startswith(_templated(guidance, option.label)), box


def test_only_what_the_form_model_requires_is_required_in_pdfjs(pdfjs, guidance):
    application = guidance.forms["application"]
    for form_id, form in guidance.forms.items():
        widgets = {a["fieldName"]: a for a in pdfjs[form_id]["annotations"] if a["subtype"] == "Widget"}
        for f in form.fields():
            if f.question.type == "checkboxes":
                continue
            expected = f.question.always_required and (f.repeat is None or f.row < f.repeat.min)
            assert widgets[f.name]["required"] == expected, f"{form_id}: {f.name}"
    incidents = next(r for r in application.repeats() if r.key == "incidents")
    widgets = {a["fieldName"]: a for a in pdfjs["application"]["annotations"] if a["subtype"] == "Widget"}
    assert widgets["incidents:1:occurred_on"]["required"]
    for row in range(incidents.min + 1, incidents.capacity + 1):
        assert not widgets[f"incidents:{row}:occurred_on"]["required"]
        assert widgets[f"incidents:{row}:description"]["alternativeText"].startswith(f"Incident {row}:")
        assert f"Required if you fill in incident {row}." in widgets[f"incidents:{row}:description"]["alternativeText"]
    organisation = widgets["applicant:organisation"]
    assert not organisation["required"]
    assert "Required if the answer to “Who is filling in this form?” is “I work for a partner agency" in \
        organisation["alternativeText"]


def _levels_never_skip(headings: list[dict]) -> None:
    levels = [int(h["role"][1]) for h in headings]
    assert levels and levels[0] == 1, headings[:3]
    for before, after, h in zip(levels, levels[1:], headings[1:]):
        assert after <= before + 1, f"{h} skips a level"


def test_each_form_has_its_title_as_h1_and_its_sections_as_h2_in_order(pdfjs, guidance):
    for form_id, form in guidance.forms.items():
        headings = pdfjs[form_id]["headings"]
        _levels_never_skip(headings)
        assert headings[0]["text"] == _words(_templated(guidance, form.title)), form_id
        expected = [_words(_templated(guidance, s.title)) for s in form.sections]
        expected += [f"Continuation sheet: {s.repeat.label or _templated(guidance, s.title)}"
                     for s in form.sections if s.repeat is not None and s.repeat.more_rows]
        assert [h["text"] for h in headings if h["role"] == "H2"] == expected, form_id
        rows = [h["text"] for h in headings if h["role"] == "H3"]
        for repeat in form.repeats():
            assert [r for r in rows if r.startswith(repeat.item_name(0)[:-1])] == \
                [repeat.item_name(i) for i in range(repeat.capacity)], form_id


def test_a_letter_reads_as_its_subject_then_its_headings_and_lists(pdfjs):
    report = pdfjs["letter"]
    assert [(h["role"], h["text"]) for h in report["headings"]] == [
        ("H1", LETTER.title), ("H2", "Recommendations"), ("H2", "Keeping in touch")]
    roles = [e["role"] for e in report["elements"]]
    assert roles.count("LI") == 2 and roles.count("Lbl") == 2 and "L" in roles and "Link" in roles
    texts = " ".join(e["text"] for e in report["elements"] if e["role"] == "P")
    assert f"Dear {NAME}" in texts and "Erewash Borough Council" in texts


def test_the_guidance_headings_are_in_order_with_every_chapter_as_h1(pdfjs, guidance):
    headings = pdfjs["guidance"]["headings"]
    _levels_never_skip(headings)
    chapters = [h["text"] for h in headings if h["role"] == "H1"]
    pages = sorted((p for p in guidance.pages if p.rel.startswith("practitioner/")),
                   key=lambda p: (p.meta.get("nav_order", 999), p.rel))
    numbered = [c for c in chapters if re.match(r"^\d+ ", c)]
    assert numbered == [f"{i} {p.title}" for i, p in enumerate(pages, start=1)]
    assert "Change history" in chapters and "Contents" in chapters
    assert sum(c.startswith("Appendix ") for c in chapters) == len(guidance.forms)


def test_the_guidance_tables_have_header_cells_and_its_lists_list_items(pdfjs):
    roles = [e["role"] for e in pdfjs["guidance"]["elements"]]
    for role in ("Table", "TR", "TH", "TD", "L", "LI", "Lbl", "LBody", "TOC", "TOCI", "Link"):
        assert role in roles, role
    assert roles.count("TOCI") >= 20
    headings = {h["text"] for h in pdfjs["guidance"]["headings"]}
    internal = [a for a in pdfjs["guidance"]["annotations"] if a["subtype"] == "Link" and not a["url"]]
    assert internal and all(a["contents"] in headings for a in internal), "contents links are named by their entry"


# -- pikepdf ----------------------------------------------------------------------------------

def _xmp(pdf: pikepdf.Pdf) -> ET.Element:
    return ET.fromstring(pdf.Root.Metadata.read_bytes())


def test_every_pdf_says_it_is_tagged_pdf_ua_in_english_with_its_title_shown(pdfs):
    for key, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            root = pdf.Root
            assert root.MarkInfo.Marked is True, key
            assert "/StructTreeRoot" in root and len(root.StructTreeRoot.K) == 1, key
            assert root.StructTreeRoot.K[0].S == "/Document", key
            assert str(root.Lang) == "en-GB" and root.ViewerPreferences.DisplayDocTitle is True, key
            xmp = _xmp(pdf)
            assert xmp.find(".//pdfuaid:part", NS).text == "1", key
            title = xmp.find(".//dc:title/rdf:Alt/rdf:li", NS).text
            assert title == str(pdf.docinfo.Title) and title, key


def test_all_content_is_tagged_or_an_artifact_and_the_parent_tree_finds_it(pdfs):
    for key, path in pdfs.items():
        assert tagging_problems(path) == [], key


def test_table_header_cells_have_a_scope(pdfs):
    with pikepdf.open(pdfs["guidance"]) as pdf:
        headers = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/TH"]
        assert headers
        assert all(h.A.O == "/Table" and h.A.Scope == "/Column" for h in headers)


def test_pdffonts_finds_every_font_embedded(pdfs, guidance, tmp_path):
    pdffonts = need_tool("pdffonts", "the font embedding test")
    from generator.render.fill import fill_form_pdf
    filled = tmp_path / "filled.pdf"
    filled.write_bytes(fill_form_pdf(guidance.forms["application"], {"applicant": {"name": NAME}}, guidance))
    for path in [*pdfs.values(), filled]:
        run = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        rows = run.stdout.splitlines()[2:]
        assert rows, path.name
        for row in rows:
            # name, type (one or two words), encoding, then the emb/sub/uni columns
            assert re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", row), row
            emb = re.findall(r"\s(yes|no)(?=\s)", row)[0]
            assert emb == "yes", f"{path.name}: {row}"


def _to_unicode_characters(font: pikepdf.Object) -> set[str]:
    cmap = font.ToUnicode.read_bytes().decode("ascii")
    found = set()
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for _, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            found.add(bytes.fromhex(target).decode("utf-16-be"))
    return found


def test_the_field_font_embedded_in_every_form_covers_all_the_kit_draws_and_any_name(pdfs):
    drawn = set()
    for path in pdfs.values():
        drawn |= {ch for page in pymupdf.open(path) for ch in page.get_text() if not ch.isspace()}
    for key, path in pdfs.items():
        if key in ("guidance", "letter", "application-printed"):   # no fields to fill
            continue
        with pikepdf.open(path) as pdf:
            form = pdf.Root.AcroForm
            font_key = re.match(r"/(\S+) ", str(form.DA)).group(1)
            font = form.DR.Font["/" + font_key]
            assert font.Subtype == "/Type0" and "/FontFile2" in font.DescendantFonts[0].FontDescriptor, key
            covered = _to_unicode_characters(font)
            assert len(covered) > 1500, key  # glyphs for names the blank form never printed
            assert drawn - covered == set(), key
            assert set(NAME) - covered == set(), key
            assert set("ŵŷŴŶĄąĘęŚśŹźŻżČčŘřŐőŰűĞğİıȘșȚțЖжΩω€₺") - covered == set(), key
            for field in form.Fields:
                if field.FT == "/Tx":
                    assert str(field.DA).startswith(f"/{font_key} "), f"{key}: {field.T}"


def test_a_new_kind_of_document_is_tagged_by_the_recipe_in_tagged_flowables(tmp_path):
    """The recipe another renderer (a typeset letter) follows: platypus story in, tagged PDF out."""
    import io
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Frame, PageTemplate, Paragraph
    from generator.render.pdf_fonts import REGULAR, register_fonts
    from generator.render.pdf_tags import DocInfo, finish
    from generator.render.tagged_flowables import Tagged, TaggedDocTemplate, TaggedTable

    register_fonts()
    body, h1 = ParagraphStyle("b", fontName=REGULAR, fontSize=10), ParagraphStyle("h", fontName=REGULAR, fontSize=16)

    def draw_footer(canvas, doc):
        canvas.setFont(REGULAR, 8)
        canvas.drawString(72, 30, f"Page {doc.page}")

    def letter() -> bytes:
        buffer = io.BytesIO()
        doc = TaggedDocTemplate(buffer, pagesize=A4, lang="en-GB", displayDocTitle=1, invariant=1,
                                initialFontName=REGULAR)
        doc.addPageTemplates([PageTemplate("letter", [Frame(72, 72, A4[0] - 144, A4[1] - 144)], onPage=draw_footer)])
        doc.build([Tagged(Paragraph("Our decision", h1), "H1"), Tagged(Paragraph(f"Dear {NAME},", body), "P"),
                   TaggedTable([[Paragraph("Date", body), Paragraph("Event", body)],
                                [Paragraph("2 March 2026", body), Paragraph("Received", body)]], header_rows=1)])
        return finish(buffer.getvalue(), doc.canv.tags, DocInfo(title="Our decision", author="Erewash Borough Council"))

    pdf_bytes = letter()
    assert letter() == pdf_bytes  # byte-identical
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf_bytes)
    with pikepdf.open(path) as pdf:
        assert pdf.Root.MarkInfo.Marked is True and _xmp(pdf).find(".//pdfuaid:part", NS).text == "1"
        mcids, outside = page_mcids(pdf.pages[0])
        assert mcids and outside == []
        document = pdf.Root.StructTreeRoot.K[0]
        assert [str(k.S) for k in document.K] == ["/H1", "/P", "/Table"]
        header_row = document.K[2].K[0]
        assert [str(c.S) for c in header_row.K] == ["/TH", "/TH"]
