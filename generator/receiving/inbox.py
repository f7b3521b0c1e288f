"""The inbox folder: one encrypted file per application sent online, and the way out of it.

Written by the receiver: `store` seals the two parts as they arrived (with the reference and the
time of arrival) in one envelope, encrypts it to the SPOC's public key and writes it so that a
reader never meets half a file. It is written under `.incoming/` first, forced to disk, then
linked into the inbox as `<reference>.age` (a link never replaces a file that is there), and
the folder is forced to disk too. A receiver killed while writing leaves its piece in
`.incoming/`, which nothing reads and the next start empties (`sweep_incoming`).

Read on the SPOC's computer: `waiting` lists what has not been handled, `open_arrival` decrypts
one with the private key, and `move_to_done` puts a handled one in `done/`.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pyrage
from pyrage import x25519

from ..errors import Problem, display_path
from ..judge.submissions import Submission, read_json_bytes

UK = ZoneInfo("Europe/London")
SUFFIX = ".age"
INCOMING = ".incoming"
DONE = "done"
ENVELOPE_KIND = "ctkit-online-application"
ENVELOPE_FORMAT = 1
#: Crockford's base32 without I, L, O and U: a reference read out on the phone has no look-alike letters.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: 8 characters of 32: 40 random bits, so no reference can be worked out from another one.
_RANDOM_CHARACTERS = 8
#: A register's case reference holds at most 40 characters (schemas/register.schema.json).
_LONGEST_PREFIX = 40 - len("-YYYYMMDD-") - _RANDOM_CHARACTERS


def new_reference(council_id: str, arrived: dt.datetime) -> str:
    """COUNCIL-YYYYMMDD-XXXXXXXX: the council, the day it arrived (UK), and 40 random bits.

    The date and council make it readable to the SPOC; the random part, from the operating system's
    secure generator, makes it unguessable: knowing one reference tells nothing about any other."""
    day = arrived.astimezone(UK).date()
    tail = "".join(secrets.choice(_ALPHABET) for _ in range(_RANDOM_CHARACTERS))
    return f"{council_id.upper()[:_LONGEST_PREFIX]}-{day:%Y%m%d}-{tail}"


def seal(reference: str, council_id: str, arrived: dt.datetime, application_json: bytes,
         application_pdf: bytes) -> bytes:
    """The envelope: both parts exactly as sent, with what the SPOC needs to open the case."""
    return json.dumps({
        "kind": ENVELOPE_KIND, "format": ENVELOPE_FORMAT, "reference": reference, "council": council_id,
        "received_at": arrived.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
        "application_json": base64.b64encode(application_json).decode("ascii"),
        "application_pdf": base64.b64encode(application_pdf).decode("ascii"),
    }).encode("utf-8")


def _fsync_folder(folder: Path) -> None:
    """Make a new name in `folder` survive a power cut (not possible, nor needed, on Windows)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes, chunk_pause: float) -> None:
    """Every byte (a write may take fewer than it was given), in 64 KB pieces with a pause only for the test."""
    view, done = memoryview(data), 0
    while done < len(view):
        done += os.write(fd, view[done:done + 65536])
        if chunk_pause:
            time.sleep(chunk_pause)


def make_folders(inbox: Path) -> Path:
    """The inbox and its `.incoming/`, readable by the receiver's user only; the latter's path."""
    inbox.mkdir(mode=0o700, parents=True, exist_ok=True)
    incoming = inbox / INCOMING
    incoming.mkdir(mode=0o700, exist_ok=True)
    return incoming


def write_atomically(inbox: Path, name: str, data: bytes, *, chunk_pause: float = 0.0) -> Path:
    """Write `data` as `inbox/name`, whole or not at all; FileExistsError if that name is taken.

    `chunk_pause` (seconds between 64 KB pieces) only slows the write down, for the test that kills
    the receiver in the middle of one (README: CTKIT_RECEIVE_TEST_WRITE_PAUSE)."""
    part = make_folders(inbox) / f"{name}.{secrets.token_hex(4)}.part"
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        try:
            _write_all(fd, data, chunk_pause)
            os.fsync(fd)
        finally:
            os.close(fd)
        final = inbox / name
        os.link(part, final)   # unlike a rename, a link never replaces a file of the same name
        _fsync_folder(inbox)
        return final
    finally:
        part.unlink(missing_ok=True)


