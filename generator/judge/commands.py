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

from ..model import UnknownCouncil
from ..project import load_project
from .completeness import parse_date
from .judgement import judge_submission, unreadable_result
from .reports import as_csv, as_json, as_text
from .submissions import find_files, read_submission


def _usage(message: str) -> int:
    print(f"ctkit validate: {message}", file=sys.stderr)
    return 2


def run_validate(args: argparse.Namespace) -> int:
    received = None
    if args.received:
        received, problem = parse_date(args.received)
        if received is None:
            return _usage(f"--received: {problem}" if problem and problem.startswith("'")
                          else "--received must be a date written as YYYY-MM-DD.")
    files, missing = find_files(list(args.paths))
    for sentence in missing:
        print(f"ctkit validate: {sentence}", file=sys.stderr)
    if not files:
        return _usage("no application files (.pdf, .json, .yaml, .yml) were found to judge.")

    project = load_project(args.root)
    guidance = project.require()
    council = None
    if args.council:
        try:
            council = guidance.council(args.council)
        except UnknownCouncil as exc:
            return _usage(exc.sentence)
    if args.record and council is None:
        return _usage("--record needs --council ID, to say whose register the cases go in.")

    results = []
    for path in files:
        shown = path.as_posix()
        try:
            sub = read_submission(path, guidance)
            result = judge_submission(sub, guidance, shown, received, args.root / "schemas")
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
    try:
        from ..register import record_judgement
    except ImportError:
        print("ctkit validate: this version of the kit cannot keep a case register (--record).", file=sys.stderr)
        return
    for problem in record_judgement(register, result, council_id, guidance=guidance):
        print(problem, file=sys.stderr)


def _letter_form(guidance, kind: str):
    """The letter form for 'acknowledgement' or 'decision', by the forms package's ids."""
    forms = guidance.forms
    stems = ("acknowledg",) if kind == "acknowledgement" else ("threshold_decision", "threshold-decision", "decision")
    for stem in stems:
        for form_id in sorted(forms):
            if stem in form_id and "outcome" not in form_id:
                return forms[form_id]
    return None


def _write_letter(kind: str, data: dict, result: dict, guidance, council, letters_dir: Path, source: Path) -> None:
    if kind == "decision" and result["decision"] not in ("threshold_met", "threshold_not_met"):
        print(f"ctkit validate: {result['file']}: no decision letter was written, because the application is "
              f"{result['decision']}.", file=sys.stderr)
        return
    form = _letter_form(guidance, kind)
    try:
        from ..forms.fill import fill_form_pdf
    except ImportError:
        form = None
    if form is None:
        print(f"ctkit validate: this version of the kit has no {kind} letter to write.", file=sys.stderr)
        return
    letter_data = letter_data_for(kind, data, result)
    try:
        pdf = fill_form_pdf(form, letter_data, guidance, council)
    except Exception:  # noqa: BLE001 - a letter that fails must not stop the batch
        print(f"ctkit validate: {result['file']}: the {kind} letter could not be made.", file=sys.stderr)
        return
    letters_dir.mkdir(parents=True, exist_ok=True)
    out = letters_dir / f"{source.stem}-{kind}.pdf"
    out.write_bytes(pdf)
    print(f"ctkit validate: wrote {out.as_posix()}", file=sys.stderr)


def letter_data_for(kind: str, data: dict, result: dict) -> dict:
    """What a letter form asks: who it goes to (from the application) and what was decided (the result)."""
    from .deadlines import add_working_days

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
