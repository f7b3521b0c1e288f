"""Is the application complete? Every missing or wrong answer, named as on the form.

Two sources of rules, both applied: the application form's generated JSON Schema
(`schemas/submission-application.schema.json`, when the forms package has produced it)
and the conditional rules of DESIGN.md that depend on who is applying. Each problem is
`{field, message, pointer}` where `field` is the question's label ("Date you reported
incident 2"), taken from the form model when it can say, never a JSON pointer alone.

While checking, the answers the judge needs are pulled out typed (dates as dates), so
wrong data becomes a named problem here instead of a crash later.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema.exceptions import best_match

from ..loading.schemas import validator_for
from ..loading.sources import to_plain
from .threshold import Entry

SUBMISSION_SCHEMA = "submission-application.schema.json"
#: Keys the judge reads that the form itself does not ask (see threshold.py).
JUDGE_ONLY_KEYS = {"reported_by"}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DMY_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

# Labels used until the form model can give them (form.label_for); "{n}" is the incident number.
_LABELS = {
    "received_on": "Date received (office use)",
    "case_ref": "Case reference (office use)",
    "basis": "Who is applying",
    "applicant": "Your details",
    "applicant/name": "Your name",
    "applicant/address": "Your address",
    "applicant/postcode": "Your postcode",
    "applicant/phone": "Your phone number",
    "applicant/email": "Your email address",
    "applicant/preferred_contact": "How we should contact you",
    "applicant/organisation": "Your organisation",
    "applicant/role": "Your role in the organisation",
    "person_affected": "The person affected",
    "person_affected/name": "Name of the person affected",
    "person_affected/address": "Address of the person affected",
    "person_affected/postcode": "Postcode of the person affected",
    "person_affected/phone": "Phone number of the person affected",
    "person_affected/email": "Email address of the person affected",
    "consent_to_act": "The person affected agrees to you acting for them",
    "vulnerabilities": "Vulnerabilities or support needs",
    "asb_types": "Type of anti-social behaviour",
    "hate_incident": "Hate incident",
    "incidents": "Incidents",
    "incidents/{n}": "Incident {n}",
    "incidents/{n}/occurred_on": "Date incident {n} happened",
    "incidents/{n}/occurred_at": "Time incident {n} happened",
    "incidents/{n}/reported_on": "Date you reported incident {n}",
    "incidents/{n}/reported_to": "Who you reported incident {n} to",
    "incidents/{n}/reference": "Reference number for incident {n}",
    "incidents/{n}/description": "What happened in incident {n}",
    "incidents/{n}/reported_by": "Who reported incident {n}",
    "impact": "How the behaviour has affected you",
    "desired_outcome": "What you would like to happen",
    "information_sharing_consent": "Consent to share information",
    "declaration": "Declaration",
    "declaration/signed_name": "Declaration: your name",
    "declaration/signed_on": "Declaration: date signed",
}


def label_for(path: tuple, form: Any = None) -> str:
    """The question's label for a data path, from the form model when it knows it."""
    finder = getattr(form, "label_for", None)
    if finder is not None:
        for arg in (path, "/".join(map(str, path)), ".".join(map(str, path))):
            try:
                found = finder(arg)
            except Exception:  # noqa: BLE001 - the form model may take another shape of path
                continue
            if found:
                return str(found)
    key = "/".join("{n}" if isinstance(p, int) else str(p) for p in path)
    number = next((p + 1 for p in path if isinstance(p, int)), None)
    text = _LABELS.get(key)
    if text is None:
        return "The answer " + " → ".join(str(p + 1) if isinstance(p, int) else str(p) for p in path)
    return text.replace("{n}", str(number)) if number else text


def pointer(path: tuple) -> str:
    return "/" + "/".join(str(p) for p in path) if path else ""


@dataclass
class Application:
    """The answers the judge needs, typed; `errors` lists what is missing or wrong."""

    errors: list[dict] = field(default_factory=list)
    received_on: dt.date | None = None
    received_on_given: bool = False
    basis: str | None = None
    asb_types: list[str] = field(default_factory=list)
    hate_incident: bool = False
    vulnerabilities: str = ""
    case_ref: str | None = None
    entries: list[Entry] = field(default_factory=list)
    free_text: list[str] = field(default_factory=list)   # descriptions, impact, outcome: for the SPOC checks


