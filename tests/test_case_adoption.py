"""Casework a council can adopt (issue 23): each failure a SPOC met, as a SPOC meets it, through the command line.

Letters fit to send, a register that survives a spreadsheet, duplicates by fingerprint, corrections
as commands, the case folder and the morning list, published figures for a year not yet over; and
from issue 26, a register check that writes share with reads, and letters that a pasted character
cannot stop. Dates as in casework_helpers: received Monday 2 November 2026.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx

from generator.text_safety import typed_text

from casework_helpers import OFFICER, application, not_met, opened, pdf_text, write

DATA = Path(__file__).parent / "data" / "registers"


def rows(register: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(register.read_text(encoding="utf-8"))))


def letter(ctkit, folder: Path, ref: str, kind: str, register: Path, *more: str, name: str = "letter"):
    return ctkit("case", "letter", ref, kind, "--register", str(register), "--signed-by", OFFICER,
                 "-o", str(folder / f"{name}.pdf"), *more)


def folder(parent: Path, name: str) -> Path:
    """A second case's own folder (its own register and application)."""
    (parent / name).mkdir()
    return parent / name


def text_file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def docx_words(path: Path) -> str:
    return " ".join(" ".join(p.text for p in docx.Document(str(path)).paragraphs).split())


def decided(ctkit, tmp_path, data=None, met=True) -> tuple[str, Path, Path]:
    ref, app, register = opened(ctkit, tmp_path, data or application())
    assert ctkit("case", "acknowledge", ref, "--register", str(register), "--on", "2026-11-04").returncode == 0
    run = ctkit("case", "decide", ref, "--register", str(register), "--on", "2026-11-13", "--met" if met else "--not-met")
    assert run.returncode == 0, run.stderr
    return ref, app, register


def reviewed(ctkit, tmp_path, data=None, bodies="Derbyshire Constabulary") -> tuple[str, Path, Path]:
    ref, app, register = decided(ctkit, tmp_path, data)
    run = ctkit("case", "review", ref, "--register", str(register), "--on", "2026-11-24", "--recommendations", "yes",
                "--to", bodies)
    assert run.returncode == 0, run.stderr
    return ref, app, register


# -- letters a SPOC sends without editing the words ------------------------------------------------------------

def test_the_outcome_letter_is_refused_without_what_the_review_found_and_then_has_no_placeholder(tmp_path, ctkit):
    ref, _app, register = reviewed(ctkit, tmp_path)
    run = letter(ctkit, tmp_path, ref, "outcome", register)
    assert run.returncode == 2 and "--findings FILE" in run.stderr, run.stderr
    assert not (tmp_path / "letter.pdf").exists()
    findings = text_file(tmp_path, "findings.txt", "The reports were dealt with one at a time.")
    actions = text_file(tmp_path, "actions.txt", "Derbyshire Constabulary: patrols every evening until 31 January.")
    run = letter(ctkit, tmp_path, ref, "outcome", register, "--findings", str(findings))
    assert run.returncode == 2 and "--actions FILE" in run.stderr
    run = letter(ctkit, tmp_path, ref, "outcome", register, "--findings", str(findings), "--actions", str(actions))
    assert run.returncode == 0, run.stderr
    words = pdf_text(tmp_path / "letter.pdf")
    assert "[" not in words and "Write here" not in words
    assert "The reports were dealt with one at a time." in words
    # the recommendations say what each body will do, not only who they are
    assert "Derbyshire Constabulary: patrols every evening until 31 January." in words
    assert "[" not in docx_words(tmp_path / "letter.docx")


def test_an_outcome_letter_must_say_what_each_recommended_body_will_do(tmp_path, ctkit):
    ref, _app, register = reviewed(ctkit, tmp_path, bodies="Derbyshire Constabulary;Erewash Borough Council")
    findings = text_file(tmp_path, "findings.txt", "Found.")
    actions = text_file(tmp_path, "actions.txt", "Derbyshire Constabulary: patrols.")
    run = letter(ctkit, tmp_path, ref, "outcome", register, "--findings", str(findings), "--actions", str(actions))
    assert run.returncode == 2 and "recommendations to Erewash Borough Council, but no line of --actions" in run.stderr


