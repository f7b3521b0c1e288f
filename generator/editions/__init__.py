"""Editions of the guidance: start and approve versions, and say what changed between releases.

`ctkit version new|approve` edits guidance/versions.yml (and criteria.yml) for an editor;
`ctkit diff OLD NEW` compares two released versions (git tags) in words for a committee report.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from ..project import load_project
from .compare import describe_changes
from .git_revisions import unpack_sources
from .versions_file import EditRefused, approve_version, new_version

#: Stands for the files as they are now, not yet committed or released.
WORKING_FILES = "."

__all__ = ["run_version", "run_diff", "describe_changes", "new_version", "approve_version", "EditRefused"]


def _refused(command: str, exc: EditRefused) -> int:
    for line in exc.lines:
        print(f"ctkit {command}: {line}", file=sys.stderr)
    return 1


def run_version(args: argparse.Namespace) -> int:
    """`ctkit version new VERSION --summary TEXT` and `ctkit version approve VERSION --body --on [--effective-from]`."""
    try:
        if args.action == "new":
            messages = new_version(args.root, args.version, args.summary)
        else:
            messages = approve_version(args.root, args.version, args.body, args.on, args.effective_from)
    except EditRefused as exc:
        return _refused("version", exc)
    for message in messages:
        print(message)
    return 0


def run_diff(args: argparse.Namespace) -> int:
    """`ctkit diff OLD NEW [-o OUT.md]`: what changed between two releases ('.' = the files now), as Markdown."""
    try:
        with tempfile.TemporaryDirectory(prefix="ctkit-diff-") as tmp:
            loaded = []
            for name in (args.old, args.new):
                dest = Path(tmp) / ("old" if not loaded else "new")
                if name == WORKING_FILES:
                    dest = args.root
                else:
                    unpack_sources(args.root, name, dest)
                project = load_project(dest, with_checks=False)
                if project.guidance is None:
                    for problem in project.errors:
                        print(f"{name}: {problem}", file=sys.stderr)
                    raise EditRefused(f"the sources released as '{name}' have errors, so they cannot be compared.")
                loaded.append(project.guidance)
            page = describe_changes(loaded[0], loaded[1], args.old, args.new)
    except EditRefused as exc:
        return _refused("diff", exc)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(page, encoding="utf-8")
        print(f"Wrote what changed between {args.old} and {args.new} to {args.output}.")
    else:
        sys.stdout.write(page)
    return 0
