"""The threshold rules and the SPOC's commands, run on two partnerships: Derbyshire's content and a small one
made by `ctkit init` in a temporary folder with figures of its own.

The made-up partnership (Northvale, two councils that take applications) asks for fewer complaints and allows
longer than the Act's defaults, and has a hate route, so a rule that read Derbyshire's figures, or the Act's,
instead of the partnership's own would fail here. Every expected number is read from the partnership's own
YAML files (criteria.yml, versions.yml, its councils' files), never written into a test. Each command is run
in the partnership's folder, as its officer would, without --project. Derbyshire's content keeps its own
content tests elsewhere; these are the behaviours every partnership shares.
"""
from __future__ import annotations

import calendar
import datetime as dt
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, need_tool, run_ctkit
from partnership_helpers import BODIES, start_partnership

#: The day every application here is received (a Monday, mid-month, so no month end clamps a bound).
RECEIVED = dt.date(2026, 11, 16)
#: Northvale's own figures, each unlike the Act's defaults and Derbyshire's: 2 complaints, each made within
#: 2 months of the behaviour, the application within 9 months of each complaint, and a hate route.
NORTHVALE_CRITERIA = {
    "    threshold: 3 ": "    threshold: 2 ",
    "    period_months: 6 ": "    period_months: 9 ",
    "    report_within_months: 1 ": "    report_within_months: 2 ",
    "    counts: complaints ": "    hate_route: {incidents: 1, months: 9}\n    counts: complaints ",
}


@dataclass(frozen=True)
class Content:
    """A partnership's content folder and what its own YAML says, read here without the kit."""

    name: str
    root: Path
    version: str                 # the version in force on RECEIVED (or the newest draft while none is approved)
    criteria: dict               # that version's entry of criteria.yml
    councils: list[tuple[str, str]]   # (id, name) of the councils that take applications, in id order


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _version_on(versions: list[dict], day: dt.date) -> str:
    approved = [v for v in versions if v.get("status") == "approved" and v.get("effective_from")
                and v["effective_from"] <= day]
    pool = approved or ([] if any(v.get("status") == "approved" for v in versions) else versions)
    return max(pool, key=lambda v: tuple(int(p) for p in v["version"].split(".")))["version"]


def _content(name: str, root: Path) -> Content:
    version = _version_on(_load(root / "guidance" / "versions.yml")["versions"], RECEIVED)
    criteria = _load(root / "guidance" / "criteria.yml")["versions"][version]
    councils = []
    for path in sorted((root / "guidance" / "councils").glob("*.yml")):
        body = _load(path)
        if body.get("role") == "council" and body.get("applications", True) is not False:
            councils.append((body["id"], body["name"]))
    return Content(name, root, version, criteria, councils)


@pytest.fixture(scope="module")
def northvale_root(tmp_path_factory) -> Path:
    """A new partnership as its officer starts one: `ctkit init`, two councils' files, its own figures."""
    folder = start_partnership(tmp_path_factory.mktemp("any-partnership") / "northvale", bodies=BODIES[:2],
                               criteria=NORTHVALE_CRITERIA)
    checked = run_ctkit("check", cwd=folder)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    return folder


@pytest.fixture(scope="module", params=["derbyshire", "northvale"])
def content(request) -> Content:
    root = ROOT if request.param == "derbyshire" else request.getfixturevalue("northvale_root")
    return _content(request.param, root)


def test_the_made_up_partnership_has_figures_of_its_own(northvale_root):
    """Otherwise the tests below could pass on Derbyshire's figures read by mistake."""
    ours, derbyshire = _content("northvale", northvale_root), _content("derbyshire", ROOT)
    for key in ("threshold", "period_months", "report_within_months"):
        assert ours.criteria[key] != derbyshire.criteria[key], key
    assert ours.criteria.get("hate_route") and not derbyshire.criteria.get("hate_route")
    assert len(ours.councils) == 2