def test_the_letterhead_never_says_not_yet_recorded_and_the_signature_says_nothing_twice(tmp_path, ctkit):
    ref, _app, register = opened(ctkit, tmp_path, application())
    run = ctkit("case", "letter", ref, "acknowledgement", "--register", str(register), "-o", str(tmp_path / "a.pdf"))
    assert run.returncode == 0, run.stderr
    words = pdf_text(tmp_path / "a.pdf")
    assert "not yet recorded" not in words and "Email:" not in words   # Erewash has no email on record
    assert "Community Safety Team Community Safety Team" not in words
    assert "The Community Trigger Single Point of Contact Community Safety Team, Erewash Borough Council" in words


def test_the_not_met_letter_gives_this_cases_reasons_and_is_refused_without_them(tmp_path, ctkit):
    ref, _app, register = decided(ctkit, tmp_path, not_met(), met=False)
    run = letter(ctkit, tmp_path, ref, "threshold_not_met", register)
    assert run.returncode == 2 and "--reasons FILE" in run.stderr
    reasons = text_file(tmp_path, "reasons.txt", "The police visited twice and the noise stopped in October.")
    run = letter(ctkit, tmp_path, ref, "threshold_not_met", register, "--reasons", str(reasons))
    assert run.returncode == 0, run.stderr
    words = pdf_text(tmp_path / "letter.pdf")
    assert "Their reasons: The police visited twice and the noise stopped in October." in words


def test_the_appeal_route_gives_the_opccs_postal_address_and_deadline_and_flags_what_is_unconfirmed(tmp_path, ctkit):
    ref, _app, register = decided(ctkit, tmp_path, not_met(), met=False)
    reasons = text_file(tmp_path, "reasons.txt", "Reasons.")
    assert letter(ctkit, tmp_path, ref, "threshold_not_met", register, "--reasons", str(reasons)).returncode == 0
    words = pdf_text(tmp_path / "letter.pdf")
    assert "Please write to the OPCC by Friday 11 December 2026" in words   # 20 working days after 13 November
    assert "Their address is Office of the Police and Crime Commissioner for Derbyshire, Butterley Hall, Ripley, " \
           "Derbyshire, DE5 3RS." in words
    # organisations.yml marks the OPCC's details and criteria.yml the timescales as unconfirmed: said, as for the council
    assert "The details this letter gives for Office of the Police and Crime Commissioner for Derbyshire are still " \
           "to be confirmed" in words
    assert "The timescale in this letter (20 working days) is still to be confirmed by the council" in words
    assert "These contact details are still to be " \
           "confirmed" in words


def test_recommendations_yes_without_the_bodies_is_refused(tmp_path, ctkit):
    ref, _app, register = decided(ctkit, tmp_path)
    before = register.read_bytes()
    run = ctkit("case", "review", ref, "--register", str(register), "--on", "2026-11-24", "--recommendations", "yes")
    assert run.returncode == 1 and "recommendations_to names no body" in run.stderr
    assert register.read_bytes() == before


def test_more_information_asks_for_the_number_of_someone_who_chose_a_phone_call_even_after_the_decision(tmp_path,
                                                                                                        ctkit):
    data = application()
    data["applicant"] = {**data["applicant"], "phone": "", "email": "pat@example.org"}   # chose "Phone call"
    ref, _app, register = decided(ctkit, tmp_path, data)
    run = letter(ctkit, tmp_path, ref, "more_information", register)
    assert run.returncode == 0, run.stderr
    assert "Your phone number: Enter your phone number, because you chose “Phone call” as the way to contact you" \
        in pdf_text(tmp_path / "letter.pdf")   # the form's own rule (forms/application.yml), as the validator says it


# -- a register beside Excel and LibreOffice -------------------------------------------------------------------

