"""`ctkit validate`: judge returned applications, one file at a time, never stopping a batch.

Reads nothing but the named files and the project's sources; writes nothing unless
asked (--letter writes PDFs into --letters-dir, --record updates a case register).
Exit status: 0 every file judged, 1 any file unreadable, 2 a usage error.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from ..dates import add_working_days
from ..errors import Stop
from ..judge.completeness import parse_date
from ..judge.judgement import judge_submission, unreadable_result
from ..judge.reports import as_csv, as_json, as_text
from ..judge.submissions import find_files, read_submission
from ..monitoring.register import record_judgement
from ..render.fill import fill_form_pdf
from .common import council_or_none, load_guidance, say

#: The letter each --letter kind writes, by form id.
LETTER_FORMS = {"acknowledgement": "letter_acknowledgement", "decision": "letter_threshold_decision"}


def run(args: argparse.Namespace) -> int:
    received = None
    if args.received:
        received, problem = parse_date(args.received)
        if received is None:
            raise Stop.usage(f"--received: {problem}" if problem and problem.startswith("'")
                             else "--received must be a date written as YYYY-MM-DD.")
    files, missing = find_files(list(args.paths))
    for sentence in missing:
        say(f"ctkit validate: {sentence}")
    if not files:
        raise Stop.usage("no application files (.pdf, .json, .yaml, .yml) were found to judge.")

    guidance = load_guidance(args.root)
    council = council_or_none(guidance, args.council)
    if args.record and council is None:
        raise Stop.usage("--record needs --council ID, to say whose register the cases go in.")

    results = []
    for path in files:
        shown = path.as_posix()
        try:
            sub = read_submission(path, guidance)
            result = judge_submission(sub, guidance, shown, received)
        except Exception:  # noqa: BLE001 - one bad file never stops the batch
            if os.environ.get("CTKIT_DEBUG"):
                raise
            sub, result = None, unreadable_result(shown, "the kit could not read it (it may be damaged).")
        results.append(result)
        if sub is not None and result["decision"] != "unreadable":
            for kind in args.letter or []:
                _write_letter(kind, sub.data, result, guidance, council, args.letters_dir, path)
            if args.record:
                _record(args.record, result, council.id, guidance)
    for sentence in missing:
        results.append(unreadable_result(sentence.split(":")[0], "there is no file or folder with this name."))

    render = {"text": as_text, "json": as_json, "csv": as_csv}[args.format]
    sys.stdout.write(render(results))
    return 1 if any(r["decision"] == "unreadable" for r in results) else 0


def _record(register: Path, result: dict, council_id: str, guidance) -> None:
    for problem in record_judgement(register, result, council_id, guidance):
        say(str(problem))


def _write_letter(kind: str, data: dict, result: dict, guidance, council, letters_dir: Path, source: Path) -> None:
    if kind == "decision" and result["decision"] not in ("threshold_met", "threshold_not_met"):
        say(f"ctkit validate: {result['file']}: no decision letter was written, because the application is "
            f"{result['decision']}.")
        return
    form = guidance.forms[LETTER_FORMS[kind]]
    pdf = fill_form_pdf(form, letter_data_for(kind, data, result), guidance, council)
    letters_dir.mkdir(parents=True, exist_ok=True)
    out = letters_dir / f"{source.stem}-{kind}.pdf"
    out.write_bytes(pdf)
    say(f"ctkit validate: wrote {out.as_posix()}")


def letter_data_for(kind: str, data: dict, result: dict) -> dict:
    """What a letter form asks: who it goes to (from the application) and what was decided (the result)."""
    applicant = data.get("applicant") if isinstance(data.get("applicant"), dict) else {}
    to = {k: applicant[k] for k in ("name", "address", "postcode") if isinstance(applicant.get(k), str)}
    deadlines = {d["name"]: d for d in result["deadlines"]}
    today = dt.date.today()
    letter = {"applicant": to, "case_ref": result.get("case_ref") or "", "letter_date": today.isoformat(),
              "received_on": result["received_on"]}
    if kind == "acknowledgement":
        letter["decision_by"] = (deadlines.get("threshold_decision") or {}).get("date") or ""
        return letter
    letter["decision"] = result["decision"]
    letter["qualifying_incidents"] = str(result["qualifying_incidents"])
    if result["decision"] == "threshold_met":
        letter["review_meeting_by"] = (deadlines.get("review_meeting") or {}).get("date") or ""
    else:
        appeal = deadlines.get("appeal")
        if appeal:  # the appeal window counts from the date of this letter
            letter["appeal_by"] = add_working_days(today, appeal["working_days"]).isoformat()
        letter["reasons"] = "\n".join(
            f"Report {i['entry']}: " + "; ".join(i["explanations"]) + "."
            for i in result["incidents"] if not i["qualifies"])
    return letter
