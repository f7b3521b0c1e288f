"""Judging one returned file as the commands do: read it, judge it, and never let one file stop a batch.

`ctkit validate`, `ctkit case open` and the casework that reads an application again all judge a
file this way, so a damaged file and a fault of the kit read the same wherever they happen.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ..model import Guidance
from ..text_safety import shown
from .judgement import Judgement, internal_error, judge_submission, unreadable
from .submissions import read_submission


def judge_file(path: Path, guidance: Guidance, received: dt.date | None) -> tuple[dict | None, Judgement]:
    """The application's data and its judgement. A file that cannot be read is a judgement saying so; a
    failure of the judge itself is an internal error asking to be reported, never "may be damaged"."""
    file = shown(path.as_posix(), 300)
    try:
        sub = read_submission(path, guidance)
    except Exception:  # noqa: BLE001 - one bad file is a sentence, never a traceback
        if os.environ.get("CTKIT_DEBUG"):
            raise
        return None, unreadable(file, "the kit could not read it (it may be damaged).")
    try:
        return sub.data, judge_submission(sub, guidance, file, received)
    except Exception:  # noqa: BLE001 - the kit's own fault: said as such, and the batch goes on
        if os.environ.get("CTKIT_DEBUG"):
            raise
        return sub.data, internal_error(file)
