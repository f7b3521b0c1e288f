"""The PDFs a council site offers: each form, and the practitioner guidance as one document.

Sizes are known before any page is rendered, so the forms page can show them. Each PDF comes
through the build cache (render/pdf_cache.py): drawn only when something that makes it changed.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..build_cache import BuildCache
from ..model import Council, Form, Guidance, Version
from ..render.pdf_cache import form_pdf, guidance_pdf

FOLDER = "forms"


@dataclass(frozen=True)
class Download:
    path: str          # inside the site, e.g. forms/application.pdf
    title: str
    description: str
    data: bytes
    audience: str      # "public" or "practitioner"
    fmt: str = "PDF"

    @property
    def size(self) -> str:
        """GOV.UK style: '84 KB', '1.2 MB'."""
        n = len(self.data)
        if n < 1024 * 1024:
            return f"{max(1, round(n / 1024))} KB"
        return f"{n / (1024 * 1024):.1f} MB"


def audience_of(form: Form) -> str:
    """Residents get the forms they fill in; letters and meeting papers are practitioners' templates."""
    return "public" if form.kind == "form" and form.audience in ("resident", "public") else "practitioner"


def render_downloads(guidance: Guidance, council: Council, version: Version, cache: BuildCache,
                     context: dict | None = None) -> list[Download]:
    """Every PDF for this council's site, in memory: from the cache, or drawn (`context`: the site's own
    templating context, if it has it already)."""
    out = [Download(f"{FOLDER}/{form_id}.pdf", form.title, form.summary,
                    form_pdf(cache, form, guidance, council, version, context), audience_of(form))
           for form_id, form in guidance.forms.items()]
    out.append(Download(f"{FOLDER}/practitioner-guidance-v{version.version}.pdf",
                        f"Practitioner guidance, version {version.version}",
                        "The whole practitioner guidance as one document, to print or keep.",
                        guidance_pdf(cache, guidance, council, version, context), "practitioner"))
    return out
