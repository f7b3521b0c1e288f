"""What is due: every open case's next steps and their dates, overdue first (`ctkit case due`).

A step is due when it has not happened and no later step has (a case decided without a
recorded acknowledgement no longer needs one). Each date is the judge's own deadline
(`judge.deadlines.deadlines_for`) counted from the real dates in the register, so the list,
the report and the letters agree. The list is "as on" a day: cases received after it are not
yet there, and steps recorded after it had not yet happened.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..dates import working_days_between
from ..judge.deadlines import deadlines_for
from ..model import Guidance
from ..monitoring.register import DATE_COLUMNS, Case

#: The SPOC's steps in order, and what shows each one has been done.
STEPS = ("acknowledge", "threshold_decision", "review_meeting", "outcome_letter")


@dataclass(frozen=True)
class Due:
    case_ref: str
    council: str
    step: str
    label: str
    due_on: dt.date
    overdue: bool
    working_days_left: int        # negative: working days overdue
    counts_from_label: str
    from_date: dt.date
    verified: bool

    def as_json(self) -> dict:
        return {"case_ref": self.case_ref, "council": self.council, "step": self.step, "label": self.label,
                "due_on": self.due_on.isoformat(), "overdue": self.overdue,
                "working_days_left": self.working_days_left}


def as_on(case: Case, day: dt.date) -> Case | None:
    """The case as it stood on `day`: None if not yet received; later steps not yet happened."""
    if case.received_on > day:
        return None
    later = {name: None for name in DATE_COLUMNS if getattr(case, name) is not None and getattr(case, name) > day}
    if "decision_on" in later:
        later["decision"] = "pending"
    if "review_on" in later:
        later.update(recommendations=None, recommendations_to=())
    return replace(case, **later) if later else case


def _done(case: Case) -> dict[str, bool]:
    done = {"acknowledge": case.acknowledged_on is not None,
            "threshold_decision": case.decision != "pending",
            "review_meeting": case.review_on is not None,
            "outcome_letter": case.outcome_letter_on is not None}
    for i, step in enumerate(STEPS):  # a later step done means the earlier ones are past
        if any(done[later] for later in STEPS[i + 1:]):
            done[step] = True
    return done


def due_for_case(guidance: Guidance, case: Case, on: dt.date) -> list[Due]:
    if case.decision in ("withdrawn", "threshold_not_met"):
        return []
    version = guidance.in_force_on(case.received_on)
    if version is None:
        return []
    events = {"decision_letter": case.decision_letter_on, "review_meeting": case.review_on,
              "outcome_letter": case.outcome_letter_on}
    done = _done(case)
    out = []
    for d in deadlines_for(guidance.criteria_for(version), case.received_on, case.decision, events):
        if d.name not in done or done[d.name] or d.date is None or d.assumed_start:
            continue
        out.append(Due(case.case_ref, case.council, d.name, d.label, d.date, d.date < on,
                       working_days_between(on, d.date), d.counts_from_label, d.from_date, d.verified))
    return out


def due_list(guidance: Guidance, cases: list[Case], on: dt.date) -> list[Due]:
    """Every open case's outstanding steps: overdue first (most overdue at the top), then by date."""
    out = []
    for case in cases:
        seen = as_on(case, on)
        if seen is not None:
            out += due_for_case(guidance, seen, on)
    return sorted(out, key=lambda d: (not d.overdue, d.due_on, d.case_ref, STEPS.index(d.step)))
