"""`ctkit pdf` and `ctkit fill`: thin command-line adapters over render and fill."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ..errors import display_path
from ..model import UnknownCouncil
from ..project import load_project
from ..sources import load_data as load_data_file, to_plain

MAX_DATA_BYTES = 5_000_000


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _form_and_council(args, guidance) -> tuple[Any, Any] | None:
    form = guidance.forms.get(args.form)
    if form is None:
        _say(f"ctkit {args.command}: there is no form '{args.form}'; the forms are: {', '.join(sorted(guidance.forms))}.")
        return None
    council = None
    if args.council:
        try:
            council = guidance.council(args.council)
        except UnknownCouncil as exc:
            _say(f"ctkit {args.command}: {exc.sentence}")
            return None
    return form, council


def _write(path: Path, pdf: bytes, command: str) -> bool:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
    except OSError as exc:
        _say(f"ctkit {command}: cannot write {path} ({exc.strerror or exc}).")
        return False
    return True


def run_pdf(args) -> int:
    """Render one blank fillable form."""
    from .render import render_form_pdf
    guidance = load_project(args.root).require()
    found = _form_and_council(args, guidance)
    if found is None:
        return 2
    form, council = found
    if not _write(args.output, render_form_pdf(form, guidance, council), "pdf"):
        return 1
    print(f"wrote {args.output}")
    return 0


def load_data(path: Path) -> tuple[dict | None, str | None]:
    """Canonical data from a JSON or YAML file (through the kit's one safe loader), or why not."""
    loaded = load_data_file(path, path.as_posix(), MAX_DATA_BYTES, what="form data files")
    if not loaded.ok:
        return None, "; ".join(str(p) for p in loaded.problems) + "."
    if not isinstance(loaded.data, dict):
        return None, f"{path.as_posix()}: form data must be a set of 'key: value' entries, one per answer."
    return to_plain(loaded.data), None


def run_fill(args) -> int:
    """Render a form filled in from canonical data."""
    from .fill import fill
    guidance = load_project(args.root).require()
    found = _form_and_council(args, guidance)
    if found is None:
        return 2
    form, council = found
    data, error = load_data(args.data)
    if data is None:
        _say(f"ctkit fill: {error}")
        return 1
    if data.get("form") not in (None, form.id):
        _say(f"ctkit fill: {display_path(args.data)} holds data for the '{data['form']}' form, not '{form.id}'.")
        return 1
    filled = fill(form, data, guidance, council)
    for warning in filled.warnings:
        _say(f"warning: {warning}")
    if not _write(args.output, filled.pdf, "fill"):
        return 1
    print(f"wrote {args.output}")
    return 0
