"""`ctkit validate`: judge returned applications, one file at a time, never stopping a batch.

Reads nothing but the named files and the project's sources; writes nothing unless asked
(--letter writes PDFs into --letters-dir, --record updates a case register), and never over
one of its inputs. Exit status: 0 every file judged, 1 any file unreadable, 2 a usage error.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from ..dates import add_working_days
from ..errors import Stop
from ..judge.answers import parse_date
from ..judge.judgement import Judgement, judge_submission, unreadable
from ..judge.reports import as_csv, as_json, as_text
from ..judge.submissions import find_files, read_submission
from ..model import Form
from ..monitoring.register import Judged, record_judgement
from ..render.fill import fill_form_pdf
from ..text_safety import shown
from .common import check_output, council_or_none, load_guidance, say

#: The letter each --letter kind writes, by form id.
LETTER_FORMS = {"acknowledgement": "letter_acknowledgement", "decision": "letter_threshold_decision"}
REPORTS = {"text": as_text, "json": as_json, "csv": as_csv}


def run(args: argparse.Namespace) -> int:
    received = None
    if args.received:
        received, problem = parse_date(args.received)
        if received is None:
            raise Stop.usage(f"--received {problem}")
    files, skipped = find_files(list(args.paths))
    if not files:
        raise Stop.usage("no application files (.pdf, .json, .yaml, .yml) were found to judge.")

    guidance = load_guidance(args.root)
    council = council_or_none(guidance, args.council)
    if args.record and council is None:
        raise Stop.usage("--record needs --council ID, to say whose register the cases go in.")
    if args.record:
        check_output(args.record, args.root, inputs=files, what="register")
    letters = _letter_paths(files, args) if args.letter else {}

    judgements: list[Judgement] = []
    for path in files:
        file = shown(path.as_posix(), 300)
        try:
            sub = read_submission(path, guidance)
            j = judge_submission(sub, guidance, file, received)
        except Exception:  # noqa: BLE001 - one bad file never stops the batch
            if os.environ.get("CTKIT_DEBUG"):
                raise
            sub, j = None, unreadable(file, "the kit could not read it (it may be damaged).")
        judgements.append(j)
        if sub is None or not j.judged:
            continue
        for kind in args.letter or []:
            _write_letter(kind, sub.data, j, guidance, council, letters[(path, kind)])
        if args.record:
            for problem in record_judgement(args.record, judged_for_register(j), council.id, guidance):
                say(str(problem))
    judgements += [unreadable(shown(path.as_posix(), 300), why) for path, why in skipped]
    sys.stdout.write(REPORTS[args.format](judgements))
    return 1 if any(not j.judged for j in judgements) else 0


def judged_for_register(j: Judgement) -> Judged:
    return Judged(j.file, j.decision, j.received_on, j.basis, tuple(j.asb_types), j.hate_incident, j.case_ref)


def _letter_paths(files: list[Path], args: argparse.Namespace) -> dict[tuple[Path, str], Path]:
    """One letter per input and kind, named for the input; refused before any work if two would collide
    or if one would overwrite an input of this run."""
    out: dict[tuple[Path, str], Path] = {}
    taken: dict[Path, Path] = {}
    for path in files:
        for kind in args.letter:
            letter = args.letters_dir / f"{path.stem}-{kind}.pdf"
            if letter.resolve() in taken:
                letter = args.letters_dir / f"{path.stem}-{path.suffix.lstrip('.').lower()}-{kind}.pdf"
            if letter.resolve() in taken:
                raise Stop.usage(f"two inputs ({shown(taken[letter.resolve()].name)} and {shown(path.name)}) would "
                                 "write the same letter; rename one of them.")
            check_output(letter, args.root, inputs=files, what="letter")
            taken[letter.resolve()] = path
            out[(path, kind)] = letter
    return out


def _write_letter(kind: str, data: dict, j: Judgement, guidance, council, out: Path) -> None:
    if kind == "decision" and j.decision not in ("threshold_met", "threshold_not_met"):
        say(f"ctkit validate: {j.file}: no decision letter was written, because the application is {j.decision}.")
        return
    form = guidance.forms[LETTER_FORMS[kind]]
    pdf = fill_form_pdf(form, letter_data_for(form, kind, data, j), guidance, council)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    say(f"ctkit validate: wrote {shown(out.as_posix(), 300)}")


def letter_data_for(form: Form, kind: str, data: dict, j: Judgement) -> dict:
    """What a letter form asks: who it goes to (from the application) and what was decided (the judgement)."""
    applicant = data.get("applicant") if isinstance(data.get("applicant"), dict) else {}
    wanted = [q.path[1] for q in form.questions() if len(q.path) == 2 and q.path[0] == "applicant"]
    to = {k: applicant[k] for k in wanted if isinstance(applicant.get(k), str)}
    today = dt.date.today()
    letter = {"applicant": to, "case_ref": j.case_ref or "", "letter_date": today.isoformat(),
              "received_on": j.received_on.isoformat()}
    due = {d.name: d for d in j.deadlines}
    if kind == "acknowledgement":
        decision_by = due.get("threshold_decision")
        letter["decision_by"] = decision_by.date.isoformat() if decision_by and decision_by.date else ""
        return letter
    letter["decision"] = j.decision
    letter["qualifying_incidents"] = str(j.qualifying_incidents)
    if j.decision == "threshold_met":
        meeting = due.get("review_meeting")
        letter["review_meeting_by"] = meeting.date.isoformat() if meeting and meeting.date else ""
    else:
        appeal = due.get("appeal")
        if appeal:  # the appeal window counts from the date of this letter
            letter["appeal_by"] = add_working_days(today, appeal.working_days).isoformat()
        letter["reasons"] = "\n".join(f"Report {row['entry']}: " + "; ".join(row["explanations"]) + "."
                                      for row in j.incident_rows() if not row["qualifies"])
    return letter
