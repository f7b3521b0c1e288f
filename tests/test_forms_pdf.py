"""The blank PDFs: accessible to screen readers, carrying the council's contact and the guidance
version from YAML, drawing every character, and identical from identical sources."""
from __future__ import annotations

import io
import re
import time

import pypdf
import pytest
from pypdf.generic import NameObject

from generator.model import TEXT_TYPES
from generator.render.form_pdf import render_form_pdf
from generator.render.pdf_fonts import missing_glyphs
from conftest import drawn_form, without_locks

REQUIRED_BIT = 1 << 1
MULTILINE_BIT = 1 << 12


@pytest.fixture(scope="module")
def pdfs(guidance):
    """Every form for one council whose contact is unconfirmed."""
    council = guidance.councils["derby-city"]
    return {fid: drawn_form(guidance, fid, council) for fid in guidance.forms}


def _reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in _reader(pdf).pages))


def test_every_form_of_version_2_exists(guidance):
    assert {"application", "consent", "review_agenda", "action_plan", "proportionality"} <= set(guidance.forms)
    assert not any(form_id.startswith("letter_") for form_id in guidance.forms), \
        "letters are letters (guidance/letters.yml, ctkit case letter), not fillable forms"


def test_pdfs_say_their_language_and_show_their_title_as_window_title(pdfs, guidance):
    for form_id, pdf in pdfs.items():
        root = _reader(pdf).trailer["/Root"]
        assert root["/Lang"] == "en-GB", form_id
        assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True, form_id  # noqa: E712 - a PDF BooleanObject
        title = _reader(pdf).metadata.title
        assert title.startswith(guidance.forms[form_id].title.strip('"')) and "Derby City Council" in title


def test_tab_order_follows_the_page_on_every_page(pdfs):
    for form_id, pdf in pdfs.items():
        for number, page in enumerate(_reader(pdf).pages, 1):
            assert page.get("/Tabs") == NameObject("/S"), f"{form_id} page {number}"


def test_every_field_has_a_tooltip_that_reads_as_its_label_and_hint(pdfs, guidance):
    for form_id, pdf in pdfs.items():
        form = guidance.forms[form_id]
        fields = _reader(pdf).get_fields()
        expected = {f.name: f for f in form.fields()}
        assert set(fields) == set(expected), form_id
        for name, pdf_field in fields.items():
            q = expected[name].question
            tooltip = pdf_field.get("/TU")
            assert tooltip, f"{form_id}: {name} has no tooltip"
            label = q.label if "{" not in q.label else None
            if label:
                assert label in tooltip, f"{form_id}: {name}: {tooltip!r}"
            if q.hint and "{" not in q.hint:
                assert q.hint.rstrip(".") in tooltip, f"{form_id}: {name}: {tooltip!r}"


def _required_in_blank_form(f) -> bool:
    """What the form model requires of an empty form: rows of a repeat group past its `min` are optional."""
    return f.question.always_required and (f.repeat is None or f.row < f.repeat.min)


def test_required_fields_are_flagged_and_prose_fields_take_several_lines(pdfs, guidance):
    for form_id, pdf in pdfs.items():
        fields = _reader(pdf).get_fields()
        for f in guidance.forms[form_id].fields():
            flags = int(fields[f.name].get("/Ff", 0))
            if f.question.type != "checkboxes":
                assert bool(flags & REQUIRED_BIT) == _required_in_blank_form(f), f"{form_id}: {f.name}"
            if f.question.type in TEXT_TYPES:
                assert bool(flags & MULTILINE_BIT) == (f.question.type == "textarea"), f"{form_id}: {f.name}"
                assert "/MaxLen" not in fields[f.name] or int(fields[f.name]["/MaxLen"]) == 0, "answers are never cut short"


def test_prose_boxes_are_big_enough_for_real_answers(guidance):
    for form in guidance.forms.values():
        for f in form.fields():
            if f.question.type == "textarea":
                assert f.question.lines >= 2, f"{form.id}: {f.name}"
    application = guidance.forms["application"]
    assert application.question_at(("impact",)).lines >= 5
    assert application.question_at(("desired_outcome",)).lines >= 4


def test_footer_carries_the_councils_spoc_contact_and_the_guidance_version(pdfs, guidance):
    council = guidance.councils["derby-city"]
    version = guidance.current()
    for form_id, pdf in pdfs.items():
        text = _text(pdf)
        pages = len(_reader(pdf).pages)
        assert text.count(council.spoc.phone) >= pages, form_id
        assert text.count("not yet confirmed") >= pages, form_id  # Derby City's contact is unverified
        assert f"version {version.version}" in text and str(version.date.year) in text, form_id
        assert f"Page {pages} of" in text


