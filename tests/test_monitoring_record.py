"""`record_judgement` (behind `ctkit validate --record`) adds or updates one row and leaves the rest alone."""
from __future__ import annotations

import csv
import json
import datetime as dt
import shutil
from pathlib import Path

from generator.monitoring.register import Judged, columns, load_register, record_judgement

SAMPLE = Path(__file__).parent / "data" / "registers" / "erewash.csv"
TODAY = dt.date(2026, 5, 11)


def judged(application: dict | None = None, **overrides) -> Judged:
    """What the validator hands the register about a judged application (it holds no names or addresses)."""
    facts = {"received_on": "2026-05-05", "basis": "on_behalf", "asb_types": ["noise", "drugs"],
             "hate_incident": False, **(application or {})}
    fields = {"file": "returned/application-07.json", "decision": "threshold_met",
              "received_on": dt.date.fromisoformat(facts["received_on"]), "basis": facts["basis"],
              "asb_types": tuple(facts["asb_types"]), "hate_incident": facts.get("hate_incident")}
    fields.update(overrides)
    return Judged(**fields)


def rows_of(path: Path) -> list[dict]:
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def test_a_new_register_is_created_with_every_column(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    assert record_judgement(register, judged(case_ref="TEST-EREW-100"), "erewash", guidance, TODAY) == []
    lines = register.read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",") == list(columns(guidance))
    assert rows_of(register) == [{**{c: "" for c in columns(guidance)}, "case_ref": "TEST-EREW-100", "council": "erewash",
                                  "received_on": "2026-05-05", "basis": "on_behalf", "asb_types": "noise;drugs",
                                  "hate_incident": "no", "decision": "threshold_met", "decision_on": "2026-05-11"}]
    assert load_register(register, guidance, today=TODAY)[1] == []


