"""The online form's PDF filler (apply-pdf.js, in Node with the pinned pdf-lib), on long answers.

    .venv/bin/python benchmarks/bench_apply_fill.py

Fills the council's application PDF with a "What happened" answer of 500, 1,000, 2,000 and
3,000 characters, as "Download your application (PDF)" does in the browser, and times each
against a baseline measured in the same Node run: pdf-lib loading the same PDF, embedding the
font and saving it again, with no answers. Also times pdf-lib's own multi-line layout (its
default field appearance, what the filler used before) on the 500-character answer only: it is
roughly cubic in the answer's length (2,000 characters took about a minute), so longer answers
would stall the run. The kit's filler must stay near-linear: the ratio per 1,000 characters
must not grow with the length.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.project import load_project  # noqa: E402
from generator.render.form_pdf import render_form_pdf  # noqa: E402
from generator.site import apply_page  # noqa: E402
from generator.templating import context_for  # noqa: E402

LENGTHS = (500, 1000, 2000, 3000)
NODE = r"""
const fs = require("fs"), path = require("path");
const job = JSON.parse(fs.readFileSync(0, "utf8"));
const lib = require(path.join(job.modules, "pdf-lib")), fontkit = require(path.join(job.modules, "@pdf-lib/fontkit"));
globalThis.PDFLib = lib;
require(job.assets + "/apply-data.js");
require(job.assets + "/apply-pdf.js");
const D = globalThis.ctApplyData, pdf = fs.readFileSync(job.pdf), font = fs.readFileSync(job.font);
const words = "the music went on late into the night and nobody came when we phoned again".split(" ");
function answer(n) { let s = "", i = 0; while (s.length < n) { s += words[i++ % words.length] + " "; } return s.slice(0, n).trim(); }
function now() { return Number(process.hrtime.bigint()) / 1e9; }
async function baseline() {
  const t = now(), doc = await lib.PDFDocument.load(pdf, { updateMetadata: false });
  doc.registerFontkit(fontkit);
  await doc.embedFont(font, { subset: true });
  await doc.save({ updateFieldAppearances: false });
  return now() - t;
}
async function ours(n) {
  const data = JSON.parse(JSON.stringify(job.data));
  data.incidents[0].description = answer(n);
  const t = now();
  await globalThis.ctApplyPdf.fill(lib, fontkit, pdf, font, D.pdfValues(job.model, data),
    { layout: job.model.pdf, labels: D.pdfLabels(job.model, data) });
  return now() - t;
}
async function pdfLibOwn(n) {   // what the filler did before: pdf-lib's own appearance for the field
  const t = now(), doc = await lib.PDFDocument.load(pdf, { updateMetadata: false });
  doc.registerFontkit(fontkit);
  const f = await doc.embedFont(font, { subset: true }), field = doc.getForm().getTextField("incidents:1:description");
  field.setMaxLength(undefined);
  field.setText(answer(n));
  field.setFontSize(9);
  field.updateAppearances(f);
  await doc.save({ updateFieldAppearances: false });
  return now() - t;
}
(async () => {
  await baseline(); await ours(100);   // warm up
  const out = { baseline: Math.min(await baseline(), await baseline(), await baseline()), ours: {}, pdf_lib_own: {} };
  for (const n of job.lengths) { out.ours[n] = Math.min(await ours(n), await ours(n)); }
  out.pdf_lib_own[500] = await pdfLibOwn(500);
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
"""


def main() -> int:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "pdf-lib").is_dir():
        print("needs Node and node_modules/ (make node_modules/.installed-stamp)")
        return 1
    guidance = load_project(ROOT).require()
    council = guidance.council("erewash")
    form = guidance.forms["application"]
    page = apply_page.render_apply_page(form, context_for(guidance, council), None)
    start = page.index('id="ct-apply-model">') + len('id="ct-apply-model">')
    model = json.loads(page[start:page.index("</script>", start)])
    data = {"basis": "victim", "applicant": {"name": "Alex Example", "address": "1 High Street\nIlkeston",
                                              "postcode": "DE7 5RP", "phone": "0115 907 2244",
                                              "preferred_contact": "phone"},
            "asb_types": ["noise"], "incidents": [{"occurred_on": "2026-01-10", "reported_on": "2026-01-11",
                                                   "reported_to": "Derbyshire Constabulary", "description": ""}],
            "impact": "I cannot sleep.", "desired_outcome": "For it to stop.",
            "declaration": {"signed_name": "Alex Example", "signed_on": "2026-02-20"}}
    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "application.pdf"
        blank.write_bytes(render_form_pdf(form, guidance, council))
        job = {"modules": str(ROOT / "node_modules"), "assets": str(ROOT / "generator/site/theme/assets/ctkit"),
               "pdf": str(blank), "font": str(ROOT / "generator/render/fonts/DejaVuSans.ttf"), "model": model,
               "data": data, "lengths": list(LENGTHS)}
        run = subprocess.run([node, "-e", NODE], input=json.dumps(job), capture_output=True, text=True, timeout=900)
    if run.returncode:
        print(run.stderr[-2000:])
        return 1
    times = json.loads(run.stdout)
    base = times["baseline"]
    print(f"baseline: {base:.2f} s  (pdf-lib loads the form, embeds the font and saves it, no answers)")
    per_k = []
    for n in LENGTHS:
        t = times["ours"][str(n)]
        per_k.append((t - base) / (n / 1000))
        print(f"ours, a {n:,}-character answer: {t:.2f} s = {t / base:.1f}x the baseline "
              f"({(t - base) * 1000 / n:.2f} s per 1,000 characters above it)")
    own = times["pdf_lib_own"]["500"]
    print(f"pdf-lib's own layout, a 500-character answer: {own:.2f} s = {own / base:.1f}x the baseline")
    linear = per_k[-1] <= 2 * max(per_k[0], 0.05)
    print("linear: " + ("yes" if linear else "NO, the time per character grows with the answer"))
    return 0 if linear else 1


if __name__ == "__main__":
    sys.exit(main())