def test_a_register_open_in_libreoffice_or_excel_is_refused_and_nothing_is_written(tmp_path, ctkit):
    ref, app, register = opened(ctkit, tmp_path, application())
    before = register.read_bytes()
    for lock in (f".~lock.{register.name}#", f"~${register.name}"):
        (tmp_path / lock).write_text(",Someone,host,01.12.2026 09:00,file:///home/someone;\n", encoding="utf-8")
        run = ctkit("case", "acknowledge", ref, "--register", str(register), "--on", "2026-11-04")
        assert run.returncode == 1 and f"the register is open in a spreadsheet (its lock file {lock}" in run.stderr
        assert "close the register in the spreadsheet first" in run.stderr
        other = write(tmp_path, "other.json", application(applicant={**application()["applicant"], "name": "Sam"}))
        run = ctkit("case", "open", str(other), "--council", "erewash", "--register", str(register))
        assert run.returncode == 1 and run.stdout == ""
        assert register.read_bytes() == before, "nothing written while the spreadsheet has it open"
        (tmp_path / lock).unlink()
    assert ctkit("case", "acknowledge", ref, "--register", str(register), "--on", "2026-11-04").returncode == 0


def test_a_register_saved_by_excel_with_uk_dates_is_read_and_a_changed_row_is_written_back_iso(tmp_path, ctkit):
    register = tmp_path / "erewash.csv"
    text = (DATA / "erewash.csv").read_text(encoding="utf-8")
    uk = "\n".join(",".join(f"{c[8:10]}/{c[5:7]}/{c[:4]}" if len(c) == 10 and c[4] == "-" else c
                            for c in line.split(",")) for line in text.splitlines()) + "\n"
    register.write_text(uk, encoding="utf-8")
    assert "25/08/" in uk or "/2025," in uk
    run = ctkit("case", "due", "--register", str(register), "--on", "2026-04-09", "--format", "json")
    assert run.returncode == 0, run.stderr
    assert [d["case_ref"] for d in json.loads(run.stdout) if d["step"] == "threshold_decision"] == ["TEST-EREW-010"]
    run = ctkit("case", "decide", "TEST-EREW-010", "--register", str(register), "--on", "2026-02-13", "--not-met")
    assert run.returncode == 0, run.stderr
    assert "were written D/M/YYYY" in run.stderr and "now written YYYY-MM-DD" in run.stderr
    lines = register.read_text(encoding="utf-8").splitlines()
    assert lines[-1].startswith("TEST-EREW-010,erewash,2026-02-02,") and "2026-02-13" in lines[-1]
    assert lines[:-1] == uk.splitlines()[:-1], "the other rows are left as the spreadsheet saved them"


def test_a_case_of_another_council_is_refused_by_the_register(tmp_path, ctkit):
    dales = tmp_path / "derbyshire-dales.csv"
    shutil.copy(DATA / "derbyshire-dales.csv", dales)
    before = dales.read_bytes()
    run = ctkit("case", "open", str(write(tmp_path, "b.json", application())), "--council", "erewash",
                "--register", str(dales))
    assert run.returncode == 1 and "this register holds the cases of Derbyshire Dales District Council" in run.stderr
    assert dales.read_bytes() == before
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(before.decode() + (DATA / "erewash.csv").read_text().splitlines()[1] + "\n", encoding="utf-8")
    run = ctkit("stats", str(mixed), "--year", "2025-26")
    assert run.returncode == 1 and "does not belong here" in run.stderr, "never dropped silently from the figures"


# -- duplicates by fingerprint ---------------------------------------------------------------------------------

def test_two_neighbours_forms_of_the_same_day_are_two_cases_and_a_resent_form_is_caught(tmp_path, ctkit):
    ref, app, register = opened(ctkit, tmp_path, application())
    neighbour = application()
    neighbour["applicant"] = {**neighbour["applicant"], "name": "Alex Neighbour", "address": "3 Test Street\nIlkeston"}
    run = ctkit("case", "open", str(write(tmp_path, "neighbour.json", neighbour)), "--council", "erewash",
                "--register", str(register))
    assert run.returncode == 0, run.stderr
    # the same form again, its date received mistyped by a day, its name typed another way
    again = application(received_on="2026-11-03")
    again["applicant"] = {**again["applicant"], "name": "PAT  example", "address": "1 Test Street, Ilkeston"}
    run = ctkit("case", "open", str(write(tmp_path, "again.json", again)), "--council", "erewash",
                "--register", str(register))
    assert run.returncode == 1 and f"case {ref} (received 2026-11-02) has the same applicant, address and " \
                                   "incidents" in run.stderr
    assert len(rows(register)) == 2
    text = register.read_text(encoding="utf-8")
    assert "Pat" not in text and "Test Street" not in text and "Neighbour" not in text
    key = register.with_name(register.name + ".key")
    assert key.exists() and oct(key.stat().st_mode & 0o777) == "0o600"
    assert key.read_text().strip() not in text


