"""Never stricter than s.104(4), with the cases a SPOC met that the shared table did not look at.

Each case here failed on the kit before it was fixed: dates read three ways, `incomplete` when no
missing date could change the answer, a date received before every report with no word to the
SPOC, a year 0026 that the online form took and the validator refused.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.model.values import read_date, read_time
from generator.site.apply_page import browser_model, online_steps
from generator.site.checker_data import criteria_export
from generator.templating import context_for

from test_judge_cli import application, judge, write

ASSETS = Path(__file__).resolve().parent.parent / "generator" / "site" / "theme" / "assets" / "ctkit"


def _checks(result: dict) -> dict[str, str]:
    return {c["id"]: c["message"] for c in result["spoc_checks"] if c["flagged"]}


def test_a_date_received_written_day_month_year_is_read_so_and_the_spoc_is_told(tmp_path, ctkit):
    [r], run = judge(ctkit, write(tmp_path, "app.json", application(received_on="02/03/2026")))
    assert (r["received_on"], r["received_on_source"]) == ("2026-03-02", "data")
    assert not any("does not say when it was received" in w for w in r["warnings"])
    assert "Date received: 2 March 2026" in _checks(r)["day_month_order"]


def test_a_date_received_that_cannot_be_read_blocks_and_the_files_date_is_not_used(tmp_path, ctkit):
    [r], _ = judge(ctkit, write(tmp_path, "app.json", application(received_on="the second of March")))
    assert r["decision"] == "incomplete" and r["received_on"] is None
    [error] = [e for e in r["errors"] if e["pointer"] == "/received_on"]
    assert error["blocks_decision"] and "day/month/year" in error["message"]
    assert not any("file's own date" in w for w in r["warnings"])


def test_a_time_written_h_mm_is_read_in_json_as_in_the_pdf(tmp_path, ctkit):
    data = application()
    data["incidents"][0]["occurred_at"] = "9:30"
    [r], _ = judge(ctkit, write(tmp_path, "app.json", data))
    assert not [e for e in r["errors"] if e["pointer"].endswith("occurred_at")]
    assert r["incidents"][0]["occurred_at"] == "09:30"


def test_received_before_every_report_is_put_to_the_spoc(tmp_path, ctkit):
    [r], _ = judge(ctkit, write(tmp_path, "app.json", application(received_on="2025-12-01")))
    assert (r["decision"], r["qualifying_complaints"]) == ("threshold_not_met", 0)
    assert "before every report" in _checks(r)["received_before_reports"]


@pytest.mark.parametrize("missing, known", [
    ("occurred_on", {"reported_on": "2025-06-20"}),   # reported more than 6 months before: too old whatever the date
    ("reported_on", {"occurred_on": "2025-04-12"}),   # any report in time for it is too old by 2 March 2026
])
def test_a_missing_date_that_could_not_let_it_count_does_not_block(tmp_path, ctkit, missing, known):
    data = application(received_on="2026-03-02")
    data["incidents"] = data["incidents"][:2] + [{**known, "reported_to": "Derbyshire Constabulary",
                                                  "description": "Shouting"}]
    [r], _ = judge(ctkit, write(tmp_path, "app.json", data))
    assert r["decision"] == "threshold_not_met", r["errors"]
    [error] = [e for e in r["errors"] if e["pointer"] == f"/incidents/2/{missing}"]
    assert not error["blocks_decision"]
    assert "discretion" in _checks(r)         # the s.104(5) prompt is not lost


def test_a_missing_date_that_could_let_it_count_still_blocks(tmp_path, ctkit):
    data = application(received_on="2026-03-02")
    data["incidents"][2].pop("occurred_on")   # reported 27 February 2026: some incident date lets it count
    [r], _ = judge(ctkit, write(tmp_path, "app.json", data))
    assert r["decision"] == "incomplete" and r["route"] is None
    assert [e["blocks_decision"] for e in r["errors"] if e["pointer"] == "/incidents/2/occurred_on"] == [True]


def test_two_incidents_each_reported_to_two_bodies_are_four_complaints_and_met(tmp_path, ctkit):
    data = application()
    data["incidents"] = [
        {"occurred_on": day, "reported_on": day, "reported_to": body, "description": "Noise"}
        for day in ("2026-01-10", "2026-02-01") for body in ("Derbyshire Constabulary", "Erewash Borough Council")]
    [r], _ = judge(ctkit, write(tmp_path, "app.json", data))
    assert (r["decision"], r["qualifying_complaints"], r["qualifying_incidents"]) == ("threshold_met", 4, 2)
    assert "requires" in _checks(r)["counts_disagree"]


# -- one reading of dates in every reader -------------------------------------------------------------

def _node(script: str, job: dict) -> dict:
    node = shutil.which("node")
    assert node, "Node.js runs the site's scripts in the fast tests"
    run = subprocess.run([node, "-e", script], input=json.dumps(job), capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


JS_READERS = r"""
const fs = require("fs");
const job = JSON.parse(fs.readFileSync(0, "utf8"));
require(job.assets + "/judge.js");
require(job.assets + "/apply-data.js");
const D = globalThis.ctApplyData;
const out = {};
for (const typed of job.dates) {
  const [d, m, y] = typed.split("/");
  const iso = D.dateValue({ day: d, month: m, year: y });
  out[typed] = { online: D.fieldProblem(job.date_field, iso, {}, 0, "2999-12-31") === null,
                 checker: /^\d{4}-\d{2}-\d{2}$/.test(iso) && globalThis.ctDates.isRealDate(iso, job.reading) };
}
for (const typed of job.times) {
  const value = D.valueFromRaw(job.time_field, typed);
  out["time " + typed] = { online: D.fieldProblem(job.time_field, value, {}, 0, "2999-12-31") === null };
}
process.stdout.write(JSON.stringify(out));
"""


def test_every_reader_takes_the_same_dates_and_times(guidance):
    """The validator, the online form and the date checker accept exactly the same dates and times."""
    form = guidance.forms["application"]
    context = context_for(guidance, guidance.council("erewash"), guidance.current())
    fields = [f for s in browser_model(form, online_steps(form, context), "2.0")["steps"]
              for f in s["fields"] + (s["repeat"]["fields"] if s["repeat"] else [])]
    date_field = next(f for f in fields if f["type"] == "date")
    time_field = next(f for f in fields if f["type"] == "time")
    dates = ["10/1/0026", "10/1/1899", "1/1/1900", "31/12/2999", "1/1/3000", "29/2/2024", "29/2/2025", "31/4/2026"]
    times = ["9:30", "09:30", "23:59", "24:00", "9.30", "0930", "7:5"]
    seen = _node(JS_READERS, {"assets": str(ASSETS), "dates": dates, "times": times, "date_field": date_field,
                              "time_field": time_field, "reading": criteria_export(guidance.criteria_for(
                                  guidance.current()))["reading"]})
    for typed in dates:
        python = read_date(typed).day is not None
        assert seen[typed] == {"online": python, "checker": python}, typed
    for typed in times:
        assert seen["time " + typed]["online"] == (read_time(typed)[0] is not None), typed
