"""`ctkit case`: each stage in its order, each refusal one sentence, nothing written when refused."""
from __future__ import annotations

import csv
import io
import stat

import datetime as dt
from pathlib import Path

import pytest

from casework_helpers import OFFICER, application, opened, write
from generator.casework import stages
from generator.casework.opening import open_judged
from generator.judge.files import judge_file
from generator.monitoring.register_write import change_register

D = dt.date
TODAY = D(2026, 12, 1)


def row(register) -> dict:
    return list(csv.DictReader(io.StringIO(register.read_text(encoding="utf-8"))))[-1]


def test_open_records_the_kits_assessment_and_leaves_the_decision_to_the_bodies(tmp_path, ctkit):
    ref, _app, register = opened(ctkit, tmp_path, application())
    assert ref == "EREWASH-20261102-1"
    r = row(register)
    assert (r["received_on"], r["assessment"], r["decision"], r["decision_on"]) == \
        ("2026-11-02", "threshold_met", "pending", "")
    assert "Pat" not in register.read_text(encoding="utf-8") and "Loud" not in register.read_text(encoding="utf-8")


def test_the_same_application_is_not_opened_twice(tmp_path, ctkit):
    ref, app, register = opened(ctkit, tmp_path, application())
    before = register.read_bytes()
    run = ctkit("case", "open", str(app), "--council", "erewash", "--register", str(register))
    assert run.returncode == 1 and run.stdout == ""
    assert f"case {ref} (received 2026-11-02) has the same applicant, address and incidents as" in run.stderr
    assert register.read_bytes() == before
    run = ctkit("case", "open", str(app), "--council", "erewash", "--register", str(register), "--ref", ref)
    assert run.returncode == 1 and f"case {ref} is already in the register" in run.stderr
    run = ctkit("case", "open", str(app), "--council", "erewash", "--register", str(register), "--ref", "OTHER-1")
    assert run.returncode == 1 and "a form sent twice is one application" in run.stderr


def open_here(tmp_path, guidance, data=None) -> tuple[str, Path]:
    """Open a case without starting the command line (the project is loaded once per session)."""
    register = tmp_path / "erewash.csv"
    _data, j = judge_file(write(tmp_path, "app.json", data or application()), guidance, None)
    done = open_judged(j, guidance.councils["erewash"], register, guidance)
    assert done.opened, done.problems
    return done.case_ref, register


def step(register, guidance, ref, make) -> list[str]:
    """One stage as `ctkit case` runs it: under the lock, from the case as the register has it."""
    def change(reg):
        case, problems = reg.case(ref)
        return problems or make(case)
    return [p.message for p in change_register(register, guidance, change, TODAY)[1]]


@pytest.mark.parametrize("make, words", [
    (lambda c: stages.acknowledge(c, D(2026, 10, 30)),
     "the acknowledgement (acknowledged_on 2026-10-30) is dated before the application was received"),
    (lambda c: stages.decide(c, D(2026, 10, 30), True, no_acknowledgement="by phone"),
     "the threshold decision (decision_on 2026-10-30) is dated before the application was received "
     "(received_on 2026-11-02)"),
    (lambda c: stages.review(c, D(2026, 11, 20), False, []), "the decision is 'pending'"),
    (lambda c: stages.outcome(c, D(2026, 11, 27)), "an outcome letter is recorded (outcome_letter_on) but no case "
                                                   "review is (review_on is empty)"),
    (lambda c: stages.acknowledge(c, D(2026, 12, 2)), "which is after today"),
    (lambda c: stages.decide(c, D(2026, 11, 13), True, D(2026, 11, 12), "by phone"),
     "the decision letter (decision_letter_on 2026-11-12) is dated before the threshold decision"),
    (lambda c: stages.decide(c, D(2026, 11, 13), True), "has no acknowledgement recorded; record it first"),
])
def test_a_step_out_of_order_or_out_of_time_is_refused_in_a_sentence(tmp_path, guidance, make, words):
    ref, register = open_here(tmp_path, guidance)
    before = register.read_bytes()
    problems = step(register, guidance, ref, make)
    assert len(problems) == 1 and words in problems[0]
    assert register.read_bytes() == before