# -- corrections as commands -----------------------------------------------------------------------------------

def test_withdraw_amend_and_appeal_are_each_a_row_change(tmp_path, ctkit):
    ref, _app, register = opened(ctkit, tmp_path, application(received_on="2026-11-03"))
    run = ctkit("case", "amend", ref, "--register", str(register), "--received", "2026-11-02", "--owner", "JB")
    assert run.returncode == 0 and "received_on 2026-11-03 → 2026-11-02" in run.stderr
    assert (rows(register)[0]["received_on"], rows(register)[0]["owner"]) == ("2026-11-02", "JB")
    run = ctkit("case", "withdraw", ref, "--register", str(register), "--on", "2026-11-05", "--reason", "resolved")
    assert run.returncode == 0, run.stderr
    r = rows(register)[0]
    assert (r["decision"], r["withdrawn_on"], r["withdrawal_reason"]) == ("withdrawn", "2026-11-05", "resolved")

    ref2, _app, register2 = decided(ctkit, folder(tmp_path, "b"), not_met(), met=False)
    run = ctkit("case", "withdraw", ref2, "--register", str(register2), "--on", "2026-11-20")
    assert run.returncode == 1 and "cannot be withdrawn" in run.stderr
    assert ctkit("case", "appeal", ref2, "--register", str(register2), "--received", "2026-11-20").returncode == 0
    run = ctkit("case", "appeal", ref2, "--register", str(register2), "--result", "upheld", "--on", "2026-11-30")
    assert run.returncode == 0, run.stderr
    r = rows(register2)[0]
    assert (r["appeal_received_on"], r["appeal_result"], r["appeal_result_on"]) == \
        ("2026-11-20", "upheld", "2026-11-30")


def test_decide_before_acknowledge_is_refused_unless_a_reason_is_given_and_due_shows_the_gap(tmp_path, ctkit):
    ref, _app, register = opened(ctkit, tmp_path, application())
    run = ctkit("case", "decide", ref, "--register", str(register), "--on", "2026-11-13", "--met")
    assert run.returncode == 1 and "has no acknowledgement recorded" in run.stderr
    # a register kept by hand, decided with no acknowledgement: the list shows the step never done
    r = register.read_text(encoding="utf-8").replace(",pending,,", ",threshold_met,2026-11-13,")
    register.write_text(r.replace("2026-11-13,,,,,,,,,", "2026-11-13,,,,,,,2026-11-13,,", 1), encoding="utf-8")
    due = json.loads(ctkit("case", "due", "--register", str(register), "--on", "2026-11-16", "--format",
                           "json").stdout)
    assert ("acknowledge", "2026-11-09", True) in [(d["step"], d["due_on"], d["overdue"]) for d in due]
    run = ctkit("case", "decide", ref, "--register", str(register), "--on", "2026-11-13", "--met",
                "--no-acknowledgement", "the applicant was told in person")
    assert run.returncode == 0, run.stderr
    due = json.loads(ctkit("case", "due", "--register", str(register), "--on", "2026-11-16", "--format",
                           "json").stdout)
    assert "acknowledge" not in [d["step"] for d in due]


# -- the case folder and the morning list ----------------------------------------------------------------------

