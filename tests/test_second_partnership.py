"""A second partnership, shaped unlike Derbyshire, run from its own content folder with nothing of this one.

As a new partnership's officer would, following the README's "Your own partnership": `ctkit init` in a
temporary folder, two councils' files filled from the example (a district and a unitary council), the police
taking applications as well, a hate route of one incident; then `ctkit check`, `ctkit build --all`, `ctkit fill`
and `ctkit validate`, each run in that folder without --project. The built sites and their PDFs must not say
"Derbyshire" anywhere, no file of this repository may change, and a council's site is looked at in Chromium.
"""
from __future__ import annotations

import hashlib
import json
import subprocess

import pytest

from conftest import ROOT, need_tool, run_ctkit
from partnership_helpers import BODIES, start_partnership
from site_serving import Hosts, axe_context, axe_violations, guard

NOTES = ROOT / "tests" / "_artifacts" / "second-partnership"   # screenshots to look at (git ignores them)

pytestmark = pytest.mark.slow


def _fingerprint() -> dict[str, str]:
    """Every source file of this repository's own content and the kit's starter, by its bytes."""
    files = [ROOT / "ctkit.yml", ROOT / "mkdocs.yml"]
    for folder in ("guidance", "forms", "schemas", "generator/starter"):
        files += [p for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return {str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(files)}


@pytest.fixture(scope="module")
def northvale(tmp_path_factory) -> dict:
    """Northvale's content folder, started by `ctkit init` and filled in, checked and built (all sites)."""
    before = _fingerprint()
    folder = start_partnership(tmp_path_factory.mktemp("northvale") / "northvale",
                               criteria={"    counts: complaints ": "    hate_route: {incidents: 1, months: 6}\n"
                                                                     "    counts: complaints "})
    checked = run_ctkit("check", cwd=folder)
    built = run_ctkit("build", "--all", cwd=folder, timeout=1200)
    return {"folder": folder, "check": checked, "build": built, "before": before}


def test_a_new_partnership_made_by_init_checks_and_builds_from_its_own_folder(northvale):
    assert northvale["check"].returncode == 0, northvale["check"].stdout + northvale["check"].stderr
    assert "0 error(s)" in northvale["check"].stdout
    assert northvale["build"].returncode == 0, northvale["build"].stderr[-3000:]
    site = northvale["folder"] / "site"
    for cid in ("northvale", *(b[0] for b in BODIES)):
        assert (site / cid / "index.html").is_file(), f"no site for {cid}"
        assert list((site / cid).rglob("*.pdf")), f"no PDFs on {cid}'s site"


def test_nothing_of_this_repository_changes_when_another_partnership_is_built(northvale):
    assert _fingerprint() == northvale["before"]


def test_the_built_northvale_sites_and_their_pdfs_never_say_derbyshire(northvale):
    pdftotext = need_tool("pdftotext", "reading the PDFs' text")
    site = northvale["folder"] / "site"
    said = [str(p.relative_to(site)) for p in site.rglob("*")
            if p.is_file() and p.suffix in (".html", ".js", ".json", ".txt", ".xml", ".csv")
            and "derbyshire" in p.read_text(encoding="utf-8", errors="replace").lower()]
    pdfs = sorted(site.rglob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
        if "derbyshire" in text.lower():
            said.append(str(pdf.relative_to(site)))
    assert said == []
    home = (site / "east-northvale" / "index.html").read_text(encoding="utf-8")
    assert "East Northvale District Council" in home and "ASB Case Review" in home


def test_a_filled_northvale_application_is_judged_by_its_own_hate_route(northvale, tmp_path):
    folder = northvale["folder"]
    data = {"form": "application", "form_version": "1.0", "received_on": "2026-03-02", "basis": "victim",
            "applicant": {"name": "Ana Example", "address": "1 High Street, Northvale", "postcode": "AB1 2CD",
                          "email": "ana@example.org", "preferred_contact": "email"},
            "asb_types": ["harassment"], "hate_incident": True,
            "incidents": [{"occurred_on": "2026-02-10", "reported_on": "2026-02-11", "reported_to": "Northvale Police",
                           "description": "Shouted abuse at my door because of my religion."}],
            "impact": "I am afraid to go out.", "desired_outcome": "For it to stop.",
            "declaration": {"signed_name": "Ana Example", "signed_on": "2026-03-01"}}
    source = tmp_path / "application.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    filled = tmp_path / "filled.pdf"
    run = run_ctkit("fill", "application", "--data", str(source), "--council", "west-northvale", "-o", str(filled),
                    cwd=folder)
    assert run.returncode == 0, run.stderr
    judged = run_ctkit("validate", str(filled), "--format", "json", cwd=folder)
    assert judged.returncode == 0, judged.stderr
    [result] = json.loads(judged.stdout)
    assert result["decision"] == "threshold_met", result
    assert result["qualifying_complaints"] == 1 and result["guidance_version"] == "1.0"
    assert "hate" in json.dumps(result["route"]).lower()


def test_a_northvale_council_site_reads_as_its_own_in_chromium(northvale, browser):
    site = northvale["folder"] / "site" / "west-northvale"
    hosts = Hosts()
    NOTES.mkdir(parents=True, exist_ok=True)
    try:
        url = hosts.add("west", site)
        context = axe_context(browser)
        page = context.new_page()
        outside = guard(page)
        seen = {}
        for path, shot in (("/", "home"), ("/public/contacts/", "contacts"), ("/public/can-i-use-it/", "can-i-use-it")):
            page.goto(url + path)
            page.screenshot(path=str(NOTES / f"west-northvale-{shot}.png"), full_page=True)
            seen[shot] = page.inner_text("body")
            assert axe_violations(page) == [], path
        context.close()
    finally:
        hosts.close()
    assert outside == []
    assert "West Northvale Council" in seen["home"] and "ASB Case Review" in seen["home"]
    assert "Northvale Police" in seen["contacts"] and "East Northvale District Council" in seen["contacts"]
    assert "every team in Northvale that takes applications" in seen["contacts"], "the police are not a council"
    assert "all councils in" not in seen["contacts"] and "confirmed with the council)" not in seen["contacts"]
    assert all("derbyshire" not in text.lower() for text in seen.values())
    assert "(draft, not in force)." in seen["home"], "a draft nobody has approved gives no approval date"
