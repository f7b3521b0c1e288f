"""A case's letters written to files: OUT.pdf and OUT.docx, and the same to the person affected.

`ctkit case letter` writes one case's letter; `ctkit validate --record --letter` writes one for
each case it opens. Both come here, so both refuse the same outputs (an input of the run, a
source of the project) before anything is written, and name the files the same way.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from ..errors import Stop
from ..model import Guidance
from ..model.case_states import Recipient
from ..safe_output import check_output, write_file
from ..text_safety import shown
from .letters import case_letter


def letter_paths(output: Path, to: Recipient) -> tuple[Path, Path]:
    if output.suffix.lower() != ".pdf":
        raise Stop.usage(f"-o {shown(output.name, 80)} must name a .pdf file; the .docx is written beside it.")
    if to == Recipient.PERSON_AFFECTED:
        output = output.with_name(f"{output.stem}-person-affected.pdf")
    return output, output.with_suffix(".docx")


def write_letter(guidance: Guidance, register: Path, ref: str, kind: str, application: Path | None, output: Path,
                 root: Path, say: Callable[[str], None], signed_by: str | None = None, on: dt.date | None = None,
                 inputs: tuple = (), files: dict[str, Path | None] | None = None) -> list[str]:
    """The letter as OUT.pdf and OUT.docx (and OUT-person-affected.pdf/.docx to the person affected), never over
    an input of the run or a source; `say` tells the person at the terminal what was written. Returns a sentence
    for each letter that could not be written."""
    given = [register, *([application] if application else []), *(p for p in (files or {}).values() if p), *inputs]
    for to in Recipient:
        for path in letter_paths(output, to):
            check_output(path, root, inputs=given, what="letter")
    letters = case_letter(guidance, register, ref, kind, application, signed_by=signed_by, on=on, files=files)
    for warning in letters.warnings:
        say(f"ctkit case letter: {warning}")
    for letter in letters.letters:
        for path, data in zip(letter_paths(output, letter.to), (letter.pdf, letter.docx)):
            write_file(path, data, root, inputs=given, what="letter")
            say(f"ctkit case letter: wrote {shown(path.as_posix(), 300)}"
                + (" (to the person affected)" if letter.to == Recipient.PERSON_AFFECTED else ""))
    return letters.not_written
