"""The receiver a council runs, started for real on a free port: what it keeps, what it refuses, and how.

Each hostile submission gets its status and one sentence, the receiver goes on serving, and the
inbox holds nothing of it (not even a piece). The good one is kept once, encrypted: not readable
without the SPOC's private key, and the same bytes with it.
"""
from __future__ import annotations

import json
import re
import signal
import threading
import time
from pathlib import Path

import pytest
from pyrage import x25519

from generator.receiving import inbox as inbox_files
from generator.receiving.contract import MAX_BODY_BYTES, REFUSALS
from generator.receiving.keys import make_key_pair, read_identity, read_recipient
from generator.receiving.server import Receiver, Settings
from generator.render.fill import fill_form_pdf
from receiving_helpers import (PERSONAL, answers, files_in, multipart, post, receiver_thread, request,
                               start_process, stop_process, submission)

SITE = "https://www.erewash.gov.uk"   # the origin of Erewash's site.url


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> tuple[Path, Path]:
    return make_key_pair(tmp_path_factory.mktemp("spoc"))


@pytest.fixture(scope="module")
def good_pdf(guidance) -> bytes:
    return fill_form_pdf(guidance.forms["application"], answers(), guidance, guidance.council("erewash"))


@pytest.fixture(scope="module")
def good_json() -> bytes:
    return json.dumps(answers(), indent=2).encode()


@pytest.fixture
def inbox(tmp_path) -> Path:
    return tmp_path / "inbox"


@pytest.fixture
def receiver(guidance, keys, inbox):
    """A fresh receiver (its own inbox and rate limit) in a thread; its base address."""
    settings = Settings(per_client=1000)
    with receiver_thread(Receiver(guidance, guidance.council("erewash"), inbox, read_recipient(keys[1]),
                                  settings)) as base:
        yield base


def _refused(answer, status: int, code: str) -> str:
    assert answer.status == status, answer.body
    assert answer.headers["content-type"] == "application/json"
    assert set(answer.json) == {"error", "code"} and answer.json["code"] == code
    sentence = answer.json["error"]
    assert sentence.startswith(REFUSALS[code][1].split("{")[0])
    assert sentence.endswith(".") and sentence.count(". ") == 0, sentence   # one sentence
    assert not any(word in answer.body.decode() for word in PERSONAL)
    return sentence


def _still_serving(base: str, inbox: Path, good_json: bytes, good_pdf: bytes) -> None:
    """Nothing of the refused submission is in the inbox, and the next good one is taken."""
    assert (files_in(inbox) if inbox.exists() else []) == []
    assert request(base, "GET", "/health").status == 200
    answer = post(base, *submission(good_json, good_pdf))
    assert answer.status == 201, answer.body
    assert [p.name for p in inbox_files.waiting(inbox)] == [f"{answer.json['reference']}.age"]


def test_a_good_submission_gets_a_reference_and_is_kept_once_encrypted(receiver, inbox, keys, good_json, good_pdf):
    before = time.time()
    answer = post(receiver, *submission(good_json, good_pdf))
    assert answer.status == 201 and set(answer.json) == {"reference"}
    reference = answer.json["reference"]
    assert re.fullmatch(r"EREWASH-\d{8}-[0-9A-HJKMNP-TV-Z]{8}", reference)
    assert answer.headers["cache-control"] == "no-store"
    stored = inbox_files.waiting(inbox)
    assert [p.name for p in stored] == [f"{reference}.age"]
    assert files_in(inbox) == [f"{reference}.age"]          # nothing else: no piece, no plain copy
    raw = stored[0].read_bytes()
    assert raw.startswith(b"age-encryption.org/v1\n")
    assert b"%PDF" not in raw and not any(word.encode() in raw for word in PERSONAL)
    assert stored[0].stat().st_mode & 0o077 == 0            # the receiver's user only
    wrong = inbox_files.open_arrival(stored[0], x25519.Identity.generate())
    assert "cannot be opened with this private key" in wrong.message
    arrival = inbox_files.open_arrival(stored[0], read_identity(keys[0]))
    assert arrival.application_json == good_json and arrival.application_pdf == good_pdf
    assert arrival.reference == reference and arrival.council == "erewash"
    assert arrival.received_at.tzinfo is not None and before - 1 <= arrival.received_at.timestamp() <= time.time()
    assert str(arrival.received_at.tzinfo) == "Europe/London"
    assert reference.split("-")[1] == f"{arrival.received_on:%Y%m%d}"


