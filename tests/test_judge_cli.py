"""`ctkit validate` as a SPOC uses it: real files in, a decision with reasons and deadlines out."""
from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
from pathlib import Path

import pytest

from conftest import without_locks

APPLICATION = {
    "form": "application", "form_version": "2.0", "received_on": "2026-03-02", "basis": "victim",
    "applicant": {"name": "Pat Example", "address": "12 Sample Row, Ilkeston", "postcode": "DE7 5RP",
                  "phone": "0115 000 0000", "email": "", "preferred_contact": "phone"},
    "vulnerabilities": "", "asb_types": ["noise", "harassment"], "hate_incident": False,
    "incidents": [
        {"occurred_on": "2026-01-10", "occurred_at": "21:30", "reported_on": "2026-01-11",
         "reported_to": "Derbyshire Constabulary", "reference": "DC-1234", "description": "Loud music until 3am"},
        {"occurred_on": "2026-02-01", "reported_on": "2026-02-01", "reported_to": "Erewash Borough Council",
         "description": "Shouting in the street outside number 14"},
        {"occurred_on": "2026-02-20", "reported_on": "2026-02-27", "reported_to": "Derbyshire Constabulary",
         "description": "Bins set on fire"},
    ],
    "impact": "I cannot sleep", "desired_outcome": "For it to stop",
    "declaration": {"signed_name": "Pat Example", "signed_on": "2026-03-01"},
}


def application(**changes) -> dict:
    data = copy.deepcopy(APPLICATION)
    data.update(copy.deepcopy(changes))
    return data


def write(folder: Path, name: str, data) -> Path:
    path = folder / name
    path.write_text(json.dumps(data) if isinstance(data, dict) else data, encoding="utf-8")
    return path


def judge(ctkit, *paths, extra=()) -> tuple[list[dict], object]:
    run = ctkit("validate", *map(str, paths), "--format", "json", *extra)
    assert "Traceback" not in run.stderr
    return json.loads(run.stdout), run


def test_a_complete_application_with_three_qualifying_incidents_meets_the_threshold(tmp_path, ctkit, guidance):
    [r], run = judge(ctkit, write(tmp_path, "app.json", application()))
    assert run.returncode == 0
    assert r["decision"] == "threshold_met"
    assert r["qualifying_incidents"] == 3
    assert r["guidance_version"] == "2.0" and r["received_on"] == "2026-03-02"
    assert r["received_on_source"] == "data"
    assert r["errors"] == []
    assert [i["qualifies"] for i in r["incidents"]] == [True, True, True]
    names = [d["name"] for d in r["deadlines"]]
    assert names[:3] == ["acknowledge", "threshold_decision", "review_meeting"]
    ack = r["deadlines"][0]
    assert ack["working_days"] == guidance.criteria_for("2.0").timescales["acknowledge"].days
    assert ack["from_date"] == "2026-03-02" and ack["counts_from"] == "received"
    assert any(c["id"] == "incidents_related" for c in r["spoc_checks"])


def _errors(r: dict) -> dict[str, bool]:
    """pointer -> blocks_decision, for each missing or wrong answer."""
    return {e["pointer"]: e["blocks_decision"] for e in r["errors"]}


def test_missing_answers_are_named_as_on_the_form_and_only_some_block_the_decision(tmp_path, ctkit, guidance):
    data = application()
    del data["applicant"]["name"]
    data["incidents"][1]["reported_on"] = ""
    data["declaration"] = {"signed_name": "Pat Example"}
    [r], run = judge(ctkit, write(tmp_path, "app.json", data))
    assert run.returncode == 0
    assert r["decision"] == "incomplete"
    form = guidance.forms["application"]
    by_field = {e["field"]: e for e in r["errors"]}
    # the labels are the form's own words, read through the form model
    assert form.label_for(("incidents", 1, "reported_on")) in by_field
    assert form.label_for(("applicant", "name")) in by_field
    assert form.label_for(("declaration", "signed_on")) in by_field
    blocks = _errors(r)
    assert blocks["/applicant/name"] is True            # nobody to tell the answer to
    assert blocks["/incidents/1/reported_on"] is True   # counting it could reach the threshold of 3
    assert blocks["/declaration/signed_on"] is False    # cannot change the answer
    assert all(not e["field"].startswith("/") for e in r["errors"])
    assert all(e["message"] for e in r["errors"])


