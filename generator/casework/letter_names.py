"""The names a letter's sentences use, and which unconfirmed facts a letter ends up stating.

`names_for` gives guidance/letters.yml the case, the people and the deadlines (checks/letters.py
holds invented values under the same names, and a test holds the two to the same keys). A
letter states facts that may still be marked `verified: false`: a body's address or phone
(guidance/organisations.yml) or a timescale (criteria.yml). Which ones it really states is
only known once its sentences are rendered, so the organisations and timescales are handed to
the templates in `Watched` mappings that note each fact read; the letter then flags every
unconfirmed one, as its letterhead flags the council's own.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from ..judge.deadlines import deadlines_for
from ..judge.judgement import Judgement
from ..model import Criteria, Guidance, Signatory
from ..model.case_states import DECIDED, Basis, Decision, LetterKind, Recipient
from ..monitoring.register import Case
from .application import missing_answers

#: What an organisation's entry holds besides facts a letter could state.
NOT_FACTS = frozenset({"name", "short_name", "note", "sources", "verified"})


class Watched(dict):
    """A mapping for templates that notes which of its keys were read (`seen`, shared by a letter's mappings)."""

    def __init__(self, data: dict, seen: set, label: str):
        super().__init__(data)
        self.seen, self.label = seen, label

    def __getitem__(self, key: Any) -> Any:
        value = super().__getitem__(key)
        self.seen.add((self.label, key))
        return value


@dataclass
class Facts:
    """The facts a letter's sentences read, to flag the unconfirmed ones."""

    seen: set = field(default_factory=set)

    def organisations(self, guidance: Guidance) -> dict[str, Any]:
        return {key: Watched(org, self.seen, f"org:{key}") if isinstance(org, dict) else org
                for key, org in guidance.organisations.items()}

    def criteria(self, criteria: Criteria) -> Criteria:
        return replace(criteria, timescales=Watched(criteria.timescales, self.seen, "timescale"))

    def due(self, due: dict[str, dict]) -> dict[str, Any]:
        return Watched(due, self.seen, "timescale")

    def unconfirmed_organisations(self, guidance: Guidance) -> list[dict]:
        read = {label.split(":", 1)[1] for label, key in self.seen if label.startswith("org:") and key not in NOT_FACTS}
        return [org for key, org in guidance.organisations.items()
                if key in read and isinstance(org, dict) and org.get("verified") is False]

    def unconfirmed_timescales(self, criteria: Criteria) -> list[str]:
        read = {key for label, key in self.seen if label == "timescale"}
        return [name for name, scale in criteria.timescales.items() if name in read and not scale.verified]


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def address_lines(person: dict) -> tuple[str, ...]:
    """A postal address as lines: the form's line breaks, or its commas when it was typed on one line."""
    address = person.get("address") if isinstance(person.get("address"), str) else ""
    lines = [" ".join(part.split()) for part in address.replace("\r", "\n").replace("\v", "\n").split("\n")]
    lines = [line for line in lines if line]
    if len(lines) == 1 and "," in lines[0]:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    return (*lines, _text(person.get("postcode"))) if _text(person.get("postcode")) else tuple(lines)


def people(data: dict) -> tuple[dict[str, str], dict[str, str]]:
    """The applicant (name, organisation, role) and the person affected (name) as the application gives them."""
    applicant = data.get("applicant") if isinstance(data.get("applicant"), dict) else {}
    affected = data.get("person_affected") if isinstance(data.get("person_affected"), dict) else {}
    return ({"name": _text(applicant.get("name")), "organisation": _text(applicant.get("organisation")),
             "role": _text(applicant.get("role"))}, {"name": _text(affected.get("name"))})


def recipients(case: Case, data: dict, kind: str) -> list[tuple[Recipient, tuple[str, ...] | None]]:
    """Who this letter goes to, each with the address block (None: the application gives no address for them).

    In an on-behalf or partner-agency case the person affected is written to as well (not asked for
    the applicant's own missing answers)."""
    applicant = data.get("applicant") if isinstance(data.get("applicant"), dict) else {}
    you, affected = people(data)
    block = (you["name"], *((you["organisation"],) if case.basis == Basis.PARTNER_AGENCY and you["organisation"]
                            else ()), *address_lines(applicant))
    out: list[tuple[Recipient, tuple[str, ...] | None]] = [(Recipient.APPLICANT, tuple(x for x in block if x))]
    if case.basis != Basis.VICTIM and affected["name"] and kind != LetterKind.MORE_INFORMATION:
        person = data.get("person_affected") if isinstance(data.get("person_affected"), dict) else {}
        lines = address_lines(person)
        out.append((Recipient.PERSON_AFFECTED, (affected["name"], *lines) if lines else None))
    return out


def _deadlines(guidance: Guidance, case: Case, kind: str, day: dt.date) -> dict[str, dict[str, Any]]:
    version = guidance.in_force_on(case.received_on)
    decision = {LetterKind.THRESHOLD_NOT_MET: Decision.THRESHOLD_NOT_MET, LetterKind.THRESHOLD_MET:
                Decision.THRESHOLD_MET, LetterKind.OUTCOME: Decision.THRESHOLD_MET}.get(kind, Decision.PENDING)
    events = {"decision_letter": case.decision_letter_on, "review_meeting": case.review_on,
              "outcome_letter": case.outcome_letter_on}
    if kind in (LetterKind.THRESHOLD_MET, LetterKind.THRESHOLD_NOT_MET):
        events["decision_letter"] = day     # the appeal counts from this letter
    elif kind == LetterKind.OUTCOME:
        events["outcome_letter"] = day
    found = deadlines_for(guidance.criteria_for(version), case.received_on, decision, events)
    return {d.name: {"date": d.date, "working_days": d.working_days, "from_date": d.from_date}
            for d in found if d.date is not None}


def names_for(guidance: Guidance, case: Case, kind: str, day: dt.date, j: Judgement, data: dict,
              signer: Signatory, to: Recipient = Recipient.APPLICANT, texts: dict[str, list[str]] | None = None,
              facts: Facts | None = None) -> dict[str, Any]:
    """The letter's own names (CONTRIBUTING.md: "Names letters can use"); `_lists` are the lines `list` blocks print."""
    facts = facts or Facts()
    rows = [r for r in j.incident_rows() if not r["qualifies"]]
    applicant, affected = people(data)
    if case.basis == Basis.VICTIM:
        affected = {"name": applicant["name"]}
    texts = texts or {}
    return {
        "case": {"ref": case.case_ref, "received_on": case.received_on, "basis": case.basis,
                 "decided": case.decision in DECIDED},
        "applicant": applicant,
        "affected": affected,
        "recipient": {"name": applicant["name"] if to == Recipient.APPLICANT else affected["name"], "role": to.value},
        "letter": {"date": day, "kind": kind, "to": to.value},
        "officer": {"name": signer.name, "role": signer.role or ""},
        "due": facts.due(_deadlines(guidance, case, kind, day)),
        "count": {"deciding": j.tally.deciding_count if j.tally else 0, "complaints": j.qualifying_complaints,
                  "incidents": j.qualifying_incidents, "meets": bool(j.tally and j.tally.threshold_met),
                  "route": j.route, "individuals": j.tally.individuals if j.tally else None},
        "review": {"on": case.review_on, "recommendations": case.recommendations is True,
                   "bodies": list(case.recommendations_to)},
        "_lists": {
            "not_counted": [{"entry": r["entry"], "occurred_on": r["occurred_on"],
                             "reasons": "; ".join(why for code, why in zip(r["reasons"], r["explanations"])
                                                  if code != "duplicate_of_earlier_entry")} for r in rows],
            "missing": missing_answers(j),
            "bodies": list(case.recommendations_to),
            "findings": texts.get("findings", []),
            "reasons": texts.get("reasons", []),
            "actions": texts.get("actions", []),
            "recommended": texts.get("recommended", []),
        },
    }
