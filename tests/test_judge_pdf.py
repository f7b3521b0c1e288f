"""Filled PDFs through `ctkit validate`, and the letters it writes when asked."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from test_judge_cli import application

from generator.render import fill


def _pdf(guidance, folder: Path, name: str, data: dict, form: str = "application") -> Path:
    path = folder / name
    path.write_bytes(fill.fill_form_pdf(guidance.forms[form], data, guidance, None))
    return path


def test_filled_pdfs_are_judged_like_their_data(tmp_path, ctkit, guidance):
    _pdf(guidance, tmp_path, "met.pdf", application())
    late = application()
    late["incidents"][2]["reported_on"] = "2026-03-05"
    _pdf(guidance, tmp_path, "not-met.pdf", late)
    gaps = application(basis="on_behalf")
    del gaps["applicant"]["postcode"]
    _pdf(guidance, tmp_path, "incomplete.pdf", gaps)
    blank = tmp_path / "blank.pdf"
    blank.write_bytes(fill.fill_form_pdf(guidance.forms["application"], {}, guidance, None))
    run = ctkit("validate", str(tmp_path), "--format", "json")
    assert run.returncode == 0, run.stderr
    r = {Path(x["file"]).name: x for x in json.loads(run.stdout)}
    assert r["met.pdf"]["decision"] == "threshold_met" and r["met.pdf"]["qualifying_incidents"] == 3
    assert r["not-met.pdf"]["decision"] == "threshold_not_met"
    assert r["not-met.pdf"]["incidents"][2]["reasons"] == ["reported_after_received"]
    # gaps that cannot change the answer are listed for the SPOC, and the threshold is still decided
    assert r["incomplete.pdf"]["decision"] == "threshold_met"
    fields = {e["field"]: e["blocks_decision"] for e in r["incomplete.pdf"]["errors"]}
    assert fields.get("Your postcode") is False and fields.get("Their full name") is False
    assert r["blank.pdf"]["decision"] == "incomplete"
    assert r["blank.pdf"]["received_on_source"] == "file_date" and r["blank.pdf"]["warnings"]


def test_a_pdf_of_another_form_or_without_fields_is_unreadable_with_a_reason(tmp_path, ctkit, guidance):
    from reportlab.pdfgen import canvas

    _pdf(guidance, tmp_path, "consent.pdf", {}, form="consent")
    c = canvas.Canvas(str(tmp_path / "scanned.pdf"))
    c.drawString(72, 720, "Community Trigger application (printed and scanned)")
    c.save()
    run = ctkit("validate", str(tmp_path), "--format", "json")
    assert run.returncode == 1
    for r in json.loads(run.stdout):
        assert r["decision"] == "unreadable"
        assert r["errors"][0]["message"].endswith(".")
    scanned = next(r for r in json.loads(run.stdout) if r["file"].endswith("scanned.pdf"))
    assert "field" in scanned["errors"][0]["message"]


def test_letters_are_written_only_when_asked_and_say_what_was_decided(tmp_path, ctkit, guidance):
    source = _pdf(guidance, tmp_path, "met.pdf", application(case_ref="EREW-2026-004"))
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    letters = tmp_path / "letters"
    run = ctkit("validate", str(source), "--council", "erewash", cwd=tmp_path)
    assert not letters.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["met.pdf"]
    run = ctkit("validate", str(source), "--council", "erewash", "--letter", "acknowledgement",
                "--letter", "decision", "--letters-dir", str(letters))
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in letters.iterdir()) == ["met-acknowledgement.pdf", "met-decision.pdf"]
    assert hashlib.sha256(source.read_bytes()).hexdigest() == digest
    decision = PdfReader(letters / "met-decision.pdf")
    values = {k: v.get("/V") for k, v in decision.get_fields().items()}
    assert "EREW-2026-004" in values.values()
    assert "3" in values.values()
    text = "".join(page.extract_text() for page in decision.pages)
    assert "Erewash" in text
    ack = PdfReader(letters / "met-acknowledgement.pdf")
    ack_values = {str(v.get("/V")) for v in ack.get_fields().values()}
    assert "16/03/2026" in ack_values or "2026-03-16" in ack_values  # decision due 10 working days after 2 March


def test_no_decision_letter_for_an_incomplete_application(tmp_path, ctkit, guidance):
    gaps = application()
    del gaps["applicant"]["name"]          # nobody to tell: the threshold cannot be decided
    source = _pdf(guidance, tmp_path, "gaps.pdf", gaps)
    letters = tmp_path / "letters"
    run = ctkit("validate", str(source), "--letter", "decision", "--letters-dir", str(letters))
    assert run.returncode == 0
    assert "no decision letter" in run.stderr
    assert not letters.exists()
