"""Opening a case: judge the application and add its row to the council's register.

The row records what the kit can know on the day: the date received, who applied, the
types of ASB, the hate flag, the kit's `assessment`, who looks after it (`owner`), where the
application is kept, and its fingerprint. The bodies' `decision` starts as `pending`: the kit
advises, the relevant bodies decide (`ctkit case decide`). No name, address or description
reaches the register.

A form sent twice is one application: its fingerprint (`monitoring.fingerprint`, a keyed
hash of the applicant's name, address and incidents) matches the first case's, whatever
date it is given, and it is not opened again. Two neighbours' forms about the same street on
the same day have different fingerprints, and each is opened.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, Stop
from ..judge.judgement import Judgement
from ..model import Council, Guidance
from ..model.case_states import Assessment, Decision
from ..monitoring.fingerprint import fingerprint, register_key
from ..monitoring.register import Case, Register, asb_types
from ..monitoring.register_write import RowChange, change_register, next_reference
from ..text_safety import FORMULA_STARTS

#: The longest path the register keeps for an application (its schema's limit).
MAX_PATH_CHARS = 500


@dataclass
class Opened:
    case_ref: str | None
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    case: Case | None = None
    duplicate_of: str | None = None    # refused because the register already holds it: that case's reference

    @property
    def opened(self) -> bool:
        return self.case_ref is not None and not self.problems


@dataclass(frozen=True)
class Keeping:
    """How the SPOC keeps the case: who owns it, where its application is, and the fingerprint key."""

    application: Path | None = None    # the file opened; its path is kept unless it is copied
    case_folder: Path | None = None    # copy the application into CASE_FOLDER/REF/ and keep that path
    # Or an application that exists nowhere else (decrypted from the inbox): (file name, bytes) written into
    # CASE_FOLDER/REF/ only once the case is known to be new; the first is the path kept.
    contents: tuple[tuple[str, bytes], ...] = ()
    owner: str | None = None
    key: Path | None = None            # the fingerprint key file (default: REGISTER.key)


def refuses_applications(council: Council) -> Problem | None:
    """A body that takes no applications (the lead that holds the policy): no case or letter goes in its name."""
    if council.takes_applications:
        return None
    return Problem("", None, f"{council.name} takes no applications (its file says applications: false); name "
                             "the council whose single point of contact received it (--council ID).")


def spoc_council(guidance: Guidance, council_id: str | None, what: str) -> Council:
    """The council whose SPOC received an application, named on the command line by `what` (--council ID)."""
    if not council_id:
        raise Stop.usage(f"{what} needs --council ID: the council whose SPOC received the application "
                         "(its register, its letterhead).")
    council = guidance.council(council_id)
    refused = refuses_applications(council)
    if refused:
        raise Stop(refused, status=2)
    return council


def row_cells(j: Judgement, council: Council, guidance: Guidance) -> dict[str, str]:
    known = asb_types(guidance)
    hate = j.hate_incident
    return {
        "council": council.id,
        "received_on": j.received_on.isoformat() if j.received_on else "",
        "basis": j.basis or "",
        "asb_types": ";".join(t for t in j.asb_types if t in known),
        "hate_incident": "yes" if hate is True else "no" if hate is False else "",
        "assessment": j.decision,
        "decision": Decision.PENDING,
    }


def _text(data: dict | None, *path: str) -> str:
    node: Any = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, str) else ""


def form_fingerprint(key: bytes, j: Judgement, data: dict | None) -> str | None:
    incidents = [(e.occurred_on.isoformat() if e.occurred_on else "", e.reported_on.isoformat() if e.reported_on else "",
                  e.reported_to or "") for e in j.entries]
    return fingerprint(key, _text(data, "applicant", "name"), _text(data, "applicant", "address"),
                       _text(data, "applicant", "postcode"), incidents)


def _why_not(j: Judgement) -> str | None:
    if j.decision == "internal_error":
        return "the kit failed while judging it (a fault in the kit, not in the file: please report it)"
    if not j.judged:
        return "it could not be read as a form, so there is nothing to record"
    if j.decision not in tuple(Assessment):
        return f"the kit's judgement is '{j.decision}'"
    if j.received_on_source == "file_date":
        return ("the date it was received is not known, and every deadline counts from it; give it with "
                "--received YYYY-MM-DD (or fill in the form's 'Date received')")
    return None


def kept_path(path: Path, register: Path) -> str | None:
    """The application's path as the register keeps it: relative to the register's folder when inside it."""
    real, folder = Path(os.path.realpath(path)), Path(os.path.realpath(register)).parent
    text = real.relative_to(folder).as_posix() if real.is_relative_to(folder) else real.as_posix()
    fits = len(text) <= MAX_PATH_CHARS and not text.startswith(FORMULA_STARTS) and text.isprintable()
    return text if fits else None


def application_path(register: Path, kept: str) -> Path:
    """The application file a row names, found from the register's folder."""
    path = Path(kept)
    return path if path.is_absolute() else Path(os.path.realpath(register)).parent / path


