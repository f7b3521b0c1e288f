"""The steps of a case after it is opened, each checked against the ones before it.

A step is recorded once, on the day it happened: acknowledged, decided (met or not met),
reviewed (with or without recommendations), outcome sent. Each refuses, in one sentence, a
date before the step it follows, a date after today, or a step out of order (no decision
before receipt, no review without a met threshold, no outcome before a review). Recording the
same step again with the same facts changes nothing; different facts are refused, because
the register is a record and a correction is made by hand, knowingly.
"""
from __future__ import annotations

import datetime as dt
from ..dates import longdate
from ..errors import Problem
from ..monitoring.register import Case, RowChange

DECIDED = ("threshold_met", "threshold_not_met")
DECISION_WORDS = {"threshold_met": "the threshold is met", "threshold_not_met": "the threshold is not met",
                  "pending": "no decision yet", "withdrawn": "withdrawn"}


def _problem(case: Case, message: str) -> list[Problem]:
    return [Problem(case.path, case.line, message)]


def _date_problems(case: Case, on: dt.date, today: dt.date, what: str, after: tuple[str, dt.date] | None = None) -> list[Problem]:
    if on > today:
        return _problem(case, f"{what} is dated {longdate(on)}, which is after today; record a step on the day "
                              "it happened, once it has happened")
    earlier = after or ("the application was received", case.received_on)
    if on < earlier[1]:
        return _problem(case, f"{what} cannot be dated {longdate(on)}, before {earlier[0]} "
                              f"({longdate(earlier[1])}); check the date")
    return []


def _already(case: Case, column: str, value: str, new: str, what: str) -> list[Problem] | None:
    """None when the step is not recorded yet or recorded with the same value; else the sentence refusing it."""
    if not value or value == new:
        return None
    return _problem(case, f"case {case.case_ref} already has {what} recorded ({column} {value}); the register "
                          "keeps what happened, so correct it by hand if it is wrong")


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def acknowledge(case: Case, on: dt.date, today: dt.date) -> RowChange | list[Problem]:
    problems = _date_problems(case, on, today, "The acknowledgement")
    problems = problems or _already(case, "acknowledged_on", _iso(case.acknowledged_on), on.isoformat(),
                                    "an acknowledgement")
    return problems or RowChange(case.case_ref, {"acknowledged_on": on.isoformat()})


def decide(case: Case, on: dt.date, met: bool, today: dt.date, letter_on: dt.date | None = None) -> RowChange | list[Problem]:
    decision = "threshold_met" if met else "threshold_not_met"
    if case.decision == "withdrawn":
        return _problem(case, f"case {case.case_ref} was withdrawn, so no threshold decision can be recorded")
    if case.decision in DECIDED and (case.decision != decision or case.decision_on != on):
        return _problem(case, f"case {case.case_ref} already has its decision ({DECISION_WORDS[case.decision]}, "
                              f"{longdate(case.decision_on)}); the register keeps what happened, so correct it "
                              "by hand if it is wrong")
    letter_on = letter_on or on
    problems = _date_problems(case, on, today, "The threshold decision")
    problems = problems or _date_problems(case, letter_on, today, "The decision letter",
                                          ("the decision", on))
    cells = {"decision": decision, "decision_on": on.isoformat(), "decision_letter_on": letter_on.isoformat()}
    if not problems and case.decision_letter_on and case.decision_letter_on != letter_on:
        problems = _already(case, "decision_letter_on", case.decision_letter_on.isoformat(), letter_on.isoformat(),
                            "a decision letter")
    return problems or RowChange(case.case_ref, cells)


def review(case: Case, on: dt.date, recommendations: bool, bodies: list[str], today: dt.date) -> RowChange | list[Problem]:
    if case.decision != "threshold_met":
        return _problem(case, f"no case review can be recorded for case {case.case_ref}: its decision is "
                              f"'{case.decision}', and a review is held only when the threshold is met (record "
                              "the decision first with ctkit case decide --met)")
    if bodies and not recommendations:
        return _problem(case, "--to names the bodies that received recommendations, but --recommendations is no")
    problems = _date_problems(case, on, today, "The case review", ("the threshold decision", case.decision_on))
    cells = {"review_on": on.isoformat(), "recommendations": "yes" if recommendations else "no",
             "recommendations_to": ";".join(b.strip() for b in bodies if b.strip())}
    if not problems and case.review_on is not None:
        same = (case.review_on == on and case.recommendations == recommendations
                and ";".join(case.recommendations_to) == cells["recommendations_to"])
        if not same:
            problems = _problem(case, f"case {case.case_ref} already has its case review recorded (review_on "
                                      f"{case.review_on.isoformat()}); correct it by hand if it is wrong")
    return problems or RowChange(case.case_ref, cells)


def outcome(case: Case, on: dt.date, today: dt.date) -> RowChange | list[Problem]:
    if case.review_on is None:
        return _problem(case, f"no outcome can be recorded for case {case.case_ref} before its case review; "
                              "record the review first with ctkit case review")
    problems = _date_problems(case, on, today, "The outcome letter", ("the case review", case.review_on))
    problems = problems or _already(case, "outcome_letter_on", _iso(case.outcome_letter_on), on.isoformat(),
                                    "an outcome letter")
    return problems or RowChange(case.case_ref, {"outcome_letter_on": on.isoformat()})