def parse_date(value: Any) -> tuple[dt.date | None, str | None]:
    """A date from YAML or an ISO string; otherwise None and why, in words."""
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if not isinstance(value, str):
        return None, "should be a date written as YYYY-MM-DD."
    text = value.strip()
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text), None
        except ValueError:
            return None, f"'{text}' is not a real date."
    dmy = _DMY_DATE.match(text)
    if dmy:
        day, month, year = (int(x) for x in dmy.groups())
        try:
            iso = dt.date(year, month, day).isoformat()
        except ValueError:
            return None, f"'{text}' is not a real date."
        return None, f"'{text}' should be written as {iso} (YYYY-MM-DD), so that day and month cannot be confused."
    return None, "is not a date; write it as YYYY-MM-DD."


class _Checker:
    def __init__(self, data: dict, form: Any):
        self.data, self.form, self.errors = data, form, []

    def add(self, path: tuple, message: str) -> None:
        self.errors.append({"field": label_for(path, self.form), "message": message, "pointer": pointer(path)})

    def get(self, path: tuple) -> Any:
        node: Any = self.data
        for part in path:
            if isinstance(part, int):
                node = node[part] if isinstance(node, list) and part < len(node) else None
            else:
                node = node.get(part) if isinstance(node, dict) else None
        return node

    def mapping(self, path: tuple) -> dict:
        value = self.get(path)
        if value is None or value == "":
            return {}
        if not isinstance(value, dict):
            self.add(path, "should be a group of answers, not a single value.")
            return {}
        return value

    def text(self, path: tuple, required: bool, why: str = "is missing.") -> str:
        value = self.get(path)
        if isinstance(value, list) and path[-1] == "address" and all(isinstance(v, str) for v in value):
            value = ", ".join(v.strip() for v in value if v.strip())
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(path, why)
            return ""
        if not isinstance(value, str):
            self.add(path, "should be written as text.")
            return ""
        return value.strip()

    def date(self, path: tuple, required: bool) -> dt.date | None:
        value = self.get(path)
        if value is None or value == "":
            if required:
                self.add(path, "is missing.")
            return None
        day, problem = parse_date(value)
        if problem:
            self.add(path, problem)
        return day

    def true(self, path: tuple, why: str) -> None:
        value = self.get(path)
        if value is not True:
            self.add(path, why if value in (None, "", False) else "should be ticked (yes) or left blank.")


def check_application(data: dict, form: Any = None) -> Application:
    """Pull out the judge's answers and name every missing or wrong one (DESIGN "Required")."""
    c = _Checker(data, form)
    app = Application()
    if "received_on" in data and data["received_on"] not in (None, ""):
        app.received_on = c.date(("received_on",), False)
        app.received_on_given = True
    ref = data.get("case_ref")
    app.case_ref = ref.strip() if isinstance(ref, str) and ref.strip() else None

    basis = data.get("basis")
    if basis in (None, ""):
        c.add(("basis",), "is missing: say whether you are the victim, applying for someone else, or a partner agency.")
    elif basis not in ("victim", "on_behalf", "partner_agency"):
        c.add(("basis",), "must be one of: victim, on_behalf, partner_agency.")
    else:
        app.basis = basis

    c.mapping(("applicant",))
    for key in ("name", "address", "postcode"):
        c.text(("applicant", key), True)
    c.text(("applicant", "preferred_contact"), True)
    phone = c.text(("applicant", "phone"), False)
    email = c.text(("applicant", "email"), False)
    if not phone and not email:
        c.add(("applicant", "phone"), "is missing: give a phone number or an email address.")
    partner = app.basis == "partner_agency"
    c.text(("applicant", "organisation"), partner)
    c.text(("applicant", "role"), partner)
    for key in ("address", "postcode", "phone", "email"):
        c.text(("person_affected", key), False)
    if app.basis in ("on_behalf", "partner_agency"):
        c.mapping(("person_affected",))
        c.text(("person_affected", "name"), True, "is missing: say who the application is for.")
        c.true(("consent_to_act",), "is not given: the person affected must agree to someone applying for them.")

    app.vulnerabilities = c.text(("vulnerabilities",), False)
    types = data.get("asb_types")
    if types in (None, "", []):
        c.add(("asb_types",), "is missing: tick at least one type.")
    elif not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        c.add(("asb_types",), "should be a list of types.")
    else:
        app.asb_types = list(types)
    hate = data.get("hate_incident")
    if hate not in (None, "", True, False):
        c.add(("hate_incident",), "should be ticked (yes) or left blank.")
    app.hate_incident = hate is True

    _check_incidents(c, data.get("incidents"), app)
    for key in ("impact", "desired_outcome"):
        app.free_text.append(c.text((key,), True))
    c.true(("information_sharing_consent",), "is not given: we need consent to share the information with the "
                                             "agencies involved.")
    c.mapping(("declaration",))
    c.text(("declaration", "signed_name"), True)
    c.date(("declaration", "signed_on"), True)
    app.errors = c.errors
    return app


