"""Filled PDFs through `ctkit validate`, and the letters it writes when asked."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

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


def test_letters_are_written_only_when_asked_for_the_case_opened(tmp_path, ctkit, guidance):
    """validate --record --letter is `ctkit case open` then `ctkit case letter`: a letter for the opened case."""
    source = _pdf(guidance, tmp_path, "met.pdf", application(case_ref="EREW-2026-004"))
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    letters = tmp_path / "letters"
    run = ctkit("validate", str(source), "--council", "erewash", cwd=tmp_path)
    assert not letters.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["met.pdf"]
    run = ctkit("validate", str(source), "--council", "erewash", "--record", str(tmp_path / "register.csv"),
                "--letter", "acknowledgement", "--letters-dir", str(letters), "--signed-by", "Sam Officer, SPOC")
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in letters.iterdir()) == ["met-acknowledgement.docx", "met-acknowledgement.pdf"]
    assert hashlib.sha256(source.read_bytes()).hexdigest() == digest
    text = " ".join("".join(page.extract_text() for page in PdfReader(letters / "met-acknowledgement.pdf").pages).split())
    assert "Erewash Borough Council" in text and "Our reference: EREW-2026-004" in text
    assert "Dear Pat Example" in text and "Sam Officer" in text
    assert "by Monday 16 March 2026" in text  # the decision is due 10 working days after Monday 2 March


def test_no_decision_letter_before_the_bodies_decide(tmp_path, ctkit, guidance):
    source = _pdf(guidance, tmp_path, "met.pdf", application())
    letters = tmp_path / "letters"
    run = ctkit("validate", str(source), "--council", "erewash", "--record", str(tmp_path / "register.csv"),
                "--letter", "threshold_met", "--letters-dir", str(letters), "--signed-by", "Sam Officer")
    assert run.returncode == 0, run.stderr
    assert "no threshold_met letter" in run.stderr and "not recorded yet" in run.stderr
    assert not letters.exists()


def test_a_letter_needs_a_register_and_a_council(tmp_path, ctkit, guidance):
    source = _pdf(guidance, tmp_path, "met.pdf", application())
    run = ctkit("validate", str(source), "--letter", "acknowledgement", "--letters-dir", str(tmp_path / "l"))
    assert run.returncode == 2 and "--letter needs --record" in run.stderr
    run = ctkit("validate", str(source), "--record", str(tmp_path / "r.csv"), "--letter", "acknowledgement")
    assert run.returncode == 2 and "needs --council" in run.stderr
    run = ctkit("validate", str(source), "--council", "derbyshire", "--record", str(tmp_path / "r.csv"))
    assert run.returncode == 2 and "takes no applications" in run.stderr
    assert not (tmp_path / "l").exists() and not (tmp_path / "r.csv").exists()
