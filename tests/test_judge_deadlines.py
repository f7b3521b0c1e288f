"""Working-day deadlines: weekends and England bank holidays skipped, dates worked by hand."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from generator.dates import add_working_days, is_working_day
from generator.judge.deadlines import deadlines_for
from conftest import without_locks

D = dt.date


@pytest.mark.parametrize("start, days, expected, why", [
    (D(2026, 3, 2), 5, D(2026, 3, 9), "Monday + 5 is the next Monday"),
    (D(2026, 3, 6), 1, D(2026, 3, 9), "Friday + 1 skips the weekend"),
    (D(2026, 3, 7), 5, D(2026, 3, 13), "received on a Saturday: counting starts on Monday"),
    (D(2026, 3, 8), 1, D(2026, 3, 9), "received on a Sunday"),
    # Christmas 2026: Friday 25, Boxing Day on Saturday is observed on Monday 28; New Year on Friday 1.
    (D(2026, 12, 23), 5, D(2027, 1, 4), "Christmas, Boxing Day (observed) and New Year's Day skipped"),
    (D(2026, 12, 23), 10, D(2027, 1, 11), "ten working days over Christmas 2026"),
    (D(2026, 12, 24), 1, D(2026, 12, 29), "Christmas Eve + 1 is the Tuesday after Boxing Day (observed)"),
    # Christmas 2027: Saturday and Sunday, so Monday 27 and Tuesday 28 are bank holidays;
    # New Year's Day 2028 is a Saturday, observed on Monday 3 January.
    (D(2027, 12, 24), 5, D(2028, 1, 5), "Christmas and New Year both on weekends, substitute days skipped"),
    # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
    (D(2026, 4, 2), 5, D(2026, 4, 13), "Good Friday and Easter Monday skipped"),
    (D(2026, 4, 2), 1, D(2026, 4, 7), "the day before Good Friday + 1 is the Tuesday after Easter"),
    # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
    (D(2027, 3, 25), 10, D(2027, 4, 12), "Easter 2027"),
    # Early May bank holiday 2026: Monday 4 May.
    (D(2026, 5, 1), 1, D(2026, 5, 5), "early May bank holiday"),
])
def test_working_days_skip_weekends_and_england_bank_holidays(start, days, expected, why):
    assert add_working_days(start, days) == expected, why


def test_bank_holidays_are_not_working_days_but_ordinary_weekdays_are():
    assert not is_working_day(D(2026, 12, 25))
    assert not is_working_day(D(2026, 12, 28))  # Boxing Day (observed)
    assert not is_working_day(D(2026, 4, 3))     # Good Friday
    assert not is_working_day(D(2026, 8, 31))    # summer bank holiday in England (not Scotland's date)
    assert is_working_day(D(2026, 8, 3))         # Scotland's summer bank holiday is a working day in England
    assert is_working_day(D(2026, 3, 17))        # St Patrick's Day is Northern Ireland only


def test_deadlines_follow_the_timescales_in_criteria(guidance):
    c = guidance.criteria_for("2.0")
    received = D(2026, 12, 23)
    deadlines = {d.name: d for d in deadlines_for(c, received, "threshold_met")}
    assert set(deadlines) == {"acknowledge", "threshold_decision", "review_meeting", "outcome_letter", "appeal"}
    for name in ("acknowledge", "threshold_decision", "review_meeting"):
        assert deadlines[name].working_days == c.timescales[name].days
        assert deadlines[name].date == add_working_days(received, c.timescales[name].days)
        assert not deadlines[name].assumed_start
    # the outcome letter counts from the meeting; dated from the latest day the meeting may be held
    assert deadlines["outcome_letter"].assumed_start
    assert deadlines["outcome_letter"].date == add_working_days(
        deadlines["review_meeting"].date, c.timescales["outcome_letter"].days)


def test_no_review_deadlines_when_the_threshold_is_not_met(guidance):
    names = [d.name for d in deadlines_for(guidance.criteria_for("2.0"), D(2026, 3, 2), "threshold_not_met")]
    assert names == ["acknowledge", "threshold_decision", "appeal"]


def test_version_1_0_had_no_appeal_timescale(guidance):
    names = [d.name for d in deadlines_for(guidance.criteria_for("1.0"), D(2015, 3, 2), "threshold_not_met")]
    assert "appeal" not in names


def test_a_changed_timescale_in_criteria_changes_the_deadline_the_spoc_sees(tmp_root, ctkit, tmp_path):
    without_locks(tmp_root)
    path = tmp_root / "guidance" / "criteria.yml"
    text = path.read_text(encoding="utf-8")
    head, v2 = text.split('"2.0":')
    v2 = v2.replace("acknowledge: {days: 5,", "acknowledge: {days: 2,", 1)
    path.write_text(head + '"2.0":' + v2, encoding="utf-8")
    app = tmp_path / "app.json"
    app.write_text(json.dumps({"form": "application", "received_on": "2026-12-23", "basis": "victim",
                               "incidents": []}), encoding="utf-8")
    run = ctkit("validate", str(app), "--format", "json", root=tmp_root)
    result = json.loads(run.stdout)[0]
    ack = next(d for d in result["deadlines"] if d["name"] == "acknowledge")
    assert (ack["working_days"], ack["date"]) == (2, "2026-12-29")  # Thu 24, then Tue 29 after Christmas