def test_references_cannot_be_worked_out_from_one_another(receiver, good_json, good_pdf):
    references = [post(receiver, *submission(good_json, good_pdf)).json["reference"] for _ in range(3)]
    tails = [r.rsplit("-", 1)[1] for r in references]
    assert len(set(tails)) == 3
    assert all(sum(a == b for a, b in zip(x, y)) < 6 for x, y in zip(tails, tails[1:]))


def test_ten_megabytes_over_the_limit_is_refused_with_413(receiver, inbox, good_json, good_pdf):
    body, kind = submission(good_json, good_pdf + b"\0" * (MAX_BODY_BYTES + 10_000_000))
    sentence = _refused(post(receiver, body, kind), 413, "too_large")
    assert "10 MB" in sentence
    _still_serving(receiver, inbox, good_json, good_pdf)


def test_a_body_sent_in_chunks_past_the_limit_is_refused_without_being_kept(receiver, inbox, good_json, good_pdf):
    body, kind = submission(good_json, good_pdf + b"\0" * (MAX_BODY_BYTES + 1_000_000))
    chunks = (body[i:i + 1_000_000] for i in range(0, len(body), 1_000_000))   # no Content-Length
    _refused(post(receiver, chunks, kind), 413, "too_large")
    _still_serving(receiver, inbox, good_json, good_pdf)


@pytest.mark.parametrize("which", ["application.json", "application.pdf"])
def test_a_missing_part_is_named(receiver, inbox, good_json, good_pdf, which):
    body, kind = submission(None if which == "application.json" else good_json,
                            None if which == "application.pdf" else good_pdf)
    sentence = _refused(post(receiver, body, kind), 400, "missing_part")
    assert f"The part {which} is missing" in sentence
    _still_serving(receiver, inbox, good_json, good_pdf)


@pytest.mark.parametrize("bad_json, words", [
    (b'{"form": "application", "basis": ', "not valid JSON"),
    (b"\xff\xfe not text", "not text"),
    (b'{"form": "application", "form": "application"}', "given twice"),
    (b'{"form": "application", "basis": NaN}', "not valid JSON"),
])
def test_json_that_cannot_be_read_is_refused(receiver, inbox, good_json, good_pdf, bad_json, words):
    sentence = _refused(post(receiver, *submission(bad_json, good_pdf)), 400, "not_json")
    assert words in sentence
    _still_serving(receiver, inbox, good_json, good_pdf)


@pytest.mark.parametrize("bomb", [
    b"[" * 200_000 + b"]" * 200_000,                                   # nesting far past any form
    b'{"incidents": ' + b"[" * 40 + b"]" * 40 + b"}",                  # deep, but within Python's reach
    b'{"form": "application", "basis": ' + b"9" * 500_000 + b"}",       # a number of half a million digits
    b'{"form": "application", "basis": 1e999999}',                     # a number too big to hold
    b'{"form": "application", "applicant": {' + b",".join(b'"k%d": 1' % i for i in range(100_000)) + b"}}",
], ids=["deep", "deep-within-reach", "huge-integer", "huge-float", "many-keys"])
def test_a_json_bomb_is_refused_and_the_receiver_keeps_serving(receiver, inbox, good_json, good_pdf, bomb):
    answer = post(receiver, *submission(bomb, good_pdf))
    assert answer.status == 400 and answer.json["code"] in ("not_json", "not_valid"), answer.body
    _refused(answer, 400, answer.json["code"])
    _still_serving(receiver, inbox, good_json, good_pdf)


