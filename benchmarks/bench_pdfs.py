"""Rendering speed of the fillable forms: every form for all ten councils, as `ctkit build --all` does.

Prints PDFs per second and the slowest single PDF, against a baseline timed in the same run:
reportlab drawing a bare PDF with the same number of form fields and pages (no wrapping,
templating or tooltips), so the ratio says what our layout costs on this machine.
"""
from __future__ import annotations

import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from generator.render.form_pdf import render_form_pdf  # noqa: E402
from generator.project import load_project  # noqa: E402


def bare_pdf(fields: int, pages: int) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    per_page = max(1, fields // pages + 1)
    for i in range(fields):
        canvas.acroForm.textfield(name=f"f{i}", x=50, y=780 - (i % per_page) * 14 % 700, width=200, height=12)
        if (i + 1) % per_page == 0:
            canvas.showPage()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def main() -> int:
    guidance = load_project(ROOT).require()
    render_form_pdf(guidance.forms["application"], guidance)  # fonts registered once, outside the timing
    jobs = [(form, council) for form in guidance.forms.values() for council in guidance.councils.values()]
    slowest = 0.0
    sizes = []
    start = time.perf_counter()
    for form, council in jobs:
        t0 = time.perf_counter()
        pdf = render_form_pdf(form, guidance, council)
        slowest = max(slowest, time.perf_counter() - t0)
        sizes.append(len(pdf))
    ours = time.perf_counter() - start

    import pypdf
    shapes = {}
    for form in guidance.forms.values():
        reader = pypdf.PdfReader(io.BytesIO(render_form_pdf(form, guidance)))
        shapes[form.id] = (len(reader.get_fields() or {}), len(reader.pages))
    start = time.perf_counter()
    for form, _council in jobs:
        bare_pdf(*shapes[form.id])
    baseline = time.perf_counter() - start

    print(f"forms: {len(guidance.forms)}, councils: {len(guidance.councils)}, PDFs: {len(jobs)}")
    print(f"ours:     {len(jobs) / ours:6.1f} PDFs/s  ({1000 * ours / len(jobs):.0f} ms each, slowest "
          f"{1000 * slowest:.0f} ms, average size {sum(sizes) / len(sizes) / 1000:.0f} kB)")
    print(f"baseline: {len(jobs) / baseline:6.1f} PDFs/s  (bare reportlab, same fields and pages)")
    print(f"ratio:    {ours / baseline:.1f}x the baseline's time")
    return 0 if slowest < 1.0 else 1  # the bar: well under a second per form


if __name__ == "__main__":
    sys.exit(main())
