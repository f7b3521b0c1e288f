"""`ctkit serve [--council ID] [--drafts]`: a live preview of any council's site while editing.

It is `mkdocs serve` with the council and the draft switch handed to the ctkit plugin (through
CTKIT_COUNCIL and CTKIT_DRAFTS, which mkdocs.yml reads, so a plain `mkdocs serve` accepts them
too). MkDocs builds into a temporary folder and rebuilds on every save, so a preview never
touches site/. While a source is broken the browser shows each problem as `path:line:`
instead of the site; the next save that fixes it brings the site back.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from mkdocs.commands.serve import serve
from mkdocs.exceptions import Abort, ConfigurationError

from ..errors import Stop
from ..project import load_project

SITE_SOURCES = Path(__file__).resolve().parent.parent / "site"


def _show_mkdocs_progress() -> None:
    """MkDocs' own lines ("Serving on ...", "Building documentation...") on the terminal."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s - %(message)s"))
    mk = logging.getLogger("mkdocs")
    mk.addHandler(handler)
    mk.setLevel(logging.INFO)
    mk.propagate = False


def run(args: argparse.Namespace) -> int:
    root = Path(args.root)
    project = load_project(root)
    if args.council:
        if project.guidance is not None:
            project.guidance.council(args.council)   # an unknown id is a usage error, said here at once
        os.environ["CTKIT_COUNCIL"] = args.council
    os.environ["CTKIT_DRAFTS"] = "true" if args.drafts else "false"
    _show_mkdocs_progress()
    try:
        serve(config_file=str(root / "mkdocs.yml"), dev_addr=args.dev_addr, livereload=True,
              watch=[str(SITE_SOURCES / "pages"), str(SITE_SOURCES / "theme")])
    except (Abort, ConfigurationError) as exc:
        raise Stop(f"the preview could not start: {exc}") from None
    except OSError as exc:
        raise Stop(f"the preview could not start on {args.dev_addr}: {exc.strerror or exc}; "
                   "choose another address with --dev-addr.") from None
    return 0
