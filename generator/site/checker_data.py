"""What the date checker page carries for its script: the criteria, the rule in words, the questions' words.

The checker (assets/ctkit/judge.js and checker.js) runs in the resident's browser, so it is
given, as JSON in the page, the same figures the validator uses (guidance/criteria.yml),
the same sentences the pages use (guidance/wording.yml) and the labels, hints and error
messages of the incident questions from the application form's model. Nothing is typed twice.
"""
from __future__ import annotations

import html
from typing import Any

from ..model import Criteria, Guidance, date_example, dated_hint
from ..model.values import reading_export
from ..templating import render_text

#: The incident questions the checker asks (their ids in the application form's incidents rows).
CHECKER_QUESTIONS = ("occurred_on", "occurred_at", "reported_on", "reported_to")


def criteria_export(criteria: Criteria) -> dict[str, Any]:
    """The figures the browser checker needs, from the same Criteria the validator uses, and the one
    reading of dates and times (the years a date may have, the time pattern)."""
    route, hate = criteria.five_individuals_route, criteria.hate_route
    return {
        "version": criteria.version,
        "threshold": criteria.threshold,
        "period_months": criteria.period_months,
        "report_within_months": criteria.report_within_months,
        "counts": criteria.counts,
        "five_individuals_route": ({"individuals": route.individuals, "period_months": route.period_months}
                                   if route else None),
        "hate_route": {"incidents": hate.incidents, "months": hate.months} if hate else None,
        "reading": reading_export(),
    }


def checker_words(guidance: Guidance, context: dict[str, Any]) -> dict[str, Any]:
    """The rule sentences and the incident questions' words, as plain text for the script."""
    form = guidance.forms["application"]
    repeat = next(r for r in form.repeats() if r.key == "incidents")

    def plain(text: str) -> str:
        if "{" not in text:
            return text
        rendered, problems = render_text(text, context, form.source)
        return html.unescape(rendered if rendered is not None else text).strip()

    fields = {}
    for q in repeat.questions:
        if q.id in CHECKER_QUESTIONS:   # a date's hint with the one example date, as the online form gives it
            hint = dated_hint(plain(q.hint), web=True) if q.type == "date" else plain(q.hint).rstrip(".")
            fields[q.id] = {"label": plain(q.label), "hint": hint, "error": plain(q.error)}
    hate = next(q for q in form.questions() if q.id == "hate_incident")
    # The checker speaks to the person checking their own dates: the question's words for them.
    fields["hate_incident"] = {"label": plain(hate.self_label or hate.label), "hint": plain(hate.hint).rstrip("."),
                               "error": ""}
    example = date_example(web=True)
    return {"rule": {key: html.unescape(str(value)) for key, value in context["rule"].items()}, "fields": fields,
            "date_example": example[:1].lower() + example[1:], "date_hint": example,
            "team": html.unescape(str(team_name(context)))}


def team_name(context: dict[str, Any]) -> str:
    """The team a page sends residents to: the council's own (spoc.team), or, on a site that takes no applications
    itself, what guidance/wording.yml calls every council's team (called.team)."""
    council = context["council"]
    return council.spoc.team if council.takes_applications else context["called"]["team"]
