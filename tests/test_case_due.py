"""`ctkit case due`: every open case's outstanding steps and their dates, overdue first, worked out by hand.

Working days are Monday to Friday, not England bank holidays. In the way of these dates:
Christmas Day (Thu 25 Dec 2025), Boxing Day (Fri 26 Dec), New Year's Day (Thu 1 Jan 2026),
Good Friday (3 Apr 2026), Easter Monday (6 Apr 2026) and the early May bank holiday (4 May 2026).
Timescales (criteria.yml, version 2.0): acknowledge 5 and decide 10 working days from receipt,
meeting 25 from receipt, outcome letter 5 from the meeting. Each list is "as on" its day: a case
received later is not there yet, and a step recorded later had not happened yet.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

DATA = Path(__file__).parent / "data" / "registers"
REGISTERS = [DATA / "erewash.csv", DATA / "high-peak.csv", DATA / "derbyshire-dales.csv"]


def due(ctkit, on: str, fmt: str = "json"):
    run = ctkit("case", "due", "--register", *map(str, REGISTERS), "--on", on, "--format", fmt)
    assert run.returncode == 0, run.stderr
    return run


STEPS = ("acknowledge", "threshold_decision", "review_meeting", "outcome_letter")


def rows(run) -> list[tuple]:
    """The SPOC's own deadlines (the list's other items, such as appeal windows, are tested on their own)."""
    return [(d["case_ref"], d["step"], d["due_on"], d["overdue"], d["working_days_left"])
            for d in json.loads(run.stdout) if d["step"] in STEPS]


def test_over_christmas_2025(ctkit):
    # As on Wednesday 31 December 2025:
    # DALE-003, received Mon 3 Nov, met 14 Nov, no meeting yet: 25 working days from 3 Nov are
    #   4-7 Nov (4), 10-14 (9), 17-21 (14), 24-28 (19), 1-5 Dec (24), Mon 8 Dec (25). Overdue since:
    #   9-12 Dec (4), 15-19 (9), 22-24 (12), [25, 26 Dec], 29-31 (15): 15 working days.
    # DALE-002, received Tue 23 Dec, not yet acknowledged (it was, on 2 Jan): 5 working days are
    #   Wed 24 (1), [Thu 25, Fri 26], Mon 29 (2), Tue 30 (3), Wed 31 (4), [Thu 1 Jan], Fri 2 Jan (5);
    #   one working day left (Fri 2). Its decision: Mon 5 (6) to Fri 9 Jan (10); 6 left (2, 5-9 Jan).
    # DALE-001, received Fri 19 Dec, acknowledged 22 Dec: decision by Mon 22 (1), Tue 23, Wed 24 (3),
    #   Mon 29, Tue 30, Wed 31 (6), Fri 2 (7), Mon 5, Tue 6, Wed 7 Jan (10); 4 left (2, 5, 6, 7 Jan).
    # EREW-005, received Mon 22 Dec, acknowledged 23 Dec, decided only on 7 Jan: decision by Tue 23 (1),
    #   Wed 24 (2), Mon 29 - Wed 31 (5), Fri 2 (6), Mon 5 - Thu 8 Jan (10); 5 left (2, 5, 6, 7, 8 Jan).
    # Every other case was closed (outcome sent, not met, withdrawn) or not yet received.
    assert rows(due(ctkit, "2025-12-31")) == [
        ("TEST-DALE-003", "review_meeting", "2025-12-08", True, -15),
        ("TEST-DALE-002", "acknowledge", "2026-01-02", False, 1),
        ("TEST-DALE-001", "threshold_decision", "2026-01-07", False, 4),
        ("TEST-EREW-005", "threshold_decision", "2026-01-08", False, 5),
        ("TEST-DALE-002", "threshold_decision", "2026-01-09", False, 6),
    ]


def test_over_easter_2026(ctkit):
    # As on Thursday 9 April 2026:
    # EREW-010, received Mon 2 Feb, still pending: decision by Mon 16 Feb. Overdue since: 17-20 Feb (4),
    #   then five full weeks from 23 Feb to 27 Mar (29), 30 Mar - 2 Apr (33), [Good Friday, Easter Monday],
    #   Tue 7 - Thu 9 Apr (36): 36 working days.
    # EREW-006, met, meeting Wed 1 Apr, no outcome letter: Thu 2 (1), [3, 6 Apr], Tue 7 (2), Wed 8 (3),
    #   Thu 9 (4), Fri 10 Apr (5); one working day left.
    # DALE-004, received Thu 2 Apr, not acknowledged: Tue 7 (1) .. Fri 10 (4), Mon 13 Apr (5): 2 left
    #   (10, 13 Apr); decision Tue 14 (6) .. Mon 20 Apr (10): 7 left.
    # HIGH-002, received Tue 31 Mar, met the same day, meeting not yet held (it was, on 20 Apr):
    #   1, 2 Apr (2), 7-10 (6), 13-17 (11), 20-24 (16), 27 Apr - 1 May (21), [Mon 4 May], 5-8 May (25):
    #   Fri 8 May; 20 left (25 less the 5 of 1, 2, 7, 8, 9 April).
    assert rows(due(ctkit, "2026-04-09")) == [
        ("TEST-EREW-010", "threshold_decision", "2026-02-16", True, -36),
        ("TEST-EREW-006", "outcome_letter", "2026-04-10", False, 1),
        ("TEST-DALE-004", "acknowledge", "2026-04-13", False, 2),
        ("TEST-DALE-004", "threshold_decision", "2026-04-20", False, 7),
        ("TEST-HIGH-002", "review_meeting", "2026-05-08", False, 20),
    ]


def test_the_json_is_the_contract_and_the_text_reads_as_a_list(ctkit):
    items = json.loads(due(ctkit, "2026-04-09").stdout)
    assert set(items[0]) >= {"case_ref", "council", "step", "due_on", "overdue", "working_days_left"}
    assert items[0]["council"] == "erewash"
    text = due(ctkit, "2026-04-09", "text").stdout.splitlines()
    assert text[0].startswith("Due as on Thursday 9 April 2026: 5 steps, 1 overdue")
    assert text[1:3] == ["", "Overdue (1):"]
    assert text[3].startswith("  TEST-EREW-010 (Erewash Borough Council): Tell the applicant whether the "
                              "threshold is met by Monday 16 February 2026 (36 working days overdue")
    assert text[4:6] == ["", "Due this week (1):"]   # by Sunday 12 April
    assert "Send the outcome of the review by Friday 10 April 2026 (1 working day left" in text[6]


def test_the_csv_opens_in_a_spreadsheet(ctkit):
    table = list(csv.DictReader(io.StringIO(due(ctkit, "2025-12-31", "csv").stdout)))
    assert list(table[0]) == ["case_ref", "council", "step", "label", "due_on", "overdue", "working_days_left",
                              "owner", "detail"]
    assert (table[0]["case_ref"], table[0]["working_days_left"]) == ("TEST-DALE-003", "-15"), \
        "a negative number stays a number (only text that starts like a formula is escaped)"
    assert table[0]["label"] == "Hold the case review meeting"


def test_nothing_due_is_said_in_words(ctkit):
    run = ctkit("case", "due", "--register", str(DATA / "high-peak.csv"), "--on", "2025-12-31")
    assert run.returncode == 0 and "No step is due: every case is closed or up to date." in run.stdout
    # what is still open is listed all the same: an appeal the OPCC has not answered, recommendations to follow up
    assert "TEST-HIGH-004 (High Peak Borough Council): Appeal awaiting the OPCC's result — received 2025-10-20" \
        in run.stdout


def test_a_broken_register_lists_nothing(tmp_path, ctkit):
    bad = tmp_path / "erewash.csv"
    bad.write_text((DATA / "erewash.csv").read_text().replace("TEST-EREW-007", "TEST-EREW-002"))
    run = ctkit("case", "due", "--register", str(bad))
    assert run.returncode == 1 and run.stdout == ""
    assert "already used on line 3" in run.stderr and "nothing is listed" in run.stderr