def test_a_missing_date_that_could_not_reach_the_threshold_does_not_block(tmp_path, ctkit):
    data = application(incidents=APPLICATION["incidents"][:2])
    data["incidents"][1]["reported_on"] = ""
    [r], _ = judge(ctkit, write(tmp_path, "app.json", data))
    assert r["decision"] == "threshold_not_met"          # 1 counts, the other could make 2 of 3
    assert _errors(r) == {"/incidents/1/reported_on": False}


def test_no_consent_tick_gates_the_decision(tmp_path, ctkit):
    """Sharing rests on public task: old data refusing consent is a SPOC check, never incomplete."""
    old = application(information_sharing_consent=False)
    [r], _ = judge(ctkit, write(tmp_path, "old.json", old))
    assert r["decision"] == "threshold_met" and r["errors"] == []
    assert {c["id"]: c["flagged"] for c in r["spoc_checks"]}["sharing_consent"] is True
    new = application(sharing_limits="Do not contact my landlord")
    [r], _ = judge(ctkit, write(tmp_path, "new.json", new))
    assert r["decision"] == "threshold_met" and r["errors"] == []
    check = next(c for c in r["spoc_checks"] if c["id"] == "sharing_limits")
    assert check["flagged"] and "landlord" not in check["message"]


def test_someone_applying_on_behalf_without_the_persons_agreement_is_still_judged(tmp_path, ctkit):
    [r], _ = judge(ctkit, write(tmp_path, "app.json", application(basis="on_behalf")))
    assert r["decision"] == "threshold_met"
    assert _errors(r) == {"/person_affected/name": False, "/consent_to_act": False}
    check = next(c for c in r["spoc_checks"] if c["id"] == "person_agreement")
    assert check["flagged"] and "agreement before sharing" in check["message"]
    ok = application(basis="on_behalf", person_affected={"name": "Sam Example"}, consent_to_act=True)
    [r], _ = judge(ctkit, write(tmp_path, "ok.json", ok))
    assert r["decision"] == "threshold_met" and r["errors"] == [], r["errors"]
    assert "person_agreement" not in {c["id"] for c in r["spoc_checks"]}


def test_a_partner_agency_is_asked_for_its_organisation_and_role_without_blocking(tmp_path, ctkit):
    data = application(basis="partner_agency", person_affected={"name": "Sam Example"}, consent_to_act=True)
    [r], _ = judge(ctkit, write(tmp_path, "app.json", data))
    assert r["decision"] == "threshold_met"
    assert _errors(r) == {"/applicant/organisation": False, "/applicant/role": False}


def test_no_way_to_tell_the_applicant_makes_it_incomplete(tmp_path, ctkit):
    data = application()
    data["applicant"].update(address="", phone="", email="")
    [r], _ = judge(ctkit, write(tmp_path, "app.json", data))
    assert r["decision"] == "incomplete"
    assert any(e["blocks_decision"] for e in r["errors"])


def test_a_timing_problem_never_makes_the_form_incomplete(tmp_path, ctkit):
    data = application()
    data["incidents"][0]["reported_on"] = "2026-01-01"   # before it happened
    data["incidents"][1].update(occurred_on="2026-04-01", reported_on="2026-04-01")  # after it was received
    data["incidents"][2]["reported_to"] = ""             # no organisation: needed, but not blocking
    [r], _ = judge(ctkit, write(tmp_path, "app.json", data))
    assert r["decision"] == "threshold_not_met"
    assert _errors(r) == {"/incidents/2/reported_to": False}
    assert [i["reasons"] for i in r["incidents"]] == [
        ["reported_before_it_happened"], ["in_future", "reported_after_received"], ["no_organisation"]]
    assert all(i["explanations"] for i in r["incidents"])
    discretion = next(c for c in r["spoc_checks"] if c["id"] == "discretion")
    assert discretion["flagged"] and "s.104(5)" in discretion["message"]


