"""Form definitions: the application keeps the data contract, mistakes in forms/*.yml are found with
their line, and each committed submission schema matches its form."""
from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import run_ctkit, without_locks
from generator.render.schema_export import stale_schemas, submission_schema

CONTRACT = {
    ("received_on",), ("case_ref",), ("basis",), ("consent_to_act",), ("vulnerabilities",), ("asb_types",),
    ("hate_incident",), ("impact",), ("desired_outcome",), ("sharing_limits",),
    ("declaration", "signed_name"), ("declaration", "signed_on"),
    *(("applicant", k) for k in ("name", "address", "postcode", "phone", "email", "preferred_contact", "organisation",
                                 "role")),
    *(("person_affected", k) for k in ("name", "address", "postcode", "phone", "email")),
}
INCIDENT_KEYS = {"occurred_on", "occurred_at", "reported_on", "reported_to", "reference", "description"}
OPTIONAL_EXTRAS = {("tenure",), ("landlord",), ("witnesses",), ("asb_other",)}

EXAMPLE = {
    "form": "application", "form_version": "2.0", "received_on": "2026-03-02", "basis": "victim",
    "applicant": {"name": "Pat Jones", "address": "1 High Street, Matlock", "postcode": "DE4 3AA", "phone": "",
                  "email": "pat@example.org", "preferred_contact": "email", "organisation": "", "role": ""},
    "consent_to_act": True, "vulnerabilities": "", "asb_types": ["noise", "harassment"], "hate_incident": False,
    "incidents": [{"occurred_on": "2026-01-10", "occurred_at": "21:30", "reported_on": "2026-01-11",
                   "reported_to": "Derbyshire Constabulary", "reference": "DC-1234",
                   "description": "Loud music until 3am"}],
    "impact": "I cannot sleep.", "desired_outcome": "The noise to stop.", "sharing_limits": "",
    "declaration": {"signed_name": "Pat Jones", "signed_on": "2026-02-28"},
}


def test_the_application_asks_exactly_the_contracted_questions(guidance):
    form = guidance.forms["application"]
    paths = {q.path for q in form.questions()}
    assert CONTRACT <= paths
    assert paths - CONTRACT <= OPTIONAL_EXTRAS
    incidents = next(form.repeats())
    assert incidents.key == "incidents" and {q.id for q in incidents.questions} == INCIDENT_KEYS
    assert [o.value for o in form.question_at(("basis",)).options] == ["victim", "on_behalf", "partner_agency"]
    assert [o.value for o in form.question_at(("applicant", "preferred_contact")).options] == [
        "phone", "email", "post", "text"]
    assert [o.value for o in form.question_at(("asb_types",)).options] == [
        "noise", "harassment", "intimidation", "verbal_abuse", "threats_or_violence", "criminal_damage", "graffiti",
        "litter_or_fly_tipping", "drugs", "alcohol", "vehicles", "animals", "other"]


@pytest.mark.parametrize("path, words", [
    (("incidents", 1, "reported_on"), "Date incident 2 was reported"),
    (("incidents", 0, "occurred_on"), "Date incident 1 happened"),
    (("incidents", 2), "Incident 3"),
    (("applicant", "postcode"), "Your postcode"),
    (("person_affected", "name"), "Their full name"),
    (("declaration", "signed_on"), "Today’s date"),
    (("received_on",), "Date received"),
    (("asb_types",), "What kind of anti-social behaviour is it?"),
])
def test_each_data_path_has_the_label_the_form_shows(guidance, path, words):
    assert guidance.forms["application"].label_for(path) == words


def test_the_real_forms_have_no_problems(project):
    assert [str(p) for p in project.problems if p.path.startswith("forms/") and p.is_error] == []


@pytest.mark.parametrize("edit, words", [
    (("      - {id: case_ref, type: text, label: \"Case reference\", width: half}",
      "      - {id: received_on, type: text, label: \"Case reference\", width: half}"), "is asked twice"),
    (("required_when: {question: basis, in: [partner_agency]}", "required_when: {question: bassis, in: [partner_agency]}"),
     "which is not a question on this form"),
    (("when: {question: basis, in: [on_behalf, partner_agency]}", "when: {question: basis, in: [on_behalf, agency]}"),
     "not an option of 'basis'"),
    (("{{ criteria.threshold }} or more", "{{ criteria.thresold }} or more"), "'criteria.thresold' does not exist"),
    (("        type: radio\n        label: Who is filling in this form?", "        type: radoi\n        label: Who is filling in this form?"),
     "must be one of"),
])
def test_mistakes_in_a_form_are_reported_with_file_and_line(ctkit, tmp_root, edit, words):
    path = tmp_root / "forms" / "application.yml"
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1
    lines = [line for line in (run.stdout + run.stderr).splitlines() if words in line]
    assert lines, run.stdout + run.stderr
    assert lines[0].startswith("forms/application.yml:") and lines[0].split(":")[1].isdigit()
    assert "Traceback" not in run.stderr


def test_committed_submission_schemas_match_the_form_definitions(root, guidance):
    assert stale_schemas(root, guidance.forms) == [], "run: python -m generator.forms.schema_export"


def test_a_changed_form_makes_its_schema_stale_until_regenerated(tmp_root):
    without_locks(tmp_root)
    from generator.project import load_project
    path = tmp_root / "forms" / "consent.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("label: \"Their phone number\"", "label: \"Their phone\""),
                    encoding="utf-8")
    forms = load_project(tmp_root).require().forms
    assert stale_schemas(tmp_root, forms) == ["consent"]
    run = run_ctkit("schemas", "--check", root=tmp_root)
    assert run.returncode == 1 and "submission-consent.schema.json is out of date" in run.stdout
    run = run_ctkit("schemas", root=tmp_root)
    assert run.returncode == 0 and "submission-consent.schema.json" in run.stdout
    assert stale_schemas(tmp_root, forms) == []


def _errors(guidance, data):
    validator = jsonschema.Draft202012Validator(submission_schema(guidance.forms["application"]),
                                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return [e.message for e in validator.iter_errors(data)]


def test_the_application_schema_accepts_the_design_example(guidance, root):
    assert _errors(guidance, EXAMPLE) == []
    committed = json.loads((root / "schemas" / "submission-application.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(committed)


@pytest.mark.parametrize("change", [
    {"basis": "neighbour"},
    {"basis": "on_behalf"},                                  # no person affected, no consent
    {"basis": "partner_agency", "person_affected": {"name": "Sam"}},  # no organisation or role
    {"applicant": {**EXAMPLE["applicant"], "email": ""}},    # neither phone nor email
    {"asb_types": []},
    {"asb_types": "noise"},
    {"incidents": []},
    {"sharing_limits": 3},
    {"information_sharing_consent": True},          # the old consent tick is not a question any more
    {"received_on": "2026-02-30"},
    {"incidents": [{**EXAMPLE["incidents"][0], "occurred_at": "9pm"}]},
    {"surprise": "an unknown key"},
])
def test_the_application_schema_rejects_incomplete_or_wrong_data(guidance, change):
    assert _errors(guidance, {**EXAMPLE, **change})


def test_the_schema_accepts_on_behalf_with_person_and_consent(guidance):
    assert _errors(guidance, {**EXAMPLE, "basis": "on_behalf", "person_affected": {"name": "Sam"}}) == []
