"""The threshold rules, driven by the shared table of hand-worked cases, in Python and in judge.js.

The same table (tests/cases/threshold_cases.yml) is run three ways in the fast test run: by the
rules directly (generator.judge.threshold), by the date checker's script (judge.js, under Node,
exactly the file the sites serve), and through the real `ctkit validate` on complete application
files built around each case's incidents. So the website and the validator cannot drift apart.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.model.values import read_date
from generator.judge.threshold import REASON_CODES, Entry, judge_incidents
from generator.loading.sources import load_yaml
from generator.model import HateRoute
from generator.site.checker_data import criteria_export

ROOT = Path(__file__).resolve().parent.parent
CASES_FILE = Path(__file__).parent / "cases" / "threshold_cases.yml"
CASES = load_yaml(CASES_FILE).data
JUDGE_JS = ROOT / "generator" / "site" / "theme" / "assets" / "ctkit" / "judge.js"
RUN_JS = Path(__file__).parent / "js" / "judge_cases.js"


def _day(value) -> dt.date | None:
    return read_date(value).day if value is not None else None


def _entries(case) -> list[Entry]:
    return [Entry(i, _day(inc.get("occurred_on")), _day(inc.get("reported_on")), inc.get("occurred_at"),
                  inc.get("reported_to", ""), inc.get("reported_by", ""))
            for i, inc in enumerate(case["incidents"])]


def _criteria(guidance, case):
    version = case.get("version") or guidance.in_force_on(case["received_on"]).version
    criteria = guidance.criteria_for(version)
    extra = dict(case.get("criteria") or {})
    if "hate_route" in extra:
        extra["hate_route"] = HateRoute(extra["hate_route"]["incidents"], extra["hate_route"]["months"])
    return dataclasses.replace(criteria, **extra)


def _expected_entries(case) -> list[dict]:
    return [{"qualifies": e["qualifies"], "reasons": list(e["reasons"]), "complaint": e["qualifies"]}
            for e in case["expect"]["entries"]]


def _expected_totals(case) -> dict:
    expect = case["expect"]
    totals = {"threshold_met": expect["threshold_met"], "qualifying_incidents": expect["qualifying_incidents"],
              "qualifying_complaints": expect["qualifying_complaints"],
              "if_untimed_apart": expect.get("if_untimed_apart", expect["qualifying_incidents"])}
    if "route" in expect:
        totals["route"] = expect["route"]
    return totals


def test_the_case_table_has_uniquely_named_cases_with_known_reasons():
    names = [c["name"] for c in CASES]
    assert len(names) >= 55
    assert len(set(names)) == len(names)
    for case in CASES:
        assert len(case["expect"]["entries"]) == len(case["incidents"]), case["name"]
        for entry in case["expect"]["entries"]:
            assert set(entry["reasons"]) <= set(REASON_CODES), case["name"]
            # reasons are listed in the table's documented order
            assert entry["reasons"] == sorted(entry["reasons"], key=REASON_CODES.index), case["name"]
            # duplicate_of_earlier_entry is only a note (the same occasion): it never stops a complaint counting
            assert entry["qualifies"] is ([r for r in entry["reasons"] if r != "duplicate_of_earlier_entry"] == []), \
                case["name"]


def test_an_explicit_version_in_the_table_is_the_one_in_force_on_that_date(guidance):
    for case in CASES:
        if case.get("version"):
            assert guidance.in_force_on(case["received_on"]).version == case["version"], case["name"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_threshold_case_by_the_python_rules(case, guidance):
    tally = judge_incidents(_entries(case), case["received_on"], _criteria(guidance, case),
                            case.get("hate_incident", False))
    got = [{"qualifies": e.qualifies, "reasons": list(e.reasons), "complaint": e.complaint} for e in tally.entries]
    assert got == _expected_entries(case)
    totals = {"threshold_met": tally.threshold_met, "qualifying_incidents": tally.qualifying_incidents,
              "qualifying_complaints": tally.qualifying_complaints,
              "if_untimed_apart": tally.incidents_if_untimed_apart, "route": tally.route}
    expected = _expected_totals(case)
    assert {k: totals[k] for k in expected} == expected


@pytest.fixture(scope="module")
def js_judgements(guidance) -> list[dict]:
    """Every case through judge.js under Node, in one run."""
    node = shutil.which("node")
    assert node, "Node.js is needed to run the date checker's rules (it is on every machine of this project)"

    def plain(value):
        return value.isoformat() if isinstance(value, dt.date) else value

    payload = [{"criteria": criteria_export(_criteria(guidance, case)), "received_on": case["received_on"].isoformat(),
                "hate_incident": case.get("hate_incident", False),
                "incidents": [{k: plain(v) for k, v in inc.items()} for inc in case["incidents"]]}
               for case in CASES]
    run = subprocess.run([node, str(RUN_JS), str(JUDGE_JS)], input=json.dumps(payload), capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c["name"] for c in CASES])
def test_threshold_case_by_the_date_checker_script(index, js_judgements):
    case, got = CASES[index], js_judgements[index]
    assert [{"qualifies": e["qualifies"], "reasons": e["reasons"], "complaint": e["complaint"]}
            for e in got["entries"]] == _expected_entries(case)
    totals = {"threshold_met": got["threshold_met"], "qualifying_incidents": got["qualifying_incidents"],
              "qualifying_complaints": got["qualifying_complaints"],
              "if_untimed_apart": got["incidents_if_untimed_apart"], "route": got["route"]}
    expected = _expected_totals(case)
    assert {k: totals[k] for k in expected} == expected


def _application(case) -> dict:
    """A complete application holding the case's incidents, as a SPOC would receive it."""
    incidents = []
    for inc in case["incidents"]:
        item = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in inc.items()}
        item["description"] = "Shouting and banging on the door late at night"
        incidents.append(item)
    return {
        "form": "application", "form_version": case.get("version") or "2.0",
        "received_on": case["received_on"].isoformat(), "basis": "victim",
        "applicant": {"name": "Test Applicant", "address": "1 Test Street, Ilkeston", "postcode": "DE7 5RP",
                      "phone": "0115 000 0000", "email": "", "preferred_contact": "phone"},
        "asb_types": ["noise"], "hate_incident": case.get("hate_incident", False), "incidents": incidents,
        "impact": "I cannot sleep", "desired_outcome": "For it to stop",
        "declaration": {"signed_name": "Test Applicant", "signed_on": case["received_on"].isoformat()},
    }


