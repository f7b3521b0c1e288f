"""The threshold rules as the Act reads them: which reports are qualifying complaints, and are there enough.

Pure functions over dates and one version's `Criteria`, so the same rules drive the
validator and, through the shared case table (tests/cases/threshold_cases.yml), the public
date checker (judge.js). Every figure comes from `Criteria`. ARCHITECTURE.md "Judging an
application" (as the Act reads) is the specification:

- A report (one entry of the incidents table) is a *qualifying complaint* when it names the
  organisation it was made to, was made on or after the day of the behaviour and within
  `report_within_months` of it, was made on or before the day the application was received,
  and the application was received within `period_months` of the report (s.104(11): the
  months run from the complaint, not from the incident). Calendar months clamp month ends;
  every bound is inclusive.
- Two counts: `qualifying_complaints` (each qualifying report: the Act's own measure, which
  decides in every version, s.104(4)) and `qualifying_incidents` (the local "separate
  occasions": on one date, as many as the distinct times the qualifying reports give, or one
  when none gives a time), shown beside it and never deciding. `counts: occasions` in
  criteria.yml is only the record of what approved 2.0 said.
- Routes: the threshold itself; version 1.x's five separate individuals (read from an optional
  `reported_by` on each report); an optional hate route. Each is met on its own.
- Entries are sorted, never rejected; a timing problem never makes the form incomplete; a late
  second report never cancels an in-time first one.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..dates import longdate, months, months_after
from ..model import Criteria

#: Reason codes, in the order they are listed for an entry: a stable contract (JSON output,
#: the case table, judge.js). The sentences live in `reason_sentence`.
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
ROUTES = ("threshold", "five_individuals", "hate")


@dataclass(frozen=True)
class Entry:
    """One line of the incidents table as the applicant wrote it (dates already parsed)."""

    index: int                       # 0-based position in the data as given
    occurred_on: dt.date | None
    reported_on: dt.date | None
    occurred_at: str | None = None   # "HH:MM" or None
    reported_to: str = ""
    reported_by: str = ""


@dataclass(frozen=True)
class EntryResult:
    index: int
    complaint: bool                  # a qualifying complaint as the Act reads (timing and organisation)
    qualifies: bool                  # counted towards the deciding count: the same as `complaint`
    reasons: tuple[str, ...]         # why it is not counted, in REASON_CODES order; a last
    #                                  duplicate_of_earlier_entry is only a note (same occasion, still counted)
    incident: int                    # 1-based number of the occasion it belongs to (in date order)
    same_as: int | None = None       # 1-based entry number of the report that stands for its occasion
    untimed_merge: bool = False      # in one occasion with another report only because a time is missing


@dataclass
class Tally:
    """What the entries add up to under one version's criteria."""

    entries: list[EntryResult]       # in the order given
    qualifying_complaints: int
    qualifying_incidents: int
    incidents: int                   # distinct occasions among all entries
    threshold_met: bool
    route: str | None                # one of ROUTES, or None
    deciding_count: int              # the qualifying complaints (the Act's count, in every version)
    incidents_if_untimed_apart: int  # qualifying incidents if every untimed report were its own occasion
    individuals: int | None = None   # separate individuals counted, when the version has that route


def latest_application_day(reported_on: dt.date, criteria: Criteria, window: int | None = None) -> dt.date:
    """The last day an application counting this report can be received (the report + the window)."""
    return months_after(reported_on, criteria.period_months if window is None else window)


def timing_reasons(entry: Entry, received_on: dt.date, criteria: Criteria, window: int | None = None) -> list[str]:
    """Every rule of a qualifying complaint this entry breaks, on its own (duplicates aside)."""
    reasons: list[str] = []
    occurred, reported = entry.occurred_on, entry.reported_on
    if occurred is None or reported is None:
        reasons.append("date_missing")
    if occurred is not None and occurred > received_on:
        reasons.append("in_future")
    if reported is not None and reported <= received_on \
            and received_on > latest_application_day(reported, criteria, window):
        reasons.append("too_old")
    if occurred is not None and reported is not None:
        if reported < occurred:
            reasons.append("reported_before_it_happened")
        elif reported > months_after(occurred, criteria.report_within_months):
            reasons.append("reported_too_late")
    if reported is not None and reported > received_on:
        reasons.append("reported_after_received")
    if not (entry.reported_to or "").strip():
        reasons.append("no_organisation")
    return reasons


def _occasion_keys(entries: list[Entry], complaint: dict[int, bool], merge_untimed: bool = True) -> dict[int, tuple]:
    """Each entry's occasion, as a key that does not depend on the order of the entries.

    Same date and time: one occasion. On one date, the qualifying entries make as many occasions
    as the distinct times they give, or one when none gives a time: an untimed entry joins the
    earliest qualifying time of its date, and never a non-qualifying entry (ARCHITECTURE.md "Counting").
    An entry with no date of occurrence, and an untimed entry with no qualifying entry that day,
    is an occasion of its own. With `merge_untimed` False every untimed entry stands alone (the
    count the SPOC is shown "if they were separate incidents").
    """
    qualifying_times: dict[dt.date, list[str]] = {}
    for e in entries:
        if e.occurred_on is not None and complaint[e.index]:
            times = qualifying_times.setdefault(e.occurred_on, [])
            if e.occurred_at:
                times.append(e.occurred_at)
    keys = {}
    for e in entries:
        if e.occurred_on is None:
            keys[e.index] = (1, dt.date.max, "", e.index)
        elif e.occurred_at:
            keys[e.index] = (0, e.occurred_on, e.occurred_at, -1)
        elif merge_untimed and e.occurred_on in qualifying_times:
            keys[e.index] = (0, e.occurred_on, min(qualifying_times[e.occurred_on], default=""), -1)
        else:
            keys[e.index] = (0, e.occurred_on, "", e.index)
    return keys


