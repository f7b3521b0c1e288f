"""The order of a case's steps, written once: the register's check and every `ctkit case` command use it.

A row may only record a step once the steps it follows are recorded, on a date no earlier
than theirs: the decision after receipt, the decision letter after the decision, the review
only after a met threshold, the outcome letter after the review, an appeal after the letter
it answers, its result after it. `order_problems` says, in one sentence each, where a row
breaks that order, in words that serve both a SPOC reading a hand-edited register and one
whose command was refused.

An acknowledgement is different: registers kept before the kit checked it hold decisions
with no acknowledgement recorded, and they must still be read. So a missing acknowledgement
is not an error of the row; it is a step `skipped` (listed by `ctkit case due`), and
`ctkit case decide` refuses to skip it without a reason (`--no-acknowledgement`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model.case_states import DECIDED, AppealResult, Decision, Step

if TYPE_CHECKING:  # the register's Case; imported for the type only (register.py imports this module)
    from .register import Case


@dataclass(frozen=True)
class Event:
    column: str
    words: str


EVENTS = {e.column: e for e in (
    Event("received_on", "the application was received"),
    Event("acknowledged_on", "the acknowledgement"),
    Event("decision_on", "the threshold decision"),
    Event("decision_letter_on", "the decision letter"),
    Event("review_on", "the case review"),
    Event("outcome_letter_on", "the outcome letter"),
    Event("appeal_received_on", "the appeal"),
    Event("appeal_result_on", "the appeal's result"),
    Event("withdrawn_on", "the withdrawal"),
    Event("recommendations_followed_up_on", "the follow-up of the recommendations"),
)}

#: Each dated step and the step it may not come before.
NOT_BEFORE = (
    ("acknowledged_on", "received_on"),
    ("decision_on", "received_on"),
    ("decision_letter_on", "decision_on"),
    ("review_on", "decision_on"),
    ("outcome_letter_on", "review_on"),
    ("appeal_received_on", "decision_letter_on"),
    ("appeal_result_on", "appeal_received_on"),
    ("withdrawn_on", "received_on"),
    ("recommendations_followed_up_on", "review_on"),
)


def _dated(case: Case, column: str) -> str:
    day = getattr(case, column)
    return f"{EVENTS[column].words} ({column} {day.isoformat()})"


def order_problems(case: Case) -> list[str]:
    """Where this row breaks the order of the steps: one sentence each, naming the columns."""
    out: list[str] = []
    decided = case.decision in DECIDED
    if decided and case.decision_on is None:
        out.append(f"the decision is '{case.decision}' but decision_on is empty; write the date it was decided")
    if case.decision == Decision.PENDING and case.decision_on is not None:
        out.append("decision_on has a date but the decision is 'pending'; write the decision or clear the date")
    if case.decision_letter_on is not None and not decided:
        out.append("a decision letter is recorded (decision_letter_on) but no threshold decision is; record the "
                   "decision first (ctkit case decide)")
    if case.review_on is not None and case.decision != Decision.THRESHOLD_MET:
        out.append(f"a case review is recorded (review_on {case.review_on.isoformat()}) but the decision is "
                   f"'{case.decision}'; a review is held only when the threshold is met (ctkit case decide --met)")
    if case.recommendations is not None and case.review_on is None:
        out.append("recommendations is filled in but no review is recorded (review_on is empty)")
    if case.recommendations_to and case.recommendations is not True:
        out.append("recommendations_to names bodies but recommendations is not 'yes'")
    if case.recommendations is True and not case.recommendations_to:
        out.append("recommendations is 'yes' but recommendations_to names no body; say which bodies received them "
                   "(ctkit case review --to \"Body one;Body two\")")
    if case.outcome_letter_on is not None and case.review_on is None:
        out.append("an outcome letter is recorded (outcome_letter_on) but no case review is (review_on is empty); "
                   "record the review first (ctkit case review)")
    if case.appeal_received_on is not None and case.decision_letter_on is None:
        out.append("an appeal is recorded (appeal_received_on) but no decision letter is (decision_letter_on is "
                   "empty); an appeal answers a letter")
    if case.appeal_result is not None and case.appeal_received_on is None:
        out.append("appeal_result is filled in but appeal_received_on is empty")
    if case.appeal_result_on is not None and case.appeal_result in (None, AppealResult.PENDING):
        out.append("appeal_result_on has a date but appeal_result is not 'upheld' or 'not_upheld'")
    if case.withdrawn_on is not None and case.decision != Decision.WITHDRAWN:
        out.append(f"withdrawn_on has a date but the decision is '{case.decision}', not 'withdrawn'")
    if case.recommendations_followed_up_on is not None and case.recommendations is not True:
        out.append("recommendations_followed_up_on has a date but the review made no recommendations")
    for later, earlier in NOT_BEFORE:
        after, before = getattr(case, later), getattr(case, earlier)
        if after is not None and before is not None and after < before:
            out.append(f"{_dated(case, later)} is dated before {_dated(case, earlier)}")
    return out


def skipped(case: Case) -> list[Step]:
    """Steps passed over: the acknowledgement, when a decision is recorded without it and without a reason."""
    if case.acknowledged_on is None and not case.no_acknowledgement and (
            case.decision in DECIDED or case.decision_on is not None):
        return [Step.ACKNOWLEDGE]
    return []


def done(case: Case) -> dict[Step, bool]:
    """Which of the SPOC's steps are behind the case (a skipped acknowledgement is not)."""
    return {Step.ACKNOWLEDGE: case.acknowledged_on is not None or bool(case.no_acknowledgement),
            Step.THRESHOLD_DECISION: case.decision != Decision.PENDING,
            Step.REVIEW_MEETING: case.review_on is not None,
            Step.OUTCOME_LETTER: case.outcome_letter_on is not None}


def closed(case: Case) -> bool:
    """Nothing more is owed to the applicant: withdrawn, not met, or the outcome sent."""
    return (case.decision in (Decision.WITHDRAWN, Decision.THRESHOLD_NOT_MET)
            or case.outcome_letter_on is not None)
