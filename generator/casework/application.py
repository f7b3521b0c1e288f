"""The application behind a case: found from the register, judged as of its date, and checked to be that case's.

Letters take the names and addresses from it (never kept in the register), and `ctkit case
due` the answers still to chase. The file is the one `--application` names, else the one the
register keeps for the case (`ctkit case open` records its path, or its copy in the case
folder). The judgement is the judge's own, made as of the date the register records, so
the letter, the report and the list agree.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, Stop
from ..judge.judgement import Judgement, judge_submission
from ..judge.reports import error_line
from ..judge.submissions import read_submission
from ..model import Guidance
from ..monitoring.register import Case, asb_types
from ..text_safety import shown
from .opening import application_path

#: Answers the SPOC fills in, never asked of the applicant.
OFFICE_ANSWERS = ("/received_on", "/case_ref")
@dataclass
class Application:
    path: Path
    data: dict
    judgement: Judgement

    @property
    def shown(self) -> str:
        return shown(self.path.as_posix(), 300)


def application_file(case: Case, given: Path | None) -> Path:
    """--application, else the file the register keeps for the case; Stop with a sentence when there is neither."""
    if given is not None:
        return given
    if not case.application:
        raise Stop.usage(f"the register keeps no application file for case {case.case_ref}; give it with "
                         "--application FILE (ctkit case open keeps it from now on)")
    path = application_path(Path(case.path), case.application)
    if not path.is_file():
        raise Stop(Problem(case.path, case.line, f"the application of case {case.case_ref} is kept at "
                                                 f"{shown(path.as_posix(), 300)}, but there is no file there; give "
                                                 "it with --application FILE, or put it back"))
    return path


def _same_case(case: Case, j: Judgement, guidance: Guidance) -> list[str]:
    """What in the application contradicts the register (a letter to the wrong person is worse than none)."""
    known = asb_types(guidance)
    types = tuple(t for t in j.asb_types if t in known)
    out = []
    if j.case_ref and j.case_ref != case.case_ref:
        out.append(f"it gives the case reference {shown(j.case_ref, 40)}")
    if j.basis and j.basis != case.basis:
        out.append(f"it says the basis is {j.basis}, the register {case.basis}")
    if sorted(types) != sorted(case.asb_types):
        out.append("its types of anti-social behaviour are not the register's")
    if j.hate_incident is not None and case.hate_incident is not None and j.hate_incident != case.hate_incident:
        out.append("its hate incident answer is not the register's")
    return out


def case_application(guidance: Guidance, case: Case, given: Path | None, today: dt.date) -> Application:
    """The case's application, read and judged as of the date received; Stop when it is not this case's."""
    path = application_file(case, given)
    file = shown(path.as_posix(), 300)
    sub = read_submission(path, guidance)
    j = judge_submission(sub, guidance, file, case.received_on, today)
    if not j.judged:
        raise Stop(Problem(file, None, j.summary))
    different = _same_case(case, j, guidance)
    if different:
        raise Stop(Problem(file, None, f"this does not look like the application of case {case.case_ref}: "
                                       + "; ".join(different) + ". Check that it is the right file."))
    return Application(path, sub.data or {}, j)


def missing_answers(j: Judgement) -> list[str]:
    """What the applicant must still be asked for, in the form's words (never the office's own answers)."""
    last = {e.pointer: e for e in j.errors if e.pointer and e.pointer not in OFFICE_ANSWERS}
    return [error_line(e) for e in last.values()]   # one line an answer: the form's most particular rule is last
