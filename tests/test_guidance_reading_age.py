"""Every resident page of the version in force reads at a reading age of about 9.

Measured with textstat 0.7.3 on the BUILT pages (`ctkit build --council erewash`, once per run):
the reading age is the Flesch-Kincaid grade plus 5 (a US school grade is about 5 years behind
the reader's age), over each page's main text as `guidance_pages.readable_text` reads it. The
home page counts up to its "For practitioners" heading. The figure for every page is written
to tests/_artifacts/reading-age.md and shown when a page misses.

A page may miss the aim only if it is listed in MISSES with why, and it must still stay under
the ceiling given there, so that a page that gets harder fails even then.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import textstat

from guidance_pages import built_site, page_html, readable_text

pytestmark = pytest.mark.slow   # builds a council site with `ctkit build`: in the full run, not make check

AIM = 9.0
ARTIFACT = Path(__file__).resolve().parent / "_artifacts" / "reading-age.md"
#: The home page's resident part ends where the practitioners' part begins.
HOME_STOP = "for-practitioners"
#: Pages allowed to miss the aim: site path -> (ceiling, why).
MISSES = {
    "public/contacts": (10.8, "the names, addresses and phone numbers of ten councils, which no rewording can "
                              "shorten; written by generator/site/pages/contacts.md.j2"),
    "public/form-application": (11.5, "every question of the application form, word for word from "
                                      "forms/application.yml, which the validator and the online form quote too"),
    "public/apply": (10.5, "the online application form: the same questions from forms/application.yml, with the "
                           "steps' own words from generator/site/pages/apply*.j2"),
}


def reading_age(text: str) -> float:
    return round(textstat.flesch_kincaid_grade(text) + 5, 1)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return built_site(tmp_path_factory, "2.0")


def resident_pages(site: Path) -> list[str]:
    found = ["", "public"] + sorted(str(p.parent.relative_to(site)) for p in (site / "public").glob("*/index.html"))
    return found


@pytest.fixture(scope="module")
def figures(site) -> dict[str, tuple[float, int]]:
    out = {}
    for page in resident_pages(site):
        text = readable_text(page_html(site, page), stop_at=HOME_STOP if page == "" else None)
        out[page] = (reading_age(text), textstat.lexicon_count(text))
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    rows = [f"| {page or 'home (resident part)'} | {age} | {words} | "
            f"{'aim met' if age <= AIM else 'misses: ' + MISSES.get(page, (0, 'not allowed'))[1]} |"
            for page, (age, words) in out.items()]
    ARTIFACT.write_text("| page | reading age | words | |\n|---|---|---|---|\n" + "\n".join(rows) + "\n",
                        encoding="utf-8")
    return out


def _table(figures) -> str:
    return "\n".join(f"  {page or 'home'}: {age} ({words} words)" for page, (age, words) in figures.items())


def test_the_measure_tells_plain_words_from_hard_ones():
    plain = "You can ask us to look at your case again. We will tell you what we find. It is free."
    hard = ("Notwithstanding the aforementioned considerations, applications necessitate comprehensive "
            "documentation substantiating the persistence of the anti-social behaviour complained of.")
    assert reading_age(plain) <= AIM < reading_age(hard)


def test_every_resident_page_is_measured(site, figures):
    for page in ("", "public", "public/can-i-use-it", "public/how-to-apply", "public/what-happens-next",
                 "public/support", "public/appeals", "public/privacy", "public/forms", "public/check-your-dates"):
        assert page in figures, f"{page or 'home'} was not built or not measured"
        assert figures[page][1] >= 60, f"{page or 'home'} has almost no text to measure: {figures[page]}"


def test_every_resident_page_reads_at_a_reading_age_of_about_9(figures):
    misses = {page: age for page, (age, _) in figures.items() if age > AIM and page not in MISSES}
    assert not misses, f"pages above reading age {AIM}: {misses}\nall pages:\n{_table(figures)}"


@pytest.mark.parametrize("page", sorted(MISSES))
def test_a_page_allowed_to_miss_stays_under_its_ceiling(figures, page):
    ceiling, why = MISSES[page]
    age = figures[page][0]
    assert age <= ceiling, f"{page} reads at {age}, above its ceiling {ceiling} ({why})\n{_table(figures)}"
    assert age > AIM, f"{page} now meets the aim ({age}): take it out of MISSES"
