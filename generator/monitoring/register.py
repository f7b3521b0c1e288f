"""The SPOC's case register: read and check it, and change one row of it safely.

The register is a CSV file the SPOC keeps outside the published site, one row per
application, no names or addresses (columns: schemas/register.schema.json). Statutory
figures are only as good as this file, so every problem is reported as `file:line: sentence`
and a register with any error publishes nothing.

Writing (`change_register`) is one read-modify-write under a file lock, so two SPOCs (or two
commands) changing the same register at once both keep their rows. It changes one row and
leaves every other byte as it was, writes a temporary file and renames it over the register
(never half a file), follows a link to the real file, and refuses a read-only register.
"""
from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from filelock import FileLock, Timeout

from ..errors import Problem
from ..loading.schemas import load_schema, schema_problems
from ..loading.sources import LineDict, read_text
from ..model import Guidance

SCHEMA = "register.schema.json"
#: Registers grow by a few hundred rows a year; anything this big is not a register.
MAX_REGISTER_BYTES = 20_000_000
LIST_COLUMNS = ("asb_types", "recommendations_to")
DATE_COLUMNS = ("received_on", "decision_on", "review_on", "appeal_received_on",
                "acknowledged_on", "decision_letter_on", "outcome_letter_on")
#: How long a command waits for another one to finish changing the same register.
LOCK_WAIT_SECONDS = 30


def columns(guidance: Guidance) -> tuple[str, ...]:
    """The columns, in the order a new register is written: the project's register schema is their one source."""
    return tuple(load_schema(guidance.root, SCHEMA)["properties"])


def required_columns(guidance: Guidance) -> tuple[str, ...]:
    return tuple(load_schema(guidance.root, SCHEMA)["required"])


def asb_types(guidance: Guidance) -> tuple[str, ...]:
    """The ASB type ids the application form offers, in its order (the form is their one source)."""
    question = guidance.forms["application"].question_at(("asb_types",))
    return tuple(o.value for o in question.options)


@dataclass(frozen=True)
class Case:
    """One application as the register records it; empty cells are None or ()."""

    path: str
    line: int
    case_ref: str
    council: str
    received_on: dt.date
    basis: str
    decision: str
    asb_types: tuple[str, ...] = ()
    hate_incident: bool | None = None
    assessment: str | None = None      # the kit's judgement when the case was opened
    decision_on: dt.date | None = None
    review_on: dt.date | None = None
    recommendations: bool | None = None
    recommendations_to: tuple[str, ...] = ()
    appeal_received_on: dt.date | None = None
    appeal_result: str | None = None
    acknowledged_on: dt.date | None = None
    decision_letter_on: dt.date | None = None
    outcome_letter_on: dt.date | None = None

    @property
    def dates(self) -> list[dt.date]:
        return [d for d in (getattr(self, c) for c in DATE_COLUMNS) if d is not None]


@dataclass
class _Row:
    line: int
    cells: dict[str, str]
    start: int  # character offsets of the row's text in the file, for byte-exact rewrites
    end: int


# -- reading -------------------------------------------------------------------------------------

def _lines(text: str) -> list[str]:
    """Lines with their endings (\\n, \\r\\n or \\r), as csv and a byte-exact rewrite need them."""
    return io.StringIO(text, newline="").readlines()


def _split_rows(text: str, shown: str, known: tuple[str, ...]) -> tuple[list[str] | None, list[_Row], list[Problem]]:
    """Header and rows with their first line and text span; a quote left open is a located problem."""
    lines = _lines(text)
    offsets = [0]
    for piece in lines:
        offsets.append(offsets[-1] + len(piece))
    reader = csv.reader(lines, strict=True)
    header: list[str] | None = None
    rows: list[_Row] = []
    problems: list[Problem] = []
    consumed = 0
    while True:
        first = consumed + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(shown, first, f"this row cannot be read as CSV ({exc}); check its quotes"))
            break
        consumed = reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip() for c in cells]
            header_line = first
            continue
        if len(cells) != len(header):
            problems.append(Problem(shown, first, f"this row has {len(cells)} cells but the header names "
                                                  f"{len(header)} columns; check for a missing or extra comma"))
            continue
        rows.append(_Row(first, {h: c.strip() for h, c in zip(header, cells)}, offsets[first - 1],
                         offsets[consumed]))
    if header is not None:
        problems = _header_problems(header, shown, header_line, known) + problems
    return header, rows, problems