def test_open_keeps_the_application_so_letters_find_it_and_can_copy_it_into_a_case_folder(tmp_path, ctkit):
    ref, _app, register = opened(ctkit, tmp_path, application())
    assert rows(register)[0]["application"] == "app.json"
    run = ctkit("case", "letter", ref, "acknowledgement", "--register", str(register), "-o", str(tmp_path / "a.pdf"))
    assert run.returncode == 0, run.stderr
    cases = tmp_path / "cases"
    other = application(applicant={**application()["applicant"], "name": "Jo Other"})
    run = ctkit("case", "open", str(write(tmp_path, "Jo Other.json", other)), "--council", "erewash",
                "--register", str(register), "--case-folder", str(cases))
    ref2 = run.stdout.strip()
    assert run.returncode == 0 and (cases / ref2 / "application.json").exists()
    assert rows(register)[1]["application"] == f"cases/{ref2}/application.json", "no name in the path kept"
    if os.name == "posix":   # the copy holds personal data: the SPOC's account alone may read it
        assert (cases / ref2 / "application.json").stat().st_mode & 0o077 == 0
        assert (cases / ref2).stat().st_mode & 0o077 == 0


def test_the_morning_list_has_owners_answers_to_chase_appeal_windows_and_recommendations(tmp_path, ctkit):
    data = application()
    data["applicant"] = {**data["applicant"], "phone": "", "email": "pat@example.org"}
    app = write(tmp_path, "app.json", data)
    register = tmp_path / "erewash.csv"
    run = ctkit("case", "open", str(app), "--council", "erewash", "--register", str(register), "--owner", "SO")
    ref = run.stdout.strip()
    text = ctkit("case", "due", "--register", str(register), "--on", "2026-11-05").stdout
    assert "Due later (2):" in text and f"{ref} (Erewash Borough Council) [SO]: Acknowledge" in text
    assert "Answers to chase (1):" in text and "because you chose “Phone call” as the way to contact you" in text
    ref2, _app, register2 = reviewed(ctkit, folder(tmp_path, "r"))
    assert ctkit("case", "outcome", ref2, "--register", str(register2), "--on", "2026-11-27").returncode == 0
    text = ctkit("case", "due", "--register", str(register2), "--on", "2026-11-30").stdout
    assert "Appeal window open (1):" in text and "Appeal window open by Tuesday 29 December 2026" in text
    assert "Recommendations to follow up (1):" in text and "ask Derbyshire Constabulary" in text
    assert ctkit("case", "follow-up", ref2, "--register", str(register2), "--on", "2026-11-30").returncode == 0
    assert "Recommendations to follow up" not in ctkit("case", "due", "--register", str(register2), "--on",
                                                       "2026-11-30").stdout


# -- published figures, and what goes into the register --------------------------------------------------------

def test_a_year_not_yet_over_is_published_as_year_to_date(ctkit):
    run = ctkit("stats", str(DATA / "erewash.csv"), "--year", "2026-27", "--format", "json")
    report = json.loads(run.stdout)
    assert report["year_to_date"] is True and report["counted_to"] < report["to"]
    assert "Year to date: the year is not over" in ctkit("stats", str(DATA / "erewash.csv"), "--year", "2026-27").stdout
    assert json.loads(ctkit("stats", str(DATA / "erewash.csv"), "--year", "2025-26", "--format",
                            "json").stdout)["year_to_date"] is False


def test_a_formula_is_never_written_into_the_register(tmp_path, ctkit):
    ref, _app, register = decided(ctkit, tmp_path)
    before = register.read_bytes()
    run = ctkit("case", "review", ref, "--register", str(register), "--on", "2026-11-24", "--recommendations", "yes",
                "--to", '=HYPERLINK("http://example.org","click")')
    assert run.returncode == 2 and "a spreadsheet would run as a formula" in run.stderr
    assert register.read_bytes() == before


