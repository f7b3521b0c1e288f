"""Read an application's answers through the form model: typed values for the judge, and every gap.

The rules come from `forms/application.yml` through the one form model (`Form`): which
answers are required (`required`, `required_when`, `must_be_true_when`, the form's `rules`
such as "phone or email"), what kind of answer each is (text, date, time, a choice), and the
words a person sees (the question's label, or a row's `name` with its number). Nothing here
types a label or a required rule. Every gap is a `Problem` named as on the form, with its
JSON pointer; whether it blocks the decision is settled later, by the judgement, because only
the threshold rules can say whether a gap could change the answer.

Work is linear in the size of the data: each answer is visited once, and answers the form does
not ask for are counted, never echoed (their names come from the file, not from us).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from ..model import Form, Question, Repeat
from ..model.values import read_date, read_time
from .threshold import Entry

#: Keys the judge still reads that the form no longer asks: old data's sharing consent (ARCHITECTURE.md
#: "Agreement and consent") and version 1.x's `reported_by`, for the five-individuals route.
LEGACY_KEYS = frozenset({"information_sharing_consent"})
ROW_EXTRA_KEYS = frozenset({"reported_by"})
HEADER_KEYS = frozenset({"form", "form_version"})



def pointer(path: tuple) -> str:
    return "/" + "/".join(str(p) for p in path) if path else ""


@dataclass
class Answers:
    """The answers the judge needs, typed; `problems` lists what is missing or wrong, as on the form."""

    problems: list[Problem] = field(default_factory=list)
    received_on: dt.date | None = None
    case_ref: str | None = None
    basis: str | None = None
    asb_types: list[str] = field(default_factory=list)
    hate_incident: bool = False
    vulnerabilities: bool = False
    entries: list[Entry] = field(default_factory=list)
    entries_given: bool = False              # incidents is a list (possibly with bad rows)
    date_problems: list[int] = field(default_factory=list)   # entry indexes whose dates are missing or wrong
    free_text: list[str] = field(default_factory=list)       # for the SPOC's checks; never printed
    uk_order: list[tuple[str, dt.date]] = field(default_factory=list)  # (label, date) of dates read day/month/year
    can_be_told: bool = True                 # a name, and an address, phone or email
    person_agreement_missing: bool = False   # someone else applies, without the person's name or agreement
    sharing_limits: bool = False             # the applicant asks that someone not be contacted
    sharing_consent_refused: bool = False    # old data: information_sharing_consent false
    impact_given: bool = False
    unknown_answers: int = 0


class _Reader:
    """Walks the data once along the form model, collecting typed values and problems."""

    def __init__(self, data: dict, form: Form, shown: str, words):
        self.data, self.form, self.shown, self.words = data, form, shown, words
        self.answers = Answers()

    # -- problems -------------------------------------------------------------------
    def label(self, path: tuple, label: str | None = None) -> str:
        return label or self.words(self.form.label_for(path))

    def problem(self, path: tuple, message: str, label: str | None = None) -> None:
        self.answers.problems.append(Problem(self.shown, None, message, pointer=pointer(path),
                                             field=self.label(path, label), blocks_decision=False))

    # -- values ----------------------------------------------------------------------
    @staticmethod
    def at(node: Any, path: tuple) -> Any:
        for part in path:
            if isinstance(part, int):
                node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            else:
                node = node.get(part) if isinstance(node, dict) else None
        return node

    def value(self, q: Question, node: dict, path: tuple, required: bool, label: str | None = None) -> Any:
        """The typed answer to `q` inside `node` at `path` (None when blank or wrong), noting any problem."""
        raw = self.at(node, q.path)
        blank = raw is None or (isinstance(raw, str) and not raw.strip()) or raw == [] \
            or (raw is False and q.type == "checkbox")
        if blank:
            if required:
                message = self.words(q.error) if q.error else (
                    "is not ticked." if q.type == "checkbox" else "is missing.")
                self.problem(path, message, label)
            return False if q.type == "checkbox" else None
        if q.type == "checkbox":
            if raw is True:
                return True
            self.problem(path, "should be ticked (yes) or left blank.", label)
            return None
        if q.type == "checkboxes":
            values = {o.value for o in q.options}
            if not isinstance(raw, list) or not all(isinstance(v, str) and v in values for v in raw):
                self.problem(path, "should be a list of the choices on the form.", label)
                return None
            return list(dict.fromkeys(raw))
        if q.type == "radio":
            if isinstance(raw, str) and raw in {o.value for o in q.options}:
                return raw
            self.problem(path, "is not one of the choices on the form: "
                               + ", ".join(o.value for o in q.options) + ".", label)
            return None
        if q.type == "date":
            reading = read_date(raw)
            if reading.why:
                self.problem(path, reading.why, label)
            elif reading.uk_order:
                self.answers.uk_order.append((self.label(path, label), reading.day))
            return reading.day
        if q.type == "time":
            time, why = read_time(raw)
            if why:
                self.problem(path, why, label)
            return time
        if q.path[-1] == "address" and isinstance(raw, list) and all(isinstance(v, str) for v in raw):
            raw = ", ".join(v.strip() for v in raw if v.strip())
        if not isinstance(raw, str):
            self.problem(path, "should be written as text.", label)
            return None
        return raw.strip() or None

    # -- walking the form -----------------------------------------------------------------
    def read(self) -> Answers:
        a, data = self.answers, self.data
        known_top = set(HEADER_KEYS) | LEGACY_KEYS
        groups: dict[str, set[str]] = {}
        values: dict[tuple, Any] = {}
        for q in self.form.questions():
            known_top.add(q.path[0])
            if len(q.path) > 1:
                groups.setdefault(q.path[0], set()).add(q.path[1])
            values[q.path] = self.value(q, data, q.path, self.form.required_now(q, data))
        for group in groups:
            if data.get(group) not in (None, "") and not isinstance(data.get(group), dict):
                self.problem((group,), "should be a group of answers, not a single value.")
        for rule in self.form.rules:
            if rule.one_of and not any(values.get(path) for path in rule.one_of):
                self.problem(rule.one_of[0], self.words(rule.message))
            needed = rule.needed(values.get(rule.chosen)) if rule.chosen else None
            if needed is not None and not values.get(needed):   # e.g. "Email" chosen, no email address
                self.problem(needed, self.words(self.form.needs_message(rule, values.get(rule.chosen))))
        for repeat in self.form.repeats():
            known_top.add(repeat.key)
            self.rows(repeat)
        a.unknown_answers += sum(1 for key in data if key not in known_top)
        for group, keys in groups.items():
            inner = data.get(group)
            if isinstance(inner, dict):
                a.unknown_answers += sum(1 for key in inner if key not in keys)
        self.facts(values)
        return a

    def rows(self, repeat: Repeat) -> None:
        a, raw = self.answers, self.data.get(repeat.key)
        if raw is None or raw == "" or raw == []:
            self.problem((repeat.key,), f"is missing: describe at least {max(repeat.min, 1)} "
                                        f"{repeat.item.replace('{n}', '').strip()}.")
            return
        if not isinstance(raw, list):
            self.problem((repeat.key,), "should be a list, one item for each report.")
            return
        a.entries_given = True
        known = {q.path[0] for q in repeat.questions} | ROW_EXTRA_KEYS
        for i, item in enumerate(raw):
            if not isinstance(item, dict):
                self.problem((repeat.key, i), "should be a group of answers (dates, who it was reported to, "
                                              "what happened).")
                a.entries.append(Entry(i, None, None))
                a.date_problems.append(i)
                continue
            a.unknown_answers += sum(1 for key in item if key not in known)
            got: dict[str, Any] = {}
            for q in repeat.questions:
                path = (repeat.key, i) + q.path
                label = self.words((q.name or f"{q.label} ({repeat.item})").replace("{n}", str(i + 1)))
                got[q.path[0]] = self.value(q, item, path, self.form.required_now(q, item) or q.always_required,
                                            label)
            by = item.get("reported_by")
            entry = Entry(i, got.get("occurred_on"), got.get("reported_on"), got.get("occurred_at"),
                          got.get("reported_to") or "", by.strip() if isinstance(by, str) else "")
            if entry.occurred_on is None or entry.reported_on is None:
                a.date_problems.append(i)
            if isinstance(got.get("description"), str):
                a.free_text.append(got["description"])
            a.entries.append(entry)

    def facts(self, values: dict[tuple, Any]) -> None:
        """What the judgement and the SPOC's checks need to know, by the canonical data shape (ARCHITECTURE.md)."""
        a, data = self.answers, self.data
        a.received_on = values.get(("received_on",))
        ref = values.get(("case_ref",))
        a.case_ref = ref if isinstance(ref, str) else None
        a.basis = values.get(("basis",))
        a.asb_types = values.get(("asb_types",)) or []
        a.hate_incident = values.get(("hate_incident",)) is True
        a.vulnerabilities = bool(values.get(("vulnerabilities",)))
        a.impact_given = bool(values.get(("impact",)))
        a.sharing_limits = bool(values.get(("sharing_limits",)))
        a.sharing_consent_refused = data.get("information_sharing_consent") is False
        a.free_text += [t for t in (values.get(("impact",)), values.get(("desired_outcome",))) if isinstance(t, str)]
        contact = [values.get(("applicant", key)) for key in ("address", "phone", "email")]
        a.can_be_told = bool(values.get(("applicant", "name"))) and any(contact)
        if a.basis in ("on_behalf", "partner_agency"):
            a.person_agreement_missing = not values.get(("person_affected", "name")) \
                or values.get(("consent_to_act",)) is not True


def read_answers(data: dict, form: Form, shown: str, words) -> Answers:
    """The typed answers and every gap, by the form model; `words` renders a form's templated wording."""
    return _Reader(data, form, shown, words).read()
