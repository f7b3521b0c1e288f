"""Validate loaded YAML against a JSON Schema and say what is wrong in an editor's words.

jsonschema finds the problem and where (a path of keys and indexes); `sources.line_at`
turns that path into the line of the YAML file; this module turns the error into a
sentence ("unknown key 'thresold' — did you mean 'threshold'?").
"""
from __future__ import annotations

import difflib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..lazy_modules import lazy
from .sources import LineDict, line_at, to_plain

jsonschema = lazy("jsonschema")   # a project read from the build cache checks no schema (issue 29)

SCHEMAS = "schemas"
#: The kit's own schemas: inside the installed package (generator/schemas/, copied there from the checkout's
#: schemas/ when the wheel is built), else, in a checkout, its schemas/ folder, their source.
_PACKAGE = Path(__file__).resolve().parent.parent
KIT_SCHEMAS = next((folder for folder in (_PACKAGE / SCHEMAS, _PACKAGE.parent / SCHEMAS)
                    if (folder / "ctkit.schema.json").is_file()), _PACKAGE / SCHEMAS)

_TYPE_WORDS = {
    "string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
    "array": "a list", "object": "a set of 'key: value' lines", "null": "empty",
}


def schema_file(root: Path, schema_name: str) -> Path:
    """The schema a project's sources are held to: the kit's, unless the content folder carries its own copy
    in schemas/ (this repository, which is their source; a release made before the kit shipped them)."""
    own = Path(root) / SCHEMAS / schema_name
    return own if own.is_file() else KIT_SCHEMAS / schema_name


@lru_cache(maxsize=None)
def _text(path: str, stamp: int) -> str:
    return Path(path).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _read(path: str, stamp: int) -> dict:
    return json.loads(_text(path, stamp))


@lru_cache(maxsize=None)
def _validator(text: str) -> jsonschema.Draft202012Validator:
    """The validator of a schema, by its text: checking a schema against the meta-schema is most of the cost,
    and copies of one project (a test's, a release's) carry the same schema files in other folders."""
    schema = json.loads(text)
    draft = jsonschema.Draft202012Validator
    draft.check_schema(schema)
    return draft(schema, format_checker=draft.FORMAT_CHECKER)


def _key(root: Path, schema_name: str) -> tuple[str, int]:
    """The schema file and its modification time: read again only when it changed."""
    path = schema_file(root, schema_name)
    return str(path), path.stat().st_mtime_ns


def load_schema(root: Path, schema_name: str) -> dict:
    """One of the project's JSON Schemas (the kit's own files, not user input), read once per run."""
    return _read(*_key(root, schema_name))


def validator_for(root: Path, schema_name: str) -> jsonschema.Draft202012Validator:
    return _validator(_text(*_key(root, schema_name)))


def where_in_words(path: list) -> str:
    """A path of keys and indexes as an editor reads it: `incidents → item 2 → reported_on`."""
    keys = [str(p) if not isinstance(p, int) else f"item {p + 1}" for p in path]
    return " → ".join(keys) if keys else "the file"


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value[:40]}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return "a list" if isinstance(value, list) else "a set of 'key: value' lines"
    return str(value)


def _missing_key(error: jsonschema.ValidationError) -> str:
    """The key a 'required' error is about (jsonschema says "'x' is a required property")."""
    return error.message.split("'")[1] if "'" in error.message else error.message


def _sentence(error: jsonschema.ValidationError) -> list[tuple[list, str]]:
    """(path, sentence) pairs for one jsonschema error; unknown keys give one pair each."""
    path = list(error.absolute_path)
    where = where_in_words(path)
    v = error.validator
    if v == "required":
        return [(path, f"{where}: the required key '{_missing_key(error)}' is missing")]
    if v == "additionalProperties" and isinstance(error.instance, dict):
        known = list(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in known]
        out = []
        for key in extra:
            hint = difflib.get_close_matches(str(key), known, n=1)
            suggestion = f" — did you mean '{hint[0]}'?" if hint else f"; allowed keys here: {', '.join(known)}"
            out.append((path + [key], f"unknown key '{key}' in {where}{suggestion}"))
        return out
    if v == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in wanted)
        return [(path, f"{where} should be {words}, not {_describe(error.instance)}")]
    if v == "enum":
        options = ", ".join(str(o) for o in error.validator_value)
        return [(path, f"{where} is {_describe(error.instance)}; it must be one of: {options}")]
    if v == "format" and error.validator_value == "date":
        return [(path, f"{where} is {_describe(error.instance)}, which is not a date; write dates as YYYY-MM-DD")]
    if v in ("pattern", "format"):
        hint = error.schema.get("description")
        return [(path, f"{where} is {_describe(error.instance)}, which is not in the expected form"
                       + (f" ({hint})" if hint else ""))]
    if v in ("minimum", "maximum"):
        side = "at least" if v == "minimum" else "at most"
        return [(path, f"{where} is {error.instance}; it must be {side} {error.validator_value}")]
    if v == "minLength":
        return [(path, f"{where} is empty; write something here or remove the key")]
    if v == "minItems":
        return [(path, f"{where} needs at least {error.validator_value} item(s)")]
    if v == "not" and error.schema.get("description"):
        return [(path, f"{where}: {error.schema['description']}")]
    if v == "propertyNames":
        return [(path, f"{where}: the key {_describe(error.instance)} is not allowed here")]
    return [(path, f"{where}: {error.message}")]


def schema_problems(root: Path, data: Any, schema_name: str, shown: str) -> list[Problem]:
    """Every way `data` breaks the project's `schema_name`, each located at the YAML line it came from."""
    validator = validator_for(root, schema_name)
    errors = sorted(validator.iter_errors(to_plain(data)), key=lambda e: list(map(str, e.absolute_path)))
    # A misspelt key is one mistake, not two: drop "'threshold' is missing" when 'thresold' is there.
    typos = {(tuple(e.absolute_path), hint)
             for e in errors if e.validator == "additionalProperties" and isinstance(e.instance, dict)
             for key in e.instance if key not in e.schema.get("properties", {})
             for hint in difflib.get_close_matches(str(key), list(e.schema.get("properties", {})), n=1)}
    problems: list[Problem] = []
    for error in errors:
        # Inside oneOf/anyOf, report the most specific sub-error.
        if error.context:
            error = jsonschema.exceptions.best_match(error.context) or error
        if error.validator == "required" and (tuple(error.absolute_path), _missing_key(error)) in typos:
            continue
        for path, sentence in _sentence(error):
            problems.append(Problem(shown, line_at(data, path), sentence))
    # One mistake can break several rules at the same place: say it once.
    return list(dict.fromkeys(problems))


def unverified_warnings(data: Any, shown: str, path: tuple = ()) -> list[Problem]:
    """A warning for every mapping marked `verified: false`, with its note."""
    out: list[Problem] = []
    if isinstance(data, LineDict):
        if data.get("verified") is False:
            what = where_in_words(list(path)) if path else "this file"
            note = data.get("note")
            out.append(Problem(shown, data.line_of("verified"),
                               f"{what} is not yet confirmed" + (f": {note}" if note else ""), "warning"))
        for key, value in data.items():
            out += unverified_warnings(value, shown, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += unverified_warnings(value, shown, path + (i,))
    return out
