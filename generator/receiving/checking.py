"""Is a body a submission the SPOC can use? The two parts read from the multipart body, then checked.

Everything here works on bytes already held in memory (the receiver read at most MAX_BODY_BYTES),
so nothing sent is ever written to the server's disk unencrypted. The JSON is read by the same
reader as `ctkit validate` (size, nesting, duplicate keys, NaN) and must meet the application's
submission schema (made from the partnership's forms/application.yml, as `ctkit schemas` writes it); the PDF must be the kit's application form,
as the validator's reader identifies it. Each refusal is one sentence that quotes nothing sent.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jsonschema
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from ..judge.pdf_reader import identify_form
from ..judge.submissions import read_json_bytes
from ..loading.schemas import where_in_words
from ..model import Guidance
from ..render.schema_export import submission_schema
from .contract import HONEYPOT, JSON_PART, MAX_PARTS, PDF_PART, Refusal, refusal

FORM_ID = "application"
_VALIDATORS: dict[int, tuple[Guidance, jsonschema.Draft202012Validator]] = {}


def answers_validator(guidance: Guidance) -> jsonschema.Draft202012Validator:
    """The application's submission schema, made from the form itself once per loaded project (a receiver
    serves one), so a partnership's content needs no schemas/ folder of its own."""
    kept = _VALIDATORS.get(id(guidance))
    if kept is None or kept[0] is not guidance:
        schema = submission_schema(guidance.forms[FORM_ID])
        kept = (guidance, jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER))
        _VALIDATORS[id(guidance)] = kept
    return kept[1]


@dataclass
class Part:
    name: str = ""
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)


@dataclass(frozen=True)
class Accepted:
    """A submission that passed every check: both parts exactly as sent, and the answers read."""

    application_json: bytes
    application_pdf: bytes
    answers: dict


def multipart_boundary(content_type: str | None) -> bytes | None:
    """The boundary of a multipart/form-data body, or None for any other kind of body."""
    kind, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary", b"")
    return boundary if kind == b"multipart/form-data" and 0 < len(boundary) <= 70 else None


def split_parts(body: bytes, boundary: bytes) -> dict[str, Part] | Refusal:
    """The body's parts by name; a body that is not well-formed multipart, or has too many parts, is refused."""
    parts: list[Part] = []
    header: dict[str, bytearray] = {"field": bytearray(), "value": bytearray()}
    headers: dict[bytes, bytes] = {}
    ended: list[bool] = []

    def begin_part() -> None:
        if len(parts) >= MAX_PARTS:
            raise MultipartParseError("too many parts")
        parts.append(Part())
        headers.clear()

    def header_end() -> None:
        headers[bytes(header["field"]).strip().lower()] = bytes(header["value"]).strip()
        header["field"].clear()
        header["value"].clear()

    def headers_finished() -> None:
        _, options = parse_options_header(headers.get(b"content-disposition", b""))
        parts[-1].name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        parts[-1].filename = filename.decode("utf-8", "replace") if filename is not None else None

    parser = MultipartParser(boundary, {
        "on_part_begin": begin_part,
        "on_header_field": lambda data, start, end: header["field"].extend(data[start:end]),
        "on_header_value": lambda data, start, end: header["value"].extend(data[start:end]),
        "on_header_end": header_end,
        "on_headers_finished": headers_finished,
        "on_part_data": lambda data, start, end: parts[-1].data.extend(data[start:end]),
        "on_end": lambda: ended.append(True),
    })
    try:
        parser.write(body)
        parser.finalize()
    except MultipartParseError:
        return refusal("unreadable_body")
    named: dict[str, Part] = {}
    for part in parts:
        if not ended or part.name in named:   # cut short, or a part given twice: which one was meant?
            return refusal("unreadable_body")
        named[part.name] = part
    return named


def _where(error: jsonschema.ValidationError) -> str:
    path = list(error.absolute_path)
    words = where_in_words(path) if path else "its top level"
    if error.validator == "required" and isinstance(error.validator_value, list):
        missing = [key for key in error.validator_value if isinstance(error.instance, dict)
                   and key not in error.instance]
        if missing:   # the schema's own key names, never the sender's
            return f"{words} (the answer '{missing[0]}' is missing)"
    if error.validator == "additionalProperties":
        return f"{words} (an answer the form does not ask for)"
    return words


def check_answers(raw: bytes, guidance: Guidance) -> dict | Refusal:
    """The answers of application.json, read as the validator reads a .json file and held to the schema."""
    read = read_json_bytes(raw, JSON_PART)
    if read.error:
        return refusal("not_json", reason=read.error)
    answers: Any = read.data
    errors = list(answers_validator(guidance).iter_errors(answers))
    if errors:
        first = jsonschema.exceptions.best_match(errors)
        while first.context:   # inside anyOf/oneOf: the most specific of the alternatives' errors
            first = jsonschema.exceptions.best_match(first.context)
        return refusal("not_valid", where=_where(first))
    return answers


def check_body(body: bytes, boundary: bytes, guidance: Guidance) -> Accepted | Refusal:
    """A whole multipart body, read into its parts and checked."""
    parts = split_parts(body, boundary)
    return parts if isinstance(parts, Refusal) else check_submission(parts, guidance)


def check_submission(parts: dict[str, Part], guidance: Guidance) -> Accepted | Refusal:
    """Both parts there and each what it says it is; the honeypot empty."""
    trap = parts.get(HONEYPOT)
    if trap is not None and trap.data.strip():
        return refusal("honeypot")
    for name in (JSON_PART, PDF_PART):
        if name not in parts or not parts[name].data:
            return refusal("missing_part", part=name)
    json_bytes, pdf_bytes = bytes(parts[JSON_PART].data), bytes(parts[PDF_PART].data)
    answers = check_answers(json_bytes, guidance)
    if isinstance(answers, Refusal):
        return answers
    if identify_form(pdf_bytes, guidance.forms) != "application":
        return refusal("not_the_form")
    return Accepted(json_bytes, pdf_bytes, answers)
