"""Round trips: a form filled by another tool (PyMuPDF) or by `ctkit fill` reads back to exactly the data put in."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from generator.render.fill import field_values, fill
from generator.model import Form
from generator.judge.pdf_reader import read_pdf

from conftest import drawn_form

import pymupdf

UNICODE_NAME = "Zoë Łukasik – O’Brien"


def _put(data: dict, path: tuple, value) -> None:
    node = data
    for key in path[:-1]:
        if isinstance(key, int):
            while len(node) <= key:
                node.append({})
            node = node[key]
        else:
            node = node.setdefault(key, [] if isinstance(path[path.index(key) + 1], int) else {})
    node[path[-1]] = value


def every_field_data(form: Form, version: str) -> dict:
    """Canonical data answering every field of `form` with a different value (all rows of repeat groups)."""
    data: dict = {"form": form.id, "form_version": version}
    day = dt.date(2026, 1, 1)
    for i, f in enumerate(form.fields()):
        q = f.question
        if q.type == "checkboxes":
            chosen = data.setdefault(q.path[0], []) if len(q.path) == 1 else None
            if i % 2 == 0:
                chosen.append(f.path[-1])
            continue
        if q.type == "checkbox":
            value = i % 2 == 0
        elif q.type == "radio":
            value = q.options[i % len(q.options)].value
        elif q.type == "date":
            value = (day + dt.timedelta(days=i)).isoformat()
        elif q.type == "time":
            value = f"{i % 24:02d}:{(i * 7) % 60:02d}"
        elif q.type == "textarea":
            value = f"{UNICODE_NAME} wrote line {i} with £{i}\nand a second line, “quoted”."
        else:
            value = f"{UNICODE_NAME} {i}"
        if q.maxlength and isinstance(value, str):   # no more than a person can type into the box
            value = value[:q.maxlength - len(str(i))] + str(i)
        _put(data, f.path, value)
    return data


def fill_with_pymupdf(blank: bytes, values: dict, out: Path) -> None:
    """Set each field with PyMuPDF, as a resident's PDF reader would."""
    doc = pymupdf.open(stream=blank, filetype="pdf")
    for page in doc:
        for widget in page.widgets():
            name = widget.field_name
            if name not in values:
                continue
            value = values[name]
            if widget.field_type == pymupdf.PDF_WIDGET_TYPE_CHECKBOX:
                widget.field_value = widget.on_state() if value is True else "Off"
            elif widget.field_type == pymupdf.PDF_WIDGET_TYPE_RADIOBUTTON:
                if widget.on_state() != value:
                    continue
                widget.field_value = widget.on_state()
            else:
                widget.field_value = value
            widget.update()
    doc.save(str(out))


@pytest.mark.parametrize("form_id", ["application", "consent", "review_agenda", "action_plan", "proportionality"])
def test_every_field_filled_with_pymupdf_reads_back_exactly(guidance, form_id, tmp_path):
    form = guidance.forms[form_id]
    council = guidance.councils["erewash"]
    data = every_field_data(form, guidance.current().version)
    values, warnings = field_values(form, data)
    assert warnings == []
    assert len(values) >= len([f for f in form.fields() if f.question.type != "checkbox"]) // 2
    out = tmp_path / f"{form_id}.pdf"
    fill_with_pymupdf(drawn_form(guidance, form_id, council), values, out)
    result = read_pdf(out, form)
    assert result.error is None
    assert result.data == data


def test_ctkit_fill_output_reads_back_to_the_data_given(guidance, ctkit, tmp_path):
    form = guidance.forms["application"]
    data = every_field_data(form, guidance.current().version)
    source = tmp_path / "case.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "filled.pdf"
    run = ctkit("fill", "application", "--data", str(source), "--council", "bolsover", "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert read_pdf(out, form).data == data
    assert json.loads(source.read_text(encoding="utf-8")) == data  # input untouched


def test_ctkit_fill_reads_yaml_with_real_dates(guidance, ctkit, tmp_path):
    source = tmp_path / "agenda.yml"
    source.write_text("form: review_agenda\ncase_ref: AV-2026-001\nmeeting_on: 2026-04-07\nvenue: Ripley Town Hall\n"
                      "attendees:\n  - {name: Sam Patel, organisation: Derbyshire Constabulary, role: Inspector}\n",
                      encoding="utf-8")
    out = tmp_path / "agenda.pdf"
    run = ctkit("fill", "review_agenda", "--data", str(source), "-o", str(out))
    assert run.returncode == 0, run.stderr
    data = read_pdf(out, guidance.forms["review_agenda"]).data
    assert data["meeting_on"] == "2026-04-07"
    assert data["attendees"] == [{"name": "Sam Patel", "organisation": "Derbyshire Constabulary", "role": "Inspector"}]


def test_fill_keeps_unicode_values_whole_and_warns_about_answers_longer_than_the_form_allows(guidance, tmp_path):
    form = guidance.forms["application"]
    data = {"form": "application", "applicant": {"name": UNICODE_NAME}, "impact": "It keeps me awake. " * 300,
            "incidents": [{"occurred_on": "2026-01-10", "reported_on": "2026-01-11", "description": "x"}] * 11}
    filled = fill(form, data, guidance)
    assert any("5,700 characters, more than the 3,000 the form allows" in w and "affected" in w
               for w in filled.warnings), filled.warnings
    assert any("room for 10 rows" in w for w in filled.warnings)
    out = tmp_path / "long.pdf"
    out.write_bytes(filled.pdf)
    back = read_pdf(out, form).data
    assert back["applicant"]["name"] == UNICODE_NAME
    assert back["impact"] == data["impact"].strip()
