"""`ctkit case open --inbox`: each application sent online, opened on the SPOC's computer as a case.

The receiver left each one in the inbox encrypted to the SPOC's key (receiving/inbox.py). Here
it is decrypted in memory, judged like any returned form, and opened as a case: received on
the day it arrived (UK time), under the reference the resident was given. Its two files, the
answers (with those two office answers written in) and the PDF as sent, are written only into
the SPOC's case folder, CASE_FOLDER/REF/, where letters and the morning list find them; nothing
readable is written anywhere else. The inbox file then moves to done/.

Each file is handled on its own, and the batch goes on: a file for another council, or one that
cannot be opened with this key, is left where it is with one sentence. A submission the register
already holds (the same reference, after a run that stopped before moving it; or the same
applicant and incidents sent twice, by its fingerprint) is not opened again, and moves to done/.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from pyrage import x25519

from ..errors import Problem, display_path
from ..judge.judgement import Judgement, internal_error, judge_submission
from ..model import Council, Guidance
from ..monitoring.register import Case
from ..receiving.inbox import Arrival, move_to_done, open_arrival, waiting
from .opening import Keeping, open_judged

#: The files of an application sent online, as the case folder keeps them; the first is the one the register names.
FILED_AS = ("application.json", "application.pdf")


@dataclass
class Handled:
    """What became of one inbox file: opened as `case_ref`, already in the register, or left (`problem`)."""

    path: Path
    case_ref: str | None = None
    reference: str = ""                 # the one the resident was given (the case's, unless sent twice)
    received_at: dt.datetime | None = None
    judgement: Judgement | None = None
    case: Case | None = None
    already: bool = False
    problem: Problem | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def opened(self) -> bool:
        return self.case_ref is not None and not self.already and self.problem is None


def filed_answers(data: dict) -> bytes:
    """The answers as the case folder keeps them: as sent, with the date received and the reference put in."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _judge(arrival: Arrival, guidance: Guidance, shown: str) -> tuple[dict | None, Judgement]:
    sub = arrival.answers()
    try:
        return sub.data, judge_submission(sub, guidance, shown, None)
    except Exception:  # noqa: BLE001 - the kit's own fault, said as such; the batch goes on
        if os.environ.get("CTKIT_DEBUG"):
            raise
        return sub.data, internal_error(shown)


def _left(path: Path, sentence: str) -> Handled:
    return Handled(path, problem=Problem(display_path(path), None, sentence + "; it was left in the inbox"))


def already_said(handled: Handled) -> str:
    """Why a submission the register already holds was not opened again (it has moved to done/)."""
    if handled.reference == handled.case_ref:
        return (f"{handled.reference} is already in the register (a run stopped before moving it), so it was not "
                "opened again; moved to done/.")
    return (f"{handled.reference} has the same applicant, address and incidents as case {handled.case_ref}, so it "
            f"was not opened again: a form sent twice is one application, and the resident may quote "
            f"{handled.reference} for it; moved to done/.")


def _moved(handled: Handled) -> Handled:
    """Move a handled file to done/; when that fails it stays, and is recognised by its reference next time."""
    try:
        move_to_done(handled.path)
    except OSError as exc:
        handled.notes.append(f"{display_path(handled.path)} could not be moved to done/ ({exc.strerror or exc}); "
                             "it is not opened again, because the register has its reference")
    return handled


def open_one(path: Path, identity: x25519.Identity, guidance: Guidance, council: Council, register: Path,
             keeping: Keeping) -> Handled:
    arrival = open_arrival(path, identity)
    if isinstance(arrival, Problem):
        return Handled(path, problem=Problem(arrival.path, None, arrival.message + "; it was left in the inbox"))
    if arrival.council != council.id:
        other = guidance.councils.get(arrival.council)
        named = f"{other.name} ({other.id})" if other else f"a council this kit does not know ('{arrival.council[:40]}')"
        return _left(path, f"is an application for {named}, not for {council.name}, so it is for that council's "
                           "SPOC to open")
    data, j = _judge(arrival, guidance, display_path(path))
    files = (filed_answers(data or {}), arrival.application_pdf)
    keeping = Keeping(case_folder=keeping.case_folder, owner=keeping.owner, key=keeping.key,
                      contents=tuple(zip(FILED_AS, files)))
    opened = open_judged(j, council, register, guidance, data=data, keeping=keeping)
    if opened.duplicate_of:
        return _moved(Handled(path, opened.duplicate_of, arrival.reference, arrival.received_at, j, already=True))
    if not opened.opened:
        return _left(path, "was not opened as a case (" + "; ".join(str(p) for p in opened.problems) + ")")
    return _moved(Handled(path, opened.case_ref, arrival.reference, arrival.received_at, j, opened.case,
                          notes=opened.notes))


def open_inbox(inbox: Path, identity: x25519.Identity, guidance: Guidance, council: Council, register: Path,
               keeping: Keeping) -> Iterator[Handled]:
    """Each submission waiting in the inbox, oldest first, handled as it comes."""
    for path in waiting(inbox):
        yield open_one(path, identity, guidance, council, register, keeping)
