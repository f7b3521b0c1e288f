"""The SPOC's case register: read it and check it, the same way for every command that reads or writes it.

The register is a CSV file the SPOC keeps outside the published site, one row per
application, no names or addresses (columns: schemas/register.schema.json). Statutory
figures are only as good as this file, so every problem is reported as `file:line: sentence`
and a register with any error publishes nothing, lists nothing and takes no change
(`register_write` reads it through `load_register` too).

A register lives beside spreadsheets: Excel and LibreOffice save dates as 25/08/2026, so a date
is read as YYYY-MM-DD or D/M/YYYY, and the row remembers which cells were written the UK
way (a write puts them back as YYYY-MM-DD and says so). Reading and checking are linear in
the size of the file: each cell is checked by a predicate compiled once from the schema, and
the schema's own validator is asked only about a row that fails, for its words.
"""
from __future__ import annotations

import csv
import datetime as dt
import gc
import difflib
import io
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import Problem
from ..loading.schemas import load_schema, schema_file, schema_problems
from ..loading.sources import LineDict, read_text
from ..model import Guidance
from ..model.case_states import AppealResult, Decision
from ..model.values import read_date
from .stage_order import order_problems

SCHEMA = "register.schema.json"
#: Registers grow by a few hundred rows a year; anything this big is not a register.
MAX_REGISTER_BYTES = 20_000_000
LIST_COLUMNS = ("asb_types", "recommendations_to")
DATE_COLUMNS = ("received_on", "decision_on", "review_on", "appeal_received_on", "acknowledged_on",
                "decision_letter_on", "outcome_letter_on", "withdrawn_on", "appeal_result_on",
                "recommendations_followed_up_on")


def columns(guidance: Guidance) -> tuple[str, ...]:
    """The columns, in the order a new register is written: the project's register schema is their one source."""
    return tuple(load_schema(guidance.root, SCHEMA)["properties"])


def optional_columns(guidance: Guidance) -> tuple[str, ...]:
    """Columns a register may leave out of its header: those later versions of the kit added."""
    return tuple(load_schema(guidance.root, SCHEMA).get("x-optional-columns", ()))


def required_columns(guidance: Guidance) -> tuple[str, ...]:
    return tuple(load_schema(guidance.root, SCHEMA)["required"])


def asb_types(guidance: Guidance) -> tuple[str, ...]:
    """The ASB type ids the application form offers, in its order (the form is their one source)."""
    question = guidance.forms["application"].question_at(("asb_types",))
    return tuple(o.value for o in question.options)


@lru_cache(maxsize=65536)
def register_date(text: str) -> tuple[str, bool]:
    """A register date as YYYY-MM-DD, and whether it was written D/M/YYYY (as a spreadsheet saves it), by the
    one reading of dates (model.values); text that is no date is kept as it is, for the check to name."""
    reading = read_date(text)
    return (reading.day.isoformat(), reading.uk_order) if reading.day else (text, False)


@dataclass(slots=True)
class Case:
    """One application as the register records it; empty cells are None or (). Not changed once read (a
    change is a new row, `dataclasses.replace`); not frozen only because a frozen class is slow to make, and
    a register has hundreds of thousands of rows."""

    path: str
    line: int
    case_ref: str
    council: str
    received_on: dt.date
    basis: str
    decision: Decision
    asb_types: tuple[str, ...] = ()
    hate_incident: bool | None = None
    assessment: str | None = None      # the kit's judgement when the case was opened
    decision_on: dt.date | None = None
    review_on: dt.date | None = None
    recommendations: bool | None = None
    recommendations_to: tuple[str, ...] = ()
    appeal_received_on: dt.date | None = None
    appeal_result: AppealResult | None = None
    acknowledged_on: dt.date | None = None
    decision_letter_on: dt.date | None = None
    outcome_letter_on: dt.date | None = None
    owner: str | None = None
    fingerprint: str | None = None
    application: str | None = None     # where the application is kept (relative to the register's folder)
    no_acknowledgement: str | None = None
    withdrawn_on: dt.date | None = None
    withdrawal_reason: str | None = None
    appeal_result_on: dt.date | None = None
    recommendations_followed_up_on: dt.date | None = None

    @property
    def dates(self) -> list[dt.date]:
        return [d for d in (getattr(self, c) for c in DATE_COLUMNS) if d is not None]