# -- applications built from the partnership's own figures ------------------------------------------------------
def _months_before(day: dt.date, n: int) -> dt.date:
    month = day.month - 1 - n
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _application(c: Content, reports: list[tuple[dt.date, dt.date, str]], hate: bool = False) -> dict:
    """A complete application received on RECEIVED; each report is (occurred on, reported on, made to)."""
    return {
        "form": "application", "form_version": c.version, "received_on": RECEIVED.isoformat(), "basis": "victim",
        "applicant": {"name": "Pat Example", "address": "1 Test Street", "postcode": "ZZ1 1ZZ",
                      "phone": "00000 000000", "email": "", "preferred_contact": "phone"},
        "asb_types": ["noise", "harassment"], "hate_incident": hate,
        "incidents": [{"occurred_on": o.isoformat(), "reported_on": r.isoformat(), "reported_to": to,
                       "description": "Shouting and banging on the door late at night"} for o, r, to in reports],
        "impact": "I cannot sleep", "desired_outcome": "For it to stop",
        "declaration": {"signed_name": "Pat Example", "signed_on": RECEIVED.isoformat()},
    }


def _recent(c: Content, count: int) -> list[tuple[dt.date, dt.date, str]]:
    """`count` reports of separate incidents, each made the day after it, within the last weeks."""
    body = c.councils[0][1]
    return [(RECEIVED - dt.timedelta(days=3 + 4 * i), RECEIVED - dt.timedelta(days=2 + 4 * i), body)
            for i in range(count)]


def _judge(c: Content, tmp_path: Path, data: dict, name: str = "app.json") -> tuple[dict, int]:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    run = run_ctkit("validate", str(path), "--format", "json", cwd=c.root)
    assert "Traceback" not in run.stderr, run.stderr
    [result] = json.loads(run.stdout)
    return result, run.returncode


# -- the threshold --------------------------------------------------------------------------------------------
def test_exactly_the_partnerships_threshold_of_complaints_meets_it(content, tmp_path):
    need = content.criteria["threshold"]
    result, status = _judge(content, tmp_path, _application(content, _recent(content, need)))
    assert (result["decision"], result["qualifying_complaints"], status) == ("threshold_met", need, 0)
    assert result["guidance_version"] == content.version and result["route"] == "threshold"


def test_one_complaint_fewer_than_the_threshold_does_not_meet_it(content, tmp_path):
    need = content.criteria["threshold"]
    result, status = _judge(content, tmp_path, _application(content, _recent(content, need - 1)))
    assert (result["decision"], result["qualifying_complaints"], status) == ("threshold_not_met", need - 1, 0)


def test_one_incident_reported_to_two_bodies_counts_as_two_complaints(content, tmp_path):
    need = content.criteria["threshold"]
    (_, first), (_, second) = content.councils[:2]
    reports = _recent(content, need - 1)
    occurred, reported, _ = reports[0]
    reports[0] = (occurred, reported, first)
    reports.insert(1, (occurred, reported, second))        # the same incident, told to a second council
    result, _ = _judge(content, tmp_path, _application(content, reports))
    assert result["qualifying_complaints"] == need and result["qualifying_incidents"] == need - 1
    assert result["decision"] == "threshold_met", "the complaints decide, not the occasions"


# -- the months run from each complaint ----------------------------------------------------------------------
def _with_one_old(c: Content, reported: dt.date, occurred: dt.date | None = None) -> dict:
    reports = _recent(c, c.criteria["threshold"] - 1)
    reports.append((occurred or reported, reported, c.councils[1][1]))
    return _application(c, reports)


def test_a_complaint_made_on_the_first_day_of_the_period_still_counts(content, tmp_path):
    months = content.criteria["period_months"]
    first_day = _months_before(RECEIVED, months)
    # the behaviour itself was earlier still: the months run from the complaint, not from the incident
    occurred = _months_before(first_day, content.criteria["report_within_months"])
    result, _ = _judge(content, tmp_path, _with_one_old(content, first_day, occurred))
    assert result["incidents"][-1]["qualifies"] is True, result["incidents"][-1]
    assert result["decision"] == "threshold_met"


