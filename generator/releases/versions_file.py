"""Edit guidance/versions.yml, guidance/criteria.yml and a council's adoption for an editor, keeping comments.

The files are first read and checked the kit's usual way (`sources.load_yaml` and the
schemas), so an edit never starts from a broken file. The edit itself goes through
ruamel.yaml's round-trip mode, which keeps every comment, quote and line layout an editor
wrote; the new text is written to a temporary file and moved into place in one step.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import tempfile
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..errors import Problem, Stop
from ..loading.schemas import schema_problems
from ..loading.sources import load_yaml
from ..model import version_key
from ..model.values import read_date

VERSIONS = "guidance/versions.yml"
CRITERIA = "guidance/criteria.yml"
VERSION_PATTERN = re.compile(r"^\d+\.\d+$")


def refused(*lines: str | Problem) -> Stop:
    """An edit the kit will not make, with the sentence(s) that say why."""
    return Stop([line if isinstance(line, Problem) else Problem("", None, line) for line in lines])


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap an editor's long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.ignore_aliases = lambda *_: True  # the kit's loader refuses anchors and aliases
    return yaml


def _checked_source(root: Path, rel: str, schema: str):
    """Refuse to edit a file that does not load or meet its schema; return it for ruamel."""
    loaded = load_yaml(root / rel, rel)
    problems = loaded.problems + (schema_problems(root, loaded.data, schema, rel) if loaded.ok else [])
    errors = [p for p in problems if p.is_error]
    if errors:
        raise refused(*errors, f"{rel} must be put right before the kit can edit it.")
    return _round_trip().load((root / rel).read_text(encoding="utf-8-sig"))


def _write(root: Path, rel: str, data) -> None:
    buffer = io.StringIO()
    _round_trip().dump(data, buffer)
    text = buffer.getvalue().rstrip("\n") + "\n"
    path = root / rel
    fd, tmp = tempfile.mkstemp(prefix=".ctkit-", suffix=".yml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def parse_date(value: str, what: str) -> dt.date:
    """A date given on the command line, by the one reading of dates (model.values)."""
    reading = read_date(value)
    if reading.day is None:
        raise refused(f"{what} {reading.why}")
    return reading.day


def _check_number(number: str) -> None:
    if not VERSION_PATTERN.match(number):
        raise refused(f"'{number}' is not a version number; write it as two numbers with a dot, e.g. 2.1.")


def _find(entries, number: str):
    for entry in entries:
        if str(entry["version"]) == number:
            return entry
    known = ", ".join(str(e["version"]) for e in entries)
    raise refused(f"there is no version {number} in {VERSIONS} (it has {known}); "
                      f"start one with 'ctkit version new {number} --summary ...'.")


def new_version(root: Path, number: str, summary: str) -> list[str]:
    """Add a draft version after the newest, and copy the newest criteria for the editor to change."""
    _check_number(number)
    summary = " ".join(summary.split())
    if not summary:
        raise refused("the summary is empty; say in a sentence what this version changes.")
    versions = _checked_source(root, VERSIONS, "versions.schema.json")
    criteria = _checked_source(root, CRITERIA, "criteria.schema.json")
    entries = versions["versions"]
    newest = max((str(e["version"]) for e in entries), key=version_key)
    if version_key(number) <= version_key(newest):
        raise refused(f"version {number} is not higher than the newest version, {newest}; "
                          f"choose a higher number, such as {_next(newest)}.")
    entry = CommentedMap()
    entry["version"] = DoubleQuotedScalarString(number)
    entry["status"] = "draft"
    entry["summary"] = summary
    entry["changes"] = _flow_seq()
    entry["approvals"] = _flow_seq()
    entries.append(entry)

    messages = [f"Added version {number} to {VERSIONS} as a draft: it is not in force until it is approved "
                f"with 'ctkit version approve {number} --body NAME --on DATE --effective-from DATE'."]
    table = criteria["versions"]
    if number in table:
        messages.append(f"{CRITERIA} already has criteria for version {number}; they were left as they are.")
    else:
        base = max(table, key=lambda k: version_key(str(k)))
        table[DoubleQuotedScalarString(number)] = copy.deepcopy(table[base])
        messages.append(f"Copied the criteria of version {base} to version {number} in {CRITERIA}; "
                        f"change the figures there that this version changes.")
    _write(root, VERSIONS, versions)
    _write(root, CRITERIA, criteria)
    messages.append("List what changed under 'changes:' in the new entry, then run 'ctkit check'.")
    return messages


def approve_version(root: Path, number: str, body: str, on: str, effective_from: str | None) -> list[str]:
    """Record one body's approval; with an in-force date, the version becomes approved."""
    _check_number(number)
    body = " ".join(body.split())
    if not body:
        raise refused("the name of the approving body is empty.")
    on_date = parse_date(on, "--on")
    from_date = parse_date(effective_from, "--effective-from") if effective_from else None
    versions = _checked_source(root, VERSIONS, "versions.schema.json")
    entry = _find(versions["versions"], number)
    messages = [_record_approval(entry, body, on_date, number)]
    messages += _older_drafts_still_open(versions["versions"], number)
    if from_date is not None:
        criteria = _checked_source(root, CRITERIA, "criteria.schema.json")
        if number not in {str(k) for k in criteria["versions"]}:
            raise refused(f"version {number} has no criteria in {CRITERIA}, so it cannot come into force; "
                              f"add them (copy the previous version's block) and try again.")
        _refuse_going_backwards(versions["versions"], number, from_date)
        entry["status"] = "approved"
        if "effective_from" in entry:
            entry["effective_from"] = from_date
        else:
            _insert_after(entry, "status", "effective_from", from_date)
        if "date" not in entry:
            _insert_after(entry, "version", "date", on_date)
        messages.append(f"Version {number} is now approved and in force from {from_date.isoformat()}.")
    elif entry["status"] != "approved":
        messages.append(f"Version {number} is still a draft; add --effective-from DATE to the final approval "
                        f"to put it in force.")
    _write(root, VERSIONS, versions)
    return messages