@dataclass(slots=True)
class Row:
    line: int
    cells: dict[str, str]              # dates already as YYYY-MM-DD
    start: int = 0                     # character offsets of the row's text, for byte-exact rewrites
    end: int = 0
    uk_dates: tuple[str, ...] = ()     # the columns whose date the file writes D/M/YYYY


# -- splitting the text into rows ------------------------------------------------------------------

def _lines(text: str) -> list[str]:
    """Lines with their endings (\\n, \\r\\n or \\r), as csv and a byte-exact rewrite need them."""
    return io.StringIO(text, newline="").readlines()


def _header_problems(header: list[str], shown: str, line: int, known: tuple[str, ...],
                     optional: tuple[str, ...]) -> list[Problem]:
    problems = []
    for name in dict.fromkeys(h for h in header if header.count(h) > 1):
        problems.append(Problem(shown, line, f"the column '{name}' appears twice in the header"))
    for name in header:
        if name not in known:
            hint = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
            problems.append(Problem(shown, line, f"the header names an unknown column '{name}'" + (
                f" — did you mean '{hint[0]}'?" if hint else
                "; the register holds only the columns in schemas/register.schema.json (never names or addresses)")))
    missing = [name for name in known if name not in header and name not in optional]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        problems.append(Problem(shown, line, (f"the column {names} is missing" if len(missing) == 1 else
                                              f"the columns {names} are missing") + " from the header; "
                                             "every register has all the columns, left empty when not known"))
    return problems


@dataclass
class Split:
    header: list[str] | None
    header_end: int                    # where the header's line ends in the text
    rows: list[Row]
    problems: list[Problem]


def split_rows(text: str, shown: str, guidance: Guidance) -> Split:
    """Header and rows, each with its first line and text span; a quote left open is a located problem."""
    lines = _lines(text)
    offsets = [0]
    for piece in lines:
        offsets.append(offsets[-1] + len(piece))
    reader = csv.reader(lines, strict=True)
    header: list[str] | None = None
    header_line = header_end = 1
    rows: list[Row] = []
    problems: list[Problem] = []
    consumed = 0
    dated: list[int] = []
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
        if not any(cells) or not "".join(cells).strip():
            continue
        if header is None:
            header, header_line, header_end = [c.strip() for c in cells], first, offsets[consumed]
            dated = [i for i, h in enumerate(header) if h in DATE_COLUMNS]
            continue
        if len(cells) != len(header):
            problems.append(Problem(shown, first, f"this row has {len(cells)} cells but the header names "
                                                  f"{len(header)} columns; check for a missing or extra comma"))
            continue
        values = [c.strip() for c in cells]
        uk = []
        for i in dated:
            if values[i]:
                values[i], was_uk = register_date(values[i])
                if was_uk:
                    uk.append(header[i])
        rows.append(Row(first, dict(zip(header, values)), offsets[first - 1], offsets[consumed], tuple(uk)))
    if header is not None:
        problems = _header_problems(header, shown, header_line, columns(guidance), optional_columns(guidance)) + problems
    return Split(header, header_end, rows, problems)


# -- checking one row --------------------------------------------------------------------------------

def _predicate(schema: dict, defs: dict) -> Callable[[Any], bool] | None:
    """A fast yes/no for the schema keywords a register uses; None when the schema uses any other."""
    if "$ref" in schema:
        target = defs.get(schema["$ref"].rsplit("/", 1)[-1])
        if target is None:
            return None
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    tests: list[Callable[[Any], bool]] = []
    for key, value in schema.items():
        if key in ("description", "format", "type"):
            continue  # every cell is text; a date's form is its pattern, and the date itself is parsed later
        if key == "enum":
            allowed = frozenset(value)
            tests.append(lambda v, allowed=allowed: isinstance(v, str) and v in allowed)
        elif key == "pattern":
            tests.append(lambda v, rx=re.compile(value): isinstance(v, str) and rx.search(v) is not None)
        elif key == "minLength":
            tests.append(lambda v, n=value: len(v) >= n)
        elif key == "maxLength":
            tests.append(lambda v, n=value: len(v) <= n)
        elif key == "items":
            item = _predicate(value, defs)
            if item is None:
                return None
            tests.append(lambda v, item=item: isinstance(v, list) and all(item(x) for x in v))
        else:
            return None
    return lambda v: all(t(v) for t in tests)


