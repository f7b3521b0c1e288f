"""The three ways a SPOC sees the judgements: readable text, JSON (the contract), a CSV summary.

All three are made from the same `Judgement` objects, so they agree, and none of them shows
names, addresses or what happened: dates, decisions, counts and question labels only. File
names and anything else that came from outside are shown through `text_safety`.
"""
from __future__ import annotations

import json

from ..dates import longdate, weekday_date
from ..errors import Problem
from ..text_safety import csv_text
from .judgement import Judgement

_DECISION_TITLES = {"threshold_met": "Threshold met", "threshold_not_met": "Threshold not met",
                    "incomplete": "Incomplete", "unreadable": "Unreadable",
                    "internal_error": "Not judged (a fault in the kit)"}
_SOURCE_WORDS = {"data": "the date received written on the form", "--received": "the date you gave with --received",
                 "file_date": "the file's own date: please check it"}


def error_line(error: Problem) -> str:
    """'Your postcode is missing.'; a label that is a question or a statement is quoted."""
    label, message = error.field or "The file", error.message
    if label.endswith(("?", ".")) or "," in label or len(label) > 45:
        label = f"“{label}”"
    joiner = " " if message[:1].islower() else ": "
    return f"{label}{joiner}{message}"


def _incident_line(row: dict) -> str:
    when = longdate(row["occurred_on"]) if row["occurred_on"] else "date not given"
    if row["occurred_at"]:
        when += f" at {row['occurred_at']}"
    if row["qualifies"]:
        verdict = "; ".join(["counts", *row["explanations"]])
    else:
        verdict = "does not count: " + "; ".join(row["explanations"])
    return f"    {row['entry']}. {when} — {verdict}."


def _text_one(j: Judgement) -> list[str]:
    out = [j.file, f"  {j.summary}"]
    if j.version:
        standing = (f"guidance version {j.version.version}, in force on" if j.version.is_approved else
                    f"draft guidance version {j.version.version} (no version is approved yet) for")
        out.append(f"  Judged by {standing} {longdate(j.received_on)} "
                   f"({_SOURCE_WORDS.get(j.received_on_source, '')}).")
    if j.judged and j.errors:
        blocking = [e for e in j.errors if e.blocks_decision]
        rest = [e for e in j.errors if not e.blocks_decision]
        if blocking:
            out.append("  Must be put right before the threshold can be decided:")
            out += [f"    - {error_line(e)}" for e in blocking]
        if rest:
            out.append("  Still to ask for (these do not change the decision):")
            out += [f"    - {error_line(e)}" for e in rest]
    rows = j.incident_rows()
    if rows:
        out.append("  Incidents:")
        out += [_incident_line(row) for row in rows]
    checks = [c for c in j.checks if c.flagged] + [c for c in j.checks if not c.flagged]
    if checks:
        out.append("  For you to check:")
        out += [f"    - {c.message}" for c in checks]
    if j.deadlines:
        out.append("  Deadlines (working days: not weekends or England bank holidays):")
        for d in j.deadlines:
            start = d.counts_from_label
            if d.from_date:
                start += (f", at the latest {weekday_date(d.from_date)}" if d.assumed_start
                          else f", {weekday_date(d.from_date)}")
            flag = "" if d.verified else " (timescale not yet confirmed)"
            out.append(f"    - {d.label}: by {weekday_date(d.date)} — {d.working_days} working days "
                       f"from {start}{flag}.")
    if j.warnings:
        out.append("  Please note:")
        out += [f"    - {w}" for w in j.warnings]
    return out + [""]


def as_text(judgements: list[Judgement]) -> str:
    """A report a SPOC reads from top to bottom: decision, why, what to do, by when."""
    out: list[str] = []
    for j in judgements:
        out += _text_one(j)
    counts = {k: sum(1 for j in judgements if j.decision == k) for k in _DECISION_TITLES}
    out.append(f"{len(judgements)} file{'s' if len(judgements) != 1 else ''}: {counts['threshold_met']} threshold "
               f"met, {counts['threshold_not_met']} not met, {counts['incomplete']} incomplete, "
               f"{counts['unreadable']} unreadable"
               + (f", {counts['internal_error']} not judged because of a fault in the kit." if counts['internal_error']
                  else "."))
    return "\n".join(out) + "\n"


def as_json(judgements: list[Judgement]) -> str:
    return json.dumps([j.as_json() for j in judgements], indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ["file", "decision", "received_on", "received_on_source", "guidance_version", "qualifying_incidents",
               "qualifying_complaints", "threshold", "route", "blocking", "missing_or_wrong", "checks_flagged",
               "acknowledge_by", "threshold_decision_by", "review_meeting_by", "appeal_by", "summary"]


def _row(j: Judgement) -> list:
    def due(name: str) -> str | None:
        d = j.deadline(name)
        return d.date.isoformat() if d and d.date else None

    cells = {
        "file": j.file, "decision": j.decision, "received_on": j.received_on.isoformat() if j.received_on else None,
        "received_on_source": j.received_on_source, "guidance_version": j.guidance_version,
        "qualifying_incidents": j.qualifying_incidents, "qualifying_complaints": j.qualifying_complaints,
        "threshold": j.criteria.threshold if j.criteria else None, "route": j.route,
        "blocking": "; ".join(error_line(e) for e in j.errors if e.blocks_decision),
        "missing_or_wrong": "; ".join(error_line(e) for e in j.errors if not e.blocks_decision),
        "checks_flagged": "; ".join(c.id for c in j.checks if c.flagged),
        "acknowledge_by": due("acknowledge"), "threshold_decision_by": due("threshold_decision"),
        "review_meeting_by": due("review_meeting"), "appeal_by": due("appeal"), "summary": j.summary,
    }
    return [cells[c] for c in CSV_COLUMNS]


def as_csv(judgements: list[Judgement]) -> str:
    """One row per file; every cell spreadsheet-safe."""
    return csv_text(CSV_COLUMNS, (_row(j) for j in judgements))
