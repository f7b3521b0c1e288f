"""`ctkit stats` gives exactly the figures worked out by hand from the fictional sample registers.

Reporting years run 1 April to 31 March (guidance/monitoring.yml). Each statutory figure
counts its own event by that event's date. The sample registers put events on both sides
of the boundary on purpose:

  TEST-EREW-001  received 2025-03-31 (2024-25), met 2025-04-08, review 2025-04-29 with recommendations (2025-26)
  TEST-EREW-002  received 2025-04-01 (2025-26), not met 2025-04-11, appeal 2025-04-22 not upheld
  TEST-EREW-003  received 2025-06-02, met 2025-06-10, review 2025-07-03, no recommendations
  TEST-EREW-004  received 2025-09-15, met 2025-09-30, review 2025-10-20 with recommendations
  TEST-EREW-005  received 2025-12-22, not met 2026-01-07 (Christmas and New Year in between)
  TEST-EREW-006  received 2026-03-20, met 2026-03-31 (2025-26), review 2026-04-01 (2026-27) with recommendations
  TEST-EREW-007  received 2026-03-31 (2025-26), not met 2026-04-01 (2026-27), appeal 2026-04-10 upheld
  TEST-EREW-008  received 2025-11-03, withdrawn
  TEST-EREW-009  received 2024-05-01, not met 2024-05-10 (both 2024-25)
  TEST-EREW-010  received 2026-02-02, pending
  TEST-HIGH-001  received 2025-04-01, met 2025-04-14, review 2025-05-06 with recommendations
  TEST-HIGH-002  received 2026-03-31, met 2026-03-31 (2025-26), review 2026-04-20 (2026-27), recommendations not yet recorded
  TEST-HIGH-003  received 2025-03-31, not met 2025-03-31 (both 2024-25)
  TEST-HIGH-004  received 2025-10-01, not met 2025-10-13, appeal 2025-10-20 pending
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from generator.monitoring.figures import latest_complete_year, parse_year
from generator.dates import working_days_between
from conftest import without_locks

DATA = Path(__file__).parent / "data" / "registers"
EREWASH, HIGH_PEAK = DATA / "erewash.csv", DATA / "high-peak.csv"
SCHEMA = json.loads((Path(__file__).parent.parent / "schemas" / "stats.schema.json").read_text())

# The four statutory figures, by hand: (received, threshold_not_met, reviews, reviews_with_recommendations).
STATUTORY = ("received", "threshold_not_met", "reviews", "reviews_with_recommendations")
BY_HAND = {
    "2024-25": {"erewash": (2, 1, 0, 0),          # received 001 (31 Mar), 009; not met 009
                "high-peak": (1, 1, 0, 0),        # 003 received and not met on 31 March
                "total": (3, 2, 0, 0)},
    "2025-26": {"erewash": (8, 2, 3, 2),          # received 002..008, 010; not met 002, 005; reviews 001, 003, 004
                "high-peak": (3, 1, 1, 1),        # received 001, 002, 004; not met 004; review 001
                "total": (11, 3, 4, 3)},
    "2026-27": {"erewash": (0, 1, 1, 1),          # 007 not met 1 April; 006 reviewed 1 April
                "high-peak": (0, 0, 1, 0),        # 002 reviewed 20 April, recommendations not recorded
                "total": (0, 1, 2, 1)},
}


def validator(ref: str = "#") -> Draft202012Validator:
    schema = SCHEMA if ref == "#" else {"$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"], "$ref": ref}
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def json_by_year():
    from tests.conftest import run_ctkit
    out = {}
    for year in BY_HAND:
        result = run_ctkit("stats", str(EREWASH), str(HIGH_PEAK), "--year", year, "--format", "json")
        assert result.returncode == 0, result.stderr
        out[year] = json.loads(result.stdout)
    return out


@pytest.mark.parametrize("year", list(BY_HAND))
def test_statutory_figures_match_the_hand_worked_ones_either_side_of_31_march(json_by_year, year):
    report = json_by_year[year]
    for area, expected in BY_HAND[year].items():
        figures = report["total"] if area == "total" else report["councils"][area]
        assert tuple(figures[k] for k in STATUTORY) == expected, (year, area)


def test_the_json_names_the_year_and_its_dates_and_meets_its_schema(json_by_year):
    report = json_by_year["2025-26"]
    assert (report["year"], report["from"], report["to"]) == ("2025-26", "2025-04-01", "2026-03-31")
    assert sorted(report["councils"]) == ["erewash", "high-peak"]
    for r in json_by_year.values():
        errors = list(validator().iter_errors(r))
        assert errors == [], errors[0].message


def test_practitioner_breakdowns_for_2025_26_match_the_hand_worked_ones(json_by_year):
    e = json_by_year["2025-26"]["councils"]["erewash"]
    assert (e["threshold_met"], e["withdrawn"], e["pending"], e["hate_incidents"]) == (4, 1, 1, 2)
    assert e["by_basis"] == {"victim": 5, "on_behalf": 2, "partner_agency": 1}
    assert {k: v for k, v in e["by_asb_type"].items() if v} == {
        "noise": 3, "harassment": 2, "verbal_abuse": 1, "intimidation": 1, "threats_or_violence": 1,
        "vehicles": 1, "other": 1, "litter_or_fly_tipping": 1}
    assert e["appeals"] == {"received": 1, "upheld": 0, "not_upheld": 1, "pending": 0}
    # Working days to the decision: 001: 6, 002: 8, 003: 6, 004: 11, 005: 9 (25, 26 Dec and 1 Jan are
    # bank holidays), 006: 7 → sorted 6 6 7 8 9 11, median 7.5; 004 is over the 10-day timescale.
    assert e["to_decision"] == {"count": 6, "median_working_days": 7.5, "within_timescale": 5,
                                "timescale_working_days": [10]}
    # To the meeting: 001: 19 (Good Friday and Easter Monday skipped), 003: 23, 004: 25 (the limit, inclusive).
    assert e["to_review"] == {"count": 3, "median_working_days": 23, "within_timescale": 3,
                              "timescale_working_days": [25]}

    t = json_by_year["2025-26"]["total"]
    assert t["by_basis"] == {"victim": 7, "on_behalf": 2, "partner_agency": 2}
    assert t["appeals"] == {"received": 2, "upheld": 0, "not_upheld": 1, "pending": 1}
    # High Peak adds 9 (001), 0 (002, decided the day it arrived), 8 (004): median of nine values is 8.
    assert t["to_decision"]["median_working_days"] == 8 and t["to_decision"]["within_timescale"] == 8
    # High Peak 001 met in 22 working days (5 May bank holiday skipped): 19 22 23 25 → 22.5.
    assert t["to_review"]["median_working_days"] == 22.5 and t["to_review"]["within_timescale"] == 4


def test_an_appeal_and_a_review_on_1_april_fall_in_the_new_year(json_by_year):
    e = json_by_year["2026-27"]["councils"]["erewash"]
    assert e["appeals"] == {"received": 1, "upheld": 1, "not_upheld": 0, "pending": 0}
    assert e["to_review"]["count"] == 1 and e["to_review"]["median_working_days"] == 8  # 20 Mar → 1 Apr


def test_working_days_skip_weekends_and_england_bank_holidays():
    assert working_days_between(dt.date(2025, 12, 22), dt.date(2026, 1, 7)) == 9
    assert working_days_between(dt.date(2025, 3, 31), dt.date(2025, 4, 29)) == 19
    assert working_days_between(dt.date(2026, 3, 31), dt.date(2026, 3, 31)) == 0
    assert working_days_between(dt.date(2025, 4, 4), dt.date(2025, 4, 7)) == 1  # Friday to Monday


def test_the_default_year_is_the_latest_complete_one(guidance):
    assert latest_complete_year(guidance, dt.date(2026, 3, 31)).label == "2024-25"
    assert latest_complete_year(guidance, dt.date(2026, 4, 1)).label == "2025-26"
    year = parse_year(guidance, "2025-26")
    assert (year.start, year.end) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert parse_year(guidance, "2025-27") is None and parse_year(guidance, "2025") is None


def test_the_year_start_comes_from_monitoring_yml(tmp_root, ctkit):
    without_locks(tmp_root)
    monitoring = tmp_root / "guidance" / "monitoring.yml"
    monitoring.write_text(monitoring.read_text().replace("{month: 4, day: 1}", "{month: 1, day: 1}"))
    result = ctkit("stats", str(EREWASH), "--year", "2025-26", "--format", "json", root=tmp_root)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["from"], report["to"]) == ("2025-01-01", "2025-12-31")
    # Calendar 2025: received 001, 002, 003, 004, 005, 008 (all but 006, 007, 009, 010).
    assert report["councils"]["erewash"]["received"] == 6


def test_csv_output_is_one_row_per_area_and_meets_its_schema(ctkit):
    result = ctkit("stats", str(EREWASH), str(HIGH_PEAK), "--year", "2025-26", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["area"] for r in rows] == ["erewash", "high-peak", "total"]
    assert [rows[2][k] for k in STATUTORY] == ["11", "3", "4", "3"]
    assert rows[0]["basis_on_behalf"] == "2", "the SPOC's own CSV has exact counts"
    assert list(rows[0]) == SCHEMA["$defs"]["csv_row"]["required"]
    row_validator = validator("#/$defs/csv_row")
    for row in rows:
        assert list(row_validator.iter_errors(row)) == []


def test_text_output_reads_as_a_report(ctkit):
    result = ctkit("stats", str(EREWASH), "--year", "2025-26")
    assert result.returncode == 0, result.stderr
    assert "Community Trigger figures for 2025-26 (1 April 2025 to 31 March 2026)" in result.stdout
    assert "Erewash Borough Council" in result.stdout
    lines = {line.strip().rsplit(None, 1)[0]: line.split()[-1] for line in result.stdout.splitlines()
             if line.startswith("  Applications") or line.startswith("  ASB") or line.startswith("  Case")}
    assert lines["Applications received"] == "8"
    assert lines["Applications where the threshold was not met"] == "2"
    assert lines["ASB case reviews carried out"] == "3"
    assert lines["Case reviews that led to recommendations"] == "2"


def test_a_year_written_wrongly_is_a_usage_error(ctkit):
    result = ctkit("stats", str(EREWASH), "--year", "2025-2026")
    assert result.returncode == 2
    assert "write it like 2025-26" in result.stderr and result.stdout == ""
