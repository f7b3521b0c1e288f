"""The accessibility statement's claims are measurements, kept in one place (guidance/site.yml).

Each claim about the PDFs is checked here against the PDFs the site offers, read back with
pypdf; the claims about pages (axe-core failures, cookies, outside requests) are checked in
the browser by test_site_council_sites.py. When a claim stops being true, a test fails, and
changing the claim in site.yml changes every council's statement. The statement's wording
follows the claims: that is tested here on the generated page, without building a site.
"""
from __future__ import annotations

import html
import io

import pytest
from pypdf import PdfReader

from generator.build_cache import NO_CACHE
from generator.project import load_project
from generator.site.assemble import SiteContent
from generator.site.downloads import render_downloads


@pytest.fixture(scope="module")
def site_pdfs(guidance):
    """Every PDF one council's site offers, as the site build renders them."""
    return render_downloads(guidance, guidance.councils["erewash"], guidance.current(), NO_CACHE)


def is_tagged(reader: PdfReader) -> bool:
    root = reader.trailer["/Root"]
    marked = root.get("/MarkInfo", {}).get("/Marked", False)
    return "/StructTreeRoot" in root and bool(marked)


@pytest.mark.slow   # renders every PDF of a site
def test_the_pdfs_are_tagged_exactly_when_the_statement_says_so(guidance, site_pdfs):
    claim = guidance.site["accessibility"]["pdf"]["tagged"]
    assert len(site_pdfs) == len(guidance.forms) + 1
    found = {d.path: is_tagged(PdfReader(io.BytesIO(d.data))) for d in site_pdfs}
    assert found == {path: claim for path in found}, \
        "the PDFs' tagging changed: set accessibility → pdf → tagged in guidance/site.yml to match"


@pytest.mark.slow
def test_every_pdf_says_its_language_and_names_every_box_when_the_statement_says_so(guidance, site_pdfs):
    claims = guidance.site["accessibility"]["pdf"]
    for download in site_pdfs:
        reader = PdfReader(io.BytesIO(download.data))
        if claims["language"]:
            assert str(reader.trailer["/Root"].get("/Lang", "")).startswith("en"), download.path
        if claims["field_names"]:
            unnamed = [name for name, field in (reader.get_fields() or {}).items()
                       if field.get("/FT") and not field.get("/TU")]
            assert unnamed == [], (download.path, unnamed[:5])


def statement(root, council_id: str = "erewash") -> str:
    guidance = load_project(root).require()
    site = SiteContent(guidance, guidance.councils[council_id], pdfs=False)
    site.render_pages()
    page = next(g.content for g in site.generated_files() if g.path == "accessibility.md")
    return html.unescape(page)   # the Markdown the site renders; names from YAML arrive HTML-escaped


def test_the_statement_says_what_the_claims_in_site_yml_say(root, guidance):
    claims = guidance.site["accessibility"]
    words = statement(root)
    untagged = not claims["pdf"]["tagged"]
    status = "partially" if untagged or claims["known_gaps"] else "fully"
    assert f"This website is {status} compliant with the Web Content Accessibility Guidelines version 2.2 AA" in words
    assert ("1.3.1 (Info and Relationships)" in words) == untagged
    assert ("PDF forms and the practitioner guidance PDF are not tagged" in words) == untagged
    failures = claims["automated_checks"]["failures"]
    assert f"The last check found {failures or 'no'} failures." in words


def set_in(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_one_change_in_site_yml_turns_every_statement_between_fully_and_partially_compliant(tmp_root):
    """The PDFs are tagged now (tagged: true); were they not, one line would make each statement say so."""
    for council_id in ("erewash", "derbyshire"):
        words = statement(tmp_root, council_id)
        assert "This website is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA" in words
        assert "not tagged" not in words and "1.3.1" not in words
        assert "We do not know of any part of this website that is hard to use." in words
    set_in(tmp_root / "guidance" / "site.yml", "    tagged: true", "    tagged: false")
    for council_id in ("erewash", "derbyshire"):
        words = statement(tmp_root, council_id)
        assert "This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA" in words
        assert "PDF forms and the practitioner guidance PDF are not tagged" in words and "1.3.1" in words


def test_a_gap_found_by_people_is_listed_with_its_criteria_and_plan(tmp_root):
    set_in(tmp_root / "guidance" / "site.yml", "  known_gaps: []", """  known_gaps:
    - what: The date checker's error messages are not read out by one screen reader.
      criteria: ["4.1.3 Status Messages"]
      plan: We are fixing the checker's messages.""")
    words = statement(tmp_root)
    assert "partially compliant" in words
    assert "- The date checker's error messages are not read out by one screen reader." in words
    assert "This fails WCAG success criteria 4.1.3 Status Messages. We are fixing the checker's messages." in words


def test_the_statement_names_the_councils_own_contact_for_accessibility_problems(tmp_root):
    path = tmp_root / "guidance" / "councils" / "erewash.yml"
    path.write_text(path.read_text(encoding="utf-8") + "accessibility_contact:\n  team: Digital Services Team\n"
                    "  email: web@erewash.example\n", encoding="utf-8")
    words = statement(tmp_root)
    assert "contact the Digital Services Team at [web@erewash.example](mailto:web@erewash.example)" in words
    assert "You can also ask the Community Safety Team on [0115 907 2244](tel:+441159072244)" in words
