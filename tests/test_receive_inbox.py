"""The SPOC's key pair, the receiver's refusals to start, and the inbox as the SPOC's computer reads it."""
from __future__ import annotations

import datetime as dt
import json
import re
import stat

import pyrage
import pytest

from generator.receiving import inbox
from generator.receiving.keys import read_identity, read_recipient

NOON = dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def pair(ctkit, tmp_path):
    run = ctkit("receive", "--keygen", tmp_path / "keys")
    assert run.returncode == 0, run.stderr
    return tmp_path / "keys" / "ctkit-spoc.key", tmp_path / "keys" / "ctkit-spoc.pub"


def test_keygen_makes_a_private_key_only_its_owner_can_read_and_a_public_key(pair, ctkit):
    private, public = pair
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(private.parent.stat().st_mode) == 0o700
    assert re.fullmatch(r"age1[0-9a-z]{58}\n", public.read_text())
    assert f"# public key: {public.read_text().strip()}" in private.read_text()
    sealed = pyrage.encrypt(b"a test", [read_recipient(public)])
    assert pyrage.decrypt(sealed, [read_identity(private)]) == b"a test"


def test_keygen_never_replaces_a_key_pair(pair, ctkit):
    before = pair[0].read_bytes()
    run = ctkit("receive", "--keygen", pair[0].parent)
    assert run.returncode == 1 and "already exists" in run.stderr and "Traceback" not in run.stderr
    assert pair[0].read_bytes() == before


@pytest.mark.parametrize("args, status, words", [
    (["--council", "erewash", "--inbox", "IN"], 2, "the receiver needs --recipient"),
    (["--council", "nowhere", "--inbox", "IN", "--recipient", "PUB"], 2, "there is no council 'nowhere'"),
    (["--council", "derbyshire", "--inbox", "IN", "--recipient", "PUB"], 2, "takes no applications"),
    (["--council", "erewash", "--inbox", "IN", "--recipient", "KEY"], 2, "is a private key"),
    (["--council", "erewash", "--inbox", "IN", "--recipient", "NOTAKEY"], 2, "is not an age public key"),
    (["--council", "erewash", "--inbox", "BLOCKED", "--recipient", "PUB"], 1, "cannot be written"),
    (["--council", "erewash", "--inbox", "SOURCES", "--recipient", "PUB"], 2, "inside the project's sources"),
    (["--keygen", "K", "--council", "erewash"], 2, "--keygen makes a key pair and nothing else"),
])
def test_the_receiver_refuses_to_start_with_one_sentence(ctkit, pair, tmp_path, root, args, status, words):
    (tmp_path / "blocked").write_text("a file, not a folder")
    (tmp_path / "notakey.pub").write_text("hello\n")
    names = {"IN": tmp_path / "inbox", "PUB": pair[1], "KEY": pair[0], "NOTAKEY": tmp_path / "notakey.pub",
             "BLOCKED": tmp_path / "blocked", "SOURCES": root / "guidance" / "inbox", "K": tmp_path / "k"}
    run = ctkit("receive", *[str(names.get(a, a)) for a in args])
    assert run.returncode == status, run.stderr
    assert words in run.stderr and "Traceback" not in run.stderr
    assert not (root / "guidance" / "inbox").exists()


def test_every_councils_reference_fits_the_case_register(guidance, root):
    pattern = json.loads((root / "schemas" / "register.schema.json").read_text())["properties"]["case_ref"]["pattern"]
    for council in guidance.councils:
        reference = inbox.new_reference(council, NOON)
        assert re.fullmatch(pattern, reference) and len(reference) <= 40, reference
        assert reference.startswith(f"{council.upper()}-20261102-")


@pytest.mark.parametrize("arrived, day", [
    (dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.timezone.utc), dt.date(2026, 7, 1)),     # 00:30 in summer time
    (dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.timezone.utc), dt.date(2026, 12, 31)),  # 23:30 in winter
])
def test_an_application_arriving_near_midnight_is_received_on_the_uk_day(pair, tmp_path, arrived, day):
    reference = inbox.store(tmp_path / "in", read_recipient(pair[1]), "erewash", arrived, b"{}", b"%PDF-")
    assert reference.startswith(f"EREWASH-{day:%Y%m%d}-")
    arrival = inbox.open_arrival(inbox.waiting(tmp_path / "in")[0], read_identity(pair[0]))
    assert arrival.received_on == day and arrival.received_at == arrived
    assert (arrival.reference, arrival.application_json, arrival.application_pdf) == (reference, b"{}", b"%PDF-")


def test_the_answers_carry_the_day_it_arrived_and_its_reference_whatever_the_sender_wrote(pair, tmp_path):
    sent = json.dumps({"form": "application", "received_on": "2020-01-01", "case_ref": "MINE-1"}).encode()
    reference = inbox.store(tmp_path / "in", read_recipient(pair[1]), "erewash", NOON, sent, b"%PDF-")
    answers = inbox.open_arrival(inbox.waiting(tmp_path / "in")[0], read_identity(pair[0])).answers()
    assert answers.error is None
    assert answers.data == {"form": "application", "received_on": "2026-11-02", "case_ref": reference}


def test_a_handled_submission_moves_to_done_and_is_not_waiting_any_more(pair, tmp_path):
    folder = tmp_path / "in"
    refs = [inbox.store(folder, read_recipient(pair[1]), "erewash", NOON + dt.timedelta(minutes=m), b"{}", b"%PDF-")
            for m in range(3)]
    waiting = inbox.waiting(folder)
    assert sorted(p.stem for p in waiting) == sorted(refs)
    moved = inbox.move_to_done(waiting[0])
    assert moved == folder / "done" / waiting[0].name and moved.is_file()
    assert [p.stem for p in inbox.waiting(folder)] == [p.stem for p in waiting[1:]]


def test_a_damaged_or_foreign_inbox_file_is_one_sentence(pair, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cut.age").write_bytes(b"age-encryption.org/v1\n-> X25519 half a header")
    (folder / "other.age").write_bytes(pyrage.encrypt(b'{"kind": "something else"}', [read_recipient(pair[1])]))
    problems = {p.name: inbox.open_arrival(p, read_identity(pair[0])) for p in inbox.waiting(folder)}
    assert "cannot be opened with this private key" in problems["cut.age"].message
    assert "does not hold an application from ctkit receive" in problems["other.age"].message


def test_a_write_never_replaces_a_file_and_leaves_no_piece(tmp_path):
    folder = tmp_path / "in"
    inbox.write_atomically(folder, "X.age", b"first")
    with pytest.raises(FileExistsError):
        inbox.write_atomically(folder, "X.age", b"second")
    assert (folder / "X.age").read_bytes() == b"first"
    assert list((folder / ".incoming").iterdir()) == []


def test_pieces_a_stopped_receiver_left_are_swept_away(tmp_path):
    folder = tmp_path / "in"
    inbox.make_folders(folder)
    (folder / ".incoming" / "A.age.1234.part").write_bytes(b"half")
    assert inbox.sweep_incoming(folder) == 1
    assert list((folder / ".incoming").iterdir()) == [] and inbox.waiting(folder) == []