def _twin(reg: Register, fp: str | None):
    return next((c for c in reg.cases if fp and c.fingerprint == fp and c.decision != Decision.WITHDRAWN), None)


def open_judged(j: Judgement, council: Council, register: Path, guidance: Guidance, ref: str | None = None,
                today: dt.date | None = None, data: dict | None = None, keeping: Keeping = Keeping()) -> Opened:
    """Add the row for one judged application; the reference is the form's, `ref`, or the next free one."""
    shown = Path(register).as_posix()
    why = _why_not(j)
    if why:
        return Opened(None, [Problem(shown, None, f"{j.file} was not opened as a case: {why}.")])
    key, notes, problems = register_key(register, keeping.key)
    if key is None:
        return Opened(None, problems)
    cells = row_cells(j, council, guidance)
    fp = form_fingerprint(key, j, data)
    cells.update(fingerprint=fp or "", owner=(keeping.owner or "").strip())
    wanted = (ref or j.case_ref or "").strip()
    copied: list[Path] = []
    duplicate: list[str] = []

    def change(reg: Register) -> RowChange | list[Problem]:
        if wanted and reg.row(wanted) is not None:
            duplicate.append(wanted)
            return [Problem(shown, reg.row(wanted).line, f"case {wanted} is already in the register, so {j.file} was "
                                                         "not opened again; use ctkit case acknowledge, decide, review "
                                                         "or outcome for its next step")]
        twin = _twin(reg, fp)
        if twin is not None:
            duplicate.append(twin.case_ref)
            return [Problem(shown, twin.line, f"case {twin.case_ref} (received {twin.received_on.isoformat()}) has the "
                                              f"same applicant, address and incidents as {j.file}, so it was not "
                                              "opened again: a form sent twice is one application. Record its next "
                                              f"step on case {twin.case_ref}")]
        case_ref = wanted or next_reference(council.id, j.received_on, reg)
        where = _keep_application(keeping, register, case_ref, copied)
        if isinstance(where, Problem):
            return [where]
        return RowChange(case_ref, {**cells, "application": where or ""}, new=True)

    done, problems = change_register(register, guidance, change, today, create=True, verb="opened")
    if problems:
        for path in copied:
            path.unlink(missing_ok=True)
        return Opened(None, problems, duplicate_of=duplicate[-1] if duplicate else None)
    kept = keeping.application is not None or keeping.contents
    more = [] if not kept or done.change.cells.get("application") else [
        "the application's path cannot be kept in the register (it is too long or starts like a formula), so "
        "give it to each letter with --application FILE"]
    return Opened(done.case_ref, [], notes + done.notes + more, done.case)


def _keep_application(keeping: Keeping, register: Path, case_ref: str, copied: list[Path]) -> str | Problem | None:
    """The path the row keeps: the application's own, or that of its copy in the case folder."""
    if keeping.contents:
        return _write_into_case_folder(keeping.case_folder / case_ref, keeping.contents, register, case_ref, copied)
    source = keeping.application
    if source is None:
        return None
    if keeping.case_folder is None:
        return kept_path(source, register)
    try:
        data = source.read_bytes()
    except OSError as exc:
        return Problem(source.as_posix(), None, f"the application could not be read to copy it into the case folder "
                                                f"({exc.strerror or exc}); the case was not opened")
    return _write_into_case_folder(keeping.case_folder / case_ref, ((f"application{source.suffix.lower()}", data),),
                                   register, case_ref, copied)


def _write_into_case_folder(folder: Path, contents: tuple[tuple[str, bytes], ...], register: Path, case_ref: str,
                            copied: list[Path]) -> str | Problem:
    """Write the application's files into CASE_FOLDER/REF/, never over a file, readable by the SPOC's account only;
    the path of the first."""
    for name, data in contents:
        target = folder / name
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            copied.append(target)
            with os.fdopen(fd, "wb") as written:
                written.write(data)
        except FileExistsError:
            return Problem(target.as_posix(), None, f"a file is already there for case {case_ref}; nothing was "
                                                    "written over it, and the case was not opened")
        except OSError as exc:
            return Problem(target.as_posix(), None, f"the application could not be written into the case folder "
                                                    f"({exc.strerror or exc}); the case was not opened")
    return kept_path(folder / contents[0][0], register)
