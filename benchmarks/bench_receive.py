"""Benchmark: the receiver taking 50 submissions at once, against a bare uvicorn app that writes the same bytes.

    .venv/bin/python benchmarks/bench_receive.py [--concurrent 50] [--rounds 3]

Starts two servers on 127.0.0.1, each under uvicorn in its own process:
  1. the kit's receiver (`generator.receiving.server.build_app`, the app `ctkit receive` serves), with a rate
     limit high enough for one client to send the whole load, and
  2. a bare ASGI app that reads the body and writes it, unencrypted and unchecked, to a file (fsync'd, as
     the receiver's writes are), answering a reference;
then, in each round, sends `--concurrent` submissions to each at the same moment (one thread each) and
times until the last answer. It prints submissions per second for both and the ratio, which is the price
of checking the JSON and the PDF and of encrypting, then where one submission's time goes, step by step.
It fails (exit 1) if any submission is lost: every one must get 201 and be in the inbox once, and decrypt
to exactly the bytes that were sent.
The load goes to 127.0.0.1 only, bounded in count (rounds x concurrent x 2) and in time (each request
gives up after 120 s, the whole run after 15 minutes).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyrage
import uvicorn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from generator.judge.pdf_reader import identify_form  # noqa: E402
from generator.project import load_project  # noqa: E402
from generator.receiving import inbox as inbox_files  # noqa: E402
from generator.receiving.checking import check_answers, multipart_boundary, split_parts  # noqa: E402
from generator.receiving.contract import JSON_PART, PDF_PART  # noqa: E402
from generator.receiving.keys import make_key_pair, read_identity, read_recipient  # noqa: E402
from generator.receiving.server import Receiver, Settings, build_app  # noqa: E402
from generator.render.fill import fill_form_pdf  # noqa: E402
from receiving_helpers import ANSWERS, submission  # noqa: E402

REQUEST_TIMEOUT = 120
RUN_DEADLINE = 15 * 60


def bare_app(folder: Path):
    """The baseline: take the body, write it as it came, answer a reference. No checks, no encryption."""
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        body = bytearray()
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        path = folder / f"{secrets.token_hex(8)}.bin"
        with open(path, "wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        answer = json.dumps({"reference": path.stem}).encode()
        await send({"type": "http.response.start", "status": 201,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": answer})
    return app


def serve(kind: str, port: int, inbox: Path, public_key: Path) -> None:
    """Run one server in this process until it is stopped (the parent starts two of these)."""
    if kind == "kit":
        guidance = load_project(ROOT).require()
        settings = Settings(per_client=100_000, in_flight=1000)
        app = build_app(Receiver(guidance, guidance.council("erewash"), inbox, read_recipient(public_key), settings))
    else:
        inbox.mkdir(parents=True, exist_ok=True)
        app = bare_app(inbox)
    uvicorn.run(app, host="127.0.0.1", port=port, access_log=False, log_level="warning")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(kind: str, inbox: Path, public_key: Path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--serve", kind, "--port", str(port), "--inbox", str(inbox),
                             "--public-key", str(public_key)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the {kind} server did not start")
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def post(port: int, body: bytes, content_type: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("POST", "/applications", body=body, headers={"Content-Type": content_type})
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        conn.close()


def burst(port: int, body: bytes, content_type: str, count: int) -> tuple[float, list[tuple[int, bytes]]]:
    """`count` submissions released at the same moment; (seconds until the last answer, the answers)."""
    answers: list = [None] * count
    gate = threading.Barrier(count + 1)

    def one(i: int) -> None:
        gate.wait()
        try:
            answers[i] = post(port, body, content_type)
        except OSError as exc:
            answers[i] = (0, str(exc).encode())

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    gate.wait()
    started = time.perf_counter()
    for t in threads:
        t.join(timeout=REQUEST_TIMEOUT + 10)
    return time.perf_counter() - started, answers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrent", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", choices=["kit", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--inbox", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--public-key", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.inbox, args.public_key)
        return 0
    if not 1 <= args.concurrent <= 200 or not 1 <= args.rounds <= 10:
        raise SystemExit("keep the load bounded: --concurrent 1..200, --rounds 1..10")
    started = time.monotonic()
    guidance = load_project(ROOT).require()
    json_bytes = json.dumps(ANSWERS, indent=2).encode()
    pdf_bytes = fill_form_pdf(guidance.forms["application"], ANSWERS, guidance, guidance.council("erewash"))
    body, content_type = submission(json_bytes, pdf_bytes)
    print(f"each submission: {len(body) / 1000:.0f} KB ({len(json_bytes)} bytes of JSON, a filled PDF of "
          f"{len(pdf_bytes) / 1000:.0f} KB); {args.concurrent} at once, {args.rounds} rounds, to 127.0.0.1 only")
    lost = 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        private, public = make_key_pair(tmp / "keys")
        timings: dict[str, list[float]] = {"bare": [], "kit": []}
        for kind in ("bare", "kit"):
            inbox = tmp / f"inbox-{kind}"
            with server(kind, inbox, public) as port:
                post(port, body, content_type)   # warm up: the first request loads what the rest share
                for _ in range(args.rounds):
                    if time.monotonic() - started > RUN_DEADLINE:
                        raise SystemExit("the benchmark ran past its time limit")
                    seconds, answers = burst(port, body, content_type, args.concurrent)
                    failed = [a for a in answers if a is None or a[0] != 201]
                    lost += len(failed)
                    if failed:
                        print(f"  {kind}: {len(failed)} of {args.concurrent} not taken, e.g. {failed[0]!r:.200}")
                    timings[kind].append(seconds)
            if kind == "kit":
                lost += _lost_in_inbox(inbox, read_identity(private), json_bytes, pdf_bytes,
                                       args.rounds * args.concurrent + 1)
        bare, kit = min(timings["bare"]), min(timings["kit"])
        per_s = {k: args.concurrent / min(v) for k, v in timings.items()}
        print(f"bare uvicorn app, writing the bytes unencrypted: best round {bare:.2f} s = {per_s['bare']:.1f} "
              f"submissions/s (rounds: {', '.join(f'{t:.2f}' for t in timings['bare'])} s)")
        print(f"ctkit receiver, checking and encrypting:         best round {kit:.2f} s = {per_s['kit']:.1f} "
              f"submissions/s (rounds: {', '.join(f'{t:.2f}' for t in timings['kit'])} s)")
        print(f"ratio receiver / bare (submissions per second): {per_s['kit'] / per_s['bare']:.2f}")
        steps(guidance, body, content_type, public)
    print(f"lost: {lost}")
    return 1 if lost else 0


def steps(guidance, body: bytes, content_type: str, public_key: Path, repeat: int = 10) -> None:
    """Where one submission's time goes, each step timed alone in this process."""
    boundary = multipart_boundary(content_type)
    parts = split_parts(body, boundary)
    json_bytes, pdf_bytes = bytes(parts[JSON_PART].data), bytes(parts[PDF_PART].data)
    recipient = read_recipient(public_key)
    arrived = dt.datetime.now(dt.timezone.utc)
    timed = {
        "read the multipart body": lambda: split_parts(body, boundary),
        "read and hold the JSON to the schema": lambda: check_answers(json_bytes, guidance),
        "identify the PDF (pypdf, as ctkit validate)": lambda: identify_form(pdf_bytes, guidance.forms),
        "seal and encrypt": lambda: pyrage.encrypt(inbox_files.seal("R", "erewash", arrived, json_bytes, pdf_bytes),
                                                   [recipient]),
    }
    for name, step in timed.items():
        step()
        started = time.perf_counter()
        for _ in range(repeat):
            step()
        print(f"  one submission, {name}: {(time.perf_counter() - started) / repeat * 1000:.1f} ms")


def _lost_in_inbox(inbox: Path, identity, json_bytes: bytes, pdf_bytes: bytes, expected: int) -> int:
    """How many of the `expected` submissions are not in the inbox, once, decrypting to what was sent."""
    good = 0
    for path in inbox_files.waiting(inbox):
        arrival = inbox_files.open_arrival(path, identity)
        good += isinstance(arrival, inbox_files.Arrival) and arrival.application_pdf == pdf_bytes \
            and arrival.application_json == json_bytes
    print(f"inbox: {good} of {expected} submissions kept, each decrypting to the bytes sent")
    return expected - good


if __name__ == "__main__":
    sys.exit(main())
