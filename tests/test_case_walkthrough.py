"""One application from `ctkit case open` to the outcome, with a letter at each stage, read as a SPOC would.

Dates worked by hand (working days: Monday to Friday, not England bank holidays):
- received Monday 2 November 2026; decision due 10 working days later: 3-6 Nov (4), 9-13 (9), Mon 16 Nov;
- decided Friday 13 November: 9 working days from receipt; meeting due 25 working days from receipt:
  16-20 Nov (14), 23-27 (19), 30 Nov - 4 Dec (24), Monday 7 December;
- reviewed Tuesday 24 November: 16 working days from receipt;
- outcome letter Friday 27 November; appeal within 20 working days of it: 30 Nov - 4 Dec (5), 7-11 (10),
  14-18 (15), 21-24 (19), [Christmas Day, Boxing Day observed on Monday 28], Tuesday 29 December.
A second application, not met: decided Monday 16 November; appeal by 17-20 Nov (4), 23-27 (9),
  30 Nov - 4 Dec (14), 7-11 (19), Monday 14 December.
"""
from __future__ import annotations

import json
import re
import subprocess

import docx

from casework_helpers import OFFICER, application, not_met, opened


def letter(ctkit, tmp_path, ref, kind, register, app, name, *more):
    out = tmp_path / f"{name}.pdf"
    run = ctkit("case", "letter", ref, kind, "--register", str(register), "--application", str(app),
                "--signed-by", OFFICER, "-o", str(out), *more)
    assert run.returncode == 0, run.stderr
    return out