def test_every_case_gives_the_same_answer_through_ctkit_validate(tmp_path, ctkit):
    """Cases that need criteria no Derbyshire version has are judged in test_judge_routes.py instead."""
    folder = tmp_path / "returned"
    folder.mkdir()
    judged = [(n, case) for n, case in enumerate(CASES) if not case.get("criteria")]
    for n, case in judged:
        (folder / f"case{n:03d}.json").write_text(json.dumps(_application(case)), encoding="utf-8")
    run = ctkit("validate", str(folder), "--format", "json")
    assert run.returncode == 0, run.stderr
    results = {Path(r["file"]).stem: r for r in json.loads(run.stdout)}
    for n, case in judged:
        r = results[f"case{n:03d}"]
        expect = case["expect"]
        blank_to = any(not str(inc.get("reported_to") or "").strip() for inc in case["incidents"])
        bad_dates = any(e["reasons"][:1] == ["date_missing"] for e in expect["entries"])
        if not (blank_to or bad_dates):
            assert r["errors"] == [], (case["name"], r["errors"])
        assert not any(e["blocks_decision"] for e in r["errors"]), case["name"]
        assert r["decision"] == ("threshold_met" if expect["threshold_met"] else "threshold_not_met"), case["name"]
        assert r["qualifying_incidents"] == expect["qualifying_incidents"], case["name"]
        assert r["qualifying_complaints"] == expect["qualifying_complaints"], case["name"]
        assert [{"qualifies": i["qualifies"], "reasons": i["reasons"]} for i in r["incidents"]] == \
            [{"qualifies": e["qualifies"], "reasons": list(e["reasons"])} for e in expect["entries"]], case["name"]
        assert all(len(i["explanations"]) == len(i["reasons"]) for i in r["incidents"])
        if case.get("version"):
            assert r["guidance_version"] == case["version"]