def test_the_issue_example_counts_from_the_report_not_the_incident(tmp_path, ctkit):
    data = application(received_on="2026-08-31")
    data["incidents"] = [
        {"occurred_on": "2026-02-20", "reported_on": "2026-03-05", "reported_to": "Derbyshire Constabulary",
         "description": "Shouting"},
        {"occurred_on": "2026-05-01", "reported_on": "2026-05-01", "reported_to": "Erewash Borough Council",
         "description": "Music"},
        {"occurred_on": "2026-08-01", "reported_on": "2026-08-02", "reported_to": "Derbyshire Constabulary",
         "description": "Threats"},
    ]
    for fmt in ("json", "text"):
        run = ctkit("validate", str(write(tmp_path, "app.json", data)), "--format", fmt)
        assert run.returncode == 0
        if fmt == "json":
            [r] = json.loads(run.stdout)
            assert (r["decision"], r["qualifying_incidents"], r["qualifying_complaints"]) == ("threshold_met", 3, 3)
        else:
            assert "The threshold is met" in run.stdout and "20 February 2026 — counts" in run.stdout


def test_untimed_same_day_reports_and_disagreeing_counts_are_told_to_the_spoc(tmp_path, ctkit):
    data = application()
    data["incidents"][1].update(occurred_on="2026-02-20", reported_on="2026-02-21")   # same day as 3, no times
    [r], _ = judge(ctkit, write(tmp_path, "app.json", data))
    assert (r["decision"], r["qualifying_incidents"], r["qualifying_complaints"]) == ("threshold_met", 2, 3)
    checks = {c["id"]: c["message"] for c in r["spoc_checks"] if c["flagged"]}
    assert "requires the threshold to be treated as met" in checks["counts_disagree"]
    assert "3 qualifying complaints" in checks["counts_disagree"] and "2 separate incidents" in checks["counts_disagree"]
    assert "Entries 2 and 3" in checks["untimed_merge"] and "3 qualifying incidents" in checks["untimed_merge"]


@pytest.mark.parametrize("name, content, decision, words", [
    ("wrong-types.json", json.dumps(application(incidents="lots", asb_types="noise", impact=42)), "incomplete",
     "list"),
    ("impossible-date.json", json.dumps(application(declaration={"signed_name": "P", "signed_on": "2026-02-30"})),
     "threshold_met", "not a real date"),
    # A date received that is written but cannot be read stops the count: nothing can be counted from it.
    ("impossible-received.json", json.dumps(application(received_on="31/02/2026")), "incomplete", "not a real date"),
    ("impossible-date.yaml", "form: application\nreceived_on: 2026-03-02\nbasis: victim\nincidents:\n"
                             "  - {occurred_on: 2026-02-30, reported_on: 2026-03-01, reported_to: Police}\n",
     "incomplete", "not a real date"),
])
def test_wrong_data_is_a_sentence_not_a_crash(tmp_path, ctkit, name, content, decision, words):
    [r], run = judge(ctkit, write(tmp_path, name, content))
    assert run.returncode == 0
    assert r["decision"] == decision, r["errors"]
    assert any(words in e["message"] for e in r["errors"]), r["errors"]