def test_a_complaint_made_the_day_before_the_period_does_not_count(content, tmp_path):
    months = content.criteria["period_months"]
    too_old = _months_before(RECEIVED, months) - dt.timedelta(days=1)
    result, _ = _judge(content, tmp_path, _with_one_old(content, too_old))
    assert result["incidents"][-1]["reasons"] == ["too_old"]
    assert result["decision"] == "threshold_not_met"


def test_a_complaint_counts_only_when_made_within_the_partnerships_time_of_the_behaviour(content, tmp_path):
    within = content.criteria["report_within_months"]
    reported = RECEIVED - dt.timedelta(days=1)
    in_time, _ = _judge(content, tmp_path, _with_one_old(content, reported, _months_before(reported, within)))
    late, _ = _judge(content, tmp_path, _with_one_old(
        content, reported, _months_before(reported, within) - dt.timedelta(days=1)), "late.json")
    assert in_time["incidents"][-1]["qualifies"] is True and in_time["decision"] == "threshold_met"
    assert late["incidents"][-1]["reasons"] == ["reported_too_late"] and late["decision"] == "threshold_not_met"


# -- the hate route ------------------------------------------------------------------------------------------
def test_a_hate_incident_meets_the_threshold_by_the_hate_route_only_where_the_partnership_has_one(content, tmp_path):
    route = content.criteria.get("hate_route")
    few = route["incidents"] if route else 1
    assert few < content.criteria["threshold"]
    hate, _ = _judge(content, tmp_path, _application(content, _recent(content, few), hate=True))
    plain, _ = _judge(content, tmp_path, _application(content, _recent(content, few), hate=False), "plain.json")
    assert plain["decision"] == "threshold_not_met"
    if route:
        assert (hate["decision"], hate["route"]) == ("threshold_met", "hate")
    else:
        assert hate["decision"] == "threshold_not_met", "no route the partnership does not have"


# -- `ctkit validate`: JSON, a filled PDF, and its exit statuses ------------------------------------------------
def test_validate_judges_a_filled_pdf_of_the_partnerships_form_as_it_judges_the_json(content, tmp_path):
    need = content.criteria["threshold"]
    for count, decision in ((need, "threshold_met"), (need - 1, "threshold_not_met")):
        data = tmp_path / f"{count}.json"
        data.write_text(json.dumps(_application(content, _recent(content, count))), encoding="utf-8")
        filled = tmp_path / f"{count}.pdf"
        run = run_ctkit("fill", "application", "--data", str(data), "--council", content.councils[0][0],
                        "-o", str(filled), cwd=content.root)
        assert run.returncode == 0, run.stderr
        judged = run_ctkit("validate", str(filled), "--format", "json", cwd=content.root)
        [result] = json.loads(judged.stdout)
        assert judged.returncode == 0, "a file judged, whatever the decision, is exit 0"
        assert (result["decision"], result["qualifying_complaints"]) == (decision, count)
        assert result["guidance_version"] == content.version
    text = run_ctkit("validate", str(filled), cwd=content.root).stdout
    approved = any(v["version"] == content.version and v.get("status") == "approved"
                   for v in _load(content.root / "guidance" / "versions.yml")["versions"])
    said = (f"Judged by guidance version {content.version}, in force on" if approved else
            f"Judged by draft guidance version {content.version} (no version is approved yet)")
    assert said in text, "a draft is never called 'in force'"


def test_validate_says_incomplete_for_a_missing_answer_and_exits_1_only_for_an_unreadable_file(content, tmp_path):
    data = _application(content, _recent(content, content.criteria["threshold"]))
    del data["applicant"]["name"]
    result, status = _judge(content, tmp_path, data)
    assert (result["decision"], status) == ("incomplete", 0)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 not really")
    run = run_ctkit("validate", str(broken), "--format", "json", cwd=content.root)
    assert run.returncode == 1 and json.loads(run.stdout)[0]["decision"] == "unreadable"


