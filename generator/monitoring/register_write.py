"""Changing one row of a register: locked, checked as every read checks it, atomic, and safe beside a spreadsheet.

`change_register` is one read-modify-write under a file lock, so two SPOCs (or two commands)
changing the same register at once both keep their rows. It reads the register through the
one check (`register.load_register`), so a write never accepts a file a read refuses; it
changes one row and leaves every other byte as it was, writes a temporary file and renames
it over the register (never half a file), follows a link to the real file, and refuses a
read-only register.

A register open in Excel or LibreOffice is refused: the spreadsheet holds its own copy and
would save it over ours when closed, and the new row would be gone without a word. They
leave a lock file beside the file they have open (`~$NAME` for Excel, `.~lock.NAME#` for
LibreOffice), which is what is looked for.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from filelock import FileLock, Timeout

from ..errors import Problem
from ..model import Guidance
from .register import (Case, Register, Row, RowChecker, columns, council_problems, duplicate_problems,
                       load_register)

#: How long a command waits for another one to finish changing the same register.
LOCK_WAIT_SECONDS = 30
_ENDINGS = ("\r\n", "\n", "\r")


@dataclass(frozen=True)
class RowChange:
    """What to write: the row of `case_ref` with these cells set (the others kept), or a new row."""

    case_ref: str
    cells: dict[str, str]
    new: bool = False


@dataclass
class Written:
    """A change made (or found already made): the change, and what the SPOC should know about the file."""

    change: RowChange
    notes: list[str] = field(default_factory=list)
    case: Case | None = None         # the row as it now is
    @property
    def case_ref(self) -> str:
        return self.change.case_ref


def next_reference(council_id: str, received_on: dt.date, register: Register) -> str:
    """COUNCIL-YYYYMMDD-n: the next number among the applications received that day."""
    prefix = f"{council_id.upper()}-{received_on:%Y%m%d}-"
    n = 1
    while register.row(f"{prefix}{n}") is not None:
        n += 1
    return f"{prefix}{n}"


def spreadsheet_lock(real: Path) -> Path | None:
    """The lock file Excel (`~$NAME`) or LibreOffice (`.~lock.NAME#`) keeps while it has the register open."""
    for name in (f"~${real.name}", f".~lock.{real.name}#"):
        if (real.parent / name).exists():
            return real.parent / name
    return None


def _line_ending(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _format_row(header: list[str], cells: dict[str, str], ending: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=ending).writerow([cells.get(h, "") for h in header])
    return buffer.getvalue()


def _with_cells(segment: str, extra: int) -> str:
    """A row's text with `extra` empty cells added at its end, before its line ending."""
    ending = next((e for e in _ENDINGS if segment.endswith(e)), "")
    return segment[:len(segment) - len(ending)] + "," * extra + ending


def _read_only(path: Path) -> bool:
    """No write bit at all counts too: an administrator (who may write anything) still means it."""
    return not os.access(path, os.W_OK) or not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def _real_file(path: Path, shown: str, create: bool) -> tuple[Path | None, list[Problem]]:
    """The file to change: a link is followed to its target, which is changed in place of the link."""
    real = Path(os.path.realpath(path))
    if path.is_symlink() and not real.exists():
        return None, [Problem(shown, None, f"the register is a link to {real.as_posix()}, which does not exist; "
                                           "point the link at the real register, or name the register itself")]
    if real.exists():
        if not real.is_file():
            return None, [Problem(shown, None, "this is not a file, so it cannot be a register")]
        if _read_only(real):
            return None, [Problem(shown, None, "the register is read-only, so nothing was written; make it "
                                               "writable (or ask whoever looks after it) and run the command again")]
        return real, []
    if not create:
        return None, [Problem(shown, None, "there is no register here; check the file name, or start one with "
                                           "ctkit case open")]
    if not real.parent.is_dir():
        return None, [Problem(shown, None, f"the folder {real.parent.as_posix()} does not exist, "
                                           "so the register cannot be started there")]
    return real, []


