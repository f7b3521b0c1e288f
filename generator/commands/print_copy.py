"""`ctkit print FILE.pdf [--council ID] -o READABLE.pdf`: a returned form as a copy to read and print.

Whatever filled the form (the online form, a PDF reader, `ctkit fill`), its answers are read
from the fields (`judge.pdf_reader`, as `ctkit validate` reads them) and drawn again by the
kit as text on the page: every answer whole, at 9 pt or more, an answer too long for its box
continued at the end, and no field left for a reader to redraw or cut off. That is the copy
the SPOC files and the review meeting reads.
"""
from __future__ import annotations

import argparse

from ..errors import Stop, display_path
from ..judge.pdf_reader import read_pdf
from ..render.fill import fill
from .common import council_or_none, load_guidance, say, write_file


def run(args: argparse.Namespace) -> int:
    guidance = load_guidance(args.root)
    council = council_or_none(guidance, args.council)
    read = read_pdf(args.file, guidance.forms)
    if read.data is None:
        raise Stop(f"{display_path(args.file)}: {read.error}")
    form = guidance.forms[read.data["form"]]
    if council is None:   # the council the form was made for, as its metadata says; else the lead's
        council = next((c for c in guidance.councils.values() if c.name == read.made_for), guidance.lead)
    version = read.data.get("form_version")
    if version not in {v.version for v in guidance.versions}:
        version = None
    for warning in read.warnings:
        say(f"warning: {warning}")
    printed = fill(form, read.data, guidance, council, version, printed=True)
    for warning in printed.warnings:
        say(f"warning: {warning}")
    write_file(args.output, printed.pdf, args.root, inputs=[args.file])
    print(f"wrote {args.output}")
    return 0