def _bad_files(folder: Path) -> dict[str, str]:
    """Every kind of file that cannot be read as a form, and words its sentence must hold."""
    from pypdf import PdfWriter
    from reportlab.pdfgen import canvas

    made: dict[str, str] = {}
    (folder / "random.pdf").write_bytes(bytes(range(256)) * 40)
    made["random.pdf"] = "not a PDF"
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(72, 720, "A printed and scanned application")
    c.save()
    (folder / "scanned.pdf").write_bytes(buffer.getvalue())
    made["scanned.pdf"] = ""
    (folder / "truncated.pdf").write_bytes(buffer.getvalue()[:300])
    made["truncated.pdf"] = ""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    with (folder / "encrypted.pdf").open("wb") as out:
        writer.write(out)
    made["encrypted.pdf"] = ""
    with (folder / "huge.json").open("wb") as out:   # a 200 MB file, sparse: nothing is really written
        out.truncate(200_000_000)
    made["huge.json"] = "200.0 MB"
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    made["deep.json"] = "nested"
    (folder / "deep.yaml").write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    made["deep.yaml"] = "nested"
    (folder / "nested.json").write_text('{"incidents": ' + "[" * 40 + "]" * 40 + "}", encoding="utf-8")
    made["nested.json"] = "nested"
    (folder / "laughs.yaml").write_text(
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n", encoding="utf-8")
    made["laughs.yaml"] = "aliases"
    (folder / "binary.yaml").write_bytes(b"\xff\xfe\x00garbage\x80\x81")
    made["binary.yaml"] = "not text"
    (folder / "list.json").write_text("[1, 2, 3]", encoding="utf-8")
    made["list.json"] = "no application"
    (folder / "empty.yml").write_text("", encoding="utf-8")
    made["empty.yml"] = "empty"
    (folder / "nan.json").write_text('{"form": "application", "impact": NaN}', encoding="utf-8")
    made["nan.json"] = "not valid JSON"
    return made


def test_unreadable_files_each_get_one_sentence_and_the_batch_goes_on(tmp_path, ctkit):
    folder = tmp_path / "post"
    folder.mkdir()
    made = _bad_files(folder)
    write(folder, "good.json", application())
    results, run = judge(ctkit, folder)
    assert run.returncode == 1
    by_name = {Path(r["file"]).name: r for r in results}
    assert set(by_name) == set(made) | {"good.json"}
    assert by_name["good.json"]["decision"] == "threshold_met"
    for name, words in made.items():
        r = by_name[name]
        assert r["decision"] == "unreadable", (name, r)
        [error] = r["errors"]
        assert error["message"].endswith(".") and "\n" not in error["message"], name
        assert words in error["message"], (name, error["message"])


def test_inputs_are_never_modified_and_nothing_is_written_unless_asked(tmp_path, ctkit):
    folder = tmp_path / "post"
    folder.mkdir()
    _bad_files(folder)
    write(folder, "good.json", application())
    write(folder, "good.yaml", "form: application\nreceived_on: 2026-03-02\nincidents: []\n")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.name != "huge.json"}
    mtimes = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    work = tmp_path / "cwd"
    work.mkdir()
    for fmt in ("text", "json", "csv"):
        ctkit("validate", str(folder), "--format", fmt, cwd=work)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.name != "huge.json"}
    assert after == before
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == mtimes
    assert list(work.iterdir()) == []


def test_the_text_report_shows_no_names_addresses_or_descriptions(tmp_path, ctkit):
    data = application(vulnerabilities="Uses a wheelchair")
    path = write(tmp_path, "app.json", data)
    for fmt in ("text", "json", "csv"):
        run = ctkit("validate", str(path), "--format", fmt)
        for secret in ("Pat Example", "Sample Row", "DE7 5RP", "0115 000 0000", "Loud music", "Bins set",
                       "wheelchair", "DC-1234"):
            assert secret not in run.stdout + run.stderr, (fmt, secret)
    text = ctkit("validate", str(path)).stdout
    assert "threshold is met" in text and "10 January 2026 at 21:30" in text
    assert "Acknowledge the application: by Monday 9 March 2026" in text
    assert "vulnerabilities" in text.lower()


def test_the_date_received_comes_from_the_form_then_received_then_the_file_date(tmp_path, ctkit):
    path = write(tmp_path, "app.json", application())
    [r], _ = judge(ctkit, path, extra=("--received", "2026-03-04"))
    assert (r["received_on"], r["received_on_source"]) == ("2026-03-04", "--received")
    assert any("2 March 2026" in w for w in r["warnings"])
    undated = application()
    del undated["received_on"]
    [r], run = judge(ctkit, write(tmp_path, "undated.json", undated))
    assert r["received_on_source"] == "file_date" and r["warnings"]
    assert run.returncode == 0


def test_an_application_received_before_the_guidance_existed_is_explained(tmp_path, ctkit):
    [r], _ = judge(ctkit, write(tmp_path, "app.json", application(received_on="2014-10-01")))
    assert r["decision"] == "incomplete"
    [error] = [e for e in r["errors"] if e["pointer"] == "/received_on"]
    assert "before the guidance came into force on 20 October 2014" in error["message"]


