"""Generate each form's submitted-data JSON Schema (schemas/submission-<form>.schema.json).

The schema is derived from the form definition, never written by hand, so a question
added to forms/<id>.yml appears in the schema too; a test fails when a committed schema
is stale. Regenerate with:  ctkit schemas
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..model import Condition, Form, Question

DATE = {"type": "string", "format": "date", "description": "a date, YYYY-MM-DD"}
TIME = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "24-hour time, HH:MM"}


def _blank_or(schema: dict) -> dict:
    """Optional answers may be given as "" (not applicable) as well as left out."""
    return {"anyOf": [schema, {"const": ""}]}


def question_schema(q: Question, required: bool) -> dict:
    if q.type == "checkbox":
        return {"const": True, "description": q.label} if q.must_be_true else {"type": "boolean", "description": q.label}
    if q.type == "checkboxes":
        return {"type": "array", "uniqueItems": True, "items": {"enum": [o.value for o in q.options]},
                "description": q.label, **({"minItems": 1} if required else {})}
    if q.type == "radio":
        return {"enum": [o.value for o in q.options], "description": q.label}
    if q.type == "date":
        schema = dict(DATE, description=f"{q.label}: a date, YYYY-MM-DD")
    elif q.type == "time":
        schema = dict(TIME, description=f"{q.label}: 24-hour time, HH:MM")
    else:
        schema = {"type": "string", "description": q.label}
    if required:
        return {**schema, "minLength": 1} if schema.get("type") == "string" and "format" not in schema \
            and "pattern" not in schema else schema
    return _blank_or(schema)


def _object(questions: list[tuple[tuple, Question]], required_only_always: bool = True) -> dict:
    """An object schema for questions whose paths are relative to it (may nest one level, e.g. applicant.name)."""
    props: dict[str, Any] = {}
    required: list[str] = []
    nested: dict[str, list[tuple[tuple, Question]]] = {}
    for path, q in questions:
        if len(path) > 1:
            nested.setdefault(path[0], []).append((path[1:], q))
            continue
        props[path[0]] = question_schema(q, q.always_required)
        if q.always_required:
            required.append(path[0])
    for key, items in nested.items():
        props[key] = _object(items)
        if any(q.always_required for _, q in items):
            required.append(key)
    out: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        out["required"] = required
    return out


def _if(cond: Condition, form: Form) -> dict:
    """JSON Schema 'if' for 'the answer at cond.question is one of cond.values' (for a list of
    ticks: 'holds one of them')."""
    asked = form.question_at(cond.question)
    schema: dict[str, Any] = {"enum": list(cond.values)}
    if asked is not None and asked.type == "checkboxes":
        schema = {"type": "array", "contains": schema}
    for key in reversed(cond.question):
        schema = {"properties": {key: schema}, "required": [key]}
    return schema


def _then_required(path: tuple, value_schema: dict | None) -> dict:
    """JSON Schema requiring the answer at `path` (meeting `value_schema`, if given)."""
    schema = value_schema
    for key in reversed(path):
        node: dict[str, Any] = {"required": [key]}
        if schema:
            node["properties"] = {key: schema}
        schema = node
    return schema


def submission_schema(form: Form) -> dict:
    """The JSON Schema (2020-12) of `form`'s submitted data."""
    top: list[tuple[tuple, Question]] = [(q.path, q) for q in form.questions()]
    schema = _object(top)
    schema["properties"] = {
        "form": {"const": form.id, "description": "which form this is"},
        "form_version": {"type": "string", "pattern": r"^[0-9]+\.[0-9]+$",
                         "description": "the guidance version the form was made for"},
        **schema["properties"],
    }
    schema["required"] = ["form"] + schema.get("required", [])
    for repeat in form.repeats():
        item = _object([(q.path, q) for q in repeat.questions])
        schema["properties"][repeat.key] = {"type": "array", "items": item,
                                            "description": repeat.label or repeat.key}
        if repeat.min:
            schema["properties"][repeat.key]["minItems"] = repeat.min
            schema["required"].append(repeat.key)
    conditions: list[dict] = []
    for q in form.questions():
        if q.required_when is not None:
            value = {"minLength": 1} if q.type not in ("checkbox", "checkboxes", "radio", "date", "time") else None
            conditions.append({"if": _if(q.required_when, form), "then": _then_required(q.path, value)})
        if q.must_be_true_when is not None:
            conditions.append({"if": _if(q.must_be_true_when, form),
                               "then": _then_required(q.path, {"const": True})})
    for rule in form.rules:
        if rule.one_of:
            conditions.append({"anyOf": [_then_required(path, {"minLength": 1}) for path in rule.one_of],
                               "description": rule.message})
        for choice, path in rule.needs:   # the way chosen to be contacted needs its detail
            conditions.append({"if": _if(Condition(rule.chosen, (choice,)), form),
                               "then": _then_required(path, {"minLength": 1}),
                               "description": form.needs_message(rule, choice)})
    if conditions:
        schema["allOf"] = conditions
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://ctkit.example/schemas/submission-{form.id}.schema.json",
        "title": f"Submitted data of the form '{form.id}'",
        "description": f"Generated from forms/{form.id}.yml by generator/forms/schema_export.py; do not edit by hand.",
        **schema,
    }


def schema_text(form: Form) -> str:
    return json.dumps(submission_schema(form), indent=2, ensure_ascii=False) + "\n"


def schema_path(root: Path, form_id: str) -> Path:
    return root / "schemas" / f"submission-{form_id}.schema.json"


def stale_schemas(root: Path, forms: dict[str, Form]) -> list[str]:
    """Forms whose committed submission schema differs from what their definition generates."""
    stale = []
    for form_id, form in sorted(forms.items()):
        path = schema_path(root, form_id)
        if not path.exists() or path.read_text(encoding="utf-8") != schema_text(form):
            stale.append(form_id)
    return stale


def write_schemas(root: Path, forms: dict[str, Form]) -> list[Path]:
    written = []
    for form_id, form in sorted(forms.items()):
        path = schema_path(root, form_id)
        text = schema_text(form)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
