"""Judge one read submission: completeness, the threshold, checks for the SPOC, deadlines.

Produces the JSON-ready result object of the `ctkit validate` contract (DESIGN.md
"Command line"); the text and CSV reports and the register are made from it. The
result holds no names, addresses or descriptions: only dates, codes and the labels
of questions, so it can be printed and logged safely.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ..dates import longdate
from ..model import Guidance
from .completeness import check_application, label_for, merge_errors, schema_errors
from .deadlines import deadlines_for
from .submissions import Submission
from .threshold import judge_incidents, reason_sentence

#: Words in the applicant's own text that suggest a complaint about one member of staff.
_STAFF_WORDS = re.compile(r"\b(officers?|pcsos?|pc|police ?constables?|staff|employees?|case ?workers?|"
                          r"housing officers?|neighbourhood officers?|rude|unprofessional)\b", re.IGNORECASE)


def unreadable_result(shown: str, sentence: str) -> dict:
    return {
        "file": shown, "decision": "unreadable", "summary": f"The file cannot be read: {sentence}",
        "qualifying_incidents": 0, "threshold": None, "route": None, "incidents": [],
        "errors": [{"field": "The file", "message": sentence, "pointer": ""}],
        "spoc_checks": [], "deadlines": [], "guidance_version": None,
        "received_on": None, "received_on_source": None, "warnings": [],
        "basis": None, "asb_types": [], "hate_incident": None, "case_ref": None,
    }


def _file_date(path: Path) -> dt.date | None:
    try:
        return dt.date.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return None


def judge_submission(sub: Submission, guidance: Guidance, shown: str, received_override: dt.date | None) -> dict:
    """The full result for one file, never raising for bad data."""
    if not sub.readable or sub.data is None:
        return unreadable_result(shown, sub.error or "it is not a form the kit can read.")
    form = guidance.forms.get("application")
    app = check_application(sub.data, form)
    errors = merge_errors(app.errors, schema_errors(sub.data, guidance.root, form))
    warnings = list(sub.warnings)

    received, source = app.received_on, "data" if app.received_on else None
    if received_override is not None:
        if app.received_on and app.received_on != received_override:
            warnings.append(f"The form says it was received on {longdate(app.received_on)}; "
                            f"--received {received_override.isoformat()} was used instead.")
        received, source = received_override, "--received"
        errors = [e for e in errors if e["pointer"] != "/received_on"]
    elif received is None:
        received = _file_date(sub.path)
        source = "file_date"
        warnings.append(f"The form does not say when it was received, so the file's own date "
                        f"({longdate(received)}) was used. Check it, and give the real date with --received.")

    result: dict[str, Any] = {
        "file": shown, "decision": None, "summary": "", "qualifying_incidents": 0, "threshold": None,
        "route": None, "incidents": [], "errors": errors, "spoc_checks": [], "deadlines": [],
        "guidance_version": None, "received_on": received.isoformat() if received else None,
        "received_on_source": source, "warnings": warnings, "basis": app.basis, "asb_types": app.asb_types,
        "hate_incident": app.hate_incident, "case_ref": app.case_ref,
    }
    version = guidance.in_force_on(received) if received else None
    if version is None:
        first = min((v.effective_from for v in guidance.versions if v.is_approved and v.effective_from), default=None)
        errors.append({"field": label_for(("received_on",), form), "pointer": "/received_on",
                       "message": f"is {longdate(received)}, before the Community Trigger guidance came into force "
                                  f"on {longdate(first)}, so there is no threshold to judge it by."})
        result["decision"] = "incomplete"
        result["summary"] = _summary(result, None)
        return result

    criteria = guidance.criteria_for(version)
    result["guidance_version"] = version.version
    result["threshold"] = criteria.threshold
    form_version = sub.data.get("form_version")
    if isinstance(form_version, str) and form_version and form_version != version.version:
        warnings.append(f"The form is version {form_version}; it is judged by version {version.version}, "
                        f"the guidance in force on {longdate(received)}.")

    judgement = judge_incidents(app.entries, received, criteria)
    by_index = {e.index: e for e in app.entries}
    for r in judgement.entries:
        entry = by_index[r.index]
        result["incidents"].append({
            "entry": r.index + 1, "incident": r.incident,
            "occurred_on": entry.occurred_on.isoformat() if entry.occurred_on else None,
            "occurred_at": entry.occurred_at,
            "reported_on": entry.reported_on.isoformat() if entry.reported_on else None,
            "qualifies": r.qualifies, "reasons": r.reasons,
            "explanations": [reason_sentence(code, entry, received, criteria, r.same_as) for code in r.reasons],
            "same_as": r.same_as,
        })
    result["qualifying_incidents"] = judgement.qualifying_incidents
    result["distinct_incidents"] = judgement.incidents
    result["route"] = judgement.route
    if judgement.individuals is not None:
        result["individuals"] = judgement.individuals
    result["counts_from"] = judgement.window_start.isoformat() if judgement.window_start else None

    decision = "incomplete" if errors else "threshold_met" if judgement.threshold_met else "threshold_not_met"
    result["decision"] = decision
    result["spoc_checks"] = _spoc_checks(app, judgement, criteria, source)
    result["deadlines"] = [d.as_json() for d in deadlines_for(criteria, received, decision)]
    result["summary"] = _summary(result, criteria)
    return result


def _spoc_checks(app, judgement, criteria, source: str | None) -> list[dict]:
    """Questions only a person can answer, flagged where the answers give a reason to look."""
    checks = [{"id": "incidents_related", "flagged": judgement.qualifying_incidents > 1,
               "message": "Are the incidents related (the same people, the same place or the same problem)? "
                          "The kit cannot judge this; the threshold counts only related incidents."}]
    staff = any(_STAFF_WORDS.search(t) for t in app.free_text if t)
    checks.append({"id": "complaint_about_staff", "flagged": staff,
                   "message": ("The answers mention an officer or a member of staff. " if staff else "")
                   + "Is this a complaint about how one officer or member of staff behaved? If so, it belongs in "
                     "that organisation's complaints procedure rather than a case review."})
    if app.vulnerabilities:
        checks.append({"id": "vulnerability", "flagged": True,
                       "message": "The applicant describes vulnerabilities or support needs: consider them in "
                                  "how you contact them and in the risk assessment."})
    if app.hate_incident:
        checks.append({"id": "hate_incident", "flagged": True,
                       "message": "The applicant says this is a hate incident: follow the hate incident procedures "
                                  "and consider the extra support the victim may need."})
    dups = [e for e in judgement.entries if e.same_as]
    if dups:
        pairs = ", ".join(f"entry {e.index + 1} with entry {e.same_as}" for e in dups)
        checks.append({"id": "duplicates", "flagged": True,
                       "message": f"Some entries were taken as the same incident reported twice ({pairs}); "
                                  "check that they really are the same incident."})
    if judgement.route == "five_individuals":
        route = criteria.five_individuals_route
        checks.append({"id": "separate_individuals", "flagged": True,
                       "message": f"The threshold is met through the route for {route.individuals} separate "
                                  "individuals: check that the people named really are different people."})
    if source == "file_date":
        checks.append({"id": "date_received", "flagged": True,
                       "message": "The date received was taken from the file; every date above depends on it."})
    return checks


_DECISION_WORDS = {"threshold_met": "The threshold is met", "threshold_not_met": "The threshold is not met",
                   "incomplete": "The application is incomplete"}


def _summary(result: dict, criteria) -> str:
    """One plain sentence that sums up the decision."""
    decision = result["decision"]
    head = _DECISION_WORDS.get(decision, "")
    if decision == "incomplete":
        n = len(result["errors"])
        return f"{head}: {n} answer{'s are' if n != 1 else ' is'} missing or wrong."
    counted = result["qualifying_incidents"]
    text = (f"{head}: {counted} incident{'s' if counted != 1 else ''} qualif{'y' if counted != 1 else 'ies'}, "
            f"and the threshold is {criteria.threshold}")
    if result["route"] == "five_individuals":
        text += (f"; it is met through the route for {criteria.five_individuals_route.individuals} separate "
                 f"individuals ({result.get('individuals')} reported)")
    return text + "."
