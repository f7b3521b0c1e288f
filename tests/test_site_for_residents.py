"""A council site as a resident searches it, and the notice officers hand over at a second report.

One `ctkit build --council erewash` (the real command line, in this process; conftest's) feeds every test:
what it prints, the built files, and the site served from 127.0.0.1 and driven in Chromium.
The 20 questions residents type into the search box are in tests/data/search_questions.yml,
each with the page it should find first; where each one lands is written to
tests/_artifacts/search-questions.md.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest
import textstat
import yaml

from conftest import need_tool
from guidance_pages import page_html, readable_text
from pdf_reading import page_count, tagging_problems, text_of
from site_serving import axe_context, axe_violations, guard

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "_artifacts"
COUNCIL = "erewash"
QUESTIONS = yaml.safe_load((ROOT / "tests" / "data" / "search_questions.yml").read_text(encoding="utf-8"))
NOTICE = "public/reported-twice"
AIM = 9.0   # reading age, as test_guidance_reading_age measures it

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(erewash_site) -> dict:
    return erewash_site


@pytest.fixture(scope="module")
def url(erewash_url) -> str:
    return erewash_url


def search(page, question: str) -> list[dict]:
    """What Material's search lists for `question`, page by page: each page's address and its tags."""
    page.keyboard.press("Escape")
    page.keyboard.press("/")
    page.fill(".md-search__input", "")
    page.type(".md-search__input", question, delay=5)
    page.wait_for_function("() => document.querySelector('.md-search-result__meta').textContent.trim() !== ''")
    page.wait_for_timeout(400)   # the search worker answers each key as it is typed; let the last answer land
    return page.eval_on_selector_all(".md-search-result__item > a.md-search-result__link", """links => links.map(a => ({
        href: a.getAttribute('href').split('#')[0].split('?')[0],
        tags: [...a.querySelectorAll('.md-tag')].map(t => t.textContent.trim())}))""")


def test_residents_find_the_page_they_need_first_for_at_least_18_of_20_questions(url, browser):
    page = browser.new_page()
    outside = guard(page)
    page.goto(f"{url}/")
    rows, first = [], 0
    for item in QUESTIONS:
        found = search(page, item["question"])
        landed = found[0]["href"].replace(url + "/", "") if found else "(nothing)"
        rank = next((i for i, f in enumerate(found, 1) if f["href"].replace(url + "/", "") == item["page"]), None)
        first += rank == 1
        rows.append(f"| {item['question']} | {item['page']} | {landed} | {rank or 'not listed'} |")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "search-questions.md").write_text(
        "| question | the page it should find | first result | rank of that page |\n|---|---|---|---|\n"
        + "\n".join(rows) + f"\n\n{first} of {len(QUESTIONS)} land first on the right page.\n", encoding="utf-8")
    assert len(QUESTIONS) == 20
    assert first >= 18, "\n".join(rows)
    assert outside == []
    page.close()


def test_each_search_result_says_whether_its_page_is_for_residents_or_practitioners(url, browser):
    context = axe_context(browser)
    page = context.new_page()
    page.goto(f"{url}/")
    found = search(page, "appeal")
    assert found[0]["href"].endswith("public/appeals/") and found[0]["tags"] == ["For residents"]
    practitioners = [f for f in found if "/practitioner/" in f["href"]]
    assert practitioners and all(f["tags"] == ["For practitioners"] for f in practitioners)
    violations = axe_violations(page)    # the results open, tags and all
    assert violations == [], violations
    context.close()


def test_the_timescales_are_found_by_how_long_and_how_many_days(url, browser):
    page = browser.new_page()
    page.goto(f"{url}/")
    for question in ("how long", "how many days"):
        assert search(page, question)[0]["href"].endswith("public/what-happens-next/"), question
    page.close()


def test_the_told_in_time_notice_is_a_page_and_a_one_page_tagged_pdf_with_the_councils_contacts(
        built, guidance, tmp_path):
    council = guidance.council(COUNCIL)
    html = page_html(built["site"], NOTICE)
    text = readable_text(html)
    age = round(textstat.flesch_kincaid_grade(text) + 5, 1)
    assert age <= AIM, f"reading age {age}"
    pdf = built["site"] / "forms" / "reported-twice.pdf"
    assert '../../forms/reported-twice.pdf' in html, "the page links to its printout"
    assert page_count(pdf) == 1
    printed = " ".join(text_of(need_tool("pdftotext", "reading a PDF"), pdf).split())
    for contact in (council.spoc.phone, council.spoc.postcode, council.spoc.team, council.site_url):
        assert contact in printed and contact in html, contact
    # The same words as the page and the rest of the site: the rule's sentences from guidance/wording.yml.
    plain = " ".join(text.split())
    for sentence in ("Reports made by anyone count, not only yours.",
                     "You have told us about anti-social behaviour (ASB) more than once."):
        assert sentence in printed and sentence in plain, sentence
    with pikepdf.open(pdf) as doc:
        assert doc.Root.Lang == "en-GB" and doc.Root.MarkInfo.Marked is True
    assert tagging_problems(pdf) == []
    subprocess.run([need_tool("pdftoppm", "the PDF-image tests"), "-r", "70", "-png", str(pdf),
                    str(ARTIFACTS / "notice-reported-twice")], check=True, timeout=60)


def test_the_notice_page_passes_axe_in_chromium(url, browser):
    context = axe_context(browser)
    page = context.new_page()
    page.goto(f"{url}/{NOTICE}/")
    assert axe_violations(page) == []
    context.close()


def test_ctkit_build_prints_where_each_site_must_be_published_for_its_404_page_to_work(built, guidance):
    council = guidance.council(COUNCIL)
    line = next(line for line in built["stdout"].splitlines() if "publish" in line)
    assert council.site_url in line and "/community-trigger/" in line and "404" in line