def test_stats_into_head_ends_quietly(tmp_path):
    """A reader that stops early (`| head`) is not a fault of the kit: no 'something went wrong'. `head -n 0`
    reads nothing and is gone before the figures are printed, so the pipe is always closed by then."""
    run = subprocess.run(f"'{sys.executable}' -m generator.cli stats {DATA / 'erewash.csv'} {DATA / 'high-peak.csv'} "
                         "--year 2025-26 --format json | head -n 0", shell=True, capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert run.stdout == "" and run.stderr == ""


# -- issue 26: writes check what reads check, and a pasted character never stops a letter ----------------------

def test_a_register_with_a_duplicated_reference_is_refused_by_a_write_as_by_a_read(tmp_path, ctkit):
    register = tmp_path / "erewash.csv"
    register.write_text((DATA / "erewash.csv").read_text().replace("TEST-EREW-007", "TEST-EREW-002"))
    before = register.read_bytes()
    run = ctkit("case", "acknowledge", "TEST-EREW-010", "--register", str(register), "--on", "2026-02-03")
    assert run.returncode == 1 and "the case reference 'TEST-EREW-002' is already used on line 3" in run.stderr
    assert register.read_bytes() == before
    assert ctkit("case", "due", "--register", str(register)).returncode == 1


PASTED = {"vertical tab": "\u000b", "null": "\u0000", "bell": "\u0007", "noncharacter": "\ufffe"}


def test_a_pasted_character_in_a_name_never_stops_a_letter(tmp_path, ctkit):
    for n, (what, ch) in enumerate(PASTED.items()):
        folder = tmp_path / f"c{n}"
        folder.mkdir()
        data = application()
        data["applicant"] = {**data["applicant"], "name": f"Pat{ch}Example", "address": f"1 Test Street{ch}Ilkeston"}
        data["declaration"] = {"signed_name": f"Pat{ch}Example", "signed_on": "2026-11-01"}
        ref, _app, register = opened(ctkit, folder, data)
        run = letter(ctkit, folder, ref, "acknowledgement", register)
        assert run.returncode == 0, (what, run.stderr)
        # Read once as typed text (a pasted line break is a break; NUL, BEL and U+FFFE are dropped), so the
        # letter greets the name as the register's other outputs show it.
        greeting = "Dear " + " ".join(typed_text(f"Pat{ch}Example").split())
        assert greeting in pdf_text(folder / "letter.pdf"), what
        assert greeting in docx_words(folder / "letter.docx"), what


def test_in_a_batch_a_pasted_character_stops_no_letter_and_the_later_files_are_judged(tmp_path, ctkit):
    post = tmp_path / "post"
    post.mkdir()
    for n, ch in enumerate(["", *PASTED.values(), ""]):
        data = application()
        data["applicant"] = {**data["applicant"], "name": f"Person{ch}{n}"}
        write(post, f"{n}-app.json", data)
    register = tmp_path / "erewash.csv"
    run = ctkit("validate", str(post), "--council", "erewash", "--record", str(register), "--letter",
                "acknowledgement", "--letters-dir", str(tmp_path / "letters"), "--format", "json")
    assert run.returncode == 0, run.stderr
    assert len(json.loads(run.stdout)) == 6 and len(rows(register)) == 6
    assert len(list((tmp_path / "letters").glob("*.docx"))) == 6


def test_a_partner_agencys_officer_is_not_invited_as_the_victim_and_the_person_affected_is_written_to(tmp_path,
                                                                                                     ctkit):
    data = application(basis="partner_agency", consent_to_act=True,
                       person_affected={"name": "Alex Tenant", "address": "4 Test Street, Ilkeston",
                                        "postcode": "ZZ1 4ZZ"})
    data["applicant"] = {**data["applicant"], "name": "Jo Officer", "organisation": "Test Homes",
                         "role": "Housing officer", "address": "Test Homes, 9 Office Road, Ilkeston"}
    ref, _app, register = decided(ctkit, tmp_path, data)
    assert letter(ctkit, tmp_path, ref, "threshold_met", register).returncode == 0
    words = pdf_text(tmp_path / "letter.pdf")
    assert "Dear Jo Officer" in words and "bring a friend, relative or supporter" not in words
    assert "Alex Tenant is invited to take part, and we will contact them to arrange this. We will ask Test Homes " \
           "for its records of the case" in words
    theirs = pdf_text(tmp_path / "letter-person-affected.pdf")
    assert "Dear Alex Tenant" in theirs and "4 Test Street Ilkeston ZZ1 4ZZ" in theirs
    assert "Jo Officer of Test Homes applied for an ASB Case Review" in theirs
    assert "You are invited to take part. You can come to the meeting" in theirs
