"""What is due: the SPOC's morning list (`ctkit case due`).

For every case: each step not yet done and its date, overdue first (an acknowledgement
never sent still shows, even once the case is decided, unless a reason was recorded); the
answers still to chase from its application; an appeal window still open, an appeal waiting
for its result, and recommendations not yet followed up; each with the case's owner. A step
is otherwise due when it has not happened and no later step has. Each date is the judge's
own deadline (`judge.deadlines.deadlines_for`) counted from the real dates in the register,
so the list, the report and the letters agree. The list is "as on" a day: cases received
after it are not yet there, and steps recorded after it had not yet happened.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Callable

from ..dates import working_days_between
from ..judge.deadlines import deadlines_for
from ..model import Criteria, Guidance
from ..model.case_states import AppealResult, Decision, Step
from ..monitoring.register import DATE_COLUMNS, Case
from ..monitoring.stage_order import closed, done

#: The items that are not deadlines of the SPOC's own, in the order the list shows them.
OTHER_ITEMS = {"answers": "Answers to chase", "appeal_window": "Appeal window open",
               "appeal_result": "Appeal awaiting the OPCC's result", "recommendations": "Recommendations to follow up"}
STEP_ORDER = (*Step, *OTHER_ITEMS)


@dataclass(frozen=True)
class Due:
    case_ref: str
    council: str
    step: str
    label: str
    due_on: dt.date | None
    overdue: bool
    working_days_left: int | None     # negative: working days overdue
    counts_from_label: str = ""
    from_date: dt.date | None = None
    verified: bool = True
    owner: str | None = None
    detail: str = ""

    @property
    def is_deadline(self) -> bool:
        return self.step in tuple(Step)

    def as_json(self) -> dict:
        return {"case_ref": self.case_ref, "council": self.council, "step": self.step, "label": self.label,
                "due_on": self.due_on.isoformat() if self.due_on else None, "overdue": self.overdue,
                "working_days_left": self.working_days_left, "owner": self.owner or "", "detail": self.detail}


def as_on(case: Case, day: dt.date) -> Case | None:
    """The case as it stood on `day`: None if not yet received; later steps not yet happened."""
    if case.received_on > day:
        return None
    later = {name: None for name in DATE_COLUMNS if getattr(case, name) is not None and getattr(case, name) > day}
    if "decision_on" in later or "withdrawn_on" in later:
        later["decision"] = Decision.PENDING
    if "review_on" in later:
        later.update(recommendations=None, recommendations_to=())
    if "appeal_result_on" in later:
        later["appeal_result"] = AppealResult.PENDING
    if "appeal_received_on" in later:
        later["appeal_result"] = None
    return replace(case, **later) if later else case


def _events(case: Case) -> dict[str, dt.date | None]:
    return {"decision_letter": case.decision_letter_on, "review_meeting": case.review_on,
            "outcome_letter": case.outcome_letter_on}


class _Criteria:
    """The criteria in force on each day a case was received, looked up once a day (a register has many cases
    a day, and thousands of days)."""

    def __init__(self, guidance: Guidance):
        self.guidance, self.memo = guidance, {}

    def __call__(self, day: dt.date) -> Criteria | None:
        if day not in self.memo:
            version = self.guidance.in_force_on(day)
            self.memo[day] = self.guidance.criteria_for(version) if version else None
        return self.memo[day]


def _steps(criteria: Criteria | None, case: Case, on: dt.date) -> list[Due]:
    if criteria is None or case.decision == Decision.WITHDRAWN or closed(case):
        return []
    finished = done(case)
    for i, step in enumerate(Step):   # a later step done means the steps between are past (not the acknowledgement)
        if i and any(finished[later] for later in tuple(Step)[i + 1:]):
            finished[step] = True
    out = []
    for d in deadlines_for(criteria, case.received_on, case.decision, _events(case)):
        if d.name not in finished or finished[d.name] or d.date is None or d.assumed_start:
            continue
        out.append(Due(case.case_ref, case.council, d.name, d.label, d.date, d.date < on,
                       working_days_between(on, d.date), d.counts_from_label, d.from_date, d.verified, case.owner))
    return out


def _appeal(criteria: Criteria | None, case: Case, on: dt.date) -> list[Due]:
    if case.appeal_received_on is not None:
        if case.appeal_result in (None, AppealResult.PENDING):
            return [Due(case.case_ref, case.council, "appeal_result", OTHER_ITEMS["appeal_result"], None, False, None,
                        owner=case.owner, detail=f"received {case.appeal_received_on.isoformat()}")]
        return []
    answered = case.outcome_letter_on if case.decision == Decision.THRESHOLD_MET else (
        case.decision_letter_on if case.decision == Decision.THRESHOLD_NOT_MET else None)
    scale = criteria.timescales.get("appeal") if criteria else None
    # n working days never take more than 2n + 14 calendar days (weekends and a Christmas): long past, no window
    if answered is None or scale is None or answered + dt.timedelta(days=2 * scale.days + 14) < on:
        return []
    window = next((d for d in deadlines_for(criteria, case.received_on, case.decision, _events(case))
                   if d.name == "appeal"), None)
    if window is None or window.date is None or window.date < on:
        return []
    return [Due(case.case_ref, case.council, "appeal_window", OTHER_ITEMS["appeal_window"], window.date, False,
                working_days_between(on, window.date), window.counts_from_label, window.from_date, window.verified,
                case.owner, "the applicant may appeal to the OPCC until this day")]


def _follow_up(case: Case) -> list[Due]:
    if case.recommendations is not True or case.recommendations_followed_up_on is not None:
        return []
    return [Due(case.case_ref, case.council, "recommendations", OTHER_ITEMS["recommendations"], None, False, None,
                owner=case.owner, detail="ask " + ", ".join(case.recommendations_to) + " whether they accept them")]


def due_for_case(guidance: Guidance, case: Case, on: dt.date,
                 chase: Callable[[Case], str | None] | None = None, criteria: _Criteria | None = None) -> list[Due]:
    in_force = (criteria or _Criteria(guidance))(case.received_on)
    out = _steps(in_force, case, on) + _appeal(in_force, case, on) + _follow_up(case)
    if chase is not None and not closed(case) and case.decision != Decision.WITHDRAWN:
        answers = chase(case)
        if answers:
            out.append(Due(case.case_ref, case.council, "answers", OTHER_ITEMS["answers"], None, False, None,
                           owner=case.owner, detail=answers))
    return out


def due_list(guidance: Guidance, cases: list[Case], on: dt.date,
             chase: Callable[[Case], str | None] | None = None) -> list[Due]:
    """Every case's outstanding items: deadlines overdue first (most overdue at the top), then by date,
    then the items without a deadline of the SPOC's own."""
    out = []
    criteria = _Criteria(guidance)
    for case in cases:
        seen = as_on(case, on)
        if seen is not None:
            out += due_for_case(guidance, seen, on, chase if seen is case else None, criteria)
    return sorted(out, key=lambda d: (not d.is_deadline, not d.overdue, STEP_ORDER.index(d.step) if not d.is_deadline
                                      else 0, d.due_on or dt.date.max, d.case_ref, STEP_ORDER.index(d.step)))


def this_week(on: dt.date, d: Due) -> bool:
    """Due by the Sunday of the week of `on`."""
    return d.due_on is not None and d.due_on <= on + dt.timedelta(days=6 - on.weekday())