def test_a_step_out_of_order_is_refused_by_the_command_with_exit_1(tmp_path, ctkit, guidance):
    ref, register = open_here(tmp_path, guidance)
    run = ctkit("case", "review", ref, "--register", str(register), "--on", "2026-11-20", "--recommendations", "no")
    assert run.returncode == 1 and "a review is held only when the threshold is met" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_review_needs_a_met_threshold_and_a_decision_is_made_once(tmp_path, guidance):
    ref, register = open_here(tmp_path, guidance)
    assert step(register, guidance, ref,
                lambda c: stages.decide(c, D(2026, 11, 13), False, no_acknowledgement="by phone")) == []
    assert "a review is held only when the threshold is met" in \
        step(register, guidance, ref, lambda c: stages.review(c, D(2026, 11, 20), False, []))[0]
    assert "already has its decision (the threshold is not met, 13 November 2026)" in \
        step(register, guidance, ref,
             lambda c: stages.decide(c, D(2026, 11, 13), True, no_acknowledgement="by phone"))[0]
    r = row(register)
    assert (r["decision"], r["decision_on"], r["decision_letter_on"]) == ("threshold_not_met", "2026-11-13", "2026-11-13")


def test_recording_a_step_again_changes_nothing_and_a_different_date_is_refused(tmp_path, guidance):
    ref, register = open_here(tmp_path, guidance)
    ack = lambda day: (lambda c: stages.acknowledge(c, day))
    assert step(register, guidance, ref, ack(D(2026, 11, 4))) == []
    before = register.read_bytes()
    assert step(register, guidance, ref, ack(D(2026, 11, 4))) == [] and register.read_bytes() == before
    assert "already has an acknowledgement recorded (acknowledged_on 2026-11-04)" in \
        step(register, guidance, ref, ack(D(2026, 11, 5)))[0]


def test_recommendations_to_bodies_need_recommendations(tmp_path, guidance):
    ref, register = open_here(tmp_path, guidance)
    step(register, guidance, ref, lambda c: stages.decide(c, D(2026, 11, 13), True, no_acknowledgement="by phone"))
    assert "--to names the bodies" in step(register, guidance, ref, lambda c: stages.review(
        c, D(2026, 11, 24), False, ["Derbyshire Constabulary"]))[0]


def test_an_unknown_case_and_a_missing_register_are_sentences(tmp_path, ctkit, guidance):
    _ref, register = open_here(tmp_path, guidance)
    run = ctkit("case", "acknowledge", "NOPE-1", "--register", str(register), "--on", "2026-11-04")
    assert run.returncode == 1 and "there is no case 'NOPE-1' in this register" in run.stderr
    run = ctkit("case", "acknowledge", "NOPE-1", "--register", str(tmp_path / "none.csv"), "--on", "2026-11-04")
    assert run.returncode == 1 and "there is no register here" in run.stderr


def test_the_county_council_opens_no_cases(tmp_path, ctkit):
    run = ctkit("case", "open", str(write(tmp_path, "a.json", application())), "--council", "derbyshire",
                "--register", str(tmp_path / "r.csv"))
    assert run.returncode == 2 and "takes no applications" in run.stderr and not (tmp_path / "r.csv").exists()


def test_an_application_without_a_date_received_is_not_opened(tmp_path, ctkit):
    data = application()
    del data["received_on"]
    run = ctkit("case", "open", str(write(tmp_path, "a.json", data)), "--council", "erewash",
                "--register", str(tmp_path / "r.csv"))
    assert run.returncode == 1 and "the date it was received is not known" in run.stderr
    assert not (tmp_path / "r.csv").exists()


def test_an_unreadable_file_is_not_opened_and_exits_1(tmp_path, ctkit):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    run = ctkit("case", "open", str(bad), "--council", "erewash", "--register", str(tmp_path / "r.csv"))
    assert run.returncode == 1 and "was not opened as a case" in run.stderr


def test_a_read_only_register_is_refused_by_the_command(tmp_path, ctkit, guidance):
    ref, register = open_here(tmp_path, guidance)
    register.chmod(stat.S_IRUSR)
    run = ctkit("case", "acknowledge", ref, "--register", str(register), "--on", "2026-11-04")
    assert run.returncode == 1 and "the register is read-only, so nothing was written" in run.stderr


