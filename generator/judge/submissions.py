"""Read one returned application (filled PDF, JSON or YAML) into the canonical data shape.

Reading is where hostile or broken files arrive, so every limit is checked before the
bytes are parsed: size first, then nesting. Anything that cannot be read as a form is
`unreadable` with one sentence; anything readable goes on to be judged, however wrong
its contents (that is `incomplete`, decided later). Files are opened read-only and
never written. Messages never quote the file's contents, so no personal data leaks
into logs.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..loading.sources import LineDict, Loaded, decode_text, load_data, parse_json
from ..text_safety import typed_values
from .pdf_reader import read_pdf as read_filled_pdf

SUFFIXES = {".pdf": "pdf", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}
#: A filled application PDF is well under a megabyte; leave room for attached scans.
MAX_PDF_BYTES = 20_000_000
#: Application data as JSON or YAML is a few kilobytes.
MAX_DATA_BYTES = 2_000_000
#: The application's deepest value (incidents → item → field) is three levels down.
MAX_DEPTH = 12


@dataclass
class Submission:
    path: Path
    kind: str                                   # pdf, json, yaml
    data: dict | None = None
    error: str | None = None                    # why it is unreadable
    warnings: list[str] = field(default_factory=list)
    lines: LineDict | None = None

    @property
    def readable(self) -> bool:
        return self.error is None


def _skipped_why(path: Path) -> str | None:
    """Why a path named or found in a folder is not read, or None for a regular file."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if path.is_symlink():
            return "it is a link that leads nowhere (or round in a loop), so there is nothing to read."
        return f"it cannot be opened ({exc.strerror or 'no access'})."
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "it is a folder that is a link to another place; links to folders are not followed."
    return "it is not a regular file (it may be a pipe or a device), so it was not read."


