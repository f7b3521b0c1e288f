"""The statutory figures and the practitioners' breakdowns for one reporting year.

Each statutory figure counts the event it names by that event's own date (ARCHITECTURE.md): an
application received on 31 March and reviewed on 1 April is "received" in one year and
a "review" in the next. Timeliness is measured in working days with the validator's own
working-day rule (generator.dates), against the timescales of the guidance
version in force on the day each application was received.
"""
from __future__ import annotations

import datetime as dt
import re
import statistics
from dataclasses import dataclass
from typing import Any, Iterable

from ..dates import working_days_between
from ..model import Guidance
from ..model.case_states import DECIDED, AppealResult, Decision
from .register import Case, asb_types

STATUTORY = ("received", "threshold_not_met", "reviews", "reviews_with_recommendations")
BASES = ("victim", "on_behalf", "partner_agency")
APPEAL_RESULTS = tuple(r.value for r in AppealResult)
TOTAL = "total"


@dataclass(frozen=True)
class Year:
    """A reporting year, e.g. 2025-26: from its start day to the day before the next start."""

    start_year: int
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    def __contains__(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def reporting_year(guidance: Guidance, start_year: int) -> Year:
    begins = guidance.monitoring["reporting_year_start"]
    start = dt.date(start_year, begins["month"], begins["day"])
    following = dt.date(start_year + 1, begins["month"], begins["day"])
    return Year(start_year, start, following - dt.timedelta(days=1))


def parse_year(guidance: Guidance, text: str) -> Year | None:
    """'2025-26' → the year starting in 2025; None when the text is not such a year."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or (int(match[1]) + 1) % 100 != int(match[2]) or not 1900 <= int(match[1]) < 9999:
        return None
    return reporting_year(guidance, int(match[1]))


def year_containing(guidance: Guidance, day: dt.date) -> Year:
    year = reporting_year(guidance, day.year)
    return year if day >= year.start else reporting_year(guidance, day.year - 1)


def latest_complete_year(guidance: Guidance, today: dt.date | None = None) -> Year:
    current = year_containing(guidance, today or dt.date.today())
    return reporting_year(guidance, current.start_year - 1)


def years_on_record(guidance: Guidance, cases: Iterable[Case]) -> list[Year]:
    """Every reporting year from the first event recorded to the last, gaps included."""
    days = [d for case in cases for d in case.dates]
    if not days:
        return []
    first, last = year_containing(guidance, min(days)), year_containing(guidance, max(days))
    return [reporting_year(guidance, y) for y in range(first.start_year, last.start_year + 1)]


def _timeliness(guidance: Guidance, cases: list[Case], event: str, timescale: str) -> dict[str, Any]:
    """Median working days from receipt to `event`, and how many met the guidance timescale."""
    taken, within, limits = [], 0, set()
    for case in cases:
        days = working_days_between(case.received_on, getattr(case, event))
        taken.append(days)
        version = guidance.in_force_on(case.received_on)
        scale = guidance.criteria_for(version).timescales.get(timescale) if version else None
        if scale is not None:
            limits.add(scale.days)
            within += days <= scale.days
    median = statistics.median(taken) if taken else None
    if isinstance(median, float) and median.is_integer():
        median = int(median)
    return {"count": len(taken), "median_working_days": median, "within_timescale": within,
            "timescale_working_days": sorted(limits)}


def figures(guidance: Guidance, cases: list[Case], year: Year) -> dict[str, Any]:
    """One figures object of `ctkit stats --format json` (schemas/stats.schema.json)."""
    received = [c for c in cases if c.received_on in year]
    decided = [c for c in cases if c.decision in DECIDED and c.decision_on in year]
    reviews = [c for c in cases if c.review_on in year]
    appeals = [c for c in cases if c.appeal_received_on in year]
    return {
        "received": len(received),
        "threshold_not_met": sum(c.decision == Decision.THRESHOLD_NOT_MET for c in decided),
        "reviews": len(reviews),
        "reviews_with_recommendations": sum(c.recommendations is True for c in reviews),
        "threshold_met": sum(c.decision == Decision.THRESHOLD_MET for c in decided),
        "withdrawn": sum(c.decision == Decision.WITHDRAWN for c in received),
        "pending": sum(c.decision == Decision.PENDING for c in received),
        "hate_incidents": sum(c.hate_incident is True for c in received),
        "by_basis": {b: sum(c.basis == b for c in received) for b in BASES},
        "by_asb_type": {t: sum(t in c.asb_types for c in received) for t in asb_types(guidance)},
        "appeals": {"received": len(appeals),
                    **{r: sum((c.appeal_result or AppealResult.PENDING) == r for c in appeals) for r in APPEAL_RESULTS}},
        "to_decision": _timeliness(guidance, decided, "decision_on", "threshold_decision"),
        "to_review": _timeliness(guidance, reviews, "review_on", "review_meeting"),
    }


def year_report(guidance: Guidance, cases: list[Case], year: Year, councils: Iterable[str] | None = None,
                today: dt.date | None = None) -> dict[str, Any]:
    """`{"year", "from", "to", "counted_to", "year_to_date", "councils": {id: figures}, "total": figures}` — the
    JSON contract. A year not yet over is counted to today and says so (`year_to_date`), so its figures are never
    read as a whole year's."""
    ids = sorted(set(councils) if councils is not None else {c.council for c in cases})
    today = today or dt.date.today()
    return {
        "year": year.label,
        "from": year.start.isoformat(),
        "to": year.end.isoformat(),
        "counted_to": min(year.end, today).isoformat(),
        "year_to_date": year.end > today,
        "councils": {cid: figures(guidance, [c for c in cases if c.council == cid], year) for cid in ids},
        "total": figures(guidance, cases, year),
    }
