"""`ctkit fill FORM --data DATA [--council ID] -o OUT.pdf`: a form filled in from canonical data."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import Stop, display_path
from ..loading.sources import load_data, to_plain
from ..render.fill import fill
from .common import council_or_none, load_guidance, say, write_file
from .pdf import form_named

MAX_DATA_BYTES = 5_000_000


def read_form_data(path: Path) -> dict:
    """Canonical data from a JSON or YAML file (through the kit's one safe loader), or Stop saying why not."""
    loaded = load_data(path, path.as_posix(), MAX_DATA_BYTES, what="form data files")
    if not loaded.ok:
        raise Stop(loaded.problems)
    if not isinstance(loaded.data, dict):
        raise Stop(f"{path.as_posix()}: form data must be a set of 'key: value' entries, one per answer.")
    return to_plain(loaded.data)


def run(args: argparse.Namespace) -> int:
    guidance = load_guidance(args.root)
    form = form_named(guidance, args.form)
    council = council_or_none(guidance, args.council)
    data = read_form_data(args.data)
    if data.get("form") not in (None, form.id):
        raise Stop(f"{display_path(args.data)} holds data for the '{data['form']}' form, not '{form.id}'.")
    filled = fill(form, data, guidance, council)
    for warning in filled.warnings:
        say(f"warning: {warning}")
    write_file(args.output, filled.pdf, args.root, inputs=[args.data])
    print(f"wrote {args.output}")
    return 0