def test_a_confirmed_contact_is_not_marked_unconfirmed(guidance, tmp_root):
    from generator.project import load_project
    path = tmp_root / "guidance" / "councils" / "erewash.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("verified: false", "verified: true"), encoding="utf-8")
    g = load_project(tmp_root).require()
    pdf = render_form_pdf(g.forms["consent"], g, g.councils["erewash"])
    assert "not yet confirmed" not in _text(pdf)
    assert g.councils["erewash"].spoc.phone in _text(pdf)


def test_changing_the_threshold_in_yaml_changes_the_form(tmp_root):
    without_locks(tmp_root)
    from generator.project import load_project
    path = tmp_root / "guidance" / "criteria.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  \"2.0\":\n    threshold: 3", "  \"2.0\":\n    threshold: 2"), encoding="utf-8")
    g = load_project(tmp_root).require()
    assert g.criteria["2.0"].threshold == 2
    assert "met when 2 or more qualifying complaints" in _text(render_form_pdf(g.forms["application"], g))


def test_two_renders_of_the_same_sources_are_byte_identical(guidance):
    form, council = guidance.forms["application"], guidance.councils["chesterfield"]
    assert render_form_pdf(form, guidance, council) == render_form_pdf(form, guidance, council)


@pytest.mark.slow
def test_two_builds_by_the_command_line_are_byte_identical(ctkit, tmp_path):
    """Two processes, in different seconds: nothing in the PDF (the field font's subset included) is stamped
    with the time it was made."""
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (first, second):
        started = time.time()
        run = ctkit("pdf", "review_agenda", "--council", "high-peak", "-o", str(out), in_process=False)
        assert run.returncode == 0, run.stderr
        time.sleep(max(0.0, 1.05 - (time.time() - started)))
    assert first.read_bytes() == second.read_bytes()


def test_the_fonts_draw_every_character_the_forms_use(guidance):
    from generator.checks.forms import _all_text
    used = set()
    for form in guidance.forms.values():
        for text, _where in _all_text(form):
            used |= set(text)
    used |= set("‘’“”–—£€é ëÿŁłŞçñ…•")
    assert missing_glyphs("".join(used)) == set()


def test_unicode_in_static_text_and_field_values_renders_without_error(guidance, tmp_root):
    without_locks(tmp_root)
    from generator.render.fill import fill_form_pdf
    from generator.project import load_project
    path = tmp_root / "guidance" / "organisations.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "name: Derbyshire Constabulary", "name: Derbyshire Constabulary – “Łódź & Zoë’s” £ unit"), encoding="utf-8")
    g = load_project(tmp_root).require()
    pdf = fill_form_pdf(g.forms["application"], {"applicant": {"name": "Zoë Łukasik – O’Brien Şahin"}}, g)
    assert "Derbyshire Constabulary – “Łódź & Zoë’s” £ unit" in _text(pdf)
    value = _reader(pdf).get_fields()["applicant:name"]["/V"]
    assert value == "Zoë Łukasik – O’Brien Şahin"


def test_a_filled_name_beyond_latin_1_is_drawn_as_written(guidance):
    import pymupdf
    from generator.render.fill import fill_form_pdf
    pdf = fill_form_pdf(guidance.forms["application"],
                        {"applicant": {"name": "Zoë Łukasik – O’Brien Şahin", "address": "Flat 2\nUlica Łódzka"}},
                        guidance)
    page = pymupdf.open(stream=pdf, filetype="pdf")[0]
    widget = next(w for w in page.widgets() if w.field_name == "applicant:name")
    assert page.get_text(clip=widget.rect).strip() == "Zoë Łukasik – O’Brien Şahin"
    assert "Ulica Łódzka" in page.get_text()


def test_ctkit_pdf_writes_a_form_and_refuses_an_unknown_one_in_a_sentence(ctkit, tmp_path):
    out = tmp_path / "form.pdf"
    run = ctkit("pdf", "application", "--council", "amber-valley", "-o", str(out))
    assert run.returncode == 0 and out.read_bytes().startswith(b"%PDF-")
    bad = ctkit("pdf", "no_such_form", "-o", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2 and "there is no form 'no_such_form'" in bad.stderr and "Traceback" not in bad.stderr
    bad = ctkit("pdf", "application", "--council", "narnia", "-o", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2 and "there is no council 'narnia'" in bad.stderr
