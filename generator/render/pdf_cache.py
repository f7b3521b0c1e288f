"""The kit's PDFs through the build cache: each drawn once, then kept under a key of all that makes it.

Drawing is most of a build (about 60 PDFs for ten councils), yet between two builds few change. Each
PDF's key (build_cache.digest) holds the kit itself (its code and fonts), what kind of PDF it is, and
exactly the inputs its drawing reads, as the values the PDF shows:

- a form: the form, the council's name and SPOC (every page's footer gives its contact), the version's
  number, date and standing (the footer), and the values its words name from the templating context
  (template_names), with `called` (what the forms call the process) and `partnership` (its area names
  the guidance), which the drawing reads itself. A change to one council's contact redraws that
  council's forms only; a change elsewhere in its file (colours, privacy notice) only the forms whose
  words name the council; a changed page, none.
- the practitioner guidance: the practitioner pages and the home page's title, every form (the
  appendices), every version (the change history), the partnership and its lead (the title), the
  council's name (the title page and the author) and the version it is for, and the values of the
  templating context its pages name (a page that lists every council names them all).
- a report (the handout a page prints as, `ctkit diff` as PDF): its Markdown, footer and author.

Every renderer draws the same bytes for the same input, so a PDF from the cache is the PDF a draw
would give.
"""
from __future__ import annotations

from ..build_cache import BuildCache, canonical, digest, kit_fingerprint
from ..model import Council, Form, Guidance, Version
from ..templating import context_for
from ..template_names import values_used
from .form_pdf import render_form_pdf
from .guidance_pdf import PRACTITIONER, render_guidance_pdf
from .report_pdf import render_report_pdf

KIND = "pdf"
SUFFIX = ".pdf"


def form_pdf(cache: BuildCache, form: Form, guidance: Guidance, council: Council, version: Version,
             context: dict | None = None) -> bytes:
    """The blank fillable PDF of `form` for `council` (render_form_pdf), drawn only when the cache lacks it."""
    context = context if context is not None else context_for(guidance, council, version)
    key = digest("form", kit_fingerprint(), form, council.name, council.spoc, _standing(version),
                 values_used(context, [canonical(form)], always=["called", "partnership"]))
    return cache.bytes_for(KIND, key, lambda: render_form_pdf(form, guidance, council, version=version), SUFFIX)


def guidance_pdf(cache: BuildCache, guidance: Guidance, council: Council, version: Version,
                 context: dict | None = None) -> bytes:
    """The practitioner guidance of `version` for `council` (render_guidance_pdf), drawn only when the cache
    lacks it."""
    context = context if context is not None else context_for(guidance, council, version)
    pages = [p for p in guidance.pages if p.rel.startswith(PRACTITIONER) or p.rel == "index.md"]
    key = digest("guidance", kit_fingerprint(), council.name, version, guidance.partnership, guidance.lead,
                 guidance.versions, guidance.forms, pages, values_used(context, [p.body for p in pages]))
    return cache.bytes_for(KIND, key, lambda: render_guidance_pdf(guidance, council, version), SUFFIX)


def _standing(version: Version) -> tuple:
    """What a form says of its version: the number, the date and whether it is approved (the footer)."""
    return version.version, version.date, version.is_approved


def report_pdf(cache: BuildCache, markdown: str, footer: str, author: str) -> bytes:
    """A Markdown report as PDF (render_report_pdf), drawn only when the cache lacks it."""
    key = digest("report", kit_fingerprint(), markdown, footer, author)
    return cache.bytes_for(KIND, key, lambda: render_report_pdf(markdown, footer, author=author), SUFFIX)