@lru_cache(maxsize=8)
def _predicates(root: Path, mtime_key: int) -> dict[str, Callable[[Any], bool]] | None:
    schema = load_schema(root, SCHEMA)
    out = {}
    for name, prop in schema["properties"].items():
        test = _predicate(prop, schema.get("$defs", {}))
        if test is None:
            return None
        out[name] = test
    return out


def _as_row_data(row: Row) -> LineDict:
    """The row as the schema sees it: empty cells left out, list columns split at ';'."""
    data = LineDict()
    data.line, data.key_lines = row.line, {}
    for key, value in row.cells.items():
        if value == "":
            continue
        data[key] = [p.strip() for p in value.split(";") if p.strip()] if key in LIST_COLUMNS else value
        data.key_lines[key] = row.line
    return data


@lru_cache(maxsize=65536)
def _iso_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _listed(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(";") if p.strip())


#: How each kind of cell becomes a Case field; any other column is text as it is.
_CONVERT: dict[str, Callable[[str], Any]] = {
    **{name: _iso_date for name in DATE_COLUMNS}, **{name: _listed for name in LIST_COLUMNS},
    "hate_incident": lambda v: v == "yes", "recommendations": lambda v: v == "yes",
    "decision": {d.value: d for d in Decision}.__getitem__,
    "appeal_result": {r.value: r for r in AppealResult}.__getitem__,
}


def _to_case(shown: str, row: Row) -> Case:
    """The row's cells as a Case: each non-empty cell through its column's conversion (the row is checked)."""
    return Case(path=shown, line=row.line,
                **{name: _CONVERT[name](value) if name in _CONVERT else value
                   for name, value in row.cells.items() if value})


