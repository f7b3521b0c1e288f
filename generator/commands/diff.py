"""`ctkit diff OLD NEW [-o OUT.md|OUT.pdf]`: what changed between two releases ('.' = the files now).

The report is Markdown, written for a committee paper's appendix; `-o` with a name ending in
.pdf writes the same report as a PDF through the kit's Markdown-to-PDF renderer, through the build cache as
`ctkit build` draws its PDFs (--cache-dir, --no-cache).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from ..build_cache import active
from ..errors import Problem, Stop
from ..project import load_project
from ..releases.compare import describe_changes
from ..releases.git import unpack_sources
from ..render.pdf_cache import report_pdf
from .common import check_output, pdfs_in_words, write_file

#: Stands for the files as they are now, not yet committed or released.
WORKING_FILES = "."
FORMATS = (".md", ".pdf")


def _release_name(name: str) -> str:
    return "the files as they are now" if name == WORKING_FILES else name


def run(args: argparse.Namespace) -> int:
    if args.output:
        check_output(args.output, args.root, what="report")  # refuse before any work is done
        if args.output.suffix.lower() not in FORMATS:
            raise Stop.usage(f"the report {args.output} must end in .md (Markdown) or .pdf (PDF).")
    with tempfile.TemporaryDirectory(prefix="ctkit-diff-") as tmp:
        loaded = []
        for name in (args.old, args.new):
            dest = Path(tmp) / ("old" if not loaded else "new")
            if name == WORKING_FILES:
                dest = args.root
            else:
                unpack_sources(args.root, name, dest)
            project = load_project(dest, with_checks=False, missing_ok=name != WORKING_FILES)
            if project.guidance is None:
                raise Stop([Problem(p.path, p.line, f"(in {name}) {p.message}") for p in project.errors] +
                           [Problem("", None, f"the sources released as '{name}' have errors, "
                                              "so they cannot be compared.")])
            loaded.append(project.guidance)
        page = describe_changes(loaded[0], loaded[1], args.old, args.new)
    if not args.output:
        sys.stdout.write(page)
        return 0
    cache = active()
    as_pdf = args.output.suffix.lower() == ".pdf"
    if as_pdf:
        footer = f"ctkit diff: {_release_name(args.old)} compared with {_release_name(args.new)}"
        write_file(args.output, report_pdf(cache, page, footer, loaded[1].lead.name), args.root, what="report")
    else:
        write_file(args.output, page, args.root, what="report")
    print(f"Wrote what changed between {_release_name(args.old)} and {_release_name(args.new)} to {args.output}.")
    if as_pdf:
        print(pdfs_in_words(cache.made, cache.reused, cache.folder))
    return 0
