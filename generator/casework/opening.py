"""Opening a case: judge the application and add its row to the council's register.

The row records what the kit can know on the day: the date received, who applied, the
types of ASB, the hate flag and the kit's `assessment`. The bodies' `decision` starts as
`pending`: the kit advises, the relevant bodies decide (`ctkit case decide`). No name,
address or description reaches the register.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from ..judge.judgement import Judgement
from ..model import Council, Guidance
from ..monitoring.register import RegisterText, RowChange, asb_types, change_register, next_reference

ASSESSMENTS = ("threshold_met", "threshold_not_met", "incomplete")
#: The columns that say which application a row is, without saying who made it.
SAME_APPLICATION = ("council", "received_on", "basis", "asb_types", "hate_incident")


@dataclass
class Opened:
    case_ref: str | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def opened(self) -> bool:
        return self.case_ref is not None and not self.problems


def refuses_applications(council: Council) -> Problem | None:
    """The county council holds the policy but receives no applications: no case or letter goes in its name."""
    if not council.is_county:
        return None
    return Problem("", None, f"{council.name} holds the county-wide policy but handles no applications; name the "
                             "district, borough or city council whose SPOC received it (--council ID).")


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
        "decision": "pending",
    }


def _why_not(j: Judgement) -> str | None:
    if j.decision == "internal_error":
        return "the kit failed while judging it (a fault in the kit, not in the file: please report it)"
    if not j.judged:
        return "it could not be read as a form, so there is nothing to record"
    if j.decision not in ASSESSMENTS:
        return f"the kit's judgement is '{j.decision}'"
    if j.received_on_source == "file_date":
        return ("the date it was received is not known, and every deadline counts from it; give it with "
                "--received YYYY-MM-DD (or fill in the form's 'Date received')")
    return None


def open_judged(j: Judgement, council: Council, register: Path, guidance: Guidance,
                ref: str | None = None, today: dt.date | None = None) -> Opened:
    """Add the row for one judged application; the reference is the form's, `ref`, or the next free one."""
    shown = Path(register).as_posix()
    why = _why_not(j)
    if why:
        return Opened(None, [Problem(shown, None, f"{j.file} was not opened as a case: {why}.")])
    cells = row_cells(j, council, guidance)
    wanted = (ref or j.case_ref or "").strip()

    def change(reg: RegisterText) -> RowChange | list[Problem]:
        if wanted:
            existing = reg.row(wanted)
            if existing is not None:
                return [Problem(shown, existing.line, f"case {wanted} is already in the register, so {j.file} was "
                                                      "not opened again; use ctkit case acknowledge, decide, review "
                                                      "or outcome for its next step")]
            return RowChange(wanted, cells, new=True)
        twin = next((r for r in reg.rows if all(r.cells.get(k, "") == cells[k] for k in SAME_APPLICATION)), None)
        if twin is not None:
            return [Problem(shown, twin.line, f"case {twin.cells.get('case_ref')} has the same date received, basis, "
                                              f"types of ASB and hate flag as {j.file}, so it was not opened "
                                              "twice; if it is a different application, give it its own reference "
                                              "with --ref")]
        return RowChange(next_reference(council.id, j.received_on, reg), cells, new=True)

    done, problems = change_register(register, guidance, change, today, create=True, verb="opened")
    return Opened(done.case_ref if done else None, problems)