@dataclass
class RowChecker:
    """Checks rows of one project's register, with everything that does not depend on the row worked out once."""

    guidance: Guidance
    today: dt.date
    required: tuple[str, ...] = ()
    predicates: dict[str, Callable[[Any], bool]] | None = None
    earliest: dt.date = dt.date.min
    _seen: dict[tuple[str, str], bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        root = self.guidance.root
        self.required = required_columns(self.guidance)
        stamp = schema_file(root, SCHEMA).stat().st_mtime_ns
        self.predicates = _predicates(Path(root), stamp)
        self.earliest = min((v.effective_from for v in self.guidance.versions if v.is_approved and v.effective_from),
                            default=dt.date.min)   # a partnership whose first version is still a draft

    def _cell_valid(self, name: str, text: str) -> bool:
        """One cell against its column's schema; a register repeats its values, so each is tested once."""
        known = self._seen.get((name, text))
        if known is None:
            test = self.predicates.get(name) if self.predicates is not None else None
            value = [p.strip() for p in text.split(";") if p.strip()] if name in LIST_COLUMNS else text
            known = test is not None and test(value)
            if name != "case_ref":   # unique in every row: remembering it would only grow the memory
                self._seen[(name, text)] = known
        return known

    def check(self, shown: str, row: Row) -> tuple[Case | None, list[Problem]]:
        problems = [Problem(shown, row.line, f"the cell '{name}' is empty; every row needs a {name.replace('_', ' ')}")
                    for name in self.required if not row.cells.get(name)]
        seen = self._seen
        valid = True
        for name, text in row.cells.items():
            if text and not seen.get((name, text)) and not self._cell_valid(name, text):
                valid = False
                break
        if not valid:
            problems += [p for p in schema_problems(self.guidance.root, _as_row_data(row), SCHEMA, shown)
                         if "the required key" not in p.message]
        try:
            case = None if problems else _to_case(shown, row)
        except ValueError:  # a date that matched the pattern but does not exist
            problems += [p for p in schema_problems(self.guidance.root, _as_row_data(row), SCHEMA, shown)
                         if "the required key" not in p.message]
            case = None
        if case is None:
            return None, problems
        return case, [Problem(shown, row.line, m) for m in self.case_sentences(case)]

    def case_sentences(self, case: Case) -> list[str]:
        """Rules across the columns of one row, which no schema can express."""
        out: list[str] = []
        if case.council not in self.guidance.councils:
            hint = difflib.get_close_matches(case.council, list(self.guidance.councils), n=1)
            out.append(f"the council '{case.council}' is not one of the councils in guidance/councils/"
                       + (f" — did you mean '{hint[0]}'?" if hint else ""))
        dates = case.dates
        if dates and (max(dates) > self.today or min(dates) < self.earliest):
            out += self._out_of_range(case)
        return out + order_problems(case)

    def _out_of_range(self, case: Case) -> list[str]:
        out = []
        for name in DATE_COLUMNS:
            value = getattr(case, name)
            if value is None:
                continue
            if value > self.today:
                out.append(f"{name} is {value.isoformat()}, which is after today; a step is recorded once it has "
                           "happened, so check the date")
            elif value < self.earliest:
                out.append(f"{name} is {value.isoformat()}, before the guidance first took effect "
                           f"({self.earliest.isoformat()}); check the year")
        return out


# -- the whole register ------------------------------------------------------------------------------

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


def council_problems(cases: Iterable[Case], guidance: Guidance) -> list[Problem]:
    """One register, one council: a row of another council would be left out of both councils' figures."""
    first: Case | None = None
    out = []
    for case in cases:
        first = first or case
        if case.council != first.council:
            owner = guidance.councils.get(first.council)
            out.append(Problem(case.path, case.line, f"this register holds the cases of "
                                                     f"{owner.name if owner else first.council} (council "
                                                     f"'{first.council}' from line {first.line}), so a case of "
                                                     f"'{case.council}' does not belong here; keep it in that "
                                                     "council's own register"))
    return out


@dataclass
class Register:
    """A register read and checked: its text (for a byte-exact rewrite), header, rows and cases."""

    path: str
    header: list[str]
    cases: list[Case]
    text: str = ""
    rows: list[Row] = field(default_factory=list)
    header_end: int = 0

    def __post_init__(self) -> None:
        self._rows = {r.cells.get("case_ref"): r for r in self.rows}
        self._cases = {c.case_ref: c for c in self.cases}

    @property
    def council(self) -> str | None:
        return self.cases[0].council if self.cases else None

    def row(self, case_ref: str) -> Row | None:
        return self._rows.get(case_ref)

    def case(self, case_ref: str) -> tuple[Case | None, list[Problem]]:
        case = self._cases.get(case_ref)
        if case is None:
            return None, [Problem(self.path, None, f"there is no case '{case_ref}' in this register; check the "
                                                   "reference (it is printed by ctkit case open)")]
        return case, []


def check_rows(shown: str, rows: list[Row], guidance: Guidance, today: dt.date) -> tuple[list[Case], list[Problem]]:
    """The one check of a register's rows: each row, then the rules across rows. Reads and writes both use it."""
    checker = RowChecker(guidance, today)
    cases: list[Case] = []
    problems: list[Problem] = []
    for row in rows:
        case, found = checker.check(shown, row)
        problems += found
        if case is not None:
            cases.append(case)
    return cases, problems + duplicate_problems(cases) + council_problems(cases, guidance)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Reading a register makes hundreds of thousands of objects and no reference cycles, so Python's cycle
    collector would only walk them again and again as they are made: it is paused while they are."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load_register(path: Path, guidance: Guidance, shown: str | None = None,
                  today: dt.date | None = None) -> tuple[Register | None, list[Problem]]:
    """Read and check one register; `None` unless it is free of errors."""
    shown = shown or Path(path).as_posix()
    text, problems = read_text(Path(path), shown, MAX_REGISTER_BYTES)
    if text is None:
        return None, problems
    with _no_cycle_collection():
        split = split_rows(text, shown, guidance)
        if split.header is None:
            return None, [Problem(shown, 1, "the file has no header row; the first row names the columns")]
        if split.problems:
            return None, split.problems
        cases, problems = check_rows(shown, split.rows, guidance, today or dt.date.today())
    return (None if problems else Register(shown, split.header, cases, text, split.rows, split.header_end)), problems



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


def read_case(path: Path, guidance: Guidance, case_ref: str,
              today: dt.date | None = None) -> tuple[Case | None, list[Problem]]:
    """One case of a register, checked as every read checks it (a register is only ever replaced whole)."""
    register, problems = load_register(Path(path), guidance, today=today)
    if register is None:
        return None, problems
    return register.case(case_ref)
