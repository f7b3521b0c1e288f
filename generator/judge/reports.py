"""The three ways a SPOC sees the results: readable text, JSON (the contract), a CSV summary.

All three are made from the result objects of `judgement.py`, so they agree, and none
of them shows names, addresses or what happened: dates, decisions and question labels only.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

from ..dates import longdate

_DECISION_TITLES = {"threshold_met": "Threshold met", "threshold_not_met": "Threshold not met",
                    "incomplete": "Incomplete", "unreadable": "Unreadable"}
_SOURCE_WORDS = {"data": "the date received written on the form", "--received": "the date you gave with --received",
                 "file_date": "the file's own date: please check it"}


def _day(iso: str | None) -> str:
    if not iso:
        return "date not known"
    day = dt.date.fromisoformat(iso)
    return f"{day:%A} {longdate(day)}"


def error_line(error: dict) -> str:
    """'Your postcode is missing.'; a label that is a question or a statement is quoted."""
    label, message = error["field"], error["message"]
    if label.endswith(("?", ".")) or "," in label or len(label) > 45:
        label = f"“{label}”"
    joiner = " " if message[:1].islower() else ": "
    return f"{label}{joiner}{message}"


def as_text(results: list[dict]) -> str:
    """A report a SPOC reads from top to bottom: decision, why, what to do, by when."""
    out: list[str] = []
    for r in results:
        out.append(f"{r['file']}")
        out.append(f"  {r['summary']}")
        if r["guidance_version"]:
            out.append(f"  Judged by guidance version {r['guidance_version']}, in force on {longdate(dt.date.fromisoformat(r['received_on']))} "
                       f"({_SOURCE_WORDS.get(r['received_on_source'], '')}).")
        if r["decision"] != "unreadable" and r["errors"]:
            out.append("  Missing or wrong:")
            out += [f"    - {error_line(e)}" for e in r["errors"]]
        if r["incidents"]:
            out.append("  Incidents:")
            for i in r["incidents"]:
                when = longdate(dt.date.fromisoformat(i["occurred_on"])) if i["occurred_on"] else "date not given"
                if i["occurred_at"]:
                    when += f" at {i['occurred_at']}"
                verdict = "counts" if i["qualifies"] else "does not count: " + "; ".join(i["explanations"])
                out.append(f"    {i['entry']}. {when} — {verdict}.")
        flagged = [c for c in r["spoc_checks"] if c["flagged"]] + [c for c in r["spoc_checks"] if not c["flagged"]]
        if flagged:
            out.append("  For you to check:")
            out += [f"    - {c['message']}" for c in flagged]
        if r["deadlines"]:
            out.append("  Deadlines (working days: not weekends or England bank holidays):")
            for d in r["deadlines"]:
                start = d["counts_from_label"]
                if d["from_date"]:
                    start += (f", at the latest {_day(d['from_date'])}" if d["assumed_start"]
                              else f", {_day(d['from_date'])}")
                flag = "" if d["verified"] else " (timescale not yet confirmed)"
                out.append(f"    - {d['label']}: by {_day(d['date'])} — {d['working_days']} working days "
                           f"from {start}{flag}.")
        if r["warnings"]:
            out.append("  Please note:")
            out += [f"    - {w}" for w in r["warnings"]]
        out.append("")
    counts = {k: sum(1 for r in results if r["decision"] == k) for k in _DECISION_TITLES}
    out.append(f"{len(results)} file{'s' if len(results) != 1 else ''}: {counts['threshold_met']} threshold met, "
               f"{counts['threshold_not_met']} not met, {counts['incomplete']} incomplete, "
               f"{counts['unreadable']} unreadable.")
    return "\n".join(out) + "\n"


def as_json(results: list[dict]) -> str:
    return json.dumps(results, indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ["file", "decision", "received_on", "received_on_source", "guidance_version", "qualifying_incidents",
               "threshold", "route", "missing_or_wrong", "checks_flagged", "acknowledge_by",
               "threshold_decision_by", "review_meeting_by", "appeal_by", "summary"]


def _cell(value: object) -> str:
    """Text for a spreadsheet cell; a leading = + - @ would run as a formula, so it is escaped."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_csv(results: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in results:
        dates = {d["name"]: d["date"] for d in r["deadlines"]}
        row = {
            **{k: r.get(k) for k in ("file", "decision", "received_on", "received_on_source", "guidance_version",
                                     "qualifying_incidents", "threshold", "route", "summary")},
            "missing_or_wrong": "; ".join(error_line(e) for e in r["errors"]),
            "checks_flagged": "; ".join(c["id"] for c in r["spoc_checks"] if c["flagged"]),
            "acknowledge_by": dates.get("acknowledge"), "threshold_decision_by": dates.get("threshold_decision"),
            "review_meeting_by": dates.get("review_meeting"), "appeal_by": dates.get("appeal"),
        }
        writer.writerow([_cell(row[c]) for c in CSV_COLUMNS])
    return buffer.getvalue()