def test_validate_record_is_case_open(tmp_path, ctkit):
    """The alias never writes the kit's assessment as the bodies' decision, nor today's date."""
    app, register = write(tmp_path, "app.json", application()), tmp_path / "erewash.csv"
    run = ctkit("validate", str(app), "--council", "erewash", "--record", str(register))
    assert run.returncode == 0, run.stderr
    r = row(register)
    assert (r["case_ref"], r["assessment"], r["decision"], r["decision_on"]) == \
        ("EREWASH-20261102-1", "threshold_met", "pending", "")
    run = ctkit("validate", str(app), "--council", "erewash", "--record", str(register))
    assert run.returncode == 1, "a case not recorded is exit 1"
    assert "was not opened again" in run.stderr


@pytest.mark.parametrize("kind, words", [
    ("threshold_met", "is not recorded yet (the kit's assessment is advice, not a decision)"),
    ("outcome", "has no case review recorded"),
    ("more_information", "the kit finds nothing missing from the application"),
])
def test_a_letter_that_does_not_fit_the_case_is_refused(tmp_path, ctkit, kind, words):
    ref, app, register = opened(ctkit, tmp_path, application())
    run = ctkit("case", "letter", ref, kind, "--register", str(register), "--application", str(app),
                "--signed-by", OFFICER, "-o", str(tmp_path / "letter.pdf"))
    assert run.returncode == 1 and words in run.stderr
    assert not (tmp_path / "letter.pdf").exists() and not (tmp_path / "letter.docx").exists()


def test_a_letter_for_the_wrong_application_is_refused(tmp_path, ctkit):
    ref, _app, register = opened(ctkit, tmp_path, application())
    other = write(tmp_path, "other.json", application(basis="on_behalf", asb_types=["graffiti"]))
    run = ctkit("case", "letter", ref, "acknowledgement", "--register", str(register), "--application", str(other),
                "--signed-by", OFFICER, "-o", str(tmp_path / "letter.pdf"))
    assert run.returncode == 1 and f"this does not look like the application of case {ref}" in run.stderr


def test_a_letter_is_never_written_over_an_input(tmp_path, ctkit):
    ref, app, register = opened(ctkit, tmp_path, application())
    run = ctkit("case", "letter", ref, "acknowledgement", "--register", str(register), "--application", str(app),
                "-o", str(tmp_path / "letter.txt"))
    assert run.returncode == 2 and "must name a .pdf file" in run.stderr
    (tmp_path / "app.docx").write_text("not to be overwritten")
    run = ctkit("case", "letter", ref, "acknowledgement", "--register", str(register), "--application", str(app),
                "-o", str(app.with_suffix(".pdf")))
    assert run.returncode == 0  # app.pdf and app.docx are new names, not the application (app.json)
    run = ctkit("case", "letter", ref, "acknowledgement", "--register", str(register), "--application",
                str(app.with_suffix(".pdf")), "-o", str(app.with_suffix(".pdf")))
    assert run.returncode == 2 and "is also an input of this command" in run.stderr


def _open_in_child(args):
    """In a child process: `ctkit case open` of one application, as the command does it (judge, then open)."""
    folder, guidance, n = args
    bases, types = ("victim", "on_behalf", "partner_agency"), ("noise", "harassment", "graffiti", "drugs",
                                                               "vehicles", "animals", "alcohol")
    data = application(basis=bases[n % 3], asb_types=[types[n // 3]])
    data["applicant"]["name"] = f"Applicant {n}"
    data, j = judge_file(write(Path(folder), f"app-{n}.json", data), guidance, None)
    done = open_judged(j, guidance.councils["erewash"], Path(folder) / "erewash.csv", guidance, data=data)
    return done.case_ref, [p.message for p in done.problems]


def test_twenty_case_opens_at_once_in_separate_processes_keep_every_row(tmp_path, guidance):
    """Issue 14: today's main keeps 2-5 of 20 such rows (13-15 of 200 with ten each); every one is kept here."""
    import multiprocessing
    with multiprocessing.get_context("fork").Pool(20) as pool:
        results = pool.map(_open_in_child, [(str(tmp_path), guidance, n) for n in range(20)], chunksize=1)
    assert [problems for _ref, problems in results] == [[]] * 20
    refs = sorted(int(r["case_ref"].rsplit("-", 1)[1]) for r in
                  csv.DictReader(io.StringIO((tmp_path / "erewash.csv").read_text(encoding="utf-8"))))
    assert refs == list(range(1, 21)) and sorted(int(ref.rsplit("-", 1)[1]) for ref, _ in results) == refs
