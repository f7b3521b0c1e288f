"""The PDFs a council site offers: each form, and the practitioner guidance as one document.

Sizes are known before any page is rendered, so the forms page can show them.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Council, Form, Guidance, Version
from ..render.form_pdf import render_form_pdf
from ..render.guidance_pdf import render_guidance_pdf

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


def render_downloads(guidance: Guidance, council: Council, version: Version) -> list[Download]:
    """Every PDF for this council's site, rendered in memory."""
    out = [Download(f"{FOLDER}/{form_id}.pdf", form.title, form.summary,
                    render_form_pdf(form, guidance, council, version=version), audience_of(form))
           for form_id, form in guidance.forms.items()]
    out.append(Download(f"{FOLDER}/practitioner-guidance-v{version.version}.pdf",
                        f"Practitioner guidance, version {version.version}",
                        "The whole practitioner guidance as one document, to print or keep.",
                        render_guidance_pdf(guidance, council, version), "practitioner"))
    return out
