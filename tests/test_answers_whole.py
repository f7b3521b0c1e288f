"""Every answer whole on the page, at 9 pt or more: `ctkit fill`, `ctkit print`, and the form's own rules.

What the SPOC and the review meeting read is the PDF as drawn, not the field values behind it.
These tests fill the real application form with the kit's command line, render it with poppler
(`pdftoppm`, the pictures in tests/_artifacts/), read it back with `pdftotext`, and look at every
size text is set at. The browser's filler is tested the same way in test_site_apply_browser.py
(the Chromium journey) and test_site_apply_page.py (in Node).
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pikepdf
import pymupdf
import pytest

from conftest import need_tool
from pdf_reading import missing_words, text_of, visible_sizes

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "_artifacts"
ADDRESS = "Flat 3, Rose Court\n12 Bath Street\nCotmanhay\nIlkeston"
#: The issue's example: 690 characters in one incident's "What happened".
WHAT_HAPPENED = (
    "The people at number 14 played loud music from about nine in the evening until three in the morning on the "
    "Friday and again on the Saturday. I knocked on the door at eleven and asked them politely to turn it down, "
    "but they swore at me and slammed the door. I phoned the police non-emergency number 101 at half past eleven "
    "and was given a reference. An officer called back the next day and said they would visit, but nobody came. "
    "The noise has kept my children awake and my daughter has missed school twice this month because she was so "
    "tired. We also found rubbish thrown over our back fence on the Sunday morning, and a broken bottle by the gate.")
NAME = "Zoë Łukasik-Ó’Briain Şahin-Müller Đorđević"   # 40 characters with diacritics


def application(**changes) -> dict:
    data = {"form": "application", "form_version": "2.0", "received_on": "2026-03-02", "basis": "victim",
            "applicant": {"name": NAME, "address": ADDRESS, "postcode": "DE7 8AB", "phone": "0115 907 2244",
                          "email": "zoe.lukasik.obriain@example-mail.co.uk", "preferred_contact": "email"},
            "asb_types": ["noise"], "hate_incident": False,
            "incidents": [{"occurred_on": "2026-01-10", "reported_on": "2026-01-11",
                           "reported_to": "Derbyshire Constabulary", "description": WHAT_HAPPENED}],
            "impact": "I cannot sleep.", "desired_outcome": "For it to stop.",
            "declaration": {"signed_name": NAME, "signed_on": "2026-02-20"}}
    data.update(changes)
    return data


@pytest.fixture(scope="module")
def poppler() -> dict[str, str]:
    return {"pdftotext": need_tool("pdftotext", "reading a PDF as a person would"),
            "pdftoppm": need_tool("pdftoppm", "the PDF-image tests")}


def test_ctkit_fill_shows_a_four_line_address_and_a_long_answer_whole_and_nothing_under_9_pt(
        ctkit, tmp_path, pdftoppm, poppler):
    source = tmp_path / "application.json"
    source.write_text(json.dumps(application(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "filled.pdf"
    run = ctkit("fill", "application", "--data", str(source), "--council", "erewash", "-o", str(out))
    assert run.returncode == 0, run.stderr
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run([pdftoppm, "-r", "70", "-png", str(out), str(ARTIFACTS / "fill-long")], check=True, timeout=120)
    text = text_of(poppler["pdftotext"], out)
    assert "Ilkeston" in text.split("Your postcode")[0].split("Your address")[-1], "the address's fourth line"
    assert min(visible_sizes(out)) >= 9
    for answer in (ADDRESS, WHAT_HAPPENED, NAME):
        assert missing_words(answer, text) == []
    assert "Continued from “What happened in incident 1” on page" in " ".join(text.split())


def fill_with_pymupdf(blank: Path, values: dict[str, str], out: Path) -> None:
    """Fill text fields as another PDF program would, its own appearances and all."""
    doc = pymupdf.open(str(blank))
    for page in doc:
        for widget in page.widgets():
            if widget.field_name in values:
                widget.field_value = values[widget.field_name]
                widget.update()
    doc.save(str(out))


def test_ctkit_print_shows_every_answer_of_a_form_another_program_filled_whole_as_text(ctkit, tmp_path, poppler):
    blank = tmp_path / "blank.pdf"
    assert ctkit("pdf", "application", "--council", "erewash", "-o", str(blank)).returncode == 0
    filled = tmp_path / "filled-elsewhere.pdf"
    fill_with_pymupdf(blank, {"applicant:name": NAME, "applicant:address": ADDRESS, "basis": "victim",
                              "incidents:1:description": WHAT_HAPPENED, "incidents:1:occurred_on": "10/01/2026",
                              "incidents:1:reported_on": "11/01/2026", "incidents:1:reported_to": "The police",
                              "impact": WHAT_HAPPENED[:300]}, filled)
    printed = tmp_path / "readable.pdf"
    run = ctkit("print", str(filled), "-o", str(printed))
    assert run.returncode == 0, run.stderr
    text = text_of(poppler["pdftotext"], printed)
    for answer in (NAME, ADDRESS, WHAT_HAPPENED, WHAT_HAPPENED[:300], "The police"):
        assert missing_words(answer, text) == []
    assert min(visible_sizes(printed)) >= 9
    with pikepdf.open(printed) as pdf:
        assert "/AcroForm" not in pdf.Root, "a printed copy has no fields a reader could redraw"
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.Lang == "en-GB"
        assert "Erewash" in str(pdf.docinfo.get("/Author")), "the council the returned form was made for"
    assert "Incident 2" not in text, "a printed copy leaves out the rows nobody filled in"


def test_ctkit_print_says_in_one_sentence_when_a_file_is_not_a_filled_form(ctkit, tmp_path):
    other = tmp_path / "scan.pdf"
    other.write_bytes(b"not a pdf at all")
    run = ctkit("print", str(other), "-o", str(tmp_path / "out.pdf"))
    assert run.returncode == 1 and "not a PDF" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_ctkit_fill_keeps_going_with_a_lone_surrogate_in_an_answer(ctkit, tmp_path):
    source = tmp_path / "pasted.json"
    source.write_text('{"form": "application", "applicant": {"name": "Alex \\ud800 Example"}}', encoding="utf-8")
    out = tmp_path / "filled.pdf"
    run = ctkit("fill", "application", "--data", str(source), "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert field_values(out)["applicant:name"] == "Alex \ufffd Example"


# -- the contact method, "something else", and answer lengths: one rule each, in forms/application.yml --

def field_values(pdf: Path) -> dict[str, str]:
    with pikepdf.open(pdf) as doc:
        return {str(f.get("/T")): str(f.get("/V", "")) for f in doc.Root.AcroForm.Fields}


def judged(ctkit, tmp_path: Path, data: dict) -> dict:
    path = tmp_path / "application.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    run = ctkit("validate", str(path), "--format", "json")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)[0]


@pytest.mark.parametrize("chosen, detail, label", [("email", "email", "Your email address"),
                                                   ("phone", "phone", "Your phone number"),
                                                   ("text", "phone", "Your phone number")])
def test_the_contact_method_chosen_needs_its_detail_in_the_validator_and_the_schema(chosen, detail, label, ctkit,
                                                                                    tmp_path, root):
    data = application()
    data["applicant"].update(preferred_contact=chosen, email="", phone="")
    data["applicant"]["email" if detail == "phone" else "phone"] = "x@example.org" if detail == "phone" else "0115 907 2244"
    result = judged(ctkit, tmp_path, data)
    asked = [e for e in result["errors"] if e["field"] == label]
    assert len(asked) == 1 and not asked[0]["blocks_decision"], result["errors"]
    assert "because you chose" in asked[0]["message"]
    assert result["decision"] != "incomplete"
    schema = json.loads((root / "schemas" / "submission-application.schema.json").read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    data["applicant"][detail] = "0115 907 2244" if detail == "phone" else "x@example.org"
    assert not [e for e in judged(ctkit, tmp_path, data)["errors"] if e["field"] == label]
    jsonschema.validate(data, schema)


def test_something_else_ticked_asks_for_what_it_is_on_paper_and_in_the_validator(ctkit, tmp_path, guidance):
    form = guidance.forms["application"]
    other = form.question_at(("asb_other",))
    assert other is not None and other.type == "text"
    data = application(asb_types=["noise", "other"])
    errors = judged(ctkit, tmp_path, data)["errors"]
    assert [e["field"] for e in errors] == [other.label]
    data["asb_other"] = "Fireworks thrown at the house"
    assert judged(ctkit, tmp_path, data)["errors"] == []
    blank = tmp_path / "blank.pdf"
    assert ctkit("pdf", "application", "-o", str(blank)).returncode == 0
    assert "asb_other" in field_values(blank)


def test_every_answer_box_has_the_length_its_question_allows_and_long_answers_say_it(ctkit, tmp_path, guidance):
    form = guidance.forms["application"]
    blank = tmp_path / "blank.pdf"
    assert ctkit("pdf", "application", "-o", str(blank)).returncode == 0
    with pikepdf.open(blank) as pdf:
        limits = {str(f.get("/T")): int(f.get("/MaxLen", 0)) for f in pdf.Root.AcroForm.Fields
                  if f.get("/FT") == "/Tx"}
        tips = {str(f.get("/T")): str(f.get("/TU", "")) for f in pdf.Root.AcroForm.Fields}
    for f in form.fields():
        if f.question.type in ("text", "textarea", "email", "phone", "postcode", "date", "time"):
            assert limits[f.name] == f.question.maxlength > 0, f.name
    description = next(f for f in form.fields() if f.name == "incidents:1:description")
    assert f"up to {description.question.maxlength:,} characters" in tips[description.name]
