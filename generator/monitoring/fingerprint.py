"""A form's fingerprint: recognise the same application sent twice without keeping who sent it.

The register holds no names or addresses, so it cannot say that a form is one already
opened. The fingerprint can: an HMAC-SHA256 of the applicant's name, address and postcode and
of the incidents (each one's dates and who it was reported to), each written the same way
however it was typed (case, spaces, punctuation, line breaks). The same form sent again, by
post and by email, or opened with a mistyped date received, has the same fingerprint; a
neighbour's form about the same street on the same day has another.

The key makes the hash one that nobody can reverse by trying likely names and addresses.
It is never in the register or the repository: by default it is a file kept beside the
register (`REGISTER.key`, made on first use, readable only by its owner), or the file named
by `--key` or $CTKIT_REGISTER_KEY. A lost key means forms opened before it are no longer
recognised; nothing else is lost.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import unicodedata
from pathlib import Path

from ..errors import Problem

KEY_ENV = "CTKIT_REGISTER_KEY"
KEY_BYTES = 32


def key_path(register: Path, given: Path | None = None) -> Path:
    """Where the register's key is: --key, else $CTKIT_REGISTER_KEY, else REGISTER.key beside the register."""
    if given is not None:
        return Path(given)
    if os.environ.get(KEY_ENV):
        return Path(os.environ[KEY_ENV])
    real = Path(os.path.realpath(register))
    return real.with_name(real.name + ".key")


def register_key(register: Path, given: Path | None = None) -> tuple[bytes | None, list[str], list[Problem]]:
    """The key (made on first use), what the SPOC should be told, and the problems that stop its use."""
    path = key_path(register, given)
    shown = path.as_posix()
    if not path.exists():
        if given is not None or os.environ.get(KEY_ENV):
            return None, [], [Problem(shown, None, "there is no fingerprint key here; check the name given with "
                                                   f"--key or ${KEY_ENV}")]
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(handle, "w", encoding="ascii") as out:
                out.write(secrets.token_hex(KEY_BYTES) + "\n")
            made = [f"made the fingerprint key {shown}: keep it beside the register and never share it or put it "
                    "in the repository (without it, forms already opened are not recognised when sent again)"]
        except FileExistsError:  # another command made it at the same moment
            made = []
        except OSError as exc:
            return None, [], [Problem(shown, None, f"the fingerprint key could not be made ({exc.strerror or exc})")]
    else:
        made = []
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, UnicodeDecodeError, ValueError):
        return None, [], [Problem(shown, None, "this is not a fingerprint key (a line of hexadecimal digits made by "
                                               "ctkit case open); name the right file with --key")]
    if len(key) < 16:
        return None, [], [Problem(shown, None, "the fingerprint key is too short; it should be the line ctkit made")]
    return key, made, []


def _words(text: str) -> str:
    """Text as a form may be typed many ways: the same letters and digits, lower case, single spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(ch if ch.isalnum() else " " for ch in folded)
    return " ".join(kept.split())


def fingerprint(key: bytes, name: str, address: str, postcode: str,
                incidents: list[tuple[str, str, str]]) -> str | None:
    """The keyed hash of who applied and what they reported; None when the form gives none of it."""
    person = [_words(name), _words(address), _words(postcode).replace(" ", "")]
    reports = sorted({(_words(a), _words(b), _words(c)) for a, b, c in incidents} - {("", "", "")})
    if not any(person) and not reports:
        return None
    message = "\x1f".join(person + ["\x1e".join("\x1d".join(r) for r in reports)])
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
