"""A case register that fails its check is refused with `file:line` sentences, and publishes nothing.

Each broken register starts from the fictional sample tests/data/registers/erewash.csv
(header on line 1, TEST-EREW-001 on line 2 … TEST-EREW-010 on line 11) with one thing
changed, so the line named in the error is known by hand.
"""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from generator.monitoring.register import load_register, load_registers

DATA = Path(__file__).parent / "data" / "registers"
SAMPLE = DATA / "erewash.csv"


def edited(tmp_path: Path, case_ref: str, column: str, value: str, name: str = "register.csv") -> Path:
    """A copy of the Erewash sample with one cell changed."""
    rows = list(csv.DictReader(SAMPLE.read_text(encoding="utf-8").splitlines()))
    header = list(rows[0])
    for row in rows:
        if row["case_ref"] == case_ref:
            row[column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def without_column(tmp_path: Path, column: str) -> Path:
    rows = list(csv.reader(SAMPLE.read_text(encoding="utf-8").splitlines()))
    i = rows[0].index(column)
    path = tmp_path / "register.csv"
    path.write_text("\n".join(",".join(r[:i] + r[i + 1:]) for r in rows) + "\n", encoding="utf-8")
    return path


def problems_of(path: Path, guidance) -> list[str]:
    register, problems = load_register(path, guidance)
    assert register is None, "a register with an error must not be usable"
    return [str(p) for p in problems]


def test_the_sample_registers_pass_their_check(guidance):
    for path in sorted(DATA.glob("*.csv")):
        register, problems = load_register(path, guidance)
        assert problems == [], problems
        assert register is not None and register.cases


BROKEN = [
    # (case_ref, column, new value, line, words the SPOC must read)
    ("TEST-EREW-003", "decision", "threshold_reached", 4,
     "decision is 'threshold_reached'; it must be one of: pending, threshold_met, threshold_not_met, withdrawn"),
    ("TEST-EREW-005", "received_on", "2052-12-22", 6, "received_on is 2052-12-22, which is after today"),
    ("TEST-EREW-009", "received_on", "2012-05-01", 10,
     "received_on is 2012-05-01, before the guidance first took effect (2014-10-20)"),
    ("TEST-EREW-002", "decision_on", "2025-04-31", 3, "decision_on is '2025-04-31', which is not a date"),
    ("TEST-EREW-007", "case_ref", "TEST-EREW-002", 8,
     "the case reference 'TEST-EREW-002' is already used on line 3"),
    ("TEST-EREW-005", "review_on", "2026-01-20", 6,
     "a case review is recorded (review_on 2026-01-20) but the decision is 'threshold_not_met'"),
    ("TEST-EREW-003", "decision_on", "2025-05-30", 4,
     "the threshold decision (decision_on 2025-05-30) is dated before the application was received "
     "(received_on 2025-06-02)"),
    ("TEST-EREW-001", "council", "erewsh", 2,
     "the council 'erewsh' is not one of the councils in guidance/councils/ — did you mean 'erewash'?"),
    ("TEST-EREW-006", "basis", "vicitm", 7, "basis is 'vicitm'; it must be one of: victim, on_behalf, partner_agency"),
    ("TEST-EREW-004", "asb_types", "intimidation;nosie", 5, "nosie"),
    ("TEST-EREW-002", "hate_incident", "maybe", 3, "hate_incident is 'maybe'; it must be one of: yes, no"),
    ("TEST-EREW-003", "decision_on", "", 4, "the decision is 'threshold_met' but decision_on is empty"),
    ("TEST-EREW-010", "received_on", "", 11, "the cell 'received_on' is empty"),
    ("TEST-EREW-003", "recommendations", "maybe", 4, "recommendations is 'maybe'"),
    ("TEST-EREW-002", "appeal_received_on", "", 3, "appeal_result is filled in but appeal_received_on is empty"),
]


@pytest.mark.parametrize("case_ref, column, value, line, words", BROKEN,
                         ids=[f"{b[1]}={b[2] or 'empty'}" for b in BROKEN])
def test_a_broken_row_is_a_located_error(tmp_path, guidance, case_ref, column, value, line, words):
    path = edited(tmp_path, case_ref, column, value)
    found = problems_of(path, guidance)
    assert any(p.startswith(f"{path.as_posix()}:{line}: ") and words in p for p in found), found


def test_a_missing_column_is_named_at_the_header(tmp_path, guidance):
    path = without_column(tmp_path, "hate_incident")
    assert problems_of(path, guidance) == [
        f"{path.as_posix()}:1: the column 'hate_incident' is missing from the header; "
        "every register has all the columns, left empty when not known"]


def test_a_column_for_names_is_refused(tmp_path, guidance):
    path = tmp_path / "register.csv"
    text = SAMPLE.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([text[0] + ",applicant_name"] + [t + ",Someone" for t in text[1:]]) + "\n")
    found = problems_of(path, guidance)
    assert found[0].startswith(f"{path.as_posix()}:1: the header names an unknown column 'applicant_name'")
    assert "never names or addresses" in found[0]
    assert not any("Someone" in p for p in found), "a cell's content must never appear in an error"


