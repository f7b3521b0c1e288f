"""Writing an output safely: never over an input of the run, never inside the project's sources.

An output path that is one of the run's inputs, or a source file of the project (guidance/, forms/,
schemas/, ctkit.yml, mkdocs.yml), is refused with a sentence before anything is written. Every command that
writes a file, and the casework that writes letters, goes through here.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .errors import Stop, display_path

SOURCE_PARTS = ("guidance", "forms", "schemas")
SOURCE_FILES = ("ctkit.yml", "mkdocs.yml", "pyproject.toml")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def is_source(root: Path, path: Path) -> bool:
    """Whether `path` is (or would be written inside) one of the project's sources."""
    target = path.resolve()
    root = root.resolve()
    for part in SOURCE_PARTS:
        folder = root / part
        if target == folder or folder in target.parents:
            return True
    return any(target == root / name for name in SOURCE_FILES)


def check_output(path: Path, root: Path, inputs: Iterable[Path] = (), what: str = "output") -> None:
    """Refuse an output that would overwrite an input of this run or a source file."""
    for given in inputs:
        if path.resolve() == Path(given).resolve() or _same_file(path, Path(given)):
            raise Stop.usage(f"the {what} {display_path(path)} is also an input of this command; "
                             "choose another file name, so the input is not overwritten.")
    if is_source(root, path):
        raise Stop.usage(f"the {what} {display_path(path, root)} is inside the project's sources; "
                         "write it somewhere else (sources are changed only by editors).")


def write_file(path: Path, data: bytes | str, root: Path, inputs: Iterable[Path] = (), what: str = "output") -> None:
    """Write one output after `check_output`; a write that fails is a sentence, not a traceback."""
    check_output(path, root, inputs, what)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    except OSError as exc:
        raise Stop(f"cannot write {display_path(path)} ({exc.strerror or exc}).") from None
