"""`ctkit case`: a case from opening to outcome in the council's register, its corrections, what is due, and the letters.

Each verb is one step or one correction, one locked read-modify-write of the register
(`monitoring.register_write.change_register`), checked as every read checks it; the order of
the steps is the register's own rule (`monitoring.stage_order`). Exit status: 0 done, 1 not
recorded (the sentence says why), 2 a usage mistake.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Callable

from ..casework import stages
from ..casework.application import case_application, missing_answers
from ..casework.due import OTHER_ITEMS, Due, due_for_case, due_list, this_week
from ..casework.inbox_opening import already_said, open_inbox
from ..casework.letter_files import write_letter
from ..casework.opening import Keeping, kept_path, open_judged, spoc_council
from ..dates import longdate, weekday_date, working_days
from ..errors import Problem, Stop
from ..judge.files import judge_file
from ..model import Guidance
from ..model.case_states import LETTER_KINDS, AppealResult, Basis
from ..monitoring.register import Case, load_registers
from ..monitoring.register_write import change_register
from ..receiving.inbox import UK
from ..receiving.keys import read_identity
from ..text_safety import csv_text, shown
from .common import check_output, date_option, is_source, load_guidance, say, text_option

DUE_COLUMNS = ["case_ref", "council", "step", "label", "due_on", "overdue", "working_days_left", "owner", "detail"]


def next_steps(guidance: Guidance, case: Case | None) -> str:
    """What is due next for the case as a command left it (never read again: a register may be big)."""
    if case is None:
        return ""
    steps = [d for d in due_for_case(guidance, case, dt.date.today()) if d.is_deadline]
    if not steps:
        return " Nothing more is due for it."
    return " Next: " + "; ".join(f"{d.label.lower()} by {weekday_date(d.due_on)}" for d in steps) + "."


# -- the verbs -------------------------------------------------------------------------------------

def run_open(args: argparse.Namespace, guidance: Guidance) -> int:
    if args.inbox is not None or args.identity is not None:
        return run_open_inbox(args, guidance)
    if args.file is None:
        raise Stop.usage("ctkit case open needs FILE, the application to open, or --inbox DIR --identity KEY for "
                         "the applications sent online.")
    council = spoc_council(guidance, args.council, "ctkit case open")
    check_output(args.register, args.root, inputs=[args.file], what="register")
    data, j = judge_file(args.file, guidance, date_option("--received", args.received))
    keeping = Keeping(application=args.file, case_folder=args.case_folder, owner=text_option("--owner", args.owner),
                      key=args.key)
    opened = open_judged(j, council, args.register, guidance, ref=args.ref, data=data, keeping=keeping)
    if not opened.opened:
        raise Stop(opened.problems)
    print(opened.case_ref)
    for note in opened.notes:
        say(f"ctkit case open: {note}")
    say(f"ctkit case open: opened case {opened.case_ref} in {shown(args.register.as_posix(), 200)}. The kit's "
        f"assessment: {j.summary}{next_steps(guidance, opened.case)}")
    return 0


def run_open_inbox(args: argparse.Namespace, guidance: Guidance) -> int:
    """`case open --inbox DIR --identity KEY --case-folder DIR`: every application sent online that is waiting.
    Exit 0 when none is left in the inbox, 1 when any is (each said in one sentence), 2 for a usage mistake."""
    if args.file is not None or args.received or args.ref:
        raise Stop.usage("--inbox opens every application waiting there, each received on the day it arrived and "
                         "under the reference it was given: leave out FILE, --received and --ref.")
    missing = [flag for flag, value in (("--inbox DIR", args.inbox), ("--identity KEY", args.identity),
                                        ("--case-folder DIR", args.case_folder)) if value is None]
    if missing:
        raise Stop.usage(f"applications sent online need {', '.join(missing)}: the inbox, the SPOC's private key, and "
                         "the case folder, the only place their decrypted files are written.")
    council = spoc_council(guidance, args.council, "ctkit case open")
    inbox, folder = args.inbox.resolve(), args.case_folder.resolve()
    if not inbox.is_dir():
        raise Stop.usage(f"the inbox {shown(args.inbox.as_posix(), 200)} is not a folder.")
    if folder == inbox or inbox in folder.parents or is_source(args.root, folder):
        raise Stop.usage(f"the case folder {shown(args.case_folder.as_posix(), 200)} is inside the inbox or the "
                         "project's sources; decrypted applications must go to the SPOC's own case folder.")
    check_output(args.register, args.root, what="register")
    identity = read_identity(args.identity)
    keeping = Keeping(case_folder=args.case_folder, owner=text_option("--owner", args.owner), key=args.key)
    counts = {"opened": 0, "already": 0, "left": 0}
    for handled in open_inbox(inbox, identity, guidance, council, args.register, keeping):
        for note in handled.notes:
            say(f"ctkit case open: {note}")
        if handled.problem is not None:
            counts["left"] += 1
            say(str(handled.problem))
        elif handled.already:
            counts["already"] += 1
            say(f"ctkit case open: {already_said(handled)}")
        else:
            counts["opened"] += 1
            print(handled.case_ref)
            arrived = handled.received_at.astimezone(UK)
            say(f"ctkit case open: opened case {handled.case_ref}, sent online on {longdate(arrived.date())} at "
                f"{arrived:%H:%M}, into {shown(args.register.as_posix(), 200)}. The kit's assessment: "
                f"{handled.judgement.summary}{next_steps(guidance, handled.case)}")
    total = sum(counts.values())
    say(f"ctkit case open: {total} application{'s' if total != 1 else ''} sent online in "
        f"{shown(args.inbox.as_posix(), 200)}: {counts['opened']} opened, {counts['already']} already in the "
        f"register, {counts['left']} left in the inbox." if total else
        f"ctkit case open: nothing sent online is waiting in {shown(args.inbox.as_posix(), 200)}.")
    return 1 if counts["left"] else 0


def _step(args: argparse.Namespace, guidance: Guidance, make: Callable[[Case], object], done: str,
          verb: str = "changed") -> int:
    def change(reg):
        case, problems = reg.case(args.ref)
        return problems or make(case)

    written, problems = change_register(args.register, guidance, change, dt.date.today(), verb=verb)
    if problems:
        raise Stop(problems)
    for note in written.notes:
        say(f"ctkit case {args.action}: {note}")
    say(f"ctkit case {args.action}: case {args.ref} {done}.{next_steps(guidance, written.case)}")
    return 0


def run_acknowledge(args, guidance) -> int:
    on = date_option("--on", args.on)
    return _step(args, guidance, lambda case: stages.acknowledge(case, on), f"acknowledged on {longdate(on)}",
                 "acknowledged")


def run_decide(args, guidance) -> int:
    on, letter_on = date_option("--on", args.on), date_option("--letter-on", args.letter_on)
    reason = text_option("--no-acknowledgement", args.no_acknowledgement)
    words = "the threshold is met" if args.met else "the threshold is not met"
    return _step(args, guidance, lambda case: stages.decide(case, on, args.met, letter_on, reason),
                 f"decided on {longdate(on)}: {words}", "decided")


def run_review(args, guidance) -> int:
    on = date_option("--on", args.on)
    bodies = [text_option("--to", b) for b in (args.to or "").split(";") if b.strip()]
    yes = args.recommendations == "yes"
    return _step(args, guidance, lambda case: stages.review(case, on, yes, bodies),
                 f"reviewed on {longdate(on)}, " + ("with recommendations" if yes else "without recommendations"),
                 "reviewed")


def run_outcome(args, guidance) -> int:
    on = date_option("--on", args.on)
    return _step(args, guidance, lambda case: stages.outcome(case, on), f"outcome letter sent on {longdate(on)}")


def run_follow_up(args, guidance) -> int:
    on = date_option("--on", args.on)
    return _step(args, guidance, lambda case: stages.follow_up(case, on),
                 f"recommendations followed up on {longdate(on)}")


def run_withdraw(args, guidance) -> int:
    on = date_option("--on", args.on)
    reason = text_option("--reason", args.reason)
    return _step(args, guidance, lambda case: stages.withdraw(case, on, reason), f"withdrawn on {longdate(on)}",
                 "withdrawn")


def run_appeal(args, guidance) -> int:
    if bool(args.received) == bool(args.result):
        raise Stop.usage("say either --received DATE (the appeal came in) or --result upheld|not_upheld --on DATE "
                         "(the OPCC's answer).")
    if args.received:
        on = date_option("--received", args.received)
        return _step(args, guidance, lambda case: stages.appeal_received(case, on),
                     f"appeal received on {longdate(on)}")
    if not args.on:
        raise Stop.usage("--result needs --on DATE: the day the OPCC's answer came.")
    on, result = date_option("--on", args.on), AppealResult(args.result)
    return _step(args, guidance, lambda case: stages.appeal_result(case, on, result),
                 f"appeal {result.value.replace('_', ' ')} on {longdate(on)}")


def run_amend(args, guidance) -> int:
    received = date_option("--received", args.received)
    basis = Basis(args.basis) if args.basis else None
    application = kept_path(args.application, args.register) if args.application else None
    if args.application and application is None:
        raise Stop.usage("--application: that path cannot be kept in the register (too long, or it starts like a "
                         "formula); move the file or give a shorter path.")
    said: list[str] = []

    def make(case: Case):
        change = stages.amend(case, received, basis, text_option("--owner", args.owner), application)
        if not isinstance(change, list):
            said.extend(stages.changes_in_words(case, change))
        return change

    status = _step(args, guidance, make, "corrected")
    say("ctkit case amend: " + ("; ".join(said) if said else "nothing was different, so nothing changed") + ".")
    return status


def run_letter(args, guidance) -> int:
    files = {"findings": args.findings, "reasons": args.reasons, "actions": args.actions}
    not_written = write_letter(guidance, args.register, args.ref, args.kind, args.application, args.output, args.root,
                               say, signed_by=args.signed_by, on=date_option("--on", args.on), files=files)
    for sentence in not_written:
        say(f"ctkit case letter: {sentence}")
    return 0


# -- what is due -----------------------------------------------------------------------------------

def chaser(guidance: Guidance, today: dt.date) -> Callable[[Case], str | None]:
    """The answers still missing from a case's application, read from the file the register keeps."""
    def chase(case: Case) -> str | None:
        if not case.application:
            return None
        try:
            found = case_application(guidance, case, None, today)
        except Stop as stop:
            return stop.problems[0].message if stop.problems else None
        return "; ".join(missing_answers(found.judgement)) or None
    return chase


