"""Fill a form's PDF from canonical data: the SPOC's agenda, action plan and letters from a case.

The filled PDF is the same document as the blank one with values set, so it reads back
(through `reader.read_pdf`) to the data it was filled from. With `printed=True` the same
answers are drawn as text instead (`ctkit print`: a copy to read and print, every answer whole).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..model import Council, Form, Guidance, Question, Version, field_name
from ..model.values import uk_date
from .form_pdf import render


@dataclass
class Filled:
    pdf: bytes
    warnings: list[str] = field(default_factory=list)


def _text_value(q: Question, value: Any) -> str:
    if q.type == "date":
        return _whole_characters(uk_date(value))
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else _whole_characters(str(value))


def _whole_characters(text: str) -> str:
    """`text` with any lone half of a surrogate pair (no PDF can hold one; a JSON escape such as
    backslash-u-D800 makes one) replaced by U+FFFD, the sign for a character that could not be read."""
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def field_values(form: Form, data: dict) -> tuple[dict[str, Any], list[str]]:
    """PDF field name -> value for `data`, and sentences about data the form cannot hold."""
    values: dict[str, Any] = {}
    warnings: list[str] = []
    known_top = {"form", "form_version"}

    def put(q: Question, path: tuple, value: Any) -> None:
        if value is None or value == "":
            return
        if q.type == "checkbox":
            values[field_name(path)] = value is True
        elif q.type == "checkboxes":
            items = value if isinstance(value, list) else [value]
            options = {o.value for o in q.options}
            for item in items:
                if item in options:
                    values[field_name(path + (item,))] = True
                else:
                    warnings.append(f"'{item}' is not one of the choices for “{form.label_for(path)}”, so it was left out.")
        elif q.type == "radio":
            if value in {o.value for o in q.options}:
                values[field_name(path)] = value
            else:
                warnings.append(f"'{value}' is not one of the choices for “{form.label_for(path)}”, so it was left out.")
        else:
            text = values[field_name(path)] = _text_value(q, value)
            if q.maxlength and len(text) > q.maxlength:
                warnings.append(f"the answer to “{form.label_for(path)}” has {len(text):,} characters, more than the "
                                f"{q.maxlength:,} the form allows; all of it was kept.")

    for q in form.questions():
        known_top.add(q.path[0])
        node: Any = data
        for key in q.path:
            node = node.get(key) if isinstance(node, dict) else None
        put(q, q.path, node)
    for repeat in form.repeats():
        known_top.add(repeat.key)
        rows = data.get(repeat.key) or []
        if not isinstance(rows, list):
            warnings.append(f"“{form.label_for((repeat.key,))}” should be a list, so it was left out.")
            continue
        if len(rows) > repeat.capacity:
            warnings.append(f"the form has room for {repeat.capacity} rows of “{form.label_for((repeat.key,))}”; "
                            f"{len(rows) - repeat.capacity} more were left out.")
        for row, item in enumerate(rows[:repeat.capacity]):
            if not isinstance(item, dict):
                continue
            for q in repeat.questions:
                put(q, (repeat.key, row) + q.path, item.get(q.path[0]) if len(q.path) == 1 else None)
    for key in data:
        if key not in known_top:
            warnings.append(f"the data has '{key}', which this form does not ask for, so it was left out.")
    return values, warnings


def fill(form: Form, data: dict, guidance: Guidance, council: Council | None = None,
         version: Version | str | None = None, printed: bool = False) -> Filled:
    values, warnings = field_values(form, data)
    if version is None and isinstance(data.get("form_version"), str):
        try:
            version = guidance.version(data["form_version"])
        except KeyError:
            warnings.append(f"guidance version {data['form_version']} does not exist; the current one was used.")
    rendered = render(form, guidance, council, version, values, printed)
    return Filled(rendered.pdf, warnings)


def fill_form_pdf(form: Form, data: dict, guidance: Guidance, council: Council | None = None) -> bytes:
    """The PDF of `form` with `data` filled in (for letters, the agenda and the action plan)."""
    return fill(form, data, guidance, council).pdf