def test_a_new_case_is_appended_and_every_earlier_byte_is_kept(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    shutil.copy(SAMPLE, register)
    before = register.read_bytes()
    assert record_judgement(register, judged(case_ref="TEST-EREW-011"), "erewash", guidance, TODAY) == []
    after = register.read_bytes()
    assert after.startswith(before)
    assert after[len(before):].decode() == \
        "TEST-EREW-011,erewash,2026-05-05,on_behalf,noise;drugs,no,threshold_met,2026-05-11,,,,,,,,\n"


def test_a_known_case_is_updated_in_place_keeping_the_spocs_own_columns(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    shutil.copy(SAMPLE, register)
    before = register.read_text(encoding="utf-8").splitlines(keepends=True)
    result = judged(case_ref="TEST-EREW-010", decision="threshold_not_met",
                    application={"received_on": "2026-02-02", "basis": "victim", "asb_types": ["harassment"],
                                 "hate_incident": True})
    assert record_judgement(register, result, "erewash", guidance, TODAY) == []
    after = register.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(after) == len(before)
    assert after[:10] == before[:10], "other rows must stay byte for byte"
    assert after[10] == "TEST-EREW-010,erewash,2026-02-02,victim,harassment,yes,threshold_not_met,2026-05-11," \
                        ",,,,,2026-02-04,,\n", "the acknowledgement date the SPOC wrote is kept"


def test_an_incomplete_application_is_recorded_as_pending(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    assert record_judgement(register, judged(case_ref="TEST-EREW-200", decision="incomplete"), "erewash",
                            guidance, TODAY) == []
    row = rows_of(register)[0]
    assert (row["decision"], row["decision_on"]) == ("pending", "")


def test_without_a_case_reference_the_same_application_keeps_its_row(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    shutil.copy(SAMPLE, register)
    assert record_judgement(register, judged(decision="incomplete"), "erewash", guidance, TODAY) == []
    assert record_judgement(register, judged(), "erewash", guidance, TODAY) == []  # judged again, now complete
    other = judged(application={"received_on": "2026-05-05", "basis": "victim", "asb_types": ["noise"]})
    assert record_judgement(register, other, "erewash", guidance, TODAY) == []
    added = rows_of(register)[10:]
    assert [(r["case_ref"], r["decision"]) for r in added] == [
        ("EREWASH-20260505-1", "threshold_met"), ("EREWASH-20260505-2", "threshold_met")]


def test_no_name_or_address_reaches_the_register(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    record_judgement(register, judged(case_ref="TEST-EREW-300"), "erewash", guidance, TODAY)
    text = register.read_text(encoding="utf-8")
    for personal in ("Pat", "Sam", "Nowhere", "ZZ9"):
        assert personal not in text


def test_an_unreadable_file_is_not_recorded(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    shutil.copy(SAMPLE, register)
    before = register.read_bytes()
    problems = record_judgement(register, judged(decision="unreadable"), "erewash", guidance, TODAY)
    assert [p.severity for p in problems] == ["warning"]
    assert register.read_bytes() == before


def test_an_update_that_would_break_the_register_writes_nothing(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    shutil.copy(SAMPLE, register)
    before = register.read_bytes()
    # TEST-EREW-003 had its case review; judging it "not met" now would leave a review without a met threshold.
    result = judged(case_ref="TEST-EREW-003", decision="threshold_not_met",
                    application={"received_on": "2025-06-02", "basis": "victim", "asb_types": ["noise"]})
    problems = record_judgement(register, result, "erewash", guidance, TODAY)
    assert f"{register.as_posix()}:4: case TEST-EREW-003 was not recorded: a case review is recorded " \
           "(review_on 2025-07-03) but the decision is 'threshold_not_met'; a review is held only when the " \
           "threshold was met" in [str(p) for p in problems]
    assert register.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name != "erewash.csv"], "no temporary file is left behind"


def test_windows_line_endings_are_kept(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    register.write_bytes(SAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    before = register.read_bytes()
    assert record_judgement(register, judged(case_ref="TEST-EREW-012"), "erewash", guidance, TODAY) == []
    after = register.read_bytes()
    assert after.startswith(before) and after.endswith(b",,,,,,,,\r\n") and b"\n" not in after.replace(b"\r\n", b"")


def test_judging_again_keeps_the_date_the_decision_was_first_made(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    shutil.copy(SAMPLE, register)
    before = register.read_bytes()
    result = judged(case_ref="TEST-EREW-003", decision="threshold_met",
                    application={"received_on": "2025-06-02", "basis": "victim", "asb_types": ["noise"],
                                 "hate_incident": False})
    assert record_judgement(register, result, "erewash", guidance, TODAY) == []
    assert register.read_bytes() == before, "nothing changed, so not a byte may change"


APPLICATION = """\
form: application
form_version: "2.0"
received_on: 2025-06-02
basis: victim
applicant: {name: Test Person, address: 1 Test Street, postcode: ZZ1 1ZZ, phone: "00000 000000", preferred_contact: phone}
asb_types: [noise, harassment]
hate_incident: false
incidents:
  - {occurred_on: 2025-04-10, reported_on: 2025-04-11, reported_to: Derbyshire Constabulary, description: Loud music}
  - {occurred_on: 2025-05-01, reported_on: 2025-05-02, reported_to: Erewash Borough Council, description: Shouting}
  - {occurred_on: 2025-05-20, reported_on: 2025-05-21, reported_to: Derbyshire Constabulary, description: Loud music}
impact: Cannot sleep
desired_outcome: Quiet
declaration: {signed_name: Test Person, signed_on: 2025-06-01}
"""


def test_validate_record_then_stats_counts_the_application(tmp_path, ctkit):
    application = tmp_path / "app.yaml"
    application.write_text(APPLICATION, encoding="utf-8")
    register = tmp_path / "erewash.csv"
    for _ in range(2):  # judged twice: still one row
        run = ctkit("validate", str(application), "--council", "erewash", "--record", str(register))
        assert run.returncode == 0, run.stderr
    rows = rows_of(register)
    assert [(r["case_ref"], r["received_on"], r["basis"], r["asb_types"], r["decision"]) for r in rows] == [
        ("EREWASH-20250602-1", "2025-06-02", "victim", "noise;harassment", "threshold_met")]
    assert "Test" not in register.read_text(encoding="utf-8")
    stats = ctkit("stats", str(register), "--year", "2025-26", "--format", "json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["councils"]["erewash"]["received"] == 1
