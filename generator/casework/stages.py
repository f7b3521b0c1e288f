"""The steps of a case after it is opened, and the corrections to it: each a change of one row.

A step is recorded once, on the day it happened: acknowledged, decided (met or not met),
reviewed (with or without recommendations), outcome sent, the recommendations followed up;
and, when they happen, a withdrawal or an appeal and its result. Each function here only
says which cells the step sets. Whether the row it makes keeps the order of the steps, with
dates no earlier than the steps they follow and none after today, is checked in one place,
the register's own check (`monitoring.stage_order`), which refuses it in one sentence.

What is said here is what only a change can know: a step recorded again with other facts
(a correction is `ctkit case amend`, made knowingly), a decision with no acknowledgement
sent and no reason given, a withdrawal after the threshold was met (the bodies must then
hold the review, s.104).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..dates import longdate
from ..errors import Problem
from ..model.case_states import DECIDED, DECISION_WORDS, AppealResult, Basis, Decision
from ..monitoring.register import Case
from ..monitoring.register_write import RowChange
from ..monitoring.stage_order import skipped


def _problem(case: Case, message: str) -> list[Problem]:
    return [Problem(case.path, case.line, message)]


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _again(case: Case, cells: dict[str, str], what: str) -> list[Problem]:
    """A step already recorded with other facts is refused: the register keeps what happened."""
    differ = [(column, case_value) for column, value in cells.items()
              if (case_value := _cell(case, column)) and case_value != value]
    if not differ:
        return []
    column, value = differ[0]
    return _problem(case, f"case {case.case_ref} already has {what} recorded ({column} {value}); the register keeps "
                          f"what happened, so if it is wrong correct it with ctkit case amend {case.case_ref}")


def _cell(case: Case, column: str) -> str:
    value = getattr(case, column)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ";".join(value)
    return "" if value is None or value == Decision.PENDING else str(value)


def acknowledge(case: Case, on: dt.date) -> RowChange | list[Problem]:
    cells = {"acknowledged_on": on.isoformat()}
    return _again(case, cells, "an acknowledgement") or RowChange(case.case_ref, cells)


def decide(case: Case, on: dt.date, met: bool, letter_on: dt.date | None = None,
           no_acknowledgement: str | None = None) -> RowChange | list[Problem]:
    decision = Decision.THRESHOLD_MET if met else Decision.THRESHOLD_NOT_MET
    if case.decision == Decision.WITHDRAWN:
        return _problem(case, f"case {case.case_ref} was withdrawn, so no threshold decision can be recorded")
    if case.decision in DECIDED and (case.decision != decision or case.decision_on != on):
        return _problem(case, f"case {case.case_ref} already has its decision ({DECISION_WORDS[case.decision]}, "
                              f"{longdate(case.decision_on)}); the register keeps what happened, so if it is wrong "
                              f"correct it with ctkit case amend {case.case_ref}")
    reason = (no_acknowledgement or "").strip()
    if skipped(replace(case, decision=decision, no_acknowledgement=reason or None)):
        return _problem(case, f"case {case.case_ref} has no acknowledgement recorded; record it first (ctkit case "
                              f"acknowledge {case.case_ref} --on DATE), or say why none was sent with "
                              "--no-acknowledgement REASON")
    cells = {"decision": decision.value, "decision_on": on.isoformat(),
             "decision_letter_on": (letter_on or on).isoformat()}
    problems = _again(case, {"decision_letter_on": cells["decision_letter_on"]}, "a decision letter")
    if reason:
        cells["no_acknowledgement"] = reason
    return problems or RowChange(case.case_ref, cells)


def review(case: Case, on: dt.date, recommendations: bool, bodies: list[str]) -> RowChange | list[Problem]:
    if bodies and not recommendations:
        return _problem(case, "--to names the bodies that received recommendations, but --recommendations is no")
    cells = {"review_on": on.isoformat(), "recommendations": "yes" if recommendations else "no",
             "recommendations_to": ";".join(b.strip() for b in bodies if b.strip())}
    if case.review_on is not None and any(_cell(case, c) != v for c, v in cells.items()):
        return _problem(case, f"case {case.case_ref} already has its case review recorded (review_on "
                              f"{case.review_on.isoformat()}); if it is wrong correct it with ctkit case amend "
                              f"{case.case_ref}")
    return RowChange(case.case_ref, cells)


def outcome(case: Case, on: dt.date) -> RowChange | list[Problem]:
    cells = {"outcome_letter_on": on.isoformat()}
    return _again(case, cells, "an outcome letter") or RowChange(case.case_ref, cells)


def follow_up(case: Case, on: dt.date) -> RowChange | list[Problem]:
    cells = {"recommendations_followed_up_on": on.isoformat()}
    return _again(case, cells, "the follow-up of its recommendations") or RowChange(case.case_ref, cells)


def withdraw(case: Case, on: dt.date, reason: str | None) -> RowChange | list[Problem]:
    if case.decision in DECIDED:
        why = ("the threshold is met, so the bodies must hold the case review (s.104); record what happens with "
               "ctkit case review" if case.decision == Decision.THRESHOLD_MET else
               "the threshold is not met and the case is closed")
        return _problem(case, f"case {case.case_ref} cannot be withdrawn: {why}")
    cells = {"decision": Decision.WITHDRAWN.value, "withdrawn_on": on.isoformat(),
             "withdrawal_reason": (reason or "").strip()}
    if case.decision == Decision.WITHDRAWN:
        return _again(case, {"withdrawn_on": cells["withdrawn_on"]}, "a withdrawal") or RowChange(case.case_ref, cells)
    return RowChange(case.case_ref, cells)


def appeal_received(case: Case, on: dt.date) -> RowChange | list[Problem]:
    cells = {"appeal_received_on": on.isoformat(), "appeal_result": case.appeal_result or AppealResult.PENDING.value}
    return _again(case, {"appeal_received_on": cells["appeal_received_on"]}, "an appeal") or \
        RowChange(case.case_ref, cells)


def appeal_result(case: Case, on: dt.date, result: AppealResult) -> RowChange | list[Problem]:
    if case.appeal_received_on is None:
        return _problem(case, f"case {case.case_ref} has no appeal recorded; record it first with ctkit case appeal "
                              f"{case.case_ref} --received DATE")
    cells = {"appeal_result": result.value, "appeal_result_on": on.isoformat()}
    if case.appeal_result not in (None, AppealResult.PENDING):
        return _again(case, cells, "the appeal's result") or RowChange(case.case_ref, cells)
    return RowChange(case.case_ref, cells)


def amend(case: Case, received: dt.date | None = None, basis: Basis | None = None, owner: str | None = None,
          application: str | None = None) -> RowChange | list[Problem]:
    """A correction of what was recorded when the case was opened, said and made knowingly."""
    cells = {}
    if received is not None:
        cells["received_on"] = received.isoformat()
    if basis is not None:
        cells["basis"] = basis.value
    if owner is not None:
        cells["owner"] = owner.strip()
    if application is not None:
        cells["application"] = application
    if not cells:
        return _problem(case, "say what to correct: --received DATE, --basis, --owner or --application FILE")
    return RowChange(case.case_ref, cells)


def changes_in_words(case: Case, change: RowChange) -> list[str]:
    """'received_on 2026-11-03 → 2026-11-02': what a correction changed, for the SPOC's record."""
    return [f"{column} {_cell(case, column) or '(empty)'} → {value or '(empty)'}"
            for column, value in change.cells.items() if _cell(case, column) != value]
