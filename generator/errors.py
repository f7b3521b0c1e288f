"""The one error shape of the kit: a located sentence for a person, never a traceback.

Every loader, checker and judge returns a list of `Problem`s instead of raising one at a
time, so an editor sees every mistake in one run (the jsonschema habit). A command that
cannot go on raises `Stop` with its problems; the command line prints them and exits with
the status it carries. Model objects carry a `Where` (file, line, the line of each key),
so a check needs only the model to say `file:line`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    """`path:line: message`. For submitted data, `pointer` (a JSON pointer), `field` (the
    question as the form names it) and `blocks_decision` say where and how much it matters."""

    path: str
    line: int | None
    message: str
    severity: str = "error"  # "error" or "warning"
    pointer: str | None = None
    field: str | None = None
    blocks_decision: bool = True

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.message)

    def as_json(self) -> dict[str, Any]:
        """The `errors` item of `ctkit validate --format json`."""
        return {"field": self.field or self.path, "message": self.message,
                "blocks_decision": self.blocks_decision, "pointer": self.pointer or ""}


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=Problem.sort_key)


@dataclass(frozen=True)
class Where:
    """Where a model object was written: its file, its first line, and the line of each key."""

    path: str
    line: int | None = None
    keys: Mapping[Any, int] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def line_of(self, key: Any = None) -> int | None:
        return self.keys.get(key, self.line) if key is not None else self.line

    def problem(self, message: str, key: Any = None, severity: str = "error") -> Problem:
        return Problem(self.path, self.line_of(key), message, severity)


NOWHERE = Where("")


class Stop(Exception):
    """Stops a command with located problems; `status` is the exit status (1, or 2 for usage)."""

    def __init__(self, problems: Iterable[Problem] | Problem | str, status: int = 1):
        if isinstance(problems, str):
            problems = [Problem("", None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        problems = list(problems)
        self.problems = [p for p in problems if p.is_error] or problems
        self.status = status
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def usage(cls, message: str) -> "Stop":
        """A mistake in how the command was called (exit status 2)."""
        return cls(Problem("", None, message), status=2)


def display_path(path: Path | str, root: Path | None = None) -> str:
    """A path as an editor would type it: relative to the project root when inside it."""
    p = Path(path)
    if root is not None:
        try:
            return p.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return p.as_posix()
