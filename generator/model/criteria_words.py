"""A version's threshold and timescales in words, one row per figure.

The committee's report shows them as a table, the approved-text lock fingerprints each row, and
the report's sentences use the same words, so the three never say a figure two ways.
"""
from __future__ import annotations

from ..dates import months, working_days
from .guidance import Criteria, FiveIndividualsRoute, HateRoute, Timescale

TIMESCALE_WORDS = {
    "acknowledge": "acknowledging an application",
    "threshold_decision": "deciding whether the threshold is met",
    "review_meeting": "holding the case review meeting",
    "outcome_letter": "sending the outcome letter",
    "appeal": "an appeal to reach the OPCC",
}
FROM_WORDS = {
    "received": "the date the application was received",
    "review_meeting": "the date of the case review meeting",
    "decision_letter": "the date of the decision letter",
    "outcome_letter": "the date of the outcome letter",
}
COUNTS_WORDS = {"occasions": "incidents on separate occasions (one incident reported to two organisations "
                             "counts once)",
                "complaints": "each qualifying complaint, as the Act reads (one incident reported to two "
                              "organisations counts twice)"}
NONE = "none"


def hate_words(route: HateRoute | None) -> str:
    if route is None:
        return NONE
    return f"{route.incidents} qualifying complaint{'s' if route.incidents != 1 else ''} about a hate incident " \
           f"within {months(route.months)} of the complaints"


def individuals_words(route: FiveIndividualsRoute | None) -> str:
    if route is None:
        return NONE
    return f"{route.individuals} separate individuals reporting related incidents within {months(route.period_months)}"


def timescale_words(t: Timescale | None) -> str:
    if t is None:
        return NONE
    return f"{working_days(t.days)} from {FROM_WORDS.get(t.start, t.start.replace('_', ' '))}"


def timescale_label(name: str) -> str:
    return f"Timescale for {TIMESCALE_WORDS.get(name, name.replace('_', ' '))}"


def criteria_rows(c: Criteria, names: list[str] | None = None) -> list[tuple[str, str, str]]:
    """(key, what it is, its value in words) for every figure of `c`; `names` lists the timescales to give
    (default: the version's own), so two versions can be set side by side."""
    rows = [
        ("threshold", "Threshold", f"{c.threshold} qualifying complaints"),
        ("report_within_months", "Time to report each incident", months(c.report_within_months)),
        ("period_months", "Time from each complaint to the application", months(c.period_months)),
        ("counts", "What the threshold counts", COUNTS_WORDS.get(c.counts, c.counts)),
        ("hate_route", "Route for hate incidents", hate_words(c.hate_route)),
        ("five_individuals_route", "Route for separate individuals", individuals_words(c.five_individuals_route)),
    ]
    for name in names if names is not None else list(c.timescales):
        rows.append((f"timescales.{name}", timescale_label(name), timescale_words(c.timescales.get(name))))
    return rows
