"""`ctkit case open --inbox`: the applications the receiver kept, opened as cases on the SPOC's computer.

The inbox is filled as the receiver fills it (inbox.store: the envelope encrypted to the SPOC's key),
then the real command line opens it. Each case is received on the UK day it arrived, under the
reference the resident was given, judged as `ctkit validate` judges the same answers; its files are
written only into the case folder, where the letters find them; the inbox file moves to done/.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from casework_helpers import pdf_text
from generator.receiving import inbox as inbox_files
from generator.receiving.keys import make_key_pair, read_recipient
from generator.render.fill import fill_form_pdf
from receiving_helpers import PERSONAL, answers, files_in

#: 23:30 on 24 October 2026 in UTC is 00:30 on the 25th in the UK (British Summer Time until the 25th).
LATE = dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> tuple[Path, Path]:
    return make_key_pair(tmp_path_factory.mktemp("spoc"))


@pytest.fixture(scope="module")
def good_pdf(guidance) -> bytes:
    return fill_form_pdf(guidance.forms["application"], answers(), guidance, guidance.council("erewash"))


@pytest.fixture
def spoc(tmp_path) -> dict[str, Path]:
    """Where the SPOC keeps things: the inbox (shared with the server), the register, the case folder."""
    (tmp_path / "register").mkdir()
    return {"inbox": tmp_path / "inbox", "register": tmp_path / "register" / "erewash.csv",
            "cases": tmp_path / "cases", "root": tmp_path}


def arrive(spoc: dict, keys, good_pdf: bytes, data: dict | None = None, council: str = "erewash",
           at: dt.datetime = LATE) -> str:
    """One submission as the receiver keeps it; its reference."""
    sent = json.dumps(data or answers(), indent=2).encode()
    return inbox_files.store(spoc["inbox"], read_recipient(keys[1]), council, at, sent, good_pdf)


def open_inbox(ctkit, spoc: dict, keys, *extra: str):
    return ctkit("case", "open", "--inbox", spoc["inbox"], "--identity", keys[0], "--council", "erewash",
                 "--register", spoc["register"], "--case-folder", spoc["cases"], *extra)


def rows(register: Path) -> list[dict]:
    with register.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_each_application_sent_online_is_opened_received_the_uk_day_it_arrived_under_its_reference(
        ctkit, spoc, keys, good_pdf, tmp_path):
    reference = arrive(spoc, keys, good_pdf)
    run = open_inbox(ctkit, spoc, keys, "--owner", "SO")
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [reference]
    assert reference.startswith("EREWASH-20261025-")
    [row] = rows(spoc["register"])
    assert (row["case_ref"], row["received_on"], row["owner"]) == (reference, "2026-10-25", "SO")
    assert "sent online on 25 October 2026 at 00:30" in run.stderr
    # Judged as ctkit validate judges the same answers received that day.
    filed = spoc["cases"] / reference / "application.json"
    saved = tmp_path / "saved.json"
    saved.write_text(json.dumps(answers()), encoding="utf-8")
    judged = json.loads(ctkit("validate", saved, filed, "--received", "2026-10-25", "--format", "json").stdout)
    keep = ("decision", "qualifying_complaints", "qualifying_incidents", "route", "summary", "guidance_version")
    assert {k: judged[0][k] for k in keep} == {k: judged[1][k] for k in keep}
    assert row["assessment"] == judged[0]["decision"] == "threshold_met"
    assert judged[0]["summary"] in run.stderr
    # The files are in the case folder, where the register says; the answers carry the two office answers.
    assert row["application"] == filed.as_posix()
    kept = json.loads(filed.read_text(encoding="utf-8"))
    assert kept == {**answers(), "received_on": "2026-10-25", "case_ref": reference}
    assert (spoc["cases"] / reference / "application.pdf").read_bytes() == good_pdf
    assert filed.stat().st_mode & 0o077 == 0
    # The inbox file is in done/, still encrypted; nothing is waiting.
    assert files_in(spoc["inbox"]) == [f"done/{reference}.age"]
    assert inbox_files.waiting(spoc["inbox"]) == []
    # The letters find the application without being told where it is.
    letter = tmp_path / "letters" / "ack.pdf"
    run = ctkit("case", "letter", reference, "acknowledgement", "--register", spoc["register"], "-o", letter)
    assert run.returncode == 0, run.stderr
    assert answers()["applicant"]["name"] in pdf_text(letter)


def test_nothing_decrypted_is_written_anywhere_but_the_case_folder(ctkit, spoc, keys, good_pdf):
    references = [arrive(spoc, keys, good_pdf, answers(applicant={**answers()["applicant"], "name": f"Pat {n}"}))
                  for n in ("One", "Two")]
    assert open_inbox(ctkit, spoc, keys).returncode == 0
    readable = []
    for path in spoc["root"].rglob("*"):
        if path.is_file() and spoc["cases"] not in path.parents:
            data = path.read_bytes()
            readable += [f"{path.name}: {w}" for w in PERSONAL + ("Pat One", "Pat Two") if w.encode() in data]
    assert readable == []
    assert sorted(p.name for p in spoc["cases"].iterdir()) == sorted(references)


def test_run_twice_it_opens_nothing_twice(ctkit, spoc, keys, good_pdf):
    reference = arrive(spoc, keys, good_pdf)
    assert open_inbox(ctkit, spoc, keys).returncode == 0
    register = spoc["register"].read_bytes()
    again = open_inbox(ctkit, spoc, keys)
    assert again.returncode == 0 and again.stdout == ""
    assert "nothing sent online is waiting" in again.stderr
    # A run that stopped after opening the case but before moving the file: the register knows the reference.
    done = spoc["inbox"] / "done" / f"{reference}.age"
    done.rename(spoc["inbox"] / done.name)
    again = open_inbox(ctkit, spoc, keys)
    assert again.returncode == 0, again.stderr
    assert f"{reference} is already in the register (a run stopped before moving it)" in again.stderr
    assert spoc["register"].read_bytes() == register
    assert files_in(spoc["inbox"]) == [f"done/{reference}.age"]


def test_the_same_application_sent_twice_online_is_one_case_and_the_second_reference_is_named(
        ctkit, spoc, keys, good_pdf):
    first = arrive(spoc, keys, good_pdf)
    second = arrive(spoc, keys, good_pdf, at=LATE + dt.timedelta(minutes=3))
    run = open_inbox(ctkit, spoc, keys)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [first]
    assert f"{second} has the same applicant, address and incidents as case {first}" in run.stderr
    assert f"the resident may quote {second} for it; moved to done/." in run.stderr
    assert [r["case_ref"] for r in rows(spoc["register"])] == [first]
    assert not (spoc["cases"] / second).exists()
    assert files_in(spoc["inbox"]) == sorted([f"done/{first}.age", f"done/{second}.age"])


def test_another_councils_or_an_unopenable_submission_is_one_sentence_left_in_place_and_the_batch_goes_on(
        ctkit, spoc, keys, good_pdf):
    other = arrive(spoc, keys, good_pdf, council="amber-valley")
    good = arrive(spoc, keys, good_pdf, at=LATE + dt.timedelta(minutes=1))
    stranger = make_key_pair(spoc["root"] / "other-keys")[1]
    foreign = inbox_files.store(spoc["inbox"], read_recipient(stranger), "erewash", LATE + dt.timedelta(minutes=2),
                                b"{}", good_pdf)
    (spoc["inbox"] / "cut.age").write_bytes(b"age-encryption.org/v1\n-> X25519 half a header")
    run = open_inbox(ctkit, spoc, keys)
    assert run.returncode == 1
    assert run.stdout.split() == [good]
    lines = [line for line in run.stderr.splitlines() if "left in the inbox" in line and "ctkit case open:" not in line]
    assert len(lines) == 3, run.stderr
    said = "\n".join(lines)
    assert f"{other}.age: is an application for Amber Valley Borough Council (amber-valley), not for Erewash Borough Council, so it is for that council's SPOC to open; it was left in the inbox" in said
    assert f"{foreign}.age: cannot be opened with this private key" in said
    assert "cut.age: cannot be opened with this private key" in said
    assert "Traceback" not in run.stderr and not any(w in run.stderr for w in PERSONAL)
    assert "1 opened, 0 already in the register, 3 left in the inbox" in run.stderr
    assert sorted(p.name for p in inbox_files.waiting(spoc["inbox"])) == sorted(
        [f"{other}.age", f"{foreign}.age", "cut.age"])


@pytest.mark.parametrize("args, words", [
    (["--inbox", "IN", "--council", "erewash"], "need --identity KEY, --case-folder DIR"),
    (["--inbox", "IN", "--identity", "KEY", "--council", "erewash"], "need --case-folder DIR"),
    (["APP", "--inbox", "IN", "--identity", "KEY", "--case-folder", "CASES", "--council", "erewash"],
     "leave out FILE, --received and --ref"),
    (["--inbox", "IN", "--identity", "KEY", "--case-folder", "IN/cases", "--council", "erewash"],
     "inside the inbox"),
    (["--inbox", "IN", "--identity", "PUB", "--case-folder", "CASES", "--council", "erewash"],
     "is not an age private key"),
    (["--inbox", "NOWHERE", "--identity", "KEY", "--case-folder", "CASES", "--council", "erewash"], "is not a folder"),
    (["--inbox", "IN", "--identity", "KEY", "--case-folder", "CASES", "--council", "derbyshire"],
     "takes no applications"),
    (["--council", "erewash"], "needs FILE, the application to open, or --inbox DIR --identity KEY"),
])
def test_a_usage_mistake_is_one_sentence_and_opens_nothing(ctkit, spoc, keys, good_pdf, args, words):
    arrive(spoc, keys, good_pdf)
    names = {"IN": spoc["inbox"], "KEY": keys[0], "PUB": keys[1], "CASES": spoc["cases"], "APP": spoc["root"] / "a.json",
             "IN/cases": spoc["inbox"] / "cases", "NOWHERE": spoc["root"] / "nowhere"}
    run = ctkit("case", "open", *[str(names.get(a, a)) for a in args], "--register", spoc["register"])
    assert run.returncode == 2, run.stderr
    assert words in run.stderr and "Traceback" not in run.stderr
    assert not spoc["register"].exists() and len(inbox_files.waiting(spoc["inbox"])) == 1