def _older_drafts_still_open(entries, number: str) -> list[str]:
    """A warning for each draft older than `number` and newer than every approved version: approving `number`
    would leave it behind, never approved and never withdrawn."""
    approved = [version_key(str(e["version"])) for e in entries if e.get("status") == "approved"
                and str(e["version"]) != number]
    newest = max(approved, default=(0, 0))
    open_drafts = [str(e["version"]) for e in entries if e.get("status") != "approved"
                   and newest < version_key(str(e["version"])) < version_key(number)]
    return [f"Warning: version {d} is an older draft that is still open. If version {number} replaces it, say so "
            f"in version {number}'s changes and remove version {d} from {VERSIONS}; if version {d} should come "
            f"first, approve it first." for d in open_drafts]


def record_erratum(root: Path, number: str, on: dt.date, reason: str) -> None:
    """Add an erratum to a version's entry in versions.yml (the change history lists it)."""
    versions = _checked_source(root, VERSIONS, "versions.schema.json")
    entry = _find(versions["versions"], number)
    errata = entry.get("errata")
    if errata is None:
        errata = CommentedSeq()
        errata.fa.set_block_style()
        _insert_after(entry, "approvals", "errata", errata)
    record = CommentedMap()
    record["on"] = on
    record["reason"] = reason
    errata.append(record)
    _write(root, VERSIONS, versions)


def adopt_version(root: Path, number: str, council_id: str, on: str) -> list[str]:
    """Record in a council's file that its committee adopted an approved version on a date."""
    _check_number(number)
    on_date = parse_date(on, "--on")
    rel = f"guidance/councils/{council_id}.yml"
    if not re.match(r"^[a-z][a-z0-9-]*$", council_id) or not (root / rel).is_file():
        known = ", ".join(sorted(p.stem for p in (root / "guidance" / "councils").glob("*.yml")))
        raise Stop.usage(f"there is no council '{council_id}' in guidance/councils/; use one of: {known}.")
    versions = _checked_source(root, VERSIONS, "versions.schema.json")
    entry = _find(versions["versions"], number)
    if entry.get("status") != "approved":
        raise refused(f"version {number} is a draft; a council adopts a version once it is approved.")
    approved_on = entry.get("date")
    if isinstance(approved_on, str):
        approved_on = dt.date.fromisoformat(approved_on)
    if approved_on is not None and on_date < approved_on:
        raise refused(f"{on_date.isoformat()} is before version {number} was approved ({approved_on.isoformat()}); "
                      "check the date of the council's decision.")
    if on_date > dt.date.today():
        raise refused(f"{on_date.isoformat()} is in the future; record an adoption once the council has made it.")
    council = _checked_source(root, rel, "council.schema.json")
    adopted = council["adopted"]
    before = str(adopted["version"])
    if version_key(before) > version_key(number):
        raise refused(f"{council['name']} has already adopted version {before}, which is later than {number}.")
    adopted["version"] = DoubleQuotedScalarString(number)
    adopted["on"] = on_date
    for key in ("verified", "note"):   # the date is now recorded, from the council's own decision
        adopted.pop(key, None)
    _write(root, rel, council)
    return [f"Recorded that {council['name']} adopted version {number} on {on_date.isoformat()} ({rel})."]


def _record_approval(entry, body: str, on_date: dt.date, number: str) -> str:
    approvals = entry.get("approvals")
    if approvals is None:
        approvals = entry["approvals"] = CommentedSeq()
    for approval in approvals:
        if str(approval["body"]).casefold() == body.casefold():
            approval["on"] = on_date
            return f"Updated the approval of version {number} by {approval['body']}: {on_date.isoformat()}."
    approvals.fa.set_block_style()
    record = CommentedMap()
    record["body"] = body
    record["on"] = on_date
    approvals.append(record)
    return f"Recorded the approval of version {number} by {body} on {on_date.isoformat()}."


def _refuse_going_backwards(entries, number: str, from_date: dt.date) -> None:
    for other in entries:
        other_number = str(other["version"])
        if other_number == number or other.get("status") != "approved" or "effective_from" not in other:
            continue
        other_from = other["effective_from"]
        if isinstance(other_from, str):
            other_from = dt.date.fromisoformat(other_from)
        if version_key(other_number) < version_key(number) and other_from > from_date:
            raise refused(f"version {number} cannot take effect on {from_date.isoformat()}, before version "
                              f"{other_number} (in force from {other_from.isoformat()}); choose a later date.")


def _insert_after(mapping: CommentedMap, after: str, key: str, value) -> None:
    keys = list(mapping)
    position = keys.index(after) + 1 if after in keys else len(keys)
    mapping.insert(position, key, value)


def _flow_seq() -> CommentedSeq:
    seq = CommentedSeq()
    seq.fa.set_flow_style()
    return seq


def _next(number: str) -> str:
    major, minor = version_key(number)
    return f"{major}.{minor + 1}"
