"""The lock of an approved version: a fingerprint of each paragraph it approved (guidance/releases/X.Y.lock).

A committee approves words: the practitioner guidance, the threshold and timescales, and the
forms' questions. The lock records them, one line per paragraph, in the order they are read:

    guidance/practitioner/spoc.md 3f2a9c1e0b7d4a55 1c0ffe,8e21aa The SPOC is the one person in each council who …

(where it is, a fingerprint of the paragraph's words, a short one of each of its sentences, so
`ctkit check` can say which sentence changed, and its opening words so a person reading the
lock, or a merge of it, can tell which paragraph a line is). Lines starting with `#` say
where the lock came from. The format is plain text, one paragraph a line, in a stable order, so
two branches that each change a paragraph change different lines.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from ..errors import Problem

LOCKS_FOLDER = "guidance/releases"
OPENING_WORDS = 12
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"‘'(])|(?<=;)\s+")


def lock_path(version: str) -> str:
    return f"{LOCKS_FOLDER}/{version}.lock"


@dataclass(frozen=True)
class Fingerprint:
    """One approved paragraph: the source it is in, a fingerprint of its words and of each sentence, and
    its opening words."""

    part: str
    digest: str
    sentences: tuple[str, ...]
    words: str

    def line(self) -> str:
        return f"{self.part} {self.digest} {','.join(self.sentences)} {self.words}".rstrip()


def sentences_of(words: str) -> list[str]:
    """A paragraph's sentences (a list's items, split at ';', count as sentences too)."""
    return [s for s in _SENTENCE_END.split(words) if s]


def _digest(text: str, length: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def opening(words: str, count: int = OPENING_WORDS) -> str:
    found = words.split()
    return " ".join(found[:count]) + (" …" if len(found) > count else "")


def fingerprint(part: str, text: str) -> Fingerprint:
    """The fingerprint of one paragraph's plain words (spacing does not count)."""
    words = " ".join(text.split())
    return Fingerprint(part, _digest(words, 16), tuple(_digest(s, 6) for s in sentences_of(words)), opening(words))


@dataclass
class Lock:
    """What one approved version approved, read from (or to be written to) its lock file."""

    version: str
    header: tuple[str, ...] = ()
    entries: tuple[Fingerprint, ...] = ()
    path: str = ""

    def by_part(self) -> dict[str, list[Fingerprint]]:
        out: dict[str, list[Fingerprint]] = {}
        for entry in self.entries:
            out.setdefault(entry.part, []).append(entry)
        return out


@dataclass
class LockReading:
    lock: Lock | None
    problems: list[Problem] = field(default_factory=list)


def parse_lock(text: str, shown: str, version: str) -> LockReading:
    """A lock file's text as a Lock; a line that is not `part digest words` is a located problem."""
    header: list[str] = []
    entries: list[Fingerprint] = []
    bad: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if line.startswith("#"):
            header.append(line[1:].strip())
            continue
        parts = line.split(maxsplit=3)
        if len(parts) < 3 or not _hex(parts[1], 16) or not all(_hex(d, 6) for d in parts[2].split(",")):
            bad.append(number)
            continue
        entries.append(Fingerprint(parts[0], parts[1], tuple(parts[2].split(",")), parts[3] if len(parts) > 3 else ""))
    if bad:
        more = f" (and {len(bad) - 1} more line{'s' if len(bad) > 2 else ''})" if len(bad) > 1 else ""
        return LockReading(None, [Problem(shown, bad[0], f"this line{more} of the lock is not 'where fingerprint "
                                                         "sentences opening words'; the lock is written by ctkit, "
                                                         "so take it again with the command its first lines name "
                                                         "rather than editing it")])
    return LockReading(Lock(version, tuple(header), tuple(entries), shown))


def _hex(text: str, length: int) -> bool:
    return len(text) == length and all(c in "0123456789abcdef" for c in text)


def format_lock(lock: Lock) -> str:
    lines = [f"# {line}".rstrip() for line in lock.header]
    return "\n".join(lines + [""] + [e.line() for e in lock.entries]) + "\n"
