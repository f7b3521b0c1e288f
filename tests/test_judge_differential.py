"""Python's rules and the site's judge.js agree on generated applications, not only on the hand-worked table.

Hypothesis generates incidents tables crowded around month ends, leap days and single days (with
and without times, the same incident reported more than once, names for the five-individuals
route, the hate tick) and judges each by generator.judge.threshold and by judge.js, the very file
the sites serve, in one Node process. They must agree on the decision, the route, both counts and
every entry's verdict and reasons.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.judge.threshold import Entry, judge_incidents
from generator.model import FiveIndividualsRoute, HateRoute
from generator.site.checker_data import criteria_export

from test_judge_threshold import JUDGE_JS

LINES_JS = Path(__file__).parent / "js" / "judge_lines.js"
EXAMPLES = 2000

# Days crowded where the rules have edges: month ends, 29 February, one busy day.
_EDGES = [dt.date(2024, 2, 28), dt.date(2024, 2, 29), dt.date(2024, 3, 1), dt.date(2024, 8, 31),
          dt.date(2024, 9, 30), dt.date(2024, 12, 31), dt.date(2025, 1, 31), dt.date(2025, 2, 28),
          dt.date(2025, 3, 31), dt.date(2025, 8, 29), dt.date(2025, 8, 31)]
days = st.one_of(st.sampled_from(_EDGES), st.sampled_from(_EDGES).flatmap(
    lambda d: st.integers(-40, 40).map(lambda n: d + dt.timedelta(days=n))))
times = st.one_of(st.none(), st.sampled_from(["09:00", "9:30", "14:00", "21:30", "23:59", "00:00"]))
names = st.sampled_from(["", "Resident A", "resident  a", "Resident B", "Straße", "STRASSE", "C", "D", "E\u00a0F"])
bodies = st.sampled_from(["Derbyshire Constabulary", "Erewash Borough Council", "", "  "])


@st.composite
def incident(draw):
    occurred = draw(st.one_of(st.none(), days)) if draw(st.integers(0, 9)) == 0 else draw(days)
    reported = (None if draw(st.integers(0, 12)) == 0 else
                (occurred or draw(days)) + dt.timedelta(days=draw(st.integers(-2, 40))))
    return {"occurred_on": occurred, "reported_on": reported, "occurred_at": draw(times),
            "reported_to": draw(bodies), "reported_by": draw(names)}


@st.composite
def case(draw):
    rows = draw(st.lists(incident(), min_size=0, max_size=7))
    if rows and draw(st.booleans()):              # the same incident reported again, to another body
        again = dict(draw(st.sampled_from(rows)))
        again["reported_to"] = draw(bodies)
        rows.insert(draw(st.integers(0, len(rows))), again)
    received = draw(days) + dt.timedelta(days=draw(st.integers(0, 200)))
    return {"received_on": received, "incidents": rows, "hate_incident": draw(st.booleans()),
            "threshold": draw(st.integers(1, 3)), "five": draw(st.booleans()), "hate_route": draw(st.booleans()),
            "window": draw(st.sampled_from([6, 7, 12]))}


def _criteria(base, c):
    return dataclasses.replace(
        base, threshold=c["threshold"], period_months=c["window"],
        five_individuals_route=FiveIndividualsRoute(3, 12) if c["five"] else None,
        hate_route=HateRoute(1, 12) if c["hate_route"] else None)


def _iso(day):
    return day.isoformat() if day else None


class Judges:
    """judge.js in one Node process beside the Python rules; a short repr keeps failures readable."""

    def __init__(self, base_criteria):
        node = shutil.which("node")
        assert node, "Node.js is needed to run the date checker's rules (it is on every machine of this project)"
        self.base = base_criteria
        self.proc = subprocess.Popen([node, str(LINES_JS), str(JUDGE_JS)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)

    def __repr__(self) -> str:
        return "Judges(python, judge.js)"

    def by_js(self, payload: dict) -> dict:
        self.proc.stdin.write(json.dumps(payload) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def judges(guidance):
    both = Judges(guidance.criteria_for("2.0"))
    yield both
    both.close()


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(c=case())
def test_python_and_judge_js_agree(judges, c):
    criteria = _criteria(judges.base, c)
    entries = [Entry(i, r["occurred_on"], r["reported_on"], r["occurred_at"], r["reported_to"], r["reported_by"])
               for i, r in enumerate(c["incidents"])]
    py = judge_incidents(entries, c["received_on"], criteria, c["hate_incident"])
    js = judges.by_js({"criteria": criteria_export(criteria), "received_on": c["received_on"].isoformat(),
                       "hate_incident": c["hate_incident"],
                       "incidents": [{**r, "occurred_on": _iso(r["occurred_on"]),
                                      "reported_on": _iso(r["reported_on"])} for r in c["incidents"]]})
    assert "error" not in js, js.get("error")
    assert (js["threshold_met"], js["route"], js["qualifying_complaints"], js["qualifying_incidents"],
            js["incidents"], js["incidents_if_untimed_apart"], js.get("individuals")) == \
        (py.threshold_met, py.route, py.qualifying_complaints, py.qualifying_incidents, py.incidents,
         py.incidents_if_untimed_apart, py.individuals)
    assert [(e["qualifies"], e["reasons"], e["incident"], e["same_as"]) for e in js["entries"]] == \
        [(e.qualifies, list(e.reasons), e.incident, e.same_as) for e in py.entries]