def look(pdf, pdftoppm) -> tuple[str, list]:
    """The letter as a person sees it: every page drawn (pdftoppm), and its text read back (pdftotext)."""
    run = subprocess.run([pdftoppm, "-r", "40", "-png", str(pdf), str(pdf.with_suffix(""))],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    pages = sorted(pdf.parent.glob(pdf.stem + "-*.png"))
    assert pages and all(p.stat().st_size > 2000 for p in pages)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
    words = " ".join(text.split())
    return re.sub(r" ?Erewash Borough Council · Community Safety Team · our reference \S+ Page \d+ ?", " ", words).strip(), pages


def docx_text(pdf) -> list[str]:
    document = docx.Document(str(pdf.with_suffix(".docx")))
    return [" ".join(p.text.split()) for p in document.paragraphs if p.text.strip()]


def same_words(pdf_words: str, paragraphs: list[str]) -> None:
    """The .docx holds the same text as the PDF: every paragraph of it is in the PDF, in the same order,
    and together they hold every word of the PDF (less the bullets' marks)."""
    at = 0
    for paragraph in paragraphs:
        found = pdf_words.find(paragraph, at)
        assert found >= 0, paragraph
        at = found + len(paragraph)
    assert sorted(" ".join(paragraphs).split()) == sorted(w for w in pdf_words.split() if w != "•")


def test_a_case_from_open_to_outcome_with_its_letters(tmp_path, ctkit, pdftoppm):
    ref, app, register = opened(ctkit, tmp_path, application())
    steps = [("acknowledge", "--on", "2026-11-04"), ("decide", "--on", "2026-11-13", "--met")]
    for step in steps[:1]:
        assert ctkit("case", step[0], ref, "--register", str(register), *step[1:]).returncode == 0
    words, _ = look(letter(ctkit, tmp_path, ref, "acknowledgement", register, app, "1-acknowledgement"), pdftoppm)
    assert "Dear Pat Example" in words and f"Our reference: {ref}" in words and "4 November 2026" in words
    assert "We received it on 2 November 2026" in words and "by Monday 16 November 2026" in words
    assert "phone 999" in words and "phone 101" in words and "Sam Officer Community Safety Officer" in words
    same_words(words, docx_text(tmp_path / "1-acknowledgement.pdf"))

    assert ctkit("case", "decide", ref, "--register", str(register), "--on", "2026-11-13", "--met").returncode == 0
    words, _ = look(letter(ctkit, tmp_path, ref, "threshold_met", register, app, "2-threshold-met"), pdftoppm)
    assert "13 November 2026" in words and "We found 3 qualifying complaints, and 3 are needed" in words
    assert "The meeting will be held by Monday 7 December 2026" in words
    assert "Wherever possible the Chair is someone independent" in words and "An independent Chair" not in words
    same_words(words, docx_text(tmp_path / "2-threshold-met.pdf"))

    run = ctkit("case", "review", ref, "--register", str(register), "--on", "2026-11-24", "--recommendations",
                "yes", "--to", "Derbyshire Constabulary;Erewash Borough Council")
    assert run.returncode == 0, run.stderr
    assert ctkit("case", "outcome", ref, "--register", str(register), "--on", "2026-11-27").returncode == 0
    findings, actions = tmp_path / "findings.txt", tmp_path / "actions.txt"
    findings.write_text("Each report was dealt with on its own.\n\nNo one looked at them together.\n", encoding="utf-8")
    actions.write_text("- Derbyshire Constabulary: evening patrols for four weeks.\n"
                       "- Erewash Borough Council: noise monitoring from 1 December 2026.\n", encoding="utf-8")
    words, _ = look(letter(ctkit, tmp_path, ref, "outcome", register, app, "3-outcome", "--findings", str(findings),
                           "--actions", str(actions)), pdftoppm)
    assert "27 November 2026" in words and "met on 24 November 2026" in words
    assert "What the review found Each report was dealt with on its own. No one looked at them together." in words
    assert "The review made recommendations to Derbyshire Constabulary, Erewash Borough Council. What each is " \
           "asked to do: • Derbyshire Constabulary: evening patrols for four weeks. • Erewash Borough Council: noise " \
           "monitoring from 1 December 2026." in words
    assert "write to the OPCC by Tuesday 29 December 2026" in words
    same_words(words, docx_text(tmp_path / "3-outcome.pdf"))

    stats = ctkit("stats", str(register), "--year", "2026-27", "--format", "json")
    figures = json.loads(stats.stdout)["councils"]["erewash"]
    assert figures["to_decision"]["median_working_days"] == 9, "Mon 2 Nov to Fri 13 Nov, the real decision date"
    assert figures["to_review"]["median_working_days"] == 16
    due = ctkit("case", "due", "--register", str(register), "--on", "2026-11-30", "--format", "json")
    assert [(d["step"], d["due_on"]) for d in json.loads(due.stdout)] == [
        ("appeal_window", "2026-12-29"), ("recommendations", None)], \
        "no step is due once the outcome letter has gone; the appeal window is open and the recommendations wait"


def test_a_case_that_does_not_meet_the_threshold_and_one_that_needs_more_information(tmp_path, ctkit, pdftoppm):
    ref, app, register = opened(ctkit, tmp_path, not_met())
    assert ctkit("case", "acknowledge", ref, "--register", str(register), "--on", "2026-11-03").returncode == 0
    assert ctkit("case", "decide", ref, "--register", str(register), "--on", "2026-11-16", "--not-met").returncode == 0
    reasons = tmp_path / "reasons.txt"
    reasons.write_text("The two reports are about different neighbours.", encoding="utf-8")
    words, _ = look(letter(ctkit, tmp_path, ref, "threshold_not_met", register, app, "4-not-met",
                           "--reasons", str(reasons)), pdftoppm)
    assert "16 November 2026" in words and "We found 2 qualifying complaints, and 3 are needed" in words
    assert "Report 2 (about 20 September 2026): it was reported more than 1 month after it happened" in words
    for ground in ("how persistent the behaviour has been", "the harm it causes, or could cause",
                   "whether the response to your reports so far has been good enough", "particularly vulnerable",
                   "motivated by hate"):
        assert ground in words
    assert "Office of the Police and Crime Commissioner for Derbyshire (OPCC)" in words
    assert "write to the OPCC by Monday 14 December 2026, which is 20 working days after the date of this letter" \
        in words
    same_words(words, docx_text(tmp_path / "4-not-met.pdf"))

    gaps = application(basis="on_behalf", asb_types=["graffiti"])
    del gaps["incidents"][1]["reported_on"]
    ref2, app2, register = opened(ctkit, tmp_path, gaps, name="gaps.json")
    words, _ = look(letter(ctkit, tmp_path, ref2, "more_information", register, app2, "5-more-information"), pdftoppm)
    assert f"Our reference: {ref2}" in words and "What we need from you" in words
    # in the form's own words (forms/application.yml), what the judgement says is missing
    assert "• Date incident 2 was reported is missing." in words
    assert "• “The person affected has agreed that I may apply for them” is not ticked." in words
    same_words(words, docx_text(tmp_path / "5-more-information.pdf"))


OPCC_ADDRESS = "Butterley Hall, Ripley, Derbyshire, DE5 3RS"


def on_behalf() -> dict:
    return application(basis="on_behalf", consent_to_act=True,
                       person_affected={"name": "Alex Neighbour", "address": "2 Test Street\nIlkeston",
                                        "postcode": "ZZ1 2ZZ"})


def every_letter(ctkit, folder, ref, kind, register, pdftoppm, *more) -> dict[str, tuple[str, str]]:
    """One step's letters (to the applicant, and to the person affected), each drawn by pdftoppm and read back
    by pdftotext and python-docx: {file stem: (PDF words, .docx words)}."""
    out = folder / f"{kind}.pdf"
    run = ctkit("case", "letter", ref, kind, "--register", str(register), "--signed-by", OFFICER, "-o", str(out),
                *more)
    assert run.returncode == 0, run.stderr
    found = {}
    for pdf in sorted(folder.glob(f"{kind}*.pdf")):
        words, pages = look(pdf, pdftoppm)
        paragraphs = docx_text(pdf)
        same_words(words, paragraphs)
        found[pdf.stem] = (words, " ".join(paragraphs))
    return found


def test_an_on_behalf_case_from_open_to_outcome_every_letter_fit_to_send(tmp_path, ctkit, pdftoppm):
    """Issue 23's walk-through: every letter of an on-behalf case, drawn and read back, can be sent as it is."""
    ref, app, register = opened(ctkit, tmp_path, on_behalf())
    letters = {}
    assert ctkit("case", "acknowledge", ref, "--register", str(register), "--on", "2026-11-04").returncode == 0
    letters |= every_letter(ctkit, tmp_path, ref, "acknowledgement", register, pdftoppm)
    assert ctkit("case", "decide", ref, "--register", str(register), "--on", "2026-11-13", "--met").returncode == 0
    letters |= every_letter(ctkit, tmp_path, ref, "threshold_met", register, pdftoppm)
    run = ctkit("case", "review", ref, "--register", str(register), "--on", "2026-11-24", "--recommendations", "yes",
                "--to", "Derbyshire Constabulary;Erewash Borough Council")
    assert run.returncode == 0, run.stderr
    assert ctkit("case", "outcome", ref, "--register", str(register), "--on", "2026-11-27").returncode == 0
    findings = tmp_path / "findings.txt"
    findings.write_text("Each report was dealt with on its own, and nobody saw that they were about one problem.",
                        encoding="utf-8")
    actions = tmp_path / "actions.txt"
    actions.write_text("Derbyshire Constabulary: an officer will visit the street every week until 31 January 2027.\n"
                       "Erewash Borough Council: noise monitoring equipment fitted by 11 December 2026.\n",
                       encoding="utf-8")
    letters |= every_letter(ctkit, tmp_path, ref, "outcome", register, pdftoppm, "--findings", str(findings),
                            "--actions", str(actions))

    # a second on-behalf case, not met, and one that needs more information
    second = tmp_path / "second"
    second.mkdir()
    data = on_behalf()
    data.update(not_met() | {k: data[k] for k in ("basis", "consent_to_act", "person_affected")})
    del data["applicant"]["phone"]   # chose a phone call, gave no number
    data["applicant"]["email"] = "pat@example.org"
    ref2, _app2, register2 = opened(ctkit, second, data)
    letters |= {f"2-{k}": v for k, v in every_letter(ctkit, second, ref2, "more_information", register2,
                                                      pdftoppm).items()}
    assert ctkit("case", "acknowledge", ref2, "--register", str(register2), "--on", "2026-11-04").returncode == 0
    assert ctkit("case", "decide", ref2, "--register", str(register2), "--on", "2026-11-16", "--not-met").returncode == 0
    reasons = second / "reasons.txt"
    reasons.write_text("The reports were made to different bodies about different neighbours, and the police say "
                       "the music stopped after their visit on 12 October.", encoding="utf-8")
    letters |= {f"2-{k}": v for k, v in every_letter(ctkit, second, ref2, "threshold_not_met", register2, pdftoppm,
                                                      "--reasons", str(reasons)).items()}

    assert sorted(letters) == [
        "2-more_information", "2-threshold_not_met", "2-threshold_not_met-person-affected",
        "acknowledgement", "acknowledgement-person-affected", "outcome", "outcome-person-affected",
        "threshold_met", "threshold_met-person-affected"]
    for name, (pdf, docx_words) in letters.items():
        for words in (pdf, docx_words):
            assert "[" not in words and "]" not in words, name
            assert "not yet recorded" not in words, name
            assert "Alex Neighbour" in words, name          # the person affected, named in every letter
        if "person-affected" in name:
            assert "Dear Alex Neighbour" in pdf and "2 Test Street Ilkeston ZZ1 2ZZ" in pdf, name
            assert "applied for an ASB Case Review, also called the Community Trigger, on your behalf" in pdf, name
        else:
            assert "Dear Pat Example" in pdf and "on behalf of Alex Neighbour" in pdf, name
        if name.startswith(("outcome", "2-threshold_not_met")):
            assert OPCC_ADDRESS in pdf and "The details this letter gives for Office of the Police and Crime " \
                                           "Commissioner for Derbyshire are still to be confirmed" in pdf, name
    # the applicant, a carer, is not invited "to bring a supporter" as if the victim: Alex is invited
    assert "Alex Neighbour is invited to take part, and you can come with them" in letters["threshold_met"][0]
    assert "You are invited to take part." in letters["threshold_met-person-affected"][0]
    assert "• Your phone number: Enter your phone number, because you chose “Phone call” as the way to contact " \
           "you" in letters["2-more_information"][0]
