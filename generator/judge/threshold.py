"""The threshold rules: which incidents qualify, and whether enough of them do.

Pure functions over dates and the version's `Criteria`, so the same rules drive the
validator, the shared case table (tests/cases/threshold_cases.yml) and, through that
table, the public eligibility checker. Every figure comes from `Criteria`.

Rules (DESIGN.md "Judging an application"): calendar months with month ends clamped
(31 August minus six months is 28/29 February), bounds inclusive; entries on the same
date and time (or the same date where either has no time) are one incident reported
twice; an incident qualifies when any of its reports does; entries are sorted, never
rejected, and a timing problem never makes the form incomplete.

Version 1.2's second route ("five separate individuals reported related incidents")
reads an optional `reported_by` on each incident: a name or reference for the person
who made that report. The route is met when that many different `reported_by` values
(compared ignoring case and spaces) appear on entries that pass the timing rules within
the route's period. It is honoured only when the version in force has the route.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..dates import longdate, months, months_after, months_before
from ..model import Criteria

#: Reason codes, in the order they are listed for an entry. The sentences live in
#: `reason_sentence`; the codes are a stable contract (JSON output, the case table).
REASON_CODES = (
    "date_missing",
    "in_future",
    "too_old",
    "reported_before_it_happened",
    "reported_too_late",
    "reported_after_received",
    "no_organisation",
    "duplicate_of_earlier_entry",
)


@dataclass(frozen=True)
class Entry:
    """One line of the incidents table as the applicant wrote it (dates already parsed)."""

    index: int                       # 0-based position in the data as given
    occurred_on: dt.date | None
    reported_on: dt.date | None
    occurred_at: str | None = None   # "HH:MM" or None
    reported_to: str = ""
    reported_by: str = ""


@dataclass
class EntryResult:
    index: int
    qualifies: bool
    reasons: list[str]
    incident: int                    # 1-based number of the incident it belongs to (in date order)
    same_as: int | None = None       # 1-based entry number of the report it duplicates


@dataclass
class Judgement:
    entries: list[EntryResult]       # in the order given
    qualifying_incidents: int
    incidents: int
    threshold_met: bool
    route: str | None                # "threshold", "five_individuals" or None
    individuals: int | None = None   # separate individuals counted, when the route exists
    window_start: dt.date | None = None
    notes: list[str] = field(default_factory=list)


def timing_reasons(entry: Entry, received_on: dt.date, period_months: int, report_within_months: int) -> list[str]:
    """Every timing or content rule this entry breaks, on its own (duplicates aside)."""
    reasons: list[str] = []
    occurred, reported = entry.occurred_on, entry.reported_on
    if occurred is None or reported is None:
        reasons.append("date_missing")
    if occurred is not None:
        if occurred > received_on:
            reasons.append("in_future")
        elif occurred < months_before(received_on, period_months):
            reasons.append("too_old")
    if occurred is not None and reported is not None:
        if reported < occurred:
            reasons.append("reported_before_it_happened")
        elif reported > months_after(occurred, report_within_months):
            reasons.append("reported_too_late")
    if reported is not None and reported > received_on:
        reasons.append("reported_after_received")
    if not (entry.reported_to or "").strip():
        reasons.append("no_organisation")
    return reasons


def group_incidents(entries: list[Entry], count_once: bool) -> list[list[Entry]]:
    """Entries grouped into incidents, in date order.

    Same date and same time → one incident; an entry without a time joins the first
    incident of its date (either side without a time means "same incident").
    Entries with no date of occurrence are each their own incident.
    """
    ordered = sorted(entries, key=lambda e: (e.occurred_on is None, e.occurred_on or dt.date.min,
                                             e.occurred_at or "", e.index))
    if not count_once:
        return [[e] for e in ordered]
    groups: list[list[Entry]] = []
    by_key: dict[tuple, list[Entry]] = {}
    first_of_day: dict[dt.date, list[Entry]] = {}
    untimed: list[Entry] = []
    for e in ordered:
        if e.occurred_on is None:
            groups.append([e])
        elif e.occurred_at:
            key = (e.occurred_on, e.occurred_at)
            if key not in by_key:
                by_key[key] = []
                groups.append(by_key[key])
                first_of_day.setdefault(e.occurred_on, by_key[key])
            by_key[key].append(e)
        else:
            untimed.append(e)
    for e in untimed:  # after the timed ones, so "either has no time" finds a timed report of that day
        group = first_of_day.get(e.occurred_on)
        if group is None:
            group = first_of_day[e.occurred_on] = []
            groups.append(group)
        group.append(e)
    groups.sort(key=lambda g: (g[0].occurred_on is None, g[0].occurred_on or dt.date.min,
                               min((x.occurred_at or "99:99") for x in g), min(x.index for x in g)))
    return groups


def judge_incidents(entries: list[Entry], received_on: dt.date, criteria: Criteria) -> Judgement:
    """Judge every entry and the application's threshold under one version's criteria."""
    own = {e.index: timing_reasons(e, received_on, criteria.period_months, criteria.report_within_months)
           for e in entries}
    results: dict[int, EntryResult] = {}
    qualifying = 0
    groups = group_incidents(entries, criteria.duplicates_count_once)
    for number, group in enumerate(groups, start=1):
        # The report that stands for the incident: the first one that qualifies (by date
        # reported, then as given), else the first one reported. Others are duplicates of it.
        by_report = sorted(group, key=lambda e: (e.reported_on or dt.date.max, e.index))
        passing = [e for e in by_report if not own[e.index]]
        primary = (passing or by_report)[0]
        if passing:
            qualifying += 1
        for e in group:
            reasons = list(own[e.index])
            same_as = None
            if e is not primary:
                reasons.append("duplicate_of_earlier_entry")
                same_as = primary.index + 1
            results[e.index] = EntryResult(e.index, not reasons, reasons, number, same_as)

    judgement = Judgement(
        entries=[results[e.index] for e in sorted(entries, key=lambda e: e.index)],
        qualifying_incidents=qualifying, incidents=len(groups),
        threshold_met=qualifying >= criteria.threshold,
        route="threshold" if qualifying >= criteria.threshold else None,
        window_start=months_before(received_on, criteria.period_months),
    )
    route = criteria.five_individuals_route
    if route is not None:
        people = {" ".join(e.reported_by.split()).casefold() for e in entries
                  if (e.reported_by or "").strip()
                  and not timing_reasons(e, received_on, route.period_months, criteria.report_within_months)}
        judgement.individuals = len(people)
        if not judgement.threshold_met and len(people) >= route.individuals:
            judgement.threshold_met = True
            judgement.route = "five_individuals"
    return judgement


def reason_sentence(code: str, entry: Entry, received_on: dt.date, criteria: Criteria,
                    same_as: int | None = None) -> str:
    """A plain-words explanation of one reason code, for the SPOC's report and letters."""
    start = months_before(received_on, criteria.period_months)
    if code == "date_missing":
        return "the date it happened or the date it was reported is missing or not a real date"
    if code == "in_future":
        return f"it happened after the application was received ({longdate(received_on)})"
    if code == "too_old":
        return (f"it happened more than {months(criteria.period_months)} before the application was received "
                f"(the earliest date that counts is {longdate(start)})")
    if code == "reported_before_it_happened":
        return "the date it was reported is before the date it happened; check both dates with the applicant"
    if code == "reported_too_late":
        latest = months_after(entry.occurred_on, criteria.report_within_months) if entry.occurred_on else None
        return (f"it was reported more than {months(criteria.report_within_months)} after it happened"
                + (f" (the last day to report it was {longdate(latest)})" if latest else ""))
    if code == "reported_after_received":
        return f"it was reported after the application was received ({longdate(received_on)})"
    if code == "no_organisation":
        return "the form does not say who it was reported to"
    if code == "duplicate_of_earlier_entry":
        return (f"it is the same incident as entry {same_as} (same date"
                + (" and time" if entry.occurred_at else "") + "), so it is counted once")
    return code