def test_two_incidents_each_reported_to_two_bodies_meet_the_threshold_under_2_0(tmp_path, ctkit):
    """s.104(4): four qualifying complaints; 2.0's "separate occasions" would say two. The Act decides."""
    incidents = [{"occurred_on": day, "occurred_at": "22:00", "reported_on": day, "reported_to": body,
                  "description": "Loud music"}
                 for day in ("2026-02-01", "2026-02-08") for body in ("Derbyshire Constabulary", "Erewash Borough Council")]
    [r], _ = judge(ctkit, write(tmp_path, "app.json", application(incidents=incidents)))
    assert (r["guidance_version"], r["decision"], r["route"]) == ("2.0", "threshold_met", "threshold")
    assert (r["qualifying_complaints"], r["qualifying_incidents"]) == (4, 2)
    assert [i["qualifies"] for i in r["incidents"]] == [True] * 4
    [check] = [c for c in r["spoc_checks"] if c["id"] == "counts_disagree"]
    assert check["flagged"] and "Version 2.0 of the guidance counts separate occasions" in check["message"]
    text = ctkit("validate", str(tmp_path / "app.json"), "--format", "text").stdout
    assert "The threshold is met: 4 qualifying complaints (2 separate incidents)" in text


def test_five_people_reporting_one_incident_are_five_complaints_in_every_version(tmp_path, ctkit):
    """Version 1.2's five-individuals route is never needed for this: five qualifying complaints
    already meet the threshold (s.104(4)), so the route followed is the threshold itself."""
    incidents = [{"occurred_on": "2019-05-01", "reported_on": "2019-05-02", "reported_to": "Derbyshire Constabulary",
                  "description": "Group gathering", "reported_by": f"Household {n}"} for n in range(1, 6)]
    old = application(received_on="2019-06-03", incidents=incidents, declaration={"signed_name": "P",
                                                                                  "signed_on": "2019-06-01"})
    [r], _ = judge(ctkit, write(tmp_path, "old.json", old))
    assert (r["guidance_version"], r["decision"], r["route"]) == ("1.2", "threshold_met", "threshold")
    assert (r["qualifying_complaints"], r["qualifying_incidents"], r["individuals"]) == (5, 1, 5)
    new = copy.deepcopy(old)
    new["received_on"] = "2020-10-01"   # 2.0 in force: no five-individuals route, the same answer
    for i in new["incidents"]:
        i.update(occurred_on="2020-09-01", reported_on="2020-09-02")
    [r], _ = judge(ctkit, write(tmp_path, "new.json", new))
    assert (r["guidance_version"], r["decision"], r["route"], r["individuals"]) == ("2.0", "threshold_met",
                                                                                   "threshold", None)


def test_the_threshold_comes_from_criteria_yml(tmp_root, tmp_path, ctkit):
    without_locks(tmp_root)
    two = application(incidents=APPLICATION["incidents"][:2])
    path = write(tmp_path, "two.json", two)
    [r], _ = judge(ctkit, path)
    assert r["decision"] == "threshold_not_met"
    criteria = tmp_root / "guidance" / "criteria.yml"
    head, v2 = criteria.read_text(encoding="utf-8").split('"2.0":')
    criteria.write_text(head + '"2.0":' + v2.replace("threshold: 3", "threshold: 2", 1), encoding="utf-8")
    run = ctkit("validate", str(path), "--format", "json", root=tmp_root)
    [r] = json.loads(run.stdout)
    assert (r["decision"], r["threshold"]) == ("threshold_met", 2)


def test_the_csv_summary_has_one_row_per_file(tmp_path, ctkit):
    folder = tmp_path / "post"
    folder.mkdir()
    write(folder, "a.json", application())
    write(folder, "b.json", application(basis="on_behalf"))
    data = application()
    del data["applicant"]["name"]
    write(folder, "c.json", data)
    write(folder, "d.json", "=not json")
    run = ctkit("validate", str(folder), "--format", "csv")
    assert run.returncode == 1
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [(Path(r["file"]).name, r["decision"]) for r in rows] == [
        ("a.json", "threshold_met"), ("b.json", "threshold_met"), ("c.json", "incomplete"), ("d.json", "unreadable")]
    assert rows[0]["acknowledge_by"] == "2026-03-09"
    assert "name" in rows[1]["missing_or_wrong"].lower() and not rows[1]["blocking"]
    assert "name" in rows[2]["blocking"].lower()


