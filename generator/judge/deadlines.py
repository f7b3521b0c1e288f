"""Working-day deadlines from `criteria.yml` timescales: one calculation for the report, the letters
and `ctkit case due`.

"Within 5 working days of receipt" is the fifth working day after the day received
(generator.dates counts them); a form received at a weekend starts counting on the Monday.
A step that counts from a later event (the decision letter, the meeting) is dated from that
event's real date when it is known (the case register records it), and otherwise from the
latest day the event may happen, flagged `assumed_start`. So the report made on the day an
application arrives, the letter sent weeks later and the list of what is due all give the same
date for the same facts, and say what it counts from.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
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
#: The event that ends each step: the deadline a later step may count from when its real date is not known.
EVENT_OF_STEP = {"decision_letter": "threshold_decision", "review_meeting": "review_meeting",
                 "outcome_letter": "outcome_letter"}
EVENTS = ("received", *EVENT_OF_STEP)


@dataclass
class Deadline:
    name: str
    label: str
    working_days: int
    counts_from: str             # the event named in criteria.yml (`from`), or the letter an appeal answers
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


def _appeal_start(start: str, decision: str) -> str:
    """The appeal runs from the letter giving the decision the applicant is unhappy with (the guidance's
    words): after a case review that is the outcome letter, otherwise the threshold decision letter."""
    return "outcome_letter" if start == "decision_letter" and decision == "threshold_met" else start


def deadlines_for(criteria: Criteria, received_on: dt.date, decision: str,
                  events: Mapping[str, dt.date | None] | None = None) -> list[Deadline]:
    """The deadlines that apply to an application with this decision, in the order they fall.

    `events` gives the real dates already known (`decision_letter`, `review_meeting`,
    `outcome_letter`); a step counting from an event not yet known is dated from the latest
    day that event may happen, and flagged `assumed_start`.
    """
    wanted = ["acknowledge", "threshold_decision"]
    if decision == "threshold_met":
        wanted += ["review_meeting", "outcome_letter", "appeal"]
    elif decision == "threshold_not_met":
        wanted += ["appeal"]
    known: dict[str, dt.date] = {"received": received_on, **{k: v for k, v in (events or {}).items() if v}}
    due: dict[str, dt.date] = {}                              # deadlines worked out so far
    out: list[Deadline] = []
    for name in wanted:
        scale = criteria.timescales.get(name)
        if scale is None:  # e.g. version 1.0 set no appeal timescale
            continue
        start = _appeal_start(scale.start, decision) if name == "appeal" else scale.start
        from_date = known.get(start)
        assumed = False
        if from_date is None and start in EVENT_OF_STEP:
            from_date = due.get(EVENT_OF_STEP[start])
            assumed = from_date is not None
        date = add_working_days(from_date, scale.days) if from_date else None
        if date is not None:
            due[name] = date
        out.append(Deadline(name, TIMESCALE_LABELS.get(name, name.replace("_", " ").capitalize()),
                            scale.days, start, START_LABELS.get(start, start.replace("_", " ")),
                            from_date, date, assumed, scale.verified))
    return out
