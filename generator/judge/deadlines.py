"""Working-day deadlines from `criteria.yml` timescales.

"Within 5 working days of receipt" is the fifth working day after the day received
(generator.dates counts them); a form received at a weekend starts counting on the Monday.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..dates import add_working_days
from ..model import Criteria

#: Plain names for the timescales criteria.yml names, and for the events they count from.
TIMESCALE_LABELS = {
    "acknowledge": "Acknowledge the application",
    "threshold_decision": "Tell the applicant whether the threshold is met",
    "review_meeting": "Hold the case review meeting",
    "outcome_letter": "Send the outcome of the review",
    "appeal": "Last day for the applicant to appeal",
}
START_LABELS = {
    "received": "the day the application was received",
    "decision_letter": "the day the threshold decision letter is sent",
    "review_meeting": "the day of the case review meeting",
    "outcome_letter": "the day the outcome letter is sent",
}


@dataclass
class Deadline:
    name: str
    label: str
    working_days: int
    counts_from: str             # the event named in criteria.yml (`from`)
    counts_from_label: str
    from_date: dt.date | None    # the date counted from, when known
    date: dt.date | None
    assumed_start: bool          # True when from_date is the latest date the earlier step could happen
    verified: bool

    def as_json(self) -> dict:
        return {
            "name": self.name, "label": self.label, "working_days": self.working_days,
            "counts_from": self.counts_from, "counts_from_label": self.counts_from_label,
            "from_date": self.from_date.isoformat() if self.from_date else None,
            "date": self.date.isoformat() if self.date else None,
            "assumed_start": self.assumed_start, "verified": self.verified,
        }


def deadlines_for(criteria: Criteria, received_on: dt.date, decision: str) -> list[Deadline]:
    """The deadlines that apply to an application with this decision, in the order they fall.

    Steps that count from a later event (the decision letter, the meeting) are dated from
    the latest day that event may happen, and flagged `assumed_start`; the SPOC recalculates
    once the real date is known.
    """
    wanted = ["acknowledge", "threshold_decision"]
    if decision == "threshold_met":
        wanted += ["review_meeting", "outcome_letter", "appeal"]
    elif decision == "threshold_not_met":
        wanted += ["appeal"]
    events: dict[str, dt.date] = {"received": received_on}   # events whose real date is known
    due: dict[str, dt.date] = {}                              # deadlines worked out so far
    event_of = {"decision_letter": "threshold_decision", "review_meeting": "review_meeting",
                "outcome_letter": "outcome_letter"}
    out: list[Deadline] = []
    for name in wanted:
        scale = criteria.timescales.get(name)
        if scale is None:  # e.g. version 1.0 set no appeal timescale
            continue
        start = scale.start
        from_date = events.get(start)
        assumed = False
        if from_date is None and start in event_of:
            from_date = due.get(event_of[start])
            assumed = from_date is not None
        date = add_working_days(from_date, scale.days) if from_date else None
        if date is not None:
            due[name] = date
        out.append(Deadline(name, TIMESCALE_LABELS.get(name, name.replace("_", " ").capitalize()),
                            scale.days, start, START_LABELS.get(start, start.replace("_", " ")),
                            from_date, date, assumed, scale.verified))
    return out