def _due_line(d: Due, guidance: Guidance) -> str:
    council = guidance.councils.get(d.council)
    owner = f" [{d.owner}]" if d.owner else ""
    head = f"  {d.case_ref} ({council.name if council else d.council}){owner}: "
    if not d.is_deadline:
        when = f" by {weekday_date(d.due_on)}" if d.due_on else ""
        return head + f"{d.label}{when}" + (f" — {d.detail}" if d.detail else "")
    left = abs(d.working_days_left)
    when = ("due today" if d.working_days_left == 0 else
            f"{working_days(left)} overdue" if d.overdue else f"{working_days(left)} left")
    flag = "" if d.verified else ", timescale not yet confirmed"
    return head + (f"{d.label} by {weekday_date(d.due_on)} ({when}; counted from {d.counts_from_label}, "
                   f"{longdate(d.from_date)}{flag})")


def due_text(due: list[Due], on: dt.date, guidance: Guidance) -> str:
    """The morning list: overdue, due this week, later, then what to chase and what is open."""
    deadlines = [d for d in due if d.is_deadline]
    overdue = [d for d in deadlines if d.overdue]
    week = [d for d in deadlines if not d.overdue and this_week(on, d)]
    groups = [("Overdue", overdue), ("Due this week", week), ("Due later", [d for d in deadlines if d not in
                                                                           overdue and d not in week])]
    groups += [(label, [d for d in due if d.step == step]) for step, label in OTHER_ITEMS.items()]
    lines = [f"Due as on {weekday_date(on)}: {len(deadlines)} step{'s' if len(deadlines) != 1 else ''}, "
             f"{len(overdue)} overdue (working days: not weekends or England bank holidays)."]
    for label, items in groups:
        if items:
            lines += ["", f"{label} ({len(items)}):"] + [_due_line(d, guidance) for d in items]
    if not deadlines:
        lines.insert(1, "No step is due: every case is closed or up to date.")
    return "\n".join(lines) + "\n"


def run_due(args, guidance) -> int:
    on = date_option("--on", args.on) or dt.date.today()
    cases, problems = load_registers(args.registers, guidance)
    if problems:
        raise Stop(problems + [Problem("", None, "nothing is listed until the register(s) above are put right.")])
    due = due_list(guidance, cases, on, chaser(guidance, dt.date.today()))
    if args.format == "json":
        sys.stdout.write(json.dumps([d.as_json() for d in due], indent=2, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        sys.stdout.write(csv_text(DUE_COLUMNS, ([d.as_json()[c] for c in DUE_COLUMNS] for d in due)))
    else:
        sys.stdout.write(due_text(due, on, guidance))
    return 0


VERBS = {"open": run_open, "acknowledge": run_acknowledge, "decide": run_decide, "review": run_review,
         "outcome": run_outcome, "follow-up": run_follow_up, "withdraw": run_withdraw, "amend": run_amend,
         "appeal": run_appeal, "letter": run_letter, "due": run_due}


def run(args: argparse.Namespace) -> int:
    guidance = load_guidance(args.root)
    return VERBS[args.action](args, guidance)


__all__ = ["run", "LETTER_KINDS", "judge_file", "spoc_council"]