def test_validate_with_a_wrong_option_is_a_usage_error(content, tmp_path):
    data = tmp_path / "app.json"
    data.write_text(json.dumps(_application(content, _recent(content, 1))), encoding="utf-8")
    for args in (("--format", "xml"), ("--received", "the 40th of Smarch")):
        run = run_ctkit("validate", str(data), *args, cwd=content.root)
        assert run.returncode == 2 and "Traceback" not in run.stderr, args
    assert json.loads(data.read_text(encoding="utf-8"))["received_on"] == RECEIVED.isoformat(), "input untouched"


# -- a case from `case open` to its letter, and the year's figures ------------------------------------------------
def _working_days_after(day: dt.date, n: int) -> dt.date:
    while n:
        day += dt.timedelta(days=1)
        n -= day.weekday() < 5
    return day


def test_a_case_opened_acknowledged_and_decided_gets_a_letter_from_the_partnerships_council(content, tmp_path):
    pdftotext = need_tool("pdftotext", "reading the letter's text")
    council, council_name = content.councils[-1]
    need = content.criteria["threshold"]
    app, register = tmp_path / "app.json", tmp_path / f"{council}.csv"
    app.write_text(json.dumps(_application(content, _recent(content, need))), encoding="utf-8")
    run = run_ctkit("case", "open", str(app), "--council", council, "--register", str(register), cwd=content.root)
    assert run.returncode == 0, run.stderr
    ref = run.stdout.strip()
    acknowledged, decided = _working_days_after(RECEIVED, 1), _working_days_after(RECEIVED, 4)
    for step in (("acknowledge", "--on", acknowledged.isoformat()), ("decide", "--on", decided.isoformat(), "--met")):
        run = run_ctkit("case", step[0], ref, "--register", str(register), *step[1:], cwd=content.root)
        assert run.returncode == 0, run.stderr
    letter = tmp_path / "met.pdf"
    run = run_ctkit("case", "letter", ref, "threshold_met", "--register", str(register), "--application", str(app),
                    "--signed-by", "Sam Officer, Case Review Officer", "-o", str(letter), cwd=content.root)
    assert run.returncode == 0, run.stderr
    text = subprocess.run([pdftotext, str(letter), "-"], capture_output=True, text=True, timeout=60).stdout
    words = " ".join(text.split())
    assert council_name in words and "Dear Pat Example" in words and ref in words
    assert f"We found {need} qualifying complaints, and {need} are needed" in words
    assert f"{decided.day} {decided:%B %Y}" in words
    timescales = content.criteria["timescales"]
    assert timescales["review_meeting"]["from"] == "received"   # (no bank holiday falls in these weeks)
    meeting = _working_days_after(RECEIVED, timescales["review_meeting"]["days"])
    assert f"The meeting will be held by {meeting:%A} {meeting.day} {meeting:%B %Y}" in words
    assert f"within {timescales['outcome_letter']['days']} working days of the meeting" in words
    for placeholder in ("@@", "{{", "}}", "{%", "None", "Example District"):
        assert placeholder not in words, placeholder
    if content.name != "derbyshire":
        assert "derbyshire" not in words.lower()

    stats = run_ctkit("stats", str(register), "--year", f"{RECEIVED.year}-{(RECEIVED.year + 1) % 100:02d}",
                      "--format", "json", cwd=content.root)
    assert stats.returncode == 0, stats.stderr
    figures = json.loads(stats.stdout)["councils"][council]
    assert (figures["received"], figures["threshold_met"], figures["threshold_not_met"]) == (1, 1, 0)
    assert figures["to_decision"]["median_working_days"] == 4 and figures["to_decision"]["within_timescale"] == 1
    assert figures["to_decision"]["timescale_working_days"] == [timescales["threshold_decision"]["days"]]
