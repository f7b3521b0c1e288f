"""`change_register`: one row added or changed under a lock, every other byte kept, never half a file.

Also the file handling of issue 14: a link is followed to the real register, a read-only register
is refused with a sentence, and many processes opening cases at once keep every row.
"""
from __future__ import annotations

import csv
import datetime as dt
import multiprocessing
import os
import shutil
import stat
from pathlib import Path

import pytest

from generator.monitoring.register import columns, load_register
from generator.monitoring.register_write import RowChange, change_register, next_reference

SAMPLE = Path(__file__).parent / "data" / "registers" / "erewash.csv"
TODAY = dt.date(2026, 5, 11)
NEW = {"council": "erewash", "received_on": "2026-05-05", "basis": "on_behalf", "asb_types": "noise;drugs",
       "hate_incident": "no", "assessment": "threshold_met", "decision": "pending"}


def add(ref: str, **cells):
    return lambda reg: RowChange(ref, {**NEW, **cells}, new=True)


def rows_of(path: Path) -> list[dict]:
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def test_a_new_register_is_created_with_every_column(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    done, problems = change_register(register, guidance, add("TEST-EREW-100"), TODAY, create=True)
    assert problems == [] and done.case_ref == "TEST-EREW-100"
    assert register.read_text(encoding="utf-8").splitlines()[0].split(",") == list(columns(guidance))
    assert rows_of(register) == [{**{c: "" for c in columns(guidance)}, **NEW, "case_ref": "TEST-EREW-100"}]
    assert load_register(register, guidance, today=TODAY)[1] == []


def test_without_create_a_missing_register_is_a_sentence(tmp_path, guidance):
    _done, problems = change_register(tmp_path / "none.csv", guidance, add("X-1"), TODAY)
    assert [p.message for p in problems] == ["there is no register here; check the file name, or start one with "
                                             "ctkit case open"]


def test_a_new_case_is_appended_and_every_earlier_byte_is_kept(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    shutil.copy(SAMPLE, register)
    before = register.read_bytes()
    assert change_register(register, guidance, add("TEST-EREW-011"), TODAY)[1] == []
    after = register.read_bytes()
    assert after.startswith(before)
    assert after[len(before):].decode() == \
        "TEST-EREW-011,erewash,2026-05-05,on_behalf,noise;drugs,no,threshold_met,pending,,,,,,,,,\n"


def test_a_change_to_one_case_keeps_every_other_row_byte_for_byte(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    shutil.copy(SAMPLE, register)
    before = register.read_text(encoding="utf-8").splitlines(keepends=True)
    change = lambda reg: RowChange("TEST-EREW-010", {"decision": "threshold_not_met", "decision_on": "2026-02-13"})
    assert change_register(register, guidance, change, TODAY)[1] == []
    after = register.read_text(encoding="utf-8").splitlines(keepends=True)
    assert after[:10] == before[:10] and len(after) == len(before)
    assert after[10] == "TEST-EREW-010,erewash,2026-02-02,victim,harassment,no,incomplete,threshold_not_met," \
                        "2026-02-13,,,,,,2026-02-04,,\n", "the acknowledgement date already there is kept"


def test_next_reference_numbers_the_applications_of_the_day(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    for _ in range(3):
        change = lambda reg: RowChange(next_reference("erewash", dt.date(2026, 5, 5), reg), NEW, new=True)
        assert change_register(register, guidance, change, TODAY, create=True)[1] == []
    assert [r["case_ref"] for r in rows_of(register)] == [f"EREWASH-20260505-{n}" for n in (1, 2, 3)]


def test_a_change_that_would_break_the_register_writes_nothing_and_leaves_no_temporary_file(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    shutil.copy(SAMPLE, register)
    before = register.read_bytes()
    # TEST-EREW-003 had its case review; "not met" now would leave a review without a met threshold.
    change = lambda reg: RowChange("TEST-EREW-003", {"decision": "threshold_not_met"})
    _done, problems = change_register(register, guidance, change, TODAY)
    assert f"{register.as_posix()}:4: case TEST-EREW-003 was not changed: a case review is recorded " \
           "(review_on 2025-07-03) but the decision is 'threshold_not_met'; a review is held only when the " \
           "threshold is met (ctkit case decide --met)" in [str(p) for p in problems]
    assert register.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == ["erewash.csv"]


def test_windows_line_endings_and_a_byte_order_mark_are_kept(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    register.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    before = register.read_bytes()
    assert change_register(register, guidance, add("TEST-EREW-012"), TODAY)[1] == []
    after = register.read_bytes()
    assert after.startswith(before) and after.endswith(b",,,,,,,,,\r\n")
    assert b"\n" not in after.replace(b"\r\n", b"")


def test_nothing_changed_means_not_a_byte_written(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    shutil.copy(SAMPLE, register)
    os.utime(register, (1_000_000_000, 1_000_000_000))
    change = lambda reg: RowChange("TEST-EREW-010", {"acknowledged_on": "2026-02-04"})
    assert change_register(register, guidance, change, TODAY)[1] == []
    assert register.stat().st_mtime == 1_000_000_000


def test_a_linked_register_is_changed_through_the_link(tmp_path, guidance):
    real = tmp_path / "shared" / "erewash.csv"
    real.parent.mkdir()
    shutil.copy(SAMPLE, real)
    link = tmp_path / "register.csv"
    link.symlink_to(real)
    assert change_register(link, guidance, add("TEST-EREW-013"), TODAY)[1] == []
    assert link.is_symlink(), "the link is still a link, not replaced by a plain file"
    assert rows_of(real)[-1]["case_ref"] == "TEST-EREW-013"


def test_a_link_to_nowhere_is_refused(tmp_path, guidance):
    link = tmp_path / "register.csv"
    link.symlink_to(tmp_path / "gone.csv")
    _done, problems = change_register(link, guidance, add("X-1"), TODAY, create=True)
    assert "is a link to" in problems[0].message and "which does not exist" in problems[0].message
    assert link.is_symlink() and not (tmp_path / "gone.csv").exists()


def test_a_read_only_register_is_refused_with_a_sentence(tmp_path, guidance):
    register = tmp_path / "erewash.csv"
    shutil.copy(SAMPLE, register)
    register.chmod(stat.S_IRUSR | stat.S_IRGRP)
    before = register.read_bytes()
    _done, problems = change_register(register, guidance, add("TEST-EREW-014"), TODAY)
    assert [p.message for p in problems] == [
        "the register is read-only, so nothing was written; make it writable (or ask whoever looks after it) "
        "and run the command again"]
    assert register.read_bytes() == before


def _open_one(args):
    """In a child process: add one case whose reference is numbered under the lock."""
    register, guidance, n = args
    change = lambda reg: RowChange(next_reference("erewash", dt.date(2026, 5, 5), reg), NEW, new=True)
    _done, problems = change_register(Path(register), guidance, change, TODAY, create=True)
    return [str(p) for p in problems]


def test_twenty_processes_opening_cases_at_once_keep_every_row(tmp_path, guidance):
    """Without the lock, processes that read the register before another wrote it lose that row
    (issue 14 measured 13-16 of 200 lost); with it, all 20 are kept and numbered 1 to 20."""
    register = tmp_path / "erewash.csv"
    with multiprocessing.get_context("fork").Pool(20) as pool:
        results = pool.map(_open_one, [(str(register), guidance, n) for n in range(20)], chunksize=1)
    assert results == [[]] * 20
    refs = [r["case_ref"] for r in rows_of(register)]
    assert sorted(refs, key=lambda r: int(r.rsplit("-", 1)[1])) == [f"EREWASH-20260505-{n}" for n in range(1, 21)]
    assert load_register(register, guidance, today=TODAY)[1] == []


@pytest.mark.parametrize("name", ["nonexistent-folder/erewash.csv"])
def test_a_register_in_a_folder_that_does_not_exist_is_a_sentence(tmp_path, guidance, name):
    _done, problems = change_register(tmp_path / name, guidance, add("X-1"), TODAY, create=True)
    assert "does not exist, so the register cannot be started there" in problems[0].message