def find_files(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Every application file named or inside a named folder; each path not read, with a sentence why.

    A named folder is walked without following links to other folders inside it (so a link loop
    cannot trap the walk); a link to a file is followed.
    """
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            for folder, dirs, names in os.walk(path, followlinks=False):
                dirs.sort()
                for name in sorted(names) + sorted(d for d in dirs if Path(folder, d).is_symlink()):
                    item = Path(folder, name)
                    if item.suffix.lower() not in SUFFIXES:
                        continue
                    why = _skipped_why(item)
                    (skipped.append((item, why)) if why else found.append(item))
        elif path.exists() or path.is_symlink():
            why = _skipped_why(path)
            (skipped.append((path, why)) if why else found.append(path))
        else:
            skipped.append((path, "there is no file or folder with this name."))
    return list(dict.fromkeys(found)), skipped


def _depth(value: Any, limit: int) -> int:
    """Nesting depth, stopping early past `limit`, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        if isinstance(node, dict):
            stack += [(v, depth + 1) for v in node.values()]
        elif isinstance(node, list):
            stack += [(v, depth + 1) for v in node]
    return deepest


def _read_bytes(path: Path, limit: int) -> tuple[bytes | None, str | None]:
    """The first bytes of a PDF, after the size limit is checked, to see that it is one."""
    try:
        size = path.stat().st_size
        if size > limit:
            return None, (f"the file is {size / 1_000_000:.1f} MB, far larger than any application form "
                          f"(the limit is {limit / 1_000_000:.0f} MB), so it was not read.")
        if size == 0:
            return None, "the file is empty."
        with path.open("rb") as handle:
            return handle.read(1024), None
    except OSError as exc:
        return None, f"the file cannot be opened ({exc.strerror or 'no access'})."


def read_data(path: Path, kind: str) -> Submission:
    """A JSON or YAML application, read by the kit's one loader (safe, size-limited, no aliases)."""
    return _from_loaded(Submission(path, kind), load_data(path, path.name, MAX_DATA_BYTES, what="application files"))


def read_json_bytes(raw: bytes, name: str) -> Submission:
    """A JSON application that arrived as bytes (sent online), read exactly as a .json file would be."""
    sub = Submission(Path(name), "json")
    if len(raw) > MAX_DATA_BYTES:
        sub.error = (f"the data is {len(raw) / 1_000_000:.1f} MB, far larger than any application form "
                     f"(the limit is {MAX_DATA_BYTES / 1_000_000:.0f} MB), so it was not read.")
        return sub
    text, problems = decode_text(raw, name)
    try:
        return _from_loaded(sub, Loaded(name, None, problems) if text is None else parse_json(text, name))
    except (RecursionError, MemoryError):
        sub.error = "the data is nested far too deeply to be an application form."
        return sub


def _from_loaded(sub: Submission, loaded: Loaded) -> Submission:
    kind = sub.kind
    if not loaded.ok:
        problem = loaded.problems[0]
        message = problem.message
        if "nested too deeply" in message:
            sub.error = "the data is nested far too deeply to be an application form."
        elif "UTF-8" in message:
            sub.error = "the file is not text (it may be a different kind of file with the wrong name)."
        elif "twice" in message:
            sub.error = _given_twice(message, problem.line)
        elif "cannot be read" in message or "aliases" in message or "empty" in message or "MB" in message:
            sub.error = _sentence(message)
        else:
            sub.error = (f"this is not valid {kind.upper()}"
                         + (f" (the problem is on line {problem.line})" if problem.line else "") + ".")
        return sub
    return _accept(sub, loaded.data)


_TWICE = re.compile(r"the key '([a-z][a-z0-9_]{0,40})' appears twice \(first on line (\d+)\)")


def _given_twice(message: str, line: int | None) -> str:
    """A key written twice, named with both lines when it is one of the form's kind of names (lower-case
    words joined by '_'): any other key came from the file, and is not repeated back."""
    named = _TWICE.search(message)
    if named and line:
        return (f"the answer '{named.group(1)}' is given twice (on lines {named.group(2)} and {line}), so which "
                "one was meant cannot be known.")
    on_line = f" (on line {line})" if line else ""
    return f"the same answer is given twice{on_line}, so which one was meant cannot be known."


def _accept(sub: Submission, data: Any) -> Submission:
    if _depth(data, MAX_DEPTH) > MAX_DEPTH:
        sub.error = "the data is nested far too deeply to be an application form."
    elif not isinstance(data, dict):
        sub.error = "the file holds no application: it should be a set of named answers (form, basis, incidents…)."
    elif data.get("form") not in (None, "application"):
        sub.error = "this is not an application form (it says it is a different form)."
    else:
        sub.data = typed_values(data)   # once, here: every output gets the same clean text
        sub.lines = data if isinstance(data, LineDict) else None
    return sub


def read_pdf(path: Path, guidance: Any) -> Submission:
    """A filled PDF, read by the forms package's reader (the one that knows the field names)."""
    sub = Submission(path, "pdf")
    raw, sub.error = _read_bytes(path, MAX_PDF_BYTES)
    if raw is None:
        return sub
    if not raw.lstrip()[:5].startswith(b"%PDF"):
        sub.error = "the file is not a PDF, although its name ends in .pdf."
        return sub
    try:
        result = read_filled_pdf(path, guidance.forms["application"])
    except Exception:  # noqa: BLE001 - a damaged PDF must not stop the batch
        sub.error = "the PDF is damaged and could not be read."
        return sub
    sub.warnings += [str(w) for w in result.warnings]
    if result.data is None:
        sub.error = _sentence(result.error or "the PDF has no form answers the kit can read.")
        return sub
    return _accept(sub, result.data)


def _sentence(text: str) -> str:
    text = str(text).strip()
    text = text[0].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text
    return text if text.endswith(".") else text + "."


def read_submission(path: Path, guidance: Any = None) -> Submission:
    """Read one file by its kind; never raises for a bad file."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        return Submission(path, "other", error="the kit reads .pdf, .json, .yaml and .yml files only.")
    try:
        if kind == "pdf":
            return read_pdf(path, guidance)
        return read_data(path, kind)
    except (RecursionError, MemoryError):
        return Submission(path, kind, error="the data is nested far too deeply to be an application form.")
