"""Reading returned PDFs: tick and date spellings of different readers and people, and a one-line
sentence (never a traceback) for files that hold no readable form."""
from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from pypdf.generic import NameObject, TextStringObject
from reportlab.pdfgen.canvas import Canvas

from generator.judge.pdf_reader import MAX_PDF_BYTES, identify_form, read_pdf
from generator.render.form_pdf import render_form_pdf
from generator.model.values import parse_date, parse_time


@pytest.fixture(scope="module")
def blank(guidance) -> bytes:
    return render_form_pdf(guidance.forms["application"], guidance)


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


@pytest.mark.parametrize("typed, iso", [
    ("3/1/26", "2026-01-03"), ("03-01-2026", "2026-01-03"), ("3 January 2026", "2026-01-03"),
    ("3rd Jan 2026", "2026-01-03"), ("2026-01-03", "2026-01-03"), ("03.01.2026", "2026-01-03"),
    ("Saturday 3 January 2026", "2026-01-03"), (" 31/12/2025 ", "2025-12-31"), ("29/2/2024", "2024-02-29"),
])
def test_uk_dates_typed_any_common_way_become_iso(typed, iso):
    assert parse_date(typed) == iso


@pytest.mark.parametrize("typed", ["31/02/2026", "29/2/2025", "13/13/2026", "last Tuesday", "2026-02-30"])
def test_a_date_that_cannot_exist_is_kept_as_typed(typed):
    assert parse_date(typed) == typed.strip()


@pytest.mark.parametrize("typed, clock", [("21:30", "21:30"), ("9.30pm", "21:30"), ("9pm", "21:00"), ("0930", "09:30"),
                                          ("12am", "00:00"), ("7:05", "07:05"), ("25:00", "25:00"), ("evening", "evening")])
def test_times_become_24_hour_clock(typed, clock):
    assert parse_time(typed) == clock


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


def test_typed_dates_are_read_as_iso_and_impossible_ones_kept_for_the_validator(guidance, blank, tmp_path):
    out = set_fields(blank, tmp_path / "t.pdf", texts={
        "received_on": "3/1/26", "declaration:signed_on": "3 January 2026",
        "incidents:1:occurred_on": "03-01-2026", "incidents:1:reported_on": "31/02/2026",
        "incidents:1:description": "Shouting", "incidents:3:occurred_at": "9.30pm"})
    data = read_pdf(out, guidance.forms["application"]).data
    assert data["received_on"] == "2026-01-03" and data["declaration"]["signed_on"] == "2026-01-03"
    assert data["incidents"] == [{"occurred_on": "2026-01-03", "reported_on": "31/02/2026", "description": "Shouting"},
                                 {"occurred_at": "21:30"}]  # blank rows dropped, partial rows kept


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
    path.write_bytes(render_form_pdf(guidance.forms["consent"], guidance))
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
        path.write_bytes(render_form_pdf(guidance.forms["action_plan"], guidance))
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
