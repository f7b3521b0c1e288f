"""`ctkit diff OLD NEW [-o OUT.md]`: what changed between two releases ('.' = the files now), as Markdown."""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from ..errors import Problem, Stop
from ..project import load_project
from ..releases.compare import describe_changes
from ..releases.git import unpack_sources
from .common import check_output, write_file

#: Stands for the files as they are now, not yet committed or released.
WORKING_FILES = "."


def run(args: argparse.Namespace) -> int:
    if args.output:
        check_output(args.output, args.root, what="report")  # refuse before any work is done
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
                raise Stop([Problem(p.path, p.line, f"(in {name}) {p.message}") for p in project.errors] +
                           [Problem("", None, f"the sources released as '{name}' have errors, "
                                              "so they cannot be compared.")])
            loaded.append(project.guidance)
        page = describe_changes(loaded[0], loaded[1], args.old, args.new)
    if args.output:
        write_file(args.output, page, args.root, what="report")
        print(f"Wrote what changed between {args.old} and {args.new} to {args.output}.")
    else:
        sys.stdout.write(page)
    return 0
