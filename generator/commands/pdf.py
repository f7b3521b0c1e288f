"""`ctkit pdf FORM [--council ID] -o OUT.pdf`: one blank fillable form, through the build cache as `ctkit build`
draws it (drawn only when something that makes it changed; never read or kept with --no-cache)."""
from __future__ import annotations

import argparse

from ..build_cache import active
from ..errors import Stop
from ..model import Form, Guidance
from ..render.pdf_cache import form_pdf
from .common import council_or_none, load_guidance, pdfs_in_words, write_file


def form_named(guidance: Guidance, form_id: str) -> Form:
    form = guidance.forms.get(form_id)
    if form is None:
        raise Stop.usage(f"there is no form '{form_id}'; the forms are: {', '.join(sorted(guidance.forms))}.")
    return form


def run(args: argparse.Namespace) -> int:
    guidance = load_guidance(args.root)
    form = form_named(guidance, args.form)
    council = council_or_none(guidance, args.council) or guidance.lead
    cache = active()
    write_file(args.output, form_pdf(cache, form, guidance, council, guidance.current()), args.root)
    print(f"wrote {args.output}")
    print(pdfs_in_words(cache.made, cache.reused, cache.folder))
    return 0