def _write_atomically(path: Path, text: str) -> None:
    """A half-written register would lose cases: write a temporary file, then rename it over."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def lock_for(real: Path) -> FileLock:
    """The lock beside the register (`.NAME.lock`): the register itself is replaced on every write,
    so a lock on its own file would not be seen by the next writer."""
    return FileLock(real.parent / f".{real.name}.lock", timeout=LOCK_WAIT_SECONDS)


def change_register(path: Path, guidance: Guidance, change: Callable[[Register], RowChange | list[Problem]],
                    today: dt.date | None = None, create: bool = False,
                    verb: str = "changed") -> tuple[Written | None, list[Problem]]:
    """Read the register, let `change` say what to write, check the result, and write it: all under the lock.

    `change` sees the register as it is once the lock is held, so a reference it numbers is
    not taken by another command at the same moment. Nothing is written when the register,
    the change or the row it would make has a problem; the problems come back instead.
    """
    path = Path(path)
    shown = path.as_posix()
    today = today or dt.date.today()
    real, problems = _real_file(path, shown, create)
    if real is None:
        return None, problems
    try:
        with lock_for(real):
            return _change_locked(real, shown, guidance, change, today, verb)
    except Timeout:
        return None, [Problem(shown, None, f"another command has been changing the register for over "
                                           f"{LOCK_WAIT_SECONDS} seconds; nothing was written, so try again")]
    except OSError as exc:
        return None, [Problem(shown, None, f"the register could not be written ({exc.strerror or exc}); "
                                           "nothing was changed")]


def _open_in_spreadsheet(real: Path, shown: str) -> list[Problem]:
    lock = spreadsheet_lock(real)
    if lock is None:
        return []
    return [Problem(shown, None, f"the register is open in a spreadsheet (its lock file {lock.name} is beside it), "
                                 "which would save its own copy over this change; nothing was written: close the "
                                 "register in the spreadsheet first, then run the command again")]


def _new_text(register: Register, header: list[str], target: Row | None, cells: dict[str, str], bom: str) -> str:
    """The register's text with one row changed or added; every other row's bytes kept (a new column
    adds an empty cell at the end of each)."""
    text = register.text
    ending = _line_ending(text)
    formatted = _format_row(header, cells, ending)
    if not text:
        return bom + _format_row(header, {h: h for h in header}, ending) + formatted
    extra = len(header) - len(register.header)
    if extra == 0:
        if target is not None:
            return bom + text[:target.start] + formatted + text[target.end:]
        return bom + text + ("" if text.endswith(_ENDINGS) else ending) + formatted
    pieces = [_with_cells(text[:register.header_end], extra)]
    at = register.header_end
    for row in register.rows:
        pieces.append(text[at:row.start])
        pieces.append(formatted if row is target else _with_cells(text[row.start:row.end], extra))
        at = row.end
    tail = text[at:]
    if target is None:
        tail += ("" if (tail or pieces[-1]).endswith(_ENDINGS) else ending) + formatted
    return bom + "".join(pieces) + tail


def _change_locked(real: Path, shown: str, guidance: Guidance, change: Callable[[Register], RowChange | list[Problem]],
                   today: dt.date, verb: str) -> tuple[Written | None, list[Problem]]:
    bom = ""
    if real.exists():
        refused = _open_in_spreadsheet(real, shown)
        if refused:
            return None, refused
        register, problems = load_register(real, guidance, shown, today)
        if register is None:
            return None, problems + [Problem(shown, None, "nothing was written: the register has the problems "
                                                          "above, and every command refuses it until they are "
                                                          "put right")]
        bom = "\ufeff" if real.read_bytes()[:3] == b"\xef\xbb\xbf" else ""
    else:
        register = Register(shown, list(columns(guidance)), [])
    wanted = change(register)
    if isinstance(wanted, list):
        return None, wanted
    target = None if wanted.new else register.row(wanted.case_ref)
    if not wanted.new and target is None:
        return None, register.case(wanted.case_ref)[1]
    header = register.header + [c for c in columns(guidance) if c not in register.header and wanted.cells.get(c)]
    cells = dict(target.cells) if target else {h: "" for h in header}
    cells.update(wanted.cells, case_ref=wanted.case_ref)
    if target is not None and cells == target.cells and header == register.header:
        return Written(wanted, [], register.case(wanted.case_ref)[0]), []  # nothing changes: not a byte written
    line = target.line if target else (register.rows[-1].line + 1 if register.rows else 2)
    row = Row(line, cells)
    case, problems = RowChecker(guidance, today).check(shown, row)
    if case is not None:  # the rules across rows, with this row as it would be
        changed = [*register.cases, case] if wanted.new else [case if c.case_ref == wanted.case_ref else c
                                                               for c in register.cases]
        problems += [p for p in duplicate_problems(changed) + council_problems(changed, guidance) if p.line == line]
    if problems:
        return None, [replace(p, message=f"case {wanted.case_ref} was not {verb}: {p.message}") for p in problems]
    notes = []
    added = header[len(register.header):]
    if added:
        notes.append(f"the register gains the column{'s' if len(added) > 1 else ''} {', '.join(added)} "
                     "(left empty for the cases before)")
    if target is not None and target.uk_dates:
        notes.append(f"the dates of case {wanted.case_ref} were written D/M/YYYY (as a spreadsheet saves them) "
                     f"and are now written YYYY-MM-DD ({', '.join(target.uk_dates)}); the other rows are as they were")
    _write_atomically(real, _new_text(register, header, target, cells, bom))
    return Written(wanted, notes, case), []