def _header_problems(header: list[str], shown: str, line: int, known: tuple[str, ...]) -> list[Problem]:
    problems = []
    for name in dict.fromkeys(h for h in header if header.count(h) > 1):
        problems.append(Problem(shown, line, f"the column '{name}' appears twice in the header"))
    for name in header:
        if name not in known:
            hint = difflib.get_close_matches(name, known, n=1)
            problems.append(Problem(shown, line, f"the header names an unknown column '{name}'" + (
                f" — did you mean '{hint[0]}'?" if hint else
                "; the register holds only the columns in schemas/register.schema.json (never names or addresses)")))
    missing = [name for name in known if name not in header]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        problems.append(Problem(shown, line, (f"the column {names} is missing" if len(missing) == 1 else
                                              f"the columns {names} are missing") + " from the header; "
                                             "every register has all the columns, left empty when not known"))
    return problems


def _as_row_data(row: _Row) -> LineDict:
    """The row as the schema sees it: empty cells left out, list columns split at ';'."""
    data = LineDict()
    data.line, data.key_lines = row.line, {}
    for key, value in row.cells.items():
        if value == "":
            continue
        if key in LIST_COLUMNS:
            data[key] = [part.strip() for part in value.split(";") if part.strip()]
        else:
            data[key] = value
        data.key_lines[key] = row.line
    return data


def _required_problems(row: _Row, shown: str, guidance: Guidance) -> list[Problem]:
    return [Problem(shown, row.line, f"the cell '{name}' is empty; every row needs a {name.replace('_', ' ')}")
            for name in required_columns(guidance) if not row.cells.get(name)]


def _to_case(shown: str, row: _Row) -> Case:
    def date(name: str) -> dt.date | None:
        value = row.cells.get(name, "")
        return dt.date.fromisoformat(value) if value else None

    def listed(name: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in row.cells.get(name, "").split(";") if p.strip())

    def yes_no(name: str) -> bool | None:
        value = row.cells.get(name, "")
        return None if not value else value == "yes"

    c = row.cells
    return Case(path=shown, line=row.line, case_ref=c["case_ref"], council=c["council"],
                received_on=date("received_on"), basis=c["basis"], decision=c["decision"],
                asb_types=listed("asb_types"), hate_incident=yes_no("hate_incident"),
                assessment=c.get("assessment") or None,
                decision_on=date("decision_on"), review_on=date("review_on"),
                recommendations=yes_no("recommendations"), recommendations_to=listed("recommendations_to"),
                appeal_received_on=date("appeal_received_on"), appeal_result=c.get("appeal_result") or None,
                acknowledged_on=date("acknowledged_on"), decision_letter_on=date("decision_letter_on"),
                outcome_letter_on=date("outcome_letter_on"))


def _plausible_from(guidance: Guidance) -> dt.date:
    """No application predates the first approved guidance in force."""
    return min(v.effective_from for v in guidance.versions if v.is_approved and v.effective_from)


