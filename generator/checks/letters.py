"""guidance/letters.yml: every sentence of every letter renders, with every name it uses existing.

The letters' own names (the case, the applicant, the officer, the deadlines) are given here
with invented values, the same names `casework.letters` gives a real case (a test holds the
two to the same keys), so a misspelt name is a located error in `ctkit check`, long before a
SPOC writes a letter.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from ..errors import Problem
from ..loading.sources import line_at
from ..model import Guidance
from ..templating import context_for, render_text
from .guidance import has_lead

LETTERS = "guidance/letters.yml"
_DAY = dt.date(2026, 11, 2)


def _due(days: int) -> dict[str, Any]:
    return {"date": _DAY + dt.timedelta(days=days), "working_days": days, "from_date": _DAY}


#: The names a letter may use besides the pages' own (CONTRIBUTING.md: "Names letters can use").
SAMPLE_NAMES: dict[str, Any] = {
    "case": {"ref": "EREWASH-20261102-1", "received_on": _DAY, "basis": "on_behalf", "decided": False},
    "applicant": {"name": "A Resident", "organisation": "", "role": ""},
    "affected": {"name": "A Neighbour"},
    "recipient": {"name": "A Resident", "role": "applicant"},
    "letter": {"date": _DAY, "kind": "acknowledgement", "to": "applicant"},
    "officer": {"name": "A Officer", "role": "Community Safety Officer"},
    "due": {name: _due(days) for name, days in (("acknowledge", 5), ("threshold_decision", 10),
                                                ("review_meeting", 25), ("outcome_letter", 30), ("appeal", 20))},
    "count": {"deciding": 3, "complaints": 3, "incidents": 3, "meets": True, "route": "threshold", "individuals": None},
    "review": {"on": _DAY, "recommendations": True, "bodies": ["A Police Force"]},
}
#: One invented item of each list a letter can print line by line.
SAMPLE_ITEMS: dict[str, Any] = {
    "not_counted": {"entry": 2, "occurred_on": _DAY, "reasons": "it was reported more than 1 month after it happened"},
    "missing": "Your phone number: is missing.",
    "bodies": "A Police Force",
    "findings": "The reports were dealt with one at a time, not as one problem.",
    "reasons": "The reports were about three different households.",
    "actions": "A Police Force: patrols on the street every evening for a month.",
    "recommended": "A Police Force: patrols on the street every evening for a month.",
}


#: (who the letter is to, who applied): each branch of a sentence that depends on them is rendered.
_PEOPLE = [("applicant", "on_behalf"), ("applicant", "victim"), ("applicant", "partner_agency"),
           ("person_affected", "on_behalf"), ("person_affected", "partner_agency")]
#: What the flags for unconfirmed facts are rendered with.
_PART_ITEMS: dict[str, Any] = {"unconfirmed_body": {"name": "A Victim Service"},
                               "unconfirmed_timescales": [{"days": 5}, {"days": 20}]}


def _sources(g: Guidance) -> Iterator[tuple[list, str, Any]]:
    """(path in the file, template, the list item it is rendered with) of every sentence; a `use` of a
    group that does not exist is yielded as a path with no template."""
    yield from ((["words", key], text, None) for key, text in (g.letters.get("words") or {}).items())
    yield from ((["parts", key], text, _PART_ITEMS.get(key)) for key, text in (g.letters.get("parts") or {}).items())
    shared = g.letters.get("shared") or {}
    groups = [(blocks, ["shared", name]) for name, blocks in shared.items()]
    for kind, letter in (g.letters.get("letters") or {}).items():
        yield ["letters", kind, "subject"], letter["subject"], None
        groups.append((letter["body"], ["letters", kind, "body"]))
    for blocks, path in groups:
        for i, block in enumerate(blocks):
            where = [*path, i]
            if "heading" in block or "paragraph" in block:
                key = "heading" if "heading" in block else "paragraph"
                yield [*where, key], block[key], None
            elif "bullets" in block:
                yield from (([*where, "bullets", n], item, None) for n, item in enumerate(block["bullets"]))
            elif "list" in block:
                yield [*where, "item"], block["item"], SAMPLE_ITEMS[block["list"]]
            elif block.get("use") not in shared:
                yield [*where, "use"], None, block.get("use")


def check_letters(g: Guidance) -> list[Problem]:
    problems: list[Problem] = []
    if not g.letters or not has_lead(g):
        return problems
    shared = sorted(g.letters.get("shared") or {})
    kinds = list(g.letters.get("letters") or {})
    base = {**context_for(g), **SAMPLE_NAMES}  # the newest version: letters are written for cases today
    base["words"] = {key: "your application" for key in (g.letters.get("words") or {})}
    for path, source, item in _sources(g):
        if source is None:
            problem = Problem(LETTERS, line_at(g.letters, path), f"the group '{item}' is not under 'shared:'; "
                                                                 "the groups are " + ", ".join(shared))
            problems += [problem] if problem not in problems else []
            continue
        # every branch a sentence has for the letter's kind, who it is to and who applied
        for kind in (kinds if "letter.kind" in source else kinds[:1]):
            for to, basis in _PEOPLE if ("letter.to" in source or "case.basis" in source) else _PEOPLE[:1]:
                context = {**base, "letter": {**SAMPLE_NAMES["letter"], "kind": kind, "to": to},
                           "case": {**SAMPLE_NAMES["case"], "basis": basis}, "item": item}
                _, found = render_text(source, context, LETTERS, line_at(g.letters, path) or 1)
                problems += [p for p in found if p not in problems]
    return problems
