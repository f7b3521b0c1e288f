"""The whole release cycle an editor walks, on a throwaway copy of the sources.

Version 2.2 (the next after the real sources' draft 2.1) lowers the threshold from 3 to 2:
`ctkit version new`, edit criteria.yml,
record each approval, `ctkit check` clean, and then every output follows the new figure —
pages, the guidance PDF, `ctkit diff` and the validator — while an application received
before 2.2 took effect is still judged by 2.0.
"""
from __future__ import annotations

import json
import subprocess

import pymupdf
import pytest

from conftest import need_tool
from generator.render.guidance_pdf import render_guidance_pdf
from generator.project import load_project
from generator.templating import context_for, render_text

EFFECTIVE = "2026-07-01"
APPROVALS = [("Derbyshire ASB Sub-Group", "2026-05-14"), ("Safer Communities Core Group", "2026-06-04"),
             ("Safer Communities Board", "2026-06-25")]


def _git(repo, *args):
    git = need_tool("git", "the release cycle test")
    return subprocess.run([git, "-c", "user.name=Editor", "-c", "user.email=editor@example.invalid",
                           "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
                          cwd=repo, check=True, capture_output=True, text=True)


def _application(received_on: str) -> dict:
    """Two incidents in May and June 2026, each reported the next day: enough for 2.2, not for 2.0."""
    return {
        "form": "application", "form_version": "2.0", "received_on": received_on, "basis": "victim",
        "applicant": {"name": "Sam Sample", "address": "1 Test Street, Ilkeston", "postcode": "DE7 5RP",
                      "phone": "0115 000 0001", "email": "", "preferred_contact": "phone"},
        "asb_types": ["noise"], "hate_incident": False,
        "incidents": [
            {"occurred_on": "2026-05-10", "reported_on": "2026-05-11", "reported_to": "Derbyshire Constabulary",
             "description": "Loud music through the night"},
            {"occurred_on": "2026-06-01", "reported_on": "2026-06-02", "reported_to": "Erewash Borough Council",
             "description": "Loud music again, and shouting"},
        ],
        "impact": "No sleep", "desired_outcome": "Quiet at night",
        "declaration": {"signed_name": "Sam Sample", "signed_on": received_on},
    }


@pytest.mark.slow
def test_a_new_version_with_a_lower_threshold_flows_into_every_output(tmp_root, ctkit, tmp_path):
    _git(tmp_root, "init", "-q")
    _git(tmp_root, "add", "-A")
    _git(tmp_root, "commit", "-q", "-m", "Guidance 2.0")
    _git(tmp_root, "tag", "guidance-v2.0")

    # 1. The editor starts 2.2 and changes the one figure in criteria.yml.
    run = ctkit("version", "new", "2.2", "--summary", "Lowers the threshold to two complaints.", root=tmp_root)
    assert run.returncode == 0, run.stderr
    criteria = tmp_root / "guidance" / "criteria.yml"
    head, block = criteria.read_text(encoding="utf-8").split('  "2.2":')
    assert "threshold: 3 " in block
    criteria.write_text(head + '  "2.2":' + block.replace("threshold: 3 ", "threshold: 2 ", 1), encoding="utf-8")

    # 2. Each body approves it; the Board's approval puts it in force.
    for body, on in APPROVALS:
        extra = ["--effective-from", EFFECTIVE] if body == APPROVALS[-1][0] else []
        run = ctkit("version", "approve", "2.2", "--body", body, "--on", on, *extra, root=tmp_root)
        assert run.returncode == 0, run.stderr
    check = ctkit("check", "--quiet", root=tmp_root)
    assert check.returncode == 0, check.stdout + check.stderr

    # 3. Pages rendered for publication now show 2.2 and the threshold of 2; 2.0 still says 3.
    guidance = load_project(tmp_root).require()
    assert guidance.current().version == "2.2"
    threshold_page = next(p for p in guidance.pages if p.rel == "practitioner/threshold.md")
    for version, figure in (("2.2", 2), ("2.0", 3)):
        context = context_for(guidance, version=guidance.version(version))
        text, problems = render_text(threshold_page.body, context, threshold_page.path, threshold_page.body_line)
        assert not problems
        assert f"version {version} of this guidance" in text
        assert f"at least {figure} qualifying complaints" in text

    # 4. The guidance PDF: 2.2 in every footer, the new threshold in its text.
    document = pymupdf.open(stream=render_guidance_pdf(guidance), filetype="pdf")
    for page in document:
        assert "version 2.2, 25 June 2026 · approved" in " ".join(page.get_text().split())
    assert "at least 2 qualifying complaints" in " ".join(" ".join(p.get_text().split()) for p in document)

    # 5. A council's site: 2.2 in every page's footer, the threshold of 2, and the 2.2 guidance PDF.
    site = tmp_path / "site"
    run = ctkit("build", "--council", "erewash", "--site-dir", str(site), root=tmp_root)
    assert run.returncode == 0, run.stdout + run.stderr
    pages = sorted((site / "erewash").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        footer = html[html.index("<footer"):]
        assert "version 2.2" in footer and "version 2.0" not in footer, f"footer of {page}"
    threshold_html = (site / "erewash" / "practitioner" / "threshold" / "index.html").read_text(encoding="utf-8")
    assert "at least 2 qualifying complaints" in threshold_html
    assert (site / "erewash" / "forms" / "practitioner-guidance-v2.2.pdf").exists()

    # 6. `ctkit diff` names the change for the committee report.
    _git(tmp_root, "add", "-A")
    _git(tmp_root, "commit", "-q", "-m", "Guidance 2.2")
    _git(tmp_root, "tag", "guidance-v2.2")
    run = ctkit("diff", "guidance-v2.0", "guidance-v2.2", root=tmp_root)
    assert run.returncode == 0, run.stderr
    assert "The threshold was 3 qualifying complaints; it is now 2." in run.stdout
    assert "version 2.2 is a draft" not in run.stdout
    assert "Version 2.2 was added (approved, in force from 1 July 2026)" in run.stdout

    # 7. The validator judges each application by the version in force on the day it was received.
    files = []
    for name, received in (("before.json", "2026-06-15"), ("after.json", "2026-07-15")):
        path = tmp_path / name
        path.write_text(json.dumps(_application(received)), encoding="utf-8")
        files.append(str(path))
    run = ctkit("validate", "--format", "json", *files, root=tmp_root)
    assert run.returncode == 0, run.stderr
    before, after = json.loads(run.stdout)
    assert (before["guidance_version"], before["qualifying_incidents"], before["decision"]) == \
        ("2.0", 2, "threshold_not_met")
    assert (after["guidance_version"], after["qualifying_incidents"], after["decision"]) == \
        ("2.2", 2, "threshold_met")
