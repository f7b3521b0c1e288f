"""`ctkit pdf FORM [--council ID] -o OUT.pdf`: one blank fillable form."""
from __future__ import annotations

import argparse

from ..errors import Stop
from ..model import Form, Guidance
from ..render.form_pdf import render_form_pdf
from .common import council_or_none, load_guidance, write_file


def form_named(guidance: Guidance, form_id: str) -> Form:
    form = guidance.forms.get(form_id)
    if form is None:
        raise Stop.usage(f"there is no form '{form_id}'; the forms are: {', '.join(sorted(guidance.forms))}.")
    return form


def run(args: argparse.Namespace) -> int:
    guidance = load_guidance(args.root)
    form = form_named(guidance, args.form)
    council = council_or_none(guidance, args.council)
    write_file(args.output, render_form_pdf(form, guidance, council), args.root)
    print(f"wrote {args.output}")
    return 0
