"""What every command shares: loading the project, naming a council, reading dates and words given as
options, and writing outputs safely.

A command never overwrites what it reads: writing goes through generator/safe_output.py (here
under the names commands have always used), which refuses an output that is one of the run's
inputs or a source file of the project, with a sentence before anything is written.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ..errors import Stop
from ..model import Council, Guidance
from ..model.values import read_date
from ..project_cache import cached_project
from ..safe_output import check_output, is_source, write_file
from ..text_safety import FORMULA_STARTS

#: Where `ctkit build` writes the live sites, and the draft previews (never over a live one).
LIVE_FOLDER = "site"
DRAFTS_FOLDER = "site-drafts"

__all__ = ["LIVE_FOLDER", "DRAFTS_FOLDER", "say", "pdfs_in_words", "load_guidance", "council_or_none", "date_option",
           "text_option", "check_output", "is_source", "write_file"]


def say(message: str) -> None:
    """A line for the person at the terminal (stderr, so stdout stays the command's output)."""
    print(message, file=sys.stderr)


def pdfs_in_words(drawn: int, reused: int, folder: Path | None) -> str:
    """How many PDFs were drawn, and how many came from the build cache (and where it is)."""
    if folder is None:
        return f"PDFs: {drawn} drawn (the build cache is off: --no-cache)."
    return f"PDFs: {drawn} drawn, {reused} from the build cache ({folder})."


def load_guidance(root: Path) -> Guidance:
    """The checked model of the project at `root` (from the build cache when it holds it), or Stop with every
    located error."""
    return cached_project(root).require()


def council_or_none(guidance: Guidance, council_id: str | None) -> Council | None:
    return guidance.council(council_id) if council_id else None


def date_option(name: str, value: str | None) -> dt.date | None:
    """A date given on the command line (`--on`, `--received`), read as every date is; a usage mistake if not one."""
    if value is None:
        return None
    reading = read_date(value)
    if reading.day is None:
        raise Stop.usage(f"{name} {reading.why}")
    return reading.day


def text_option(name: str, value: str | None) -> str | None:
    """A few words for the register: one line, and nothing a spreadsheet would run as a formula."""
    if value is None:
        return None
    text = " ".join(value.split())
    if text.startswith(FORMULA_STARTS):
        raise Stop.usage(f"{name} starts with '{text[0]}', which a spreadsheet would run as a formula; write the "
                         "words without it.")
    return text