def case_problems(case: Case, guidance: Guidance, today: dt.date | None = None) -> list[Problem]:
    """Rules across the columns of one row, which no schema can express."""
    today = today or dt.date.today()
    where = (case.path, case.line)
    out: list[Problem] = []

    def say(message: str) -> None:
        out.append(Problem(*where, message))

    if case.council not in guidance.councils:
        hint = difflib.get_close_matches(case.council, list(guidance.councils), n=1)
        say(f"the council '{case.council}' is not one of the councils in guidance/councils/"
            + (f" — did you mean '{hint[0]}'?" if hint else ""))
    earliest = _plausible_from(guidance)
    for name in DATE_COLUMNS:
        value = getattr(case, name)
        if value is None:
            continue
        if value > today:
            say(f"{name} is {value.isoformat()}, which is after today; check the year")
        elif value < earliest:
            say(f"{name} is {value.isoformat()}, before the Community Trigger guidance first took effect "
                f"({earliest.isoformat()}); check the year")
    for name in DATE_COLUMNS[1:]:
        value = getattr(case, name)
        if value is not None and value < case.received_on:
            say(f"{name} ({value.isoformat()}) is before the application was received "
                f"({case.received_on.isoformat()})")
    decided = case.decision in ("threshold_met", "threshold_not_met")
    if decided and case.decision_on is None:
        say(f"the decision is '{case.decision}' but decision_on is empty; write the date it was decided")
    if case.decision == "pending" and case.decision_on is not None:
        say("decision_on has a date but the decision is 'pending'; write the decision or clear the date")
    if case.review_on is not None:
        if case.decision != "threshold_met":
            say(f"a case review is recorded (review_on {case.review_on.isoformat()}) but the decision is "
                f"'{case.decision}'; a review is held only when the threshold was met")
        elif case.decision_on is not None and case.review_on < case.decision_on:
            say(f"the review (review_on {case.review_on.isoformat()}) is before the threshold decision "
                f"(decision_on {case.decision_on.isoformat()})")
    if case.recommendations is not None and case.review_on is None:
        say("recommendations is filled in but no review is recorded (review_on is empty)")
    if case.recommendations_to and case.recommendations is not True:
        say("recommendations_to names bodies but recommendations is not 'yes'")
    if case.appeal_result is not None and case.appeal_received_on is None:
        say("appeal_result is filled in but appeal_received_on is empty")
    if case.decision_letter_on is not None and case.decision_on is not None and case.decision_letter_on < case.decision_on:
        say(f"the decision letter (decision_letter_on {case.decision_letter_on.isoformat()}) is dated before "
            f"the decision (decision_on {case.decision_on.isoformat()})")
    if case.outcome_letter_on is not None and (case.review_on is None or case.outcome_letter_on < case.review_on):
        say("outcome_letter_on is set but it is not on or after a recorded review (review_on)")
    return out


def _row_problems(shown: str, row: _Row, guidance: Guidance, today: dt.date | None) -> tuple[Case | None, list[Problem]]:
    problems = _required_problems(row, shown, guidance)
    problems += [p for p in schema_problems(guidance.root, _as_row_data(row), SCHEMA, shown)
                 if "the required key" not in p.message]
    if problems:
        return None, problems
    case = _to_case(shown, row)
    return case, case_problems(case, guidance, today)


@dataclass
class Register:
    path: str
    header: list[str]
    cases: list[Case]


def _read_rows(path: Path, shown: str, guidance: Guidance) -> tuple[str, list[str], list[_Row]] | list[Problem]:
    """A register's text, header and rows, or the problems that stop it being read."""
    text, problems = read_text(path, shown, MAX_REGISTER_BYTES)
    if text is None:
        return problems
    header, rows, problems = _split_rows(text, shown, columns(guidance))
    if header is None:
        return [Problem(shown, 1, "the file has no header row; the first row names the columns")]
    return problems or (text, header, rows)


def load_register(path: Path, guidance: Guidance, shown: str | None = None,
                  today: dt.date | None = None) -> tuple[Register | None, list[Problem]]:
    """Read and check one register; `None` unless it is free of errors."""
    shown = shown or path.as_posix()
    read = _read_rows(path, shown, guidance)
    if isinstance(read, list):
        return None, read
    _text, header, rows = read
    problems: list[Problem] = []
    cases: list[Case] = []
    for row in rows:
        case, found = _row_problems(shown, row, guidance, today)
        problems += found
        if case is not None:
            cases.append(case)
    problems += duplicate_problems(cases)
    return (None if problems else Register(shown, header, cases)), problems


def duplicate_problems(cases: Iterable[Case]) -> list[Problem]:
    """A case counted twice would inflate every figure: each case_ref appears once in all registers read."""
    seen: dict[str, Case] = {}
    out = []
    for case in cases:
        first = seen.setdefault(case.case_ref, case)
        if first is not case:
            where = f"line {first.line}" if first.path == case.path else f"{first.path}:{first.line}"
            out.append(Problem(case.path, case.line, f"the case reference '{case.case_ref}' is already used "
                                                     f"on {where}; each application has its own reference"))
    return out


def load_registers(paths: Iterable[Path], guidance: Guidance,
                   today: dt.date | None = None) -> tuple[list[Case], list[Problem]]:
    """Every case of every register, or the problems that stop any figure being published."""
    cases: list[Case] = []
    problems: list[Problem] = []
    for path in paths:
        register, found = load_register(Path(path), guidance, today=today)
        problems += found
        if register is not None:
            cases += register.cases
    if not problems:
        problems += duplicate_problems(cases)
    return ([] if problems else cases), problems


# -- writing: one row, under the register's lock -----------------------------------------------