@pytest.mark.parametrize("args, words", [
    (("--received", "31/02/2026"), "not a real date"),
    (("--received", "yesterday"), "day/month/year"),
    (("--council", "nowhere"), "no council"),
    (("--record", "register.csv"), "--council"),
])
def test_usage_errors_exit_2_with_a_sentence(tmp_path, ctkit, args, words):
    path = write(tmp_path, "app.json", application())
    run = ctkit("validate", str(path), *args)
    assert run.returncode == 2
    assert words in run.stderr and "Traceback" not in run.stderr


def test_a_path_that_does_not_exist_is_reported_and_the_rest_judged(tmp_path, ctkit):
    good = write(tmp_path, "app.json", application())
    results, run = judge(ctkit, good, tmp_path / "missing.json")
    assert run.returncode == 1
    assert [r["decision"] for r in results] == ["threshold_met", "unreadable"]
    run = ctkit("validate", str(tmp_path / "nothing-here"))
    assert run.returncode == 2 and "no application files" in run.stderr


def test_record_opens_the_judged_case_in_the_register(tmp_path, ctkit):
    """--record is `ctkit case open`: the kit's judgement is the assessment; the bodies have not decided yet."""
    register = tmp_path / "register.csv"
    path = write(tmp_path, "app.json", application(case_ref="EREW-2026-001"))
    run = ctkit("validate", str(path), "--council", "erewash", "--record", str(register))
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(register.read_text(encoding="utf-8"))))
    assert len(rows) == 1
    row = rows[0]
    assert (row["case_ref"], row["council"], row["received_on"], row["assessment"], row["decision"],
            row["decision_on"]) == ("EREW-2026-001", "erewash", "2026-03-02", "threshold_met", "pending", "")
    assert row["asb_types"] == "noise;harassment" and row["hate_incident"] == "no"
    assert "Pat Example" not in register.read_text(encoding="utf-8")


def test_checks_that_need_a_person_are_listed_for_the_spoc(tmp_path, ctkit):
    plain = application()
    flagged = application(hate_incident=True, vulnerabilities="Has a learning disability")
    flagged["incidents"][2]["description"] = "The PCSO who came was rude to me"
    flagged["incidents"].append(dict(flagged["incidents"][0], reported_to="Erewash Borough Council"))
    results, _ = judge(ctkit, write(tmp_path, "a-plain.json", plain), write(tmp_path, "b-flagged.json", flagged))
    checks = [{c["id"]: c["flagged"] for c in r["spoc_checks"]} for r in results]
    assert checks[0] == {"incidents_related": True, "complaint_about_staff": False}
    assert checks[1] == {"incidents_related": True, "complaint_about_staff": True, "vulnerability": True,
                         "hate_incident": True, "duplicates": True}
    assert results[1]["qualifying_incidents"] == 3
    dup = next(c for c in results[1]["spoc_checks"] if c["id"] == "duplicates")
    assert "entry 4 with entry 1" in dup["message"]
    assert "learning disability" not in json.dumps(results)


def test_a_fault_in_the_judge_is_an_internal_error_not_a_damaged_file(tmp_path, ctkit, monkeypatch):
    """Issue 22: a bug in the judge (here `1/0` in the SPOC checks) was reported as a file that "may be
    damaged". It is the kit's fault, said so with "please report it"; the batch goes on and exit is 3."""
    from generator.judge import judgement

    def broken_checks(j, answers):
        return 1 / 0

    monkeypatch.setattr(judgement, "spoc_checks", broken_checks)
    good = write(tmp_path, "a.json", application())
    bad = write(tmp_path, "b.json", "{not json")
    result = ctkit("validate", good, bad, "--format", "json")
    assert result.returncode == 3, result.stderr
    by_file = {Path(r["file"]).name: r for r in json.loads(result.stdout)}
    assert by_file["a.json"]["decision"] == "internal_error"
    message = by_file["a.json"]["errors"][0]["message"]
    assert "please report it" in message and "damaged" not in message
    assert by_file["b.json"]["decision"] == "unreadable"  # the batch went on to the next file

    text = ctkit("validate", good, "--format", "text")
    assert text.returncode == 3 and "please report it" in text.stdout and "damaged" not in text.stdout
