"""Read one returned application (filled PDF, JSON or YAML) into the canonical data shape.

Reading is where hostile or broken files arrive, so every limit is checked before the
bytes are parsed: size first, then nesting. Anything that cannot be read as a form is
`unreadable` with one sentence; anything readable goes on to be judged, however wrong
its contents (that is `incomplete`, decided later). Files are opened read-only and
never written. Messages never quote the file's contents, so no personal data leaks
into logs.
"""
from __future__ import annotations

import inspect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..sources import LineDict, parse_yaml

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


def find_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Every application file named or inside a named folder, and a sentence per path not found."""
    found: list[Path] = []
    missing: list[str] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            missing.append(f"{path}: there is no file or folder with this name.")
    return list(dict.fromkeys(found)), missing


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


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a value a form can hold")


def _read_bytes(path: Path, limit: int) -> tuple[bytes | None, str | None]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, f"the file cannot be opened ({exc.strerror or 'no access'})."
    if size > limit:
        return None, (f"the file is {size / 1_000_000:.1f} MB, far larger than any application form "
                      f"(the limit is {limit / 1_000_000:.0f} MB), so it was not read.")
    if size == 0:
        return None, "the file is empty."
    try:
        with path.open("rb") as handle:
            return handle.read(limit + 1), None
    except OSError as exc:
        return None, f"the file cannot be opened ({exc.strerror or 'no access'})."


def _read_text(path: Path) -> tuple[str | None, str | None]:
    raw, error = _read_bytes(path, MAX_DATA_BYTES)
    if raw is None:
        return None, error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "the file is not text (it may be a different kind of file with the wrong name)."
    if not text.strip():
        return None, "the file is empty."
    return text, None


def read_json(path: Path) -> Submission:
    sub = Submission(path, "json")
    text, sub.error = _read_text(path)
    if text is None:
        return sub
    try:
        data = json.loads(text, parse_constant=_no_constants)
    except RecursionError:
        sub.error = "the data is nested far too deeply to be an application form."
        return sub
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        sub.error = "this is not valid JSON" + (f" (the problem is on line {line})" if line else "") + "."
        return sub
    return _accept(sub, data)


_BAD_DATE = re.compile(r"'([^']*)' is not a real date")


def read_yaml(path: Path) -> Submission:
    sub = Submission(path, "yaml")
    text, sub.error = _read_text(path)
    if text is None:
        return sub
    loaded = parse_yaml(text, path.name)
    for _ in range(100):
        # A date that does not exist (2026-02-30) is wrong data, `incomplete`, not an unreadable
        # file: read it again with that value quoted as text; completeness then names it.
        if loaded.ok or not _BAD_DATE.search(loaded.problems[0].message):
            break
        fixed = _quote_line_value(text, loaded.problems[0].line)
        if fixed is None:
            break
        text = fixed
        loaded = parse_yaml(text, path.name)
    if not loaded.ok:
        problem = loaded.problems[0]
        if "nested too deeply" in problem.message:
            sub.error = "the data is nested far too deeply to be an application form."
        elif "aliases" in problem.message:
            sub.error = ("the file uses YAML anchors and aliases (*name), which are refused because they can "
                         "make a small file expand without limit.")
        elif _BAD_DATE.search(problem.message):
            sub.error = f"line {problem.line} holds a date that does not exist, written so that it cannot be read."
        else:
            sub.error = "this is not valid YAML" + (f" (the problem is on line {problem.line})"
                                                   if problem.line else "") + "."
        return sub
    return _accept(sub, loaded.data)


def _quote_line_value(text: str, line: int | None) -> str | None:
    """The text with the date value on `line` quoted, so it reads as text instead of failing."""
    if not line:
        return None
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return None
    new = re.sub(r"(\d{4}-\d{1,2}-\d{1,2})(?=\s*(#.*)?$|\s*[,}\]])", r"'\1'", lines[line - 1], count=1)
    if new == lines[line - 1]:
        return None
    lines[line - 1] = new
    return "\n".join(lines)


def _accept(sub: Submission, data: Any) -> Submission:
    if _depth(data, MAX_DEPTH) > MAX_DEPTH:
        sub.error = "the data is nested far too deeply to be an application form."
    elif not isinstance(data, dict):
        sub.error = "the file holds no application: it should be a set of named answers (form, basis, incidents…)."
    elif data.get("form") not in (None, "application"):
        sub.error = "this is not a Community Trigger application form (it says it is a different form)."
    else:
        sub.data = data
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
    del raw
    try:
        from ..forms.reader import read_pdf as reader
    except ImportError:
        sub.error = "this version of the kit cannot read filled PDFs yet (the form reader is missing)."
        return sub
    try:
        result = _call_reader(reader, path, guidance)
    except Exception:  # noqa: BLE001 - a damaged PDF must not stop the batch
        sub.error = "the PDF is damaged and could not be read."
        return sub
    for warning in getattr(result, "warnings", None) or []:
        sub.warnings.append(str(warning))
    data = getattr(result, "data", None)
    if data is None:
        sub.error = _sentence(getattr(result, "error", None) or "the PDF has no form answers the kit can read.")
        return sub
    return _accept(sub, data)


def _call_reader(reader: Any, path: Path, guidance: Any) -> Any:
    """Call read_pdf with what it asks for: the path, and the application form or the guidance."""
    params = list(inspect.signature(reader).parameters.values())
    kwargs: dict[str, Any] = {}
    for p in params[1:]:
        if p.default is not inspect.Parameter.empty:
            continue
        if p.name in ("guidance", "g"):
            kwargs[p.name] = guidance
        elif p.name == "form":
            kwargs[p.name] = guidance.forms.get("application") if guidance is not None else None
        elif p.name == "project":
            kwargs[p.name] = guidance
    return reader(path, **kwargs)


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
        return read_json(path) if kind == "json" else read_yaml(path)
    except (RecursionError, MemoryError):
        return Submission(path, kind, error="the data is nested far too deeply to be an application form.")
