"""Reading returned PDFs: tick and date spellings of different readers and people, and a one-line
sentence (never a traceback) for files that hold no readable form."""
from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from pypdf.generic import NameObject, TextStringObject
from reportlab.pdfgen.canvas import Canvas

from generator.judge.judgement import judge_submission
from generator.judge.pdf_reader import MAX_PDF_BYTES, identify_form, read_pdf
from generator.judge.submissions import read_submission
from generator.model.values import read_date, read_time

from conftest import drawn_form


@pytest.fixture(scope="module")
def blank(guidance) -> bytes:
    return drawn_form(guidance, "application")


def set_fields(blank: bytes, out: Path, texts: dict[str, str] | None = None, names: dict[str, str] | None = None,
               drop_v: set[str] = frozenset()) -> Path:
    """Write raw /V values with pypdf, as other PDF tools do (no appearance regeneration)."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(blank)))
    for page in writer.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            field = annot.get("/Parent", annot).get_object() if "/T" not in annot else annot
            name = str(field.get("/T"))
            if texts and name in texts:
                field[NameObject("/V")] = TextStringObject(texts[name])
            if names and name in names:
                field[NameObject("/V")] = NameObject(names[name])
                if "/T" in annot:
                    annot[NameObject("/AS")] = NameObject(names[name])
            if name in drop_v and "/V" in field:
                del field["/V"]
    writer.write(str(out))
    return out


@pytest.mark.parametrize("typed, iso, uk", [
    ("3/1/2026", "2026-01-03", True), ("03-01-2026", "2026-01-03", True), ("03.01.2026", "2026-01-03", True),
    ("2026-01-03", "2026-01-03", False), (" 31/12/2025 ", "2025-12-31", True), ("29/2/2024", "2024-02-29", True),
    ("1/1/1900", "1900-01-01", True), ("31/12/2999", "2999-12-31", True),
])
def test_dates_are_read_one_way_iso_or_day_month_year(typed, iso, uk):
    reading = read_date(typed)
    assert (reading.day.isoformat(), reading.uk_order, reading.why) == (iso, uk, None)


@pytest.mark.parametrize("typed, words", [
    ("31/02/2026", "not a real date"), ("29/2/2025", "not a real date"), ("13/13/2026", "not a real date"),
    ("2026-02-30", "not a real date"), ("10/1/0026", "between 1900 and 2999"), ("1/1/3000", "between 1900 and 2999"),
    ("3/1/26", "day/month/year"), ("3 January 2026", "day/month/year"), ("last Tuesday", "day/month/year"),
    ("\u0663/1/2026", "day/month/year"),   # an Arabic-Indic digit: JavaScript's \d would not read it either
])
def test_a_date_that_is_not_read_says_why_without_quoting_it(typed, words):
    reading = read_date(typed)
    assert reading.day is None and words in reading.why and typed.strip() not in reading.why


@pytest.mark.parametrize("typed, clock", [("21:30", "21:30"), ("9:30", "09:30"), ("00:00", "00:00"), (1290, "21:30"),
                                          ("9.30pm", None), ("0930", None), ("25:00", None), ("evening", None)])
def test_times_are_read_as_h_mm_or_hh_mm(typed, clock):
    assert read_time(typed)[0] == clock


@pytest.mark.parametrize("tick", ["/Yes", "/On", "/1"])
def test_a_ticked_box_reads_true_whatever_the_reader_wrote(guidance, blank, tmp_path, tick):
    out = set_fields(blank, tmp_path / "t.pdf", names={"consent_to_act": tick, "asb_types:noise": tick})
    data = read_pdf(out, guidance.forms["application"]).data
    assert data["consent_to_act"] is True
    assert data["asb_types"] == ["noise"]


def test_an_unticked_or_missing_box_reads_false(guidance, blank, tmp_path):
    out = set_fields(blank, tmp_path / "t.pdf", names={"hate_incident": "/Off"}, drop_v={"consent_to_act"})
    data = read_pdf(out, guidance.forms["application"]).data
    assert data["hate_incident"] is False and data["consent_to_act"] is False and data["asb_types"] == []


def test_typed_dates_and_times_are_read_as_json_reads_them(guidance, blank, tmp_path):
    out = set_fields(blank, tmp_path / "t.pdf", texts={
        "received_on": " 3/1/2026 ", "declaration:signed_on": "3 January 2026",
        "incidents:1:occurred_on": "03-01-2026", "incidents:1:reported_on": "31/02/2026",
        "incidents:1:description": "Shouting", "incidents:3:occurred_at": "9:30"})
    sub = read_submission(out, guidance)
    assert sub.data["received_on"] == "2026-01-03"   # blank rows dropped, partial rows kept, the unreadable as typed
    assert sub.data["incidents"] == [{"occurred_on": "2026-01-03", "reported_on": "31/02/2026",
                                      "description": "Shouting"}, {"occurred_at": "09:30"}]
    j = judge_submission(sub, guidance, "t.pdf", None).as_json()
    assert j["received_on"] == "2026-01-03" and j["received_on_source"] == "data"
    messages = {e["pointer"]: e["message"] for e in j["errors"]}
    assert "day/month/year" in messages["/declaration/signed_on"]
    assert "not a real date" in messages["/incidents/0/reported_on"]
    assert "/incidents/1/occurred_at" not in messages
    # The PDF asks for day/month/year, so reading it that way is no news to the SPOC.
    assert "day_month_order" not in {c["id"] for c in j["spoc_checks"]}


def test_a_radio_answer_stored_as_its_position_is_read_as_the_option(guidance, blank, tmp_path):
    out = set_fields(blank, tmp_path / "t.pdf", names={"basis": "/2"})
    assert read_pdf(out, guidance.forms["application"]).data["basis"] == "partner_agency"


def test_a_blank_form_reads_as_empty_answers_with_its_version(guidance, blank, tmp_path):
    path = tmp_path / "blank.pdf"
    path.write_bytes(blank)
    result = read_pdf(path, guidance.forms["application"])
    assert result.error is None and result.warnings == []
    assert result.data == {"form": "application", "form_version": guidance.current().version,
                           "consent_to_act": False, "asb_types": [], "hate_incident": False,
                           "incidents": []}


def test_the_form_a_pdf_is_can_be_found_from_the_file(guidance, tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(drawn_form(guidance, "consent"))
    assert identify_form(path, guidance.forms) == "consent"
    assert read_pdf(path, guidance.forms).data["form"] == "consent"


def _scanned(path: Path) -> Path:
    canvas = Canvas(str(path))
    canvas.drawString(72, 720, "Community Trigger application (printed and scanned)")
    canvas.save()
    return path


def _encrypted(path: Path, blank: bytes) -> Path:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(blank)))
    writer.encrypt("secret", algorithm="RC4-128")
    writer.write(str(path))
    return path


@pytest.mark.parametrize("kind, words", [
    ("scanned", "no form fields"), ("encrypted", "password-protected"), ("truncated", "incomplete"),
    ("not_pdf", "not a PDF"), ("empty", "not a PDF"), ("missing", "cannot be opened"), ("too_big", "MB"),
    ("other_form", "not those of"),
])
def test_unreadable_files_get_one_clear_sentence(guidance, blank, tmp_path, kind, words):
    path = tmp_path / "returned.pdf"
    if kind == "scanned":
        _scanned(path)
    elif kind == "encrypted":
        _encrypted(path, blank)
    elif kind == "truncated":
        path.write_bytes(blank[: len(blank) * 2 // 3])
    elif kind == "not_pdf":
        path.write_bytes("Name,Address\nZoë,1 High St\n".encode())
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "too_big":
        with path.open("wb") as handle:
            handle.write(blank)
            handle.truncate(MAX_PDF_BYTES + 1)
    elif kind == "other_form":
        path.write_bytes(drawn_form(guidance, "action_plan"))
    result = read_pdf(path, guidance.forms["application"])
    assert result.data is None
    assert words in result.error
    assert "\n" not in result.error and "Traceback" not in result.error
    assert "Zoë" not in result.error


def test_reading_never_changes_the_file(guidance, blank, tmp_path):
    path = tmp_path / "returned.pdf"
    path.write_bytes(blank)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read_pdf(path, guidance.forms["application"])
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
