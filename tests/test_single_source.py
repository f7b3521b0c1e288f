"""One number, changed once in YAML, changes every page that shows it."""
from __future__ import annotations

import io
import re

import pypdf
import pytest

from conftest import run_ctkit, without_locks
from generator.project import load_project
from generator.render.form_pdf import render_form_pdf
from generator.templating import context_for, render_text

# "3 qualifying complaints", "three complaints", "3 or more ... complaints": the threshold in words.
THRESHOLD_PHRASE = r"\b{n}\b(?:\s+or\s+more)?(?:\s+\w+){{0,3}}?\s+(?:complaints?|reports?|incidents?)"


def rendered_pages(root, council_id=None) -> dict[str, str]:
    project = load_project(root)
    guidance = project.require()
    council = guidance.councils[council_id] if council_id else None
    out = {}
    for page in guidance.pages:
        text, problems = render_text(page.body, context_for(guidance, council), page.path, page.body_line)
        assert not problems, problems
        out[page.rel] = text
    return out


def set_figure(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_every_page_renders_for_every_council(guidance, root):
    for council_id in guidance.councils:
        pages = rendered_pages(root, council_id)
        assert pages, "no guidance pages found"
        assert all("{{" not in text for text in pages.values())


def test_changing_the_threshold_changes_practitioner_and_public_text(tmp_root):
    without_locks(tmp_root)
    set_figure(tmp_root / "guidance/criteria.yml", "threshold: 3", "threshold: 2")
    pages = rendered_pages(tmp_root)
    practitioner = {k: v for k, v in pages.items() if k.startswith("practitioner/")}
    public = {k: v for k, v in pages.items() if k.startswith("public/")}
    assert practitioner and public
    two = re.compile(THRESHOLD_PHRASE.format(n="2"), re.I)
    assert any(two.search(t) for t in practitioner.values()), "threshold 2 not found in practitioner pages"
    assert any(two.search(t) for t in public.values()), "threshold 2 not found in public pages"
    left_over = re.compile(THRESHOLD_PHRASE.format(n="(?:3|three)"), re.I)
    # The Act's own ceiling (organisations.yml law.limits) is a different figure and stays 3.
    act = f"at most {load_project(tmp_root).require().organisations['law']['limits']['threshold']} qualifying"
    stale = {k: m.group(0) for k, t in pages.items() for m in [left_over.search(t.replace(act, ""))] if m}
    assert not stale, f"the old threshold is still written where the threshold is meant: {stale}"


def test_changing_the_period_and_reporting_rule_changes_the_text(tmp_root):
    without_locks(tmp_root)
    set_figure(tmp_root / "guidance/criteria.yml", "period_months: 6", "period_months: 9")
    set_figure(tmp_root / "guidance/criteria.yml", "report_within_months: 1", "report_within_months: 2")
    text = "\n".join(rendered_pages(tmp_root).values())
    assert "9 months" in text and "2 months" in text
    # The Act's own limits (organisations.yml law.limits) are different figures and stay as they are.
    limits = load_project(tmp_root).require().organisations["law"]["limits"]
    text = text.replace(f"made within {limits['application_months']} months of the complaint", "")
    assert not re.search(r"\b(?:6|six) months\b", text, re.I), "the old period is still typed somewhere"


def test_changing_a_council_phone_number_changes_its_pages(tmp_root):
    set_figure(tmp_root / "guidance/councils/erewash.yml", '"0115 907 2244"', '"0115 000 0000"')
    text = "\n".join(rendered_pages(tmp_root, "erewash").values())
    assert "0115 000 0000" in text
    assert "0115 907 2244" not in text


@pytest.mark.parametrize("figure", ["acknowledge", "threshold_decision"])
def test_changing_a_timescale_changes_the_public_deadlines(tmp_root, figure):
    without_locks(tmp_root)
    path = tmp_root / "guidance/criteria.yml"
    text = path.read_text(encoding="utf-8")
    block = text[text.index('"2.0":'):]
    old = re.search(rf"{figure}: {{days: (\d+)", block)
    new_days = 37 if figure == "acknowledge" else 41
    path.write_text(text[: text.index('"2.0":')] + block.replace(old.group(0), f"{figure}: {{days: {new_days}"),
                    encoding="utf-8")
    public = "\n".join(t for k, t in rendered_pages(tmp_root).items() if k.startswith("public/"))
    assert f"{new_days} working days" in public


@pytest.mark.slow
def test_the_name_residents_search_for_is_set_once_for_the_site_and_the_forms(tmp_root, tmp_path):
    """guidance/wording.yml `called.title`: the site's title, header and footer, the forms' masthead and footer."""
    set_figure(tmp_root / "guidance" / "wording.yml", "  title: Community Trigger", "  title: Neighbourhood Review")
    guidance = load_project(tmp_root).require()
    pdf = pypdf.PdfReader(io.BytesIO(render_form_pdf(guidance.forms["application"], guidance,
                                                     guidance.councils["erewash"])))
    first = pdf.pages[0].extract_text()
    assert "Erewash Borough Council · Derbyshire Neighbourhood Review" in first
    assert "Derbyshire Neighbourhood Review guidance version" in first
    run = run_ctkit("build", "--council", "erewash", "--site-dir", str(tmp_path / "site"), root=tmp_root)
    assert run.returncode == 0, run.stderr
    home = (tmp_path / "site" / "erewash" / "index.html").read_text(encoding="utf-8")
    assert "- Erewash Borough Council: Neighbourhood Review</title>" in home
    assert "Derbyshire Neighbourhood Review guidance, version" in home
    assert "Neighbourhood Review: council websites" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
