"""The receiver a council runs (`ctkit receive`): a small Starlette app under uvicorn.

`POST /applications` takes one submission (README, "Sending applications online"): the origin,
the client's rate, the kind of body and its size are checked before anything is parsed; the body
is held in memory only (never spooled to disk, where it would lie unencrypted), then checked
(`checking`), encrypted to the SPOC and written to the inbox (`inbox.store`). Every answer is
JSON: `{"reference": …}` with 201, or `{"error": sentence, "code": …}`. Nothing a resident
sent is echoed or logged, and neither is their address; the log says only what was received
(by reference) or refused (by code).
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from pyrage import x25519
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..model import Council, Guidance
from ..templating import process_names
from .checking import check_body, multipart_boundary
from .contract import APPLICATIONS_PATH, HEALTH_PATH, MAX_BODY_BYTES, Refusal, refusal
from .inbox import make_folders, store
from .notice import send_notice

log = logging.getLogger("ctkit.receive")

#: A body declared or found larger than the limit is read on and thrown away up to this much, so that
#: the sender, still sending, gets the 413 answer instead of a broken connection; past it, the line is cut.
DRAIN_BYTES = 4 * MAX_BODY_BYTES
#: Headers every answer carries: never cached (a reference is for one person), never sniffed as a page.
PLAIN_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


@dataclass(frozen=True)
class Settings:
    """How much the receiver takes. The defaults suit a council; tests and benchmarks set their own."""

    per_client: int = 20             # submissions (good or bad) one client may send in `window_seconds`
    window_seconds: float = 3600.0
    in_flight: int = 64              # bodies being received at once; more are told the service is busy
    checking_at_once: int = 4        # submissions checked and encrypted at once (it is CPU work)
    write_pause: float = 0.0         # test hook only: seconds between 64 KB pieces of each write


@dataclass(frozen=True)
class Receiver:
    """What one receiver serves: whose applications, where they go, and to whose key."""

    guidance: Guidance
    council: Council
    inbox: Path
    recipient: x25519.Recipient
    settings: Settings = Settings()


class RateLimit:
    """At most `limit` requests from one client in any `window` seconds; kept in memory only."""

    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self.hits: dict[str, deque[float]] = {}

    def wait(self, client: str, now: float) -> float:
        """0 when the client may go ahead (and the request is counted); else the seconds until it may."""
        if len(self.hits) > 10_000:   # forget clients that have been quiet for a whole window
            self.hits = {c: h for c, h in self.hits.items() if h and h[-1] > now - self.window}
        hits = self.hits.setdefault(client, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return hits[0] + self.window - now
        hits.append(now)
        return 0.0


def _answer(refused: Refusal, headers: dict[str, str] | None = None) -> JSONResponse:
    log.info("refused a submission: %s (%d)", refused.code, refused.status)
    return JSONResponse(refused.as_json(), status_code=refused.status, headers={**PLAIN_HEADERS, **(headers or {})})


async def _read_body(request: Request) -> bytes | Refusal:
    """The whole body, in memory, if it is within the limit; else a 413 refusal (after draining a while)."""
    declared = request.headers.get("content-length", "")
    too_large = declared.isdigit() and int(declared) > MAX_BODY_BYTES
    body, seen = bytearray(), 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > MAX_BODY_BYTES:
            too_large = True
            body.clear()
        if too_large:
            if seen > DRAIN_BYTES:
                break
            continue
        body.extend(chunk)
    return refusal("too_large") if too_large else bytes(body)


class App:
    """The endpoints, with the state they share: the rate limit and how much is under way."""

    def __init__(self, receiver: Receiver):
        self.receiver = receiver
        self.origin = receiver.council.site_origin
        settings = receiver.settings
        self.rate = RateLimit(settings.per_client, settings.window_seconds)
        self.checking = asyncio.Semaphore(settings.checking_at_once)
        self.under_way = 0

    def cors(self, request: Request) -> dict[str, str]:
        if request.headers.get("origin", "").lower() != self.origin:
            return {"Vary": "Origin"}
        return {"Access-Control-Allow-Origin": self.origin, "Vary": "Origin",
                "Access-Control-Expose-Headers": "Retry-After"}

    def foreign(self, request: Request) -> bool:
        """A page of another site sent it (browsers say where from; a program posting directly says nothing)."""
        origin = request.headers.get("origin")
        return origin is not None and origin.lower() != self.origin

    async def applications(self, request: Request) -> Response:
        cors = self.cors(request)
        if self.foreign(request):
            return _answer(refusal("wrong_origin"), cors)
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={**cors, "Access-Control-Allow-Methods": "POST",
                                                      "Access-Control-Max-Age": "600"})
        client = request.client.host if request.client else "unknown"
        wait = self.rate.wait(client, time.monotonic())
        if wait:
            minutes = max(1, math.ceil(wait / 60))
            return _answer(refusal("too_many", minutes=minutes), {**cors, "Retry-After": str(math.ceil(wait))})
        boundary = multipart_boundary(request.headers.get("content-type"))
        if boundary is None:
            return _answer(refusal("not_multipart"), cors)
        if self.under_way >= self.receiver.settings.in_flight:
            return _answer(refusal("busy"), {**cors, "Retry-After": "60"})
        self.under_way += 1
        try:
            return await self._receive(request, boundary, cors)
        except ClientDisconnect:
            return Response(status_code=400)   # nobody is there to read an answer
        except Exception as exc:  # noqa: BLE001 - the sender gets a sentence; the log, the kind of fault only
            log.error("a submission failed inside the receiver (%s); nothing was kept", type(exc).__name__)
            return _answer(refusal("internal"), cors)
        finally:
            self.under_way -= 1

    async def _receive(self, request: Request, boundary: bytes, cors: dict[str, str]) -> Response:
        body = await _read_body(request)
        if isinstance(body, Refusal):
            return _answer(body, cors)
        receiver = self.receiver
        async with self.checking:
            checked = await run_in_threadpool(check_body, body, boundary, receiver.guidance)
            if isinstance(checked, Refusal):
                return _answer(checked, cors)
            arrived = dt.datetime.now(dt.timezone.utc)
            try:
                reference = await run_in_threadpool(
                    store, receiver.inbox, receiver.recipient, receiver.council.id, arrived,
                    checked.application_json, checked.application_pdf, chunk_pause=receiver.settings.write_pause)
            except OSError as exc:
                log.error("the inbox could not be written (%s)", type(exc).__name__)
                return _answer(refusal("inbox_unavailable"), cors)
        log.info("received an application: %s", reference)
        notify = receiver.council.submit.notify if receiver.council.submit else None
        task = BackgroundTask(send_notice, notify, receiver.council, reference, arrived,
                                                  process_names(receiver.guidance)["title"]) if notify else None
        return JSONResponse({"reference": reference}, status_code=201, headers={**PLAIN_HEADERS, **cors},
                            background=task)

    async def health(self, request: Request) -> Response:
        """Whether the receiver can take an application now: it runs, and its inbox can be written."""
        if inbox_problem(self.receiver.inbox):
            return _answer(refusal("inbox_unavailable"))
        return JSONResponse({"status": "ok"}, headers=PLAIN_HEADERS)


def inbox_problem(inbox: Path) -> str | None:
    """Why the receiver cannot write into `inbox` (a sentence), or None when it can."""
    try:
        probe = make_folders(inbox) / ".probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return f"the inbox {inbox} cannot be written ({exc.strerror or exc})"
    return None


async def _http_error(request: Request, exc: Exception) -> Response:
    code = {404: "not_found", 405: "wrong_method"}.get(getattr(exc, "status_code", 500), "internal")
    return _answer(refusal(code))


def build_app(receiver: Receiver) -> Starlette:
    app = App(receiver)
    return Starlette(
        routes=[Route(APPLICATIONS_PATH, app.applications, methods=["POST", "OPTIONS"]),
                Route(HEALTH_PATH, app.health, methods=["GET"])],
        exception_handlers={HTTPException: _http_error, Exception: _http_error},
    )


def serve(receiver: Receiver, host: str, port: int) -> None:
    """Run the receiver until it is stopped. Behind the council's TLS proxy, uvicorn takes the client's
    address from X-Forwarded-For when the proxy is on this machine (FORWARDED_ALLOW_IPS for another)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = uvicorn.Config(build_app(receiver), host=host, port=port, access_log=False, server_header=False,
                            proxy_headers=True, log_level="info", timeout_graceful_shutdown=10)
    uvicorn.Server(config).run()