def store(inbox: Path, recipient: x25519.Recipient, council_id: str, arrived: dt.datetime,
          application_json: bytes, application_pdf: bytes, *, chunk_pause: float = 0.0) -> str:
    """Encrypt one submission to the SPOC and write it into the inbox; its reference."""
    for _attempt in range(5):   # a reference already taken (40 random bits: practically never) gets a new one
        reference = new_reference(council_id, arrived)
        if (inbox / DONE / f"{reference}{SUFFIX}").exists():
            continue
        sealed = pyrage.encrypt(seal(reference, council_id, arrived, application_json, application_pdf),
                                [recipient])
        try:
            write_atomically(inbox, f"{reference}{SUFFIX}", sealed, chunk_pause=chunk_pause)
        except FileExistsError:
            continue
        return reference
    raise FileExistsError("no free reference")


def sweep_incoming(inbox: Path) -> int:
    """Remove pieces a stopped receiver left half-written (never confirmed to anyone); how many."""
    folder = inbox / INCOMING
    removed = 0
    if folder.is_dir():
        for piece in folder.glob("*.part"):
            piece.unlink(missing_ok=True)
            removed += 1
    return removed


# -- on the SPOC's computer -----------------------------------------------------------------------

@dataclass(frozen=True)
class Arrival:
    """One application sent online, opened with the SPOC's private key."""

    path: Path
    reference: str
    council: str
    received_at: dt.datetime       # UK time
    application_json: bytes        # exactly as sent
    application_pdf: bytes         # exactly as sent

    @property
    def received_on(self) -> dt.date:
        """The day it arrived in the UK: the date the application was received."""
        return self.received_at.date()

    def answers(self) -> Submission:
        """The answers, read as `ctkit validate` reads a .json file, with the receiver's facts put in: the day
        it arrived is the date received, and its reference is the case reference, whatever the sender wrote."""
        read = read_json_bytes(self.application_json, f"{self.reference}.json")
        if read.data is not None:
            read.data["received_on"] = self.received_on.isoformat()
            read.data["case_ref"] = self.reference
        return read


def waiting(inbox: Path) -> list[Path]:
    """The submissions not yet handled, oldest first (references hold the date, then chance)."""
    return sorted((p for p in inbox.glob(f"*{SUFFIX}") if p.is_file()), key=lambda p: (p.stat().st_mtime, p.name))


def open_arrival(path: Path, identity: x25519.Identity) -> Arrival | Problem:
    """Decrypt one inbox file; a Problem (one sentence, nothing from inside the file) when it cannot be opened."""
    shown = display_path(path)
    try:
        if path.stat().st_size > 40_000_000:
            return Problem(shown, None, "this file is far larger than anything the receiver writes; it was not opened")
        sealed = path.read_bytes()
    except OSError as exc:
        return Problem(shown, None, f"cannot be read ({exc.strerror or exc})")
    try:
        opened = pyrage.decrypt(sealed, [identity])
    except pyrage.DecryptError:
        return Problem(shown, None, "cannot be opened with this private key: it was encrypted to another key "
                                    "(another council's receiver, or a key that was replaced), or it is damaged")
    try:
        envelope = json.loads(opened)
        if not isinstance(envelope, dict) or envelope.get("kind") != ENVELOPE_KIND \
                or envelope.get("format") != ENVELOPE_FORMAT:
            raise ValueError("not an envelope")
        received = dt.datetime.fromisoformat(envelope["received_at"])
        if received.tzinfo is None:
            raise ValueError("no time zone")
        return Arrival(path, str(envelope["reference"]), str(envelope["council"]), received.astimezone(UK),
                       base64.b64decode(envelope["application_json"], validate=True),
                       base64.b64decode(envelope["application_pdf"], validate=True))
    except (ValueError, KeyError, TypeError, binascii.Error):
        return Problem(shown, None, "opens with this key but does not hold an application from ctkit receive")


def move_to_done(path: Path) -> Path:
    """Put a handled submission in the inbox's `done/` folder, so it is never opened as a new case again."""
    done = path.parent / DONE
    done.mkdir(mode=0o700, exist_ok=True)
    target = done / path.name
    os.replace(path, target)
    _fsync_folder(done)
    return target