def _time(value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return f"{value // 60:02d}:{value % 60:02d}", None  # YAML 1.1 reads an unquoted 21:30 as 1290
    if isinstance(value, str) and _TIME.match(value.strip()):
        return value.strip(), None
    return None, "should be a 24-hour time such as 21:30."


def _check_incidents(c: _Checker, incidents: Any, app: Application) -> None:
    if incidents in (None, "", []):
        c.add(("incidents",), "is missing: describe at least one incident.")
        return
    if not isinstance(incidents, list):
        c.add(("incidents",), "should be a list of incidents.")
        return
    for i, item in enumerate(incidents):
        if not isinstance(item, dict):
            c.add(("incidents", i), "should be a group of answers (dates, who it was reported to, what happened).")
            app.entries.append(Entry(i, None, None))
            continue
        occurred = c.date(("incidents", i, "occurred_on"), True)
        reported = c.date(("incidents", i, "reported_on"), True)
        at = None
        if item.get("occurred_at") not in (None, ""):
            at, problem = _time(item["occurred_at"])
            if problem:
                c.add(("incidents", i, "occurred_at"), problem)
        to = c.text(("incidents", i, "reported_to"), False)
        c.text(("incidents", i, "reference"), False)
        by = c.text(("incidents", i, "reported_by"), False)
        app.free_text.append(c.text(("incidents", i, "description"), True))
        app.entries.append(Entry(i, occurred, reported, at, to, by))


_TYPE_MESSAGES = {"string": "should be written as text.", "boolean": "should be ticked (yes) or left blank.",
                  "array": "should be a list.", "object": "should be a group of answers.",
                  "integer": "should be a whole number.", "number": "should be a number."}


def schema_errors(data: dict, root: Path, form: Any = None) -> list[dict]:
    """The generated submission schema's complaints, labelled."""
    out = []
    plain = to_plain(data)
    for error in validator_for(root, SUBMISSION_SCHEMA).iter_errors(plain):
        if error.context:  # anyOf / oneOf: say what the closest alternative wanted
            error = best_match(error.context) or error
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            extra = [k for k in error.instance if k not in error.schema.get("properties", {})
                     and k not in JUDGE_ONLY_KEYS]
            for key in extra:
                out.append({"field": label_for(path + (key,), form),
                            "message": "is not a question on this form.", "pointer": pointer(path + (key,))})
            continue
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else ""
            path = path + (missing,) if missing else path
            message = "is missing."
        elif error.validator == "enum":
            message = "is not one of the choices on the form: " + ", ".join(map(str, error.validator_value)) + "."
        elif error.validator == "type":
            wanted = error.validator_value if isinstance(error.validator_value, str) else "other"
            message = _TYPE_MESSAGES.get(wanted, "is the wrong kind of answer.")
        elif error.validator in ("format", "pattern"):
            message = "is not in the expected form."
        elif error.validator in ("minItems", "minLength"):
            message = "is missing."
        else:
            message = "is not a valid answer."
        out.append({"field": label_for(path, form), "message": message, "pointer": pointer(path)})
    return out


def merge_errors(own: list[dict], from_schema: list[dict]) -> list[dict]:
    """Our errors first; a schema error adds only what ours did not already say at that place."""
    seen = {e["pointer"] for e in own}
    out = list(own)
    for error in from_schema:
        p = error["pointer"]
        if p in seen or p == "/received_on" or any(p.startswith(s + "/") or s.startswith(p + "/") for s in seen):
            continue
        seen.add(p)
        out.append(error)
    return out
