"""`ctkit validate`: judge returned applications, one file at a time, never stopping a batch.

Reads nothing but the named files and the project's sources (from the build cache when it holds
them); writes nothing unless asked.
`--record REG` opens each judged application as a case (exactly `ctkit case open`), and
`--letter KIND` then writes that case's letter (exactly `ctkit case letter`) into
--letters-dir; neither ever writes over one of its inputs. A letter that does not fit its case, or
that cannot be written, is one sentence naming the case, and the batch goes on. Exit status: 0 every
file judged (and, with --record, opened), 1 any file unreadable or not recorded, 2 a usage error, 3 the
kit itself failed on a file or a letter (an internal error to report; the other files are still judged).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..casework.opening import Keeping, open_judged, spoc_council
from ..errors import Stop
from ..judge.files import judge_file
from ..judge.judgement import Judgement, unreadable
from ..judge.reports import as_csv, as_json, as_text
from ..judge.submissions import find_files
from ..lazy_modules import lazy
from ..text_safety import shown
from .common import check_output, date_option, load_guidance, say

#: The letters (reportlab, python-docx) are loaded only when --letter asks for one: judging never needs them.
letter_files = lazy("generator.casework.letter_files")

REPORTS = {"text": as_text, "json": as_json, "csv": as_csv}


def run(args: argparse.Namespace) -> int:
    received = date_option("--received", args.received)
    files, skipped = find_files(list(args.paths))
    if not files:
        raise Stop.usage("no application files (.pdf, .json, .yaml, .yml) were found to judge.")

    guidance = load_guidance(args.root)
    if args.letter and not args.record:
        raise Stop.usage("--letter needs --record REGISTER: a letter is written for a case, so the application "
                         "is opened in the register first (as ctkit case open), which gives it its reference.")
    council = spoc_council(guidance, args.council, "--record") if args.record else None
    if args.council and council is None:
        guidance.council(args.council)  # an unknown council is a usage mistake, letters or not
    if args.record:
        check_output(args.record, args.root, inputs=files, what="register")
    letters = _letter_paths(files, args) if args.letter else {}

    judgements: list[Judgement] = []
    not_recorded = letters_failed = 0
    for path in files:
        data, j = judge_file(path, guidance, received)
        judgements.append(j)
        if not args.record or not j.judged:
            continue
        opened = open_judged(j, council, args.record, guidance, data=data, keeping=Keeping(application=path))
        for problem in opened.problems:
            say(str(problem))
        if not opened.opened:
            not_recorded += 1
            continue
        for note in opened.notes:
            say(f"ctkit validate: {note}")
        say(f"ctkit validate: opened case {opened.case_ref} for {j.file}")
        for kind in args.letter or []:
            letters_failed += _letter(guidance, args, opened.case_ref, kind, path, letters[(path, kind)], files, j)
    judgements += [unreadable(shown(path.as_posix(), 300), why) for path, why in skipped]
    sys.stdout.write(REPORTS[args.format](judgements))
    if letters_failed or any(j.decision == "internal_error" for j in judgements):
        return 3
    return 1 if not_recorded or any(not j.judged for j in judgements) else 0


def _letter(guidance, args, ref: str, kind: str, path: Path, output: Path, files: list[Path], j: Judgement) -> int:
    """One case's letter; whatever stops it is one sentence, and the batch goes on. 1 when the kit itself failed."""
    try:
        for sentence in letter_files.write_letter(guidance, args.record, ref, kind, path, output, args.root, say,
                                                  signed_by=args.signed_by, inputs=tuple(files)):
            say(f"ctkit validate: {j.file}: case {ref}: {sentence}")
        return 0
    except Stop as stop:  # a letter that does not fit its case
        for problem in stop.problems:
            say(f"ctkit validate: {j.file}: no {kind} letter for case {ref}: {problem.message}")
        return 0
    except Exception:  # noqa: BLE001 - a fault of the kit: said in one sentence, and the next file is judged
        if os.environ.get("CTKIT_DEBUG"):
            raise
        say(f"ctkit validate: {j.file}: no {kind} letter for case {ref}: the kit failed while writing it (a fault "
            "in the kit, not in the file: please report it; CTKIT_DEBUG=1 shows the details); the case is in the "
            f"register, so write the letter later with ctkit case letter {ref} {kind}")
        return 1


def _letter_paths(files: list[Path], args: argparse.Namespace) -> dict[tuple[Path, str], Path]:
    """One letter per input and kind, named for the input; refused before any work if two would collide
    or if one would overwrite an input of this run."""
    out: dict[tuple[Path, str], Path] = {}
    taken: dict[Path, Path] = {}
    for path in files:
        for kind in args.letter:
            letter = args.letters_dir / f"{path.stem}-{kind}.pdf"
            if letter.resolve() in taken:
                letter = args.letters_dir / f"{path.stem}-{path.suffix.lstrip('.').lower()}-{kind}.pdf"
            if letter.resolve() in taken:
                raise Stop.usage(f"two inputs ({shown(taken[letter.resolve()].name)} and {shown(path.name)}) would "
                                 "write the same letter; rename one of them.")
            for written in (letter, letter.with_suffix(".docx")):
                check_output(written, args.root, inputs=files, what="letter")
            taken[letter.resolve()] = path
            out[(path, kind)] = letter
    return out