def group_occasions(entries: list[Entry], complaint: dict[int, bool], merge_untimed: bool = True) -> list[list[Entry]]:
    """Entries grouped into occasions, in date and time order (see `_occasion_keys`)."""
    keys = _occasion_keys(entries, complaint, merge_untimed)
    groups: dict[tuple, list[Entry]] = {}
    for e in sorted(entries, key=lambda e: e.index):
        groups.setdefault(keys[e.index], []).append(e)
    return [groups[k] for k in sorted(groups)]


def _qualifying_occasions(groups: list[list[Entry]], complaint: dict[int, bool]) -> int:
    return sum(1 for g in groups if any(complaint[e.index] for e in g))


def judge_incidents(entries: list[Entry], received_on: dt.date, criteria: Criteria,
                    hate_incident: bool = False) -> Tally:
    """Judge every entry and the application's threshold under one version's criteria.

    The qualifying complaints decide, in every version (s.104(4)); the occasions are counted
    and shown beside them, never deciding."""
    own = {e.index: timing_reasons(e, received_on, criteria) for e in entries}
    complaint = {i: not reasons for i, reasons in own.items()}
    groups = group_occasions(entries, complaint)
    results: dict[int, EntryResult] = {}
    for number, group in enumerate(groups, start=1):
        # The report that stands for the occasion: the first one that qualifies (by date
        # reported, then as given), else the first one reported.
        by_report = sorted(group, key=lambda e: (e.reported_on or dt.date.max, e.index))
        passing = [e for e in by_report if complaint[e.index]]
        primary = (passing or by_report)[0]
        untimed_merge = len(group) > 1 and any(not e.occurred_at for e in group)
        for e in group:
            reasons = list(own[e.index])
            same_as = None
            if e is not primary:
                same_as = primary.index + 1
                reasons.append("duplicate_of_earlier_entry")   # a note: it adds no occasion, it still counts
            results[e.index] = EntryResult(e.index, complaint[e.index], complaint[e.index], tuple(reasons), number,
                                           same_as, untimed_merge)

    complaints = sum(complaint.values())
    incidents = _qualifying_occasions(groups, complaint)
    met = complaints >= criteria.threshold
    tally = Tally(
        entries=[results[e.index] for e in sorted(entries, key=lambda e: e.index)],
        qualifying_complaints=complaints, qualifying_incidents=incidents, incidents=len(groups),
        threshold_met=met, route="threshold" if met else None, deciding_count=complaints,
        incidents_if_untimed_apart=_qualifying_occasions(group_occasions(entries, complaint, merge_untimed=False),
                                                         complaint),
    )
    _other_routes(tally, entries, received_on, criteria, hate_incident)
    return tally


#: The spaces between the words of a name; judge.js uses the same characters (NAME_SPACES there).
_NAME_SPACES = re.compile("[ \t\n\r\f\v\u00a0]+")


def person_key(name: str) -> str:
    """One person however the name is spaced or cased ("Straße" and "STRASSE" are one): the
    full Unicode upper-then-lower mapping, which JavaScript's toUpperCase().toLowerCase() shares."""
    return _NAME_SPACES.sub(" ", name or "").strip(" ").upper().lower()


def _other_routes(tally: Tally, entries: list[Entry], received_on: dt.date, criteria: Criteria,
                  hate_incident: bool) -> None:
    """The version's extra routes, each met on its own when the threshold itself is not."""
    route = criteria.five_individuals_route
    if route is not None:
        people = {person_key(e.reported_by) for e in entries
                  if person_key(e.reported_by) and not timing_reasons(e, received_on, criteria, route.period_months)}
        tally.individuals = len(people)
        if not tally.threshold_met and len(people) >= route.individuals:
            tally.threshold_met, tally.route = True, "five_individuals"
    hate = criteria.hate_route
    if hate is not None and hate_incident and not tally.threshold_met:
        within = sum(1 for e in entries if not timing_reasons(e, received_on, criteria, hate.months))
        if within >= hate.incidents:
            tally.threshold_met, tally.route = True, "hate"


def reason_sentence(code: str, entry: Entry, received_on: dt.date, criteria: Criteria,
                    same_as: int | None = None) -> str:
    """A plain-words explanation of one reason code, for the SPOC's report and letters."""
    if code == "date_missing":
        return "the date it happened or the date it was reported is missing or not a real date"
    if code == "in_future":
        return f"it happened after the application was received ({longdate(received_on)})"
    if code == "too_old":
        last = latest_application_day(entry.reported_on, criteria) if entry.reported_on else None
        return (f"it was reported more than {months(criteria.period_months)} before the application was received"
                + (f" (an application had to arrive by {longdate(last)} for this report to count)" if last else ""))
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
                + (" and time" if entry.occurred_at else "") + "), so it is not a separate occasion")
    return code