@pytest.mark.parametrize("change, where", [
    ({"basis": "neighbour"}, "basis"),
    ({"incidents": []}, "incidents"),
    ({"surprise": "an unknown answer"}, "an answer the form does not ask for"),
    ({"applicant": {"name": "Pat Example"}}, "applicant"),
])
def test_answers_that_do_not_match_the_form_are_refused_naming_where(receiver, inbox, good_json, good_pdf,
                                                                      change, where):
    sentence = _refused(post(receiver, *submission(json.dumps(answers(**change)).encode(), good_pdf)),
                        400, "not_valid")
    assert where in sentence
    _still_serving(receiver, inbox, good_json, good_pdf)


def test_a_pdf_that_is_not_the_application_form_is_refused(receiver, inbox, guidance, good_json, good_pdf):
    consent = fill_form_pdf(guidance.forms["consent"], {}, guidance)
    for pdf in (consent, b"%PDF-1.7\n%%EOF\n", b"MZ\x90\x00 a program, not a PDF", good_pdf[: len(good_pdf) // 2]):
        _refused(post(receiver, *submission(good_json, pdf)), 400, "not_the_form")
    _still_serving(receiver, inbox, good_json, good_pdf)


@pytest.mark.parametrize("kind", ["application/json", "text/plain", "application/x-www-form-urlencoded",
                                  "multipart/form-data", "multipart/mixed; boundary=x"])
def test_a_body_of_the_wrong_content_type_is_refused_with_415(receiver, inbox, good_json, good_pdf, kind):
    _refused(post(receiver, good_json, kind), 415, "not_multipart")
    _still_serving(receiver, inbox, good_json, good_pdf)


def test_a_broken_multipart_body_is_refused(receiver, inbox, good_json, good_pdf):
    body, kind = submission(good_json, good_pdf)
    _refused(post(receiver, body[: len(body) // 2], kind), 400, "unreadable_body")   # cut short
    twice, kind = multipart([("application.json", "application.json", "application/json", good_json)] * 2
                            + [("application.pdf", "application.pdf", "application/pdf", good_pdf)])
    _refused(post(receiver, twice, kind), 400, "unreadable_body")                     # which one was meant?
    _still_serving(receiver, inbox, good_json, good_pdf)


def test_a_filled_honeypot_is_refused(receiver, inbox, good_json, good_pdf):
    body, kind = submission(good_json, good_pdf, [("leave_blank", None, "text/plain", b"http://spam.example")])
    _refused(post(receiver, body, kind), 400, "honeypot")
    body, kind = submission(good_json, good_pdf, [("leave_blank", None, "text/plain", b"")])
    assert post(receiver, body, kind).status == 201       # left empty, as the form leaves it


def test_only_the_councils_own_site_may_send_from_a_browser(receiver, inbox, good_json, good_pdf):
    body, kind = submission(good_json, good_pdf)
    _refused(post(receiver, body, kind, {"Origin": "https://elsewhere.example"}), 403, "wrong_origin")
    _refused(post(receiver, body, kind, {"Origin": "null"}), 403, "wrong_origin")
    preflight = request(receiver, "OPTIONS", "/applications", headers={
        "Origin": SITE, "Access-Control-Request-Method": "POST"})
    assert preflight.status == 204 and preflight.headers["access-control-allow-origin"] == SITE
    answer = post(receiver, body, kind, {"Origin": SITE})
    assert answer.status == 201 and answer.headers["access-control-allow-origin"] == SITE
    assert "access-control-allow-origin" not in post(receiver, body, kind, {"Origin": "https://x.example"}).headers


def test_other_addresses_and_methods_answer_in_json(receiver):
    _refused(request(receiver, "GET", "/"), 404, "not_found")
    _refused(request(receiver, "GET", "/applications"), 405, "wrong_method")
    assert request(receiver, "GET", "/health").json == {"status": "ok"}


def test_an_inbox_that_cannot_be_written_gives_503_and_no_reference(guidance, keys, tmp_path, good_json, good_pdf):
    blocked = tmp_path / "inbox"
    receiver = Receiver(guidance, guidance.council("erewash"), blocked, read_recipient(keys[1]), Settings())
    with receiver_thread(receiver) as base:
        blocked.write_text("a file where the inbox folder should be")
        _refused(post(base, *submission(good_json, good_pdf)), 503, "inbox_unavailable")
        _refused(request(base, "GET", "/health"), 503, "inbox_unavailable")


# -- the receiver as a council runs it: `ctkit receive`, in its own process (slow: the point is the process) -----

@pytest.mark.slow
def test_two_hundred_requests_in_a_minute_from_one_client_are_slowed_down(root, keys, inbox, good_json, good_pdf):
    proc, base = start_process(root, "erewash", inbox, keys[1])
    try:
        body, kind = submission(b"{}", b"%PDF-")   # a bot's rubbish: refused, and counted
        started = time.monotonic()
        answers_seen = [post(base, body, kind) for _ in range(200)]
        assert time.monotonic() - started < 60
        statuses = [a.status for a in answers_seen]
        assert statuses[:20] == [400] * 20 and statuses[20:] == [429] * 180
        sentence = _refused(answers_seen[-1], 429, "too_many")
        assert "try again in 60 minutes" in sentence
        assert 3000 < int(answers_seen[-1].headers["retry-after"]) <= 3600
        assert request(base, "GET", "/health").status == 200      # still serving
        assert files_in(inbox) == []
    finally:
        out, err = stop_process(proc)
    assert "Traceback" not in err
    assert err.count("refused a submission: too_many (429)") == 180


@pytest.mark.slow
def test_the_receivers_log_holds_no_personal_data_and_no_client_address(root, keys, inbox, good_json, good_pdf):
    proc, base = start_process(root, "erewash", inbox, keys[1])
    try:
        reference = post(base, *submission(good_json, good_pdf)).json["reference"]
        post(base, *submission(json.dumps(answers(basis=PERSONAL[0])).encode(), good_pdf))
    finally:
        out, err = stop_process(proc)
    log = out + err
    assert f"received an application: {reference}" in log and "refused a submission: not_valid (400)" in log
    assert not any(word in log for word in PERSONAL)
    assert not re.search(r"127\.0\.0\.1:\d+ -", log) and "POST /applications" not in log   # no access log


@pytest.mark.slow
def test_a_receiver_killed_while_writing_leaves_no_partial_file(root, keys, inbox, good_json, good_pdf):
    """kill -9 in the middle of a write (slowed by the documented test hook): nothing half-written is left."""
    proc, base = start_process(root, "erewash", inbox, keys[1], env={"CTKIT_RECEIVE_TEST_WRITE_PAUSE": "0.5"})
    sent = threading.Thread(target=lambda: _ignore_errors(post, base, *submission(good_json, good_pdf)), daemon=True)
    sent.start()
    deadline = time.monotonic() + 60
    while not list((inbox / ".incoming").glob("*.part")):
        assert time.monotonic() < deadline, "the write never started"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    sent.join(timeout=30)
    assert inbox_files.waiting(inbox) == []                       # nothing for the SPOC to trip over
    assert [f for f in files_in(inbox) if not f.startswith(".incoming/")] == []
    proc, base = start_process(root, "erewash", inbox, keys[1])    # as systemd restarts it
    try:
        assert files_in(inbox) == []                               # the piece is gone
        assert post(base, *submission(good_json, good_pdf)).status == 201
    finally:
        out, err = stop_process(proc)
    assert "removed 1 half-written piece(s)" in err


def _ignore_errors(call, *args):
    try:
        call(*args)
    except OSError:
        pass