@dataclass
class RegisterText:
    """A register as read for a change, under its lock: the text, its header and its rows."""

    shown: str
    text: str
    header: list[str]
    rows: list[_Row]

    def row(self, case_ref: str) -> _Row | None:
        return next((r for r in self.rows if r.cells.get("case_ref") == case_ref), None)

    def case(self, case_ref: str, guidance: Guidance, today: dt.date | None = None) -> tuple[Case | None, list[Problem]]:
        """The checked case of this reference, or the problems of its row (or that there is none)."""
        row = self.row(case_ref)
        if row is None:
            return None, [Problem(self.shown, None, f"there is no case '{case_ref}' in this register; "
                                                    "check the reference (it is printed by ctkit case open)")]
        return _row_problems(self.shown, row, guidance, today)


@dataclass(frozen=True)
class RowChange:
    """What to write: the row of `case_ref` with these cells set (the others kept), or a new row."""

    case_ref: str
    cells: dict[str, str]
    new: bool = False


def next_reference(council_id: str, received_on: dt.date, register: RegisterText) -> str:
    """COUNCIL-YYYYMMDD-n: the next number among the applications received that day."""
    prefix = f"{council_id.upper()}-{received_on:%Y%m%d}-"
    used = {r.cells.get("case_ref", "") for r in register.rows}
    n = 1
    while f"{prefix}{n}" in used:
        n += 1
    return f"{prefix}{n}"


def _line_ending(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _format_row(header: list[str], cells: dict[str, str], ending: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=ending).writerow([cells.get(h, "") for h in header])
    return buffer.getvalue()


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


def change_register(path: Path, guidance: Guidance, change: Callable[[RegisterText], RowChange | list[Problem]],
                    today: dt.date | None = None, create: bool = False,
                    verb: str = "changed") -> tuple[RowChange | None, list[Problem]]:
    """Read the register, let `change` say what to write, check the new row, and write it: all under the lock.

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


def _change_locked(real: Path, shown: str, guidance: Guidance, change: Callable[[RegisterText], RowChange | list[Problem]],
                   today: dt.date, verb: str) -> tuple[RowChange | None, list[Problem]]:
    bom = ""
    if real.exists():
        read = _read_rows(real, shown, guidance)
        if isinstance(read, list):
            return None, read
        text, header, rows = read
        bom = "\ufeff" if real.read_bytes()[:3] == b"\xef\xbb\xbf" else ""
    else:
        text, header, rows = "", list(columns(guidance)), []
    register = RegisterText(shown, text, header, rows)
    wanted = change(register)
    if isinstance(wanted, list):
        return None, wanted
    target = None if wanted.new else register.row(wanted.case_ref)
    if not wanted.new and target is None:
        return None, register.case(wanted.case_ref, guidance, today)[1]
    cells = dict(target.cells) if target else {h: "" for h in header}
    cells.update(wanted.cells, case_ref=wanted.case_ref)
    if target is not None and cells == target.cells:
        return wanted, []  # nothing changes, so not a byte is written
    line = target.line if target else len(_lines(text)) + 1 + (0 if text else 1)
    _case, problems = _row_problems(shown, _Row(line, cells, 0, 0), guidance, today)
    if problems:
        return None, [Problem(p.path, p.line, f"case {wanted.case_ref} was not {verb}: {p.message}") for p in problems]
    ending = _line_ending(text)
    formatted = _format_row(header, cells, ending)
    if target is not None:
        new_text = text[:target.start] + formatted + text[target.end:]
    elif not text:
        new_text = _format_row(header, {h: h for h in header}, ending) + formatted
    else:
        new_text = text + ("" if text.endswith(("\n", "\r")) else ending) + formatted
    _write_atomically(real, bom + new_text)
    return wanted, []


def read_case(path: Path, guidance: Guidance, case_ref: str,
              today: dt.date | None = None) -> tuple[Case | None, list[Problem]]:
    """One case of a register, read without the lock (a register is only ever replaced whole)."""
    path = Path(path)
    shown = path.as_posix()
    text, problems = read_text(path, shown, MAX_REGISTER_BYTES)
    if text is None:
        return None, problems
    header, rows, problems = _split_rows(text, shown, columns(guidance))
    if header is None:
        return None, [Problem(shown, 1, "the file has no header row; the first row names the columns")]
    if problems:
        return None, problems
    case, problems = RegisterText(shown, text, header, rows).case(case_ref, guidance, today)
    return (None if problems else case), problems
