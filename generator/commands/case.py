"""`ctkit case`: a case from opening to outcome in the council's register, what is due, and the letters.

Each verb is one step; the order and the dates are checked by `casework.stages`, and every
change is one locked read-modify-write of the register (`monitoring.register.change_register`).
Exit status: 0 done, 1 not recorded (the sentence says why), 2 a usage mistake.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from ..casework import stages
from ..casework.due import Due, due_for_case, due_list
from ..casework.kinds import LETTER_KINDS
from ..casework.letters import case_letter
from ..casework.opening import open_judged, refuses_applications
from ..dates import longdate, weekday_date, working_days
from ..errors import Problem, Stop
from ..judge.judgement import Judgement, internal_error, judge_submission, unreadable
from ..judge.submissions import read_submission
from ..model import Council, Guidance
from ..model.values import read_date
from ..monitoring.register import change_register, load_registers, read_case
from ..text_safety import csv_text, shown
from .common import check_output, load_guidance, say, write_file

DUE_COLUMNS = ["case_ref", "council", "step", "label", "due_on", "overdue", "working_days_left"]


def date_option(name: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    reading = read_date(value)
    if reading.day is None:
        raise Stop.usage(f"{name} {reading.why}")
    return reading.day


def judge_file(path: Path, guidance: Guidance, received: dt.date | None) -> tuple[dict | None, Judgement]:
    """The application's data and its judgement. A file that cannot be read is a judgement saying so; a
    failure of the judge itself is an internal error asking to be reported, never "may be damaged"."""
    file = shown(path.as_posix(), 300)
    try:
        sub = read_submission(path, guidance)
    except Exception:  # noqa: BLE001 - one bad file is a sentence, never a traceback
        if os.environ.get("CTKIT_DEBUG"):
            raise
        return None, unreadable(file, "the kit could not read it (it may be damaged).")
    try:
        return sub.data, judge_submission(sub, guidance, file, received)
    except Exception:  # noqa: BLE001 - the kit's own fault: said as such, and the batch goes on
        if os.environ.get("CTKIT_DEBUG"):
            raise
        return sub.data, internal_error(file)


def spoc_council(guidance: Guidance, council_id: str | None, what: str) -> Council:
    if not council_id:
        raise Stop.usage(f"{what} needs --council ID: the council whose SPOC received the application "
                         "(its register, its letterhead).")
    council = guidance.council(council_id)
    refused = refuses_applications(council)
    if refused:
        raise Stop(refused, status=2)
    return council


def next_steps(guidance: Guidance, register: Path, ref: str) -> str:
    case, _problems = read_case(register, guidance, ref)
    if case is None:
        return ""
    steps = due_for_case(guidance, case, dt.date.today())
    if not steps:
        return " Nothing more is due for it."
    return " Next: " + "; ".join(f"{d.label.lower()} by {weekday_date(d.due_on)}" for d in steps) + "."


# -- the verbs -------------------------------------------------------------------------------------

def run_open(args: argparse.Namespace, guidance: Guidance) -> int:
    council = spoc_council(guidance, args.council, "ctkit case open")
    check_output(args.register, args.root, inputs=[args.file], what="register")
    _data, j = judge_file(args.file, guidance, date_option("--received", args.received))
    opened = open_judged(j, council, args.register, guidance, ref=args.ref)
    if not opened.opened:
        raise Stop(opened.problems)
    print(opened.case_ref)
    say(f"ctkit case open: opened case {opened.case_ref} in {shown(args.register.as_posix(), 200)}. The kit's "
        f"assessment: {j.summary}{next_steps(guidance, args.register, opened.case_ref)}")
    return 0


def _step(args: argparse.Namespace, guidance: Guidance, make, done: str) -> int:
    today = dt.date.today()

    def change(reg):
        case, problems = reg.case(args.ref, guidance, today)
        if problems:
            return problems
        return make(case, today)

    _done, problems = change_register(args.register, guidance, change, today, verb="changed")
    if problems:
        raise Stop(problems)
    say(f"ctkit case {args.action}: case {args.ref} {done}.{next_steps(guidance, args.register, args.ref)}")
    return 0


def run_acknowledge(args, guidance) -> int:
    on = date_option("--on", args.on)
    return _step(args, guidance, lambda case, today: stages.acknowledge(case, on, today),
                 f"acknowledged on {longdate(on)}")


def run_decide(args, guidance) -> int:
    on, letter_on = date_option("--on", args.on), date_option("--letter-on", args.letter_on)
    words = "the threshold is met" if args.met else "the threshold is not met"
    return _step(args, guidance, lambda case, today: stages.decide(case, on, args.met, today, letter_on),
                 f"decided on {longdate(on)}: {words}")


def run_review(args, guidance) -> int:
    on = date_option("--on", args.on)
    bodies = [b for b in (args.to or "").split(";") if b.strip()]
    yes = args.recommendations == "yes"
    return _step(args, guidance, lambda case, today: stages.review(case, on, yes, bodies, today),
                 f"reviewed on {longdate(on)}, " + ("with recommendations" if yes else "without recommendations"))


def run_outcome(args, guidance) -> int:
    on = date_option("--on", args.on)
    return _step(args, guidance, lambda case, today: stages.outcome(case, on, today),
                 f"outcome letter sent on {longdate(on)}")


def letter_paths(output: Path) -> tuple[Path, Path]:
    if output.suffix.lower() != ".pdf":
        raise Stop.usage(f"-o {shown(output.name, 80)} must name a .pdf file; the .docx is written beside it.")
    return output, output.with_suffix(".docx")


def write_letter(guidance: Guidance, register: Path, ref: str, kind: str, application: Path, output: Path,
                 root: Path, signed_by: str | None = None, on: dt.date | None = None, inputs: tuple = ()) -> None:
    """One letter as OUT.pdf and OUT.docx, never over an input of the run or a source."""
    pdf_path, docx_path = letter_paths(output)
    for path in (pdf_path, docx_path):
        check_output(path, root, inputs=[register, application, *inputs], what="letter")
    letter = case_letter(guidance, register, ref, kind, application, signed_by=signed_by, on=on)
    for warning in letter.warnings:
        say(f"ctkit case letter: {warning}")
    for path, data in ((pdf_path, letter.pdf), (docx_path, letter.docx)):
        write_file(path, data, root, inputs=[register, application, *inputs], what="letter")
        say(f"ctkit case letter: wrote {shown(path.as_posix(), 300)}")


def run_letter(args, guidance) -> int:
    write_letter(guidance, args.register, args.ref, args.kind, args.application, args.output, args.root,
                 signed_by=args.signed_by, on=date_option("--on", args.on))
    return 0


def _due_line(d: Due, guidance: Guidance) -> str:
    council = guidance.councils.get(d.council)
    left = abs(d.working_days_left)
    when = ("due today" if d.working_days_left == 0 else
            f"{working_days(left)} overdue" if d.overdue else f"{working_days(left)} left")
    flag = "" if d.verified else ", timescale not yet confirmed"
    return (f"  {'OVERDUE ' if d.overdue else '        '}{d.case_ref} ({council.name if council else d.council}): "
            f"{d.label} by {weekday_date(d.due_on)} ({when}; counted from {d.counts_from_label}, "
            f"{longdate(d.from_date)}{flag})")


def run_due(args, guidance) -> int:
    on = date_option("--on", args.on) or dt.date.today()
    cases, problems = load_registers(args.registers, guidance)
    if problems:
        raise Stop(problems + [Problem("", None, "nothing is listed until the register(s) above are put right.")])
    due = due_list(guidance, cases, on)
    if args.format == "json":
        print(json.dumps([d.as_json() for d in due], indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(csv_text(DUE_COLUMNS, ([d.as_json()[c] for c in DUE_COLUMNS] for d in due)))
    else:
        overdue = sum(d.overdue for d in due)
        lines = [f"Due as on {weekday_date(on)}: {len(due)} step{'s' if len(due) != 1 else ''}, {overdue} overdue "
                 "(working days: not weekends or England bank holidays)."]
        lines += [_due_line(d, guidance) for d in due] or ["  Nothing is due: every case is closed or up to date."]
        sys.stdout.write("\n".join(lines) + "\n")
    return 0


VERBS = {"open": run_open, "acknowledge": run_acknowledge, "decide": run_decide, "review": run_review,
         "outcome": run_outcome, "letter": run_letter, "due": run_due}


def run(args: argparse.Namespace) -> int:
    guidance = load_guidance(args.root)
    return VERBS[args.action](args, guidance)


__all__ = ["run", "LETTER_KINDS", "judge_file", "spoc_council"]