def test_a_row_with_a_cell_missing_is_located(tmp_path, guidance):
    path = tmp_path / "register.csv"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].rsplit(",", 1)[0]
    path.write_text("\n".join(lines) + "\n")
    assert problems_of(path, guidance) == [
        f"{path.as_posix()}:5: this row has 16 cells but the header names 17 columns; "
        "check for a missing or extra comma"]


def test_the_same_case_in_two_registers_is_refused(tmp_path, guidance):
    copy = tmp_path / "erewash-copy.csv"
    shutil.copy(SAMPLE, copy)
    cases, problems = load_registers([SAMPLE, copy], guidance)
    assert cases == []
    assert f"{copy.as_posix()}:2: the case reference 'TEST-EREW-001' is already used on {SAMPLE.as_posix()}:2; " \
           "each application has its own reference" in [str(p) for p in problems]


def test_an_empty_file_and_a_header_only_file(tmp_path, guidance):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert problems_of(empty, guidance) == [f"{empty.as_posix()}: the file is empty"]
    header_only = tmp_path / "header.csv"
    header_only.write_text(SAMPLE.read_text(encoding="utf-8").splitlines()[0] + "\n")
    register, problems = load_register(header_only, guidance)
    assert problems == [] and register.cases == []


def test_stats_refuses_broken_registers_prints_no_figure_and_exits_1(tmp_path, ctkit):
    bad_decision = edited(tmp_path, "TEST-EREW-003", "decision", "threshold_reached", "bad-decision.csv")
    no_threshold = edited(tmp_path, "TEST-EREW-005", "review_on", "2026-01-20", "review-without-threshold.csv")
    (tmp_path / "missing").mkdir()
    missing_column = without_column(tmp_path / "missing", "decision_on")
    result = ctkit("stats", str(bad_decision), str(no_threshold), str(missing_column), "--year", "2025-26",
                   "--format", "json")
    assert result.returncode == 1
    assert result.stdout == "", "no figure may be printed from a register that fails its check"
    assert f"{bad_decision.as_posix()}:4: decision is 'threshold_reached'" in result.stderr
    assert f"{no_threshold.as_posix()}:6: a case review is recorded" in result.stderr
    assert f"{missing_column.as_posix()}:1: the column 'decision_on' is missing" in result.stderr
    assert "Traceback" not in result.stderr
    assert "no figures" in result.stderr


def test_the_register_columns_are_those_of_the_design(guidance):
    from generator.monitoring.register import columns
    assert set(columns(guidance)) == {
        "case_ref", "council", "received_on", "basis", "asb_types", "hate_incident", "assessment", "decision", "decision_on",
        "review_on", "recommendations", "recommendations_to", "appeal_received_on", "appeal_result",
        "acknowledged_on", "decision_letter_on", "outcome_letter_on",
        # added later, optional in a register's header (schemas/register.schema.json: x-optional-columns)
        "owner", "fingerprint", "application", "no_acknowledgement", "withdrawn_on", "withdrawal_reason",
        "appeal_result_on", "recommendations_followed_up_on"}
