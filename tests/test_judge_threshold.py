"""The threshold rules, driven by the shared table of hand-worked cases.

The same table (tests/cases/threshold_cases.yml) drives the public eligibility checker's
tests, so the website and the validator cannot drift apart. Each case is checked twice:
by the rules directly, and through the real `ctkit validate` on complete application
files built around the case's incidents.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from generator.judge.threshold import REASON_CODES, Entry, judge_incidents
from generator.loading.sources import load_yaml

CASES_FILE = Path(__file__).parent / "cases" / "threshold_cases.yml"
CASES = load_yaml(CASES_FILE).data


def _entries(case) -> list[Entry]:
    return [Entry(i, inc["occurred_on"], inc["reported_on"], inc.get("occurred_at"),
                  inc.get("reported_to", ""), inc.get("reported_by", ""))
            for i, inc in enumerate(case["incidents"])]


def _criteria(guidance, case):
    version = case.get("version") or guidance.in_force_on(case["received_on"]).version
    return guidance.criteria_for(version)


def test_the_case_table_has_at_least_forty_uniquely_named_cases_with_known_reasons():
    names = [c["name"] for c in CASES]
    assert len(names) >= 40
    assert len(set(names)) == len(names)
    for case in CASES:
        assert len(case["expect"]["entries"]) == len(case["incidents"]), case["name"]
        for entry in case["expect"]["entries"]:
            assert set(entry["reasons"]) <= set(REASON_CODES), case["name"]
            # reasons are listed in the table's documented order
            assert entry["reasons"] == sorted(entry["reasons"], key=REASON_CODES.index), case["name"]


def test_an_explicit_version_in_the_table_is_the_one_in_force_on_that_date(guidance):
    for case in CASES:
        if case.get("version"):
            assert guidance.in_force_on(case["received_on"]).version == case["version"], case["name"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_threshold_case(case, guidance):
    judgement = judge_incidents(_entries(case), case["received_on"], _criteria(guidance, case))
    expect = case["expect"]
    got = [{"qualifies": e.qualifies, "reasons": e.reasons} for e in judgement.entries]
    assert got == [{"qualifies": e["qualifies"], "reasons": list(e["reasons"])} for e in expect["entries"]]
    assert judgement.qualifying_incidents == expect["qualifying_incidents"]
    assert judgement.threshold_met is expect["threshold_met"]
    if "route" in expect:
        assert judgement.route == expect["route"]


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
        "asb_types": ["noise"], "hate_incident": False, "incidents": incidents,
        "impact": "I cannot sleep", "desired_outcome": "For it to stop",
        "information_sharing_consent": True,
        "declaration": {"signed_name": "Test Applicant", "signed_on": case["received_on"].isoformat()},
    }


def test_every_case_gives_the_same_answer_through_ctkit_validate(tmp_path, ctkit):
    folder = tmp_path / "returned"
    folder.mkdir()
    for n, case in enumerate(CASES):
        (folder / f"case{n:03d}.json").write_text(json.dumps(_application(case)), encoding="utf-8")
    run = ctkit("validate", str(folder), "--format", "json")
    assert run.returncode == 0, run.stderr
    results = {Path(r["file"]).stem: r for r in json.loads(run.stdout)}
    for n, case in enumerate(CASES):
        r = results[f"case{n:03d}"]
        expect = case["expect"]
        assert r["errors"] == [], (case["name"], r["errors"])
        assert r["decision"] == ("threshold_met" if expect["threshold_met"] else "threshold_not_met"), case["name"]
        assert r["qualifying_incidents"] == expect["qualifying_incidents"], case["name"]
        assert [{"qualifies": i["qualifies"], "reasons": i["reasons"]} for i in r["incidents"]] == \
            [{"qualifies": e["qualifies"], "reasons": list(e["reasons"])} for e in expect["entries"]], case["name"]
        assert all(len(i["explanations"]) == len(i["reasons"]) for i in r["incidents"])
        if case.get("version"):
            assert r["guidance_version"] == case["version"]
