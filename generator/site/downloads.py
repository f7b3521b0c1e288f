"""The PDFs a council site offers: each form, and the practitioner guidance as one document.

The renderers belong to other parts of the kit (generator.forms, generator.guidance_pdf);
they are imported lazily so the website still builds, with a clear log line, when one is
not there. Sizes are known before any page is rendered, so the forms page can show them.
"""
from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import Any, Callable

log = logging.getLogger("mkdocs.plugins.ctkit")

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


def _renderer(module: str, name: str, what: str) -> Callable[..., bytes] | None:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        log.info("ctkit: %s are not in the site: %s.%s is not available yet", what, module, name)
        return None


#: Forms a resident fills in; every other form is a practitioner's template.
PUBLIC_FORMS = ("application", "consent")


def audience_of(form_id: str, form: Any) -> str:
    """Residents get the forms they fill in; letters and meeting papers are practitioners' templates."""
    declared = getattr(form, "audience", None)
    if declared and getattr(form, "kind", "form") == "form":
        return "public" if declared in ("resident", "public") else "practitioner"
    if declared:
        return "practitioner"
    return "public" if form_id in PUBLIC_FORMS else "practitioner"


def render_downloads(guidance: Any, council: Any, version: Any) -> list[Download]:
    """Every PDF for this council's site, rendered in memory."""
    out: list[Download] = []
    if guidance.forms:
        render_form = _renderer("generator.forms.render", "render_form_pdf", "the PDF forms")
        for form_id, form in (guidance.forms.items() if render_form else ()):
            data = render_form(form, guidance, council, version=version)
            out.append(Download(f"{FOLDER}/{form_id}.pdf", getattr(form, "title", form_id),
                                getattr(form, "summary", "") or getattr(form, "description", "") or "", data, audience_of(form_id, form)))
    else:
        log.info("ctkit: there are no forms in forms/ yet, so the site offers no PDF forms")
    render_guidance = _renderer("generator.guidance_pdf", "render_guidance_pdf", "the practitioner guidance PDF")
    if render_guidance:
        data = render_guidance(guidance, council, version)
        out.append(Download(f"{FOLDER}/practitioner-guidance-v{version.version}.pdf",
                            f"Practitioner guidance, version {version.version}",
                            "The whole practitioner guidance as one document, to print or keep.",
                            data, "practitioner"))
    return out
