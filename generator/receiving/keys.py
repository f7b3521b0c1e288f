"""The SPOC's key pair (age X25519, through pyrage): the public key encrypts, the private key opens.

The public key (`ctkit-spoc.pub`) goes to the server that runs the receiver; the private key
(`ctkit-spoc.key`, readable by its owner only) stays on the SPOC's computer. A server that is
broken into therefore holds nothing an intruder can read. Both files are in the format of the
`age` and `rage` tools, so the SPOC can also open a submission with those.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pyrage
from pyrage import x25519

from ..errors import Stop, display_path

PRIVATE_NAME = "ctkit-spoc.key"
PUBLIC_NAME = "ctkit-spoc.pub"


def _write_new(path: Path, text: str, mode: int) -> None:
    """Write a file that must not exist yet, with its permissions set when it is created."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, mode)   # the umask may have taken bits away from a mode that asked for them


def make_key_pair(folder: Path) -> tuple[Path, Path]:
    """A new key pair in `folder`: (private key, public key). Never replaces a key that is there."""
    private, public = folder / PRIVATE_NAME, folder / PUBLIC_NAME
    for path in (private, public):
        if path.exists():
            raise Stop(f"{display_path(path)} already exists; a new key would lock out every application already "
                       "encrypted to the old one. Move the old pair away first if you really mean to replace it.")
    identity = x25519.Identity.generate()
    recipient = str(identity.to_public())
    made = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_new(private, f"# created: {made}\n# public key: {recipient}\n{identity}\n", 0o600)
        _write_new(public, f"{recipient}\n", 0o644)
    except OSError as exc:
        raise Stop(f"cannot write the key pair in {display_path(folder)} ({exc.strerror or exc}).") from None
    return private, public


def _key_lines(path: Path, what: str) -> list[str]:
    try:
        if path.stat().st_size > 100_000:
            raise Stop(f"{display_path(path)} is far too large to be {what}.")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "it is not text"
        raise Stop(f"cannot read {what} {display_path(path)} ({reason}).") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def read_recipient(path: Path) -> x25519.Recipient:
    """The SPOC's public key (an `age1…` line), for the receiver."""
    lines = _key_lines(path, "the public key")
    if any(line.startswith("AGE-SECRET-KEY-") for line in lines):
        raise Stop(f"{display_path(path)} is a private key. Give the receiver the public key ({PUBLIC_NAME}), and "
                   "keep the private key on the SPOC's computer only.", status=2)
    try:
        return x25519.Recipient.from_str(lines[0]) if len(lines) == 1 else _not_a_key(path, "public key")
    except pyrage.RecipientError:
        return _not_a_key(path, "public key")


def read_identity(path: Path) -> x25519.Identity:
    """The SPOC's private key (an `AGE-SECRET-KEY-…` line), to open the inbox."""
    lines = _key_lines(path, "the private key")
    try:
        return x25519.Identity.from_str(lines[0]) if len(lines) == 1 else _not_a_key(path, "private key")
    except pyrage.IdentityError:
        return _not_a_key(path, "private key")


def _not_a_key(path: Path, what: str):
    raise Stop(f"{display_path(path)} is not an age {what} (made by ctkit receive --keygen).", status=2)
