"""The real receiver on a free port (in a thread, or as `ctkit receive` in its own process), and a client.

The client writes multipart bodies by hand, so a test can send exactly the broken body it means to
(a library would refuse to). Everything goes to 127.0.0.1 only.
"""
from __future__ import annotations

import contextlib
import copy
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import uvicorn

from casework_helpers import APPLICATION
from generator.receiving.server import Receiver, build_app

ROOT = Path(__file__).resolve().parent.parent

#: What the online form sends: the canonical answers (three incidents, threshold met), with no date received:
#: the receiver records the arrival.
ANSWERS = {key: value for key, value in APPLICATION.items() if key != "received_on"}
#: Words from ANSWERS that must never appear in an answer, a log line, an email or an inbox file as stored.
PERSONAL = tuple(dict.fromkeys([ANSWERS["applicant"]["name"], ANSWERS["applicant"]["address"].splitlines()[0],
                                ANSWERS["applicant"]["postcode"], ANSWERS["applicant"]["phone"]]
                               + [incident["description"] for incident in ANSWERS["incidents"]]))


def answers(**changes) -> dict:
    data = copy.deepcopy(ANSWERS)
    data.update(changes)
    return data


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def multipart(parts: list[tuple[str, str | None, str, bytes]]) -> tuple[bytes, str]:
    """(body, content type) of multipart/form-data made of (name, file name, content type, bytes) parts."""
    boundary = f"ctkit-test-{uuid.uuid4().hex}"
    out = bytearray()
    for name, filename, kind, data in parts:
        out += f"--{boundary}\r\n".encode()
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"Content-Disposition: {disposition}\r\nContent-Type: {kind}\r\n\r\n".encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def submission(json_bytes: bytes | None, pdf_bytes: bytes | None, extra=()) -> tuple[bytes, str]:
    parts = []
    if json_bytes is not None:
        parts.append(("application.json", "application.json", "application/json", json_bytes))
    if pdf_bytes is not None:
        parts.append(("application.pdf", "application.pdf", "application/pdf", pdf_bytes))
    return multipart(parts + list(extra))


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def json(self):
        return json.loads(self.body)


def request(base: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 60) -> Answer:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        reply = conn.getresponse()
        return Answer(reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read())
    finally:
        conn.close()


def post(base: str, body: bytes, content_type: str, headers: dict | None = None) -> Answer:
    return request(base, "POST", "/applications", body, {"Content-Type": content_type, **(headers or {})})


@contextlib.contextmanager
def receiver_thread(receiver: Receiver):
    """The receiver under uvicorn in a thread of this process; yields its base address."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(build_app(receiver), host="127.0.0.1", port=port, access_log=False,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the receiver did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def start_process(root: Path, council: str, inbox: Path, public_key: Path, env: dict | None = None,
                  port: int | None = None) -> tuple[subprocess.Popen, str]:
    """`ctkit receive` in a new process, as a council runs it (on `port`, else a free one); waits until it
    answers /health."""
    port = port or free_port()
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    environment.pop("CTKIT_DEBUG", None)
    proc = subprocess.Popen([sys.executable, "-m", "generator.cli", "--root", str(root), "receive",
                             "--council", council, "--inbox", str(inbox), "--recipient", str(public_key),
                             "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("ctkit receive stopped: " + proc.stderr.read().decode())
        with contextlib.suppress(OSError):
            if request(base, "GET", "/health", timeout=5).status == 200:
                return proc, base
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("ctkit receive did not answer within two minutes")


def stop_process(proc: subprocess.Popen) -> tuple[str, str]:
    """Stop it as systemd would (SIGTERM), and return what it printed."""
    if proc.poll() is None:
        proc.terminate()
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return out.decode(), err.decode()


def files_in(folder: Path) -> list[str]:
    """Every file anywhere under `folder` (hidden ones too), relative to it."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
