"""The council websites as a resident and a practitioner meet them.

One `ctkit build --all` per test session (the real CLI, into a temporary folder) feeds
every test here: the files it writes, then every council's site served where its `site.url`
puts it (inside a folder such as /community-trigger/, with its own 404 page for addresses that
do not exist), driven in Debian's Chromium: axe-core on every page of two councils' sites and
on the pages that differ on the other eight, no outside requests, search, keyboard, the date
checker against the shared case table, screenshots under tests/_artifacts/. The same sites at
the root of an address are tested in test_site_hosting.py.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from coloraide import Color

from conftest import run_ctkit
from generator.logo_policy import clean_logo
from site_serving import (PAGES_THAT_DIFFER, TEXT_AND_BACKGROUND_JS, Hosts, axe_context,
                          axe_violations, guard, mount_of, seen_contrast)

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "_artifacts"
REGISTERS = ROOT / "tests" / "data" / "registers"     # invented sample registers (erewash, high-peak)
#: Checked page by page in full: a district's site in its own colours with a logo, and the
#: county-wide one in the neutral look.
BROWSER_COUNCILS = ("erewash", "derbyshire")
#: Screenshots of two councils in different colours.
SHOT_COUNCILS = ("erewash", "chesterfield")
#: Where the home page's "Apply" leads. The online application page (public/apply/) will take its place.
APPLY_PAGE = "public/apply/"

pytestmark = pytest.mark.slow


# -- the build, once --------------------------------------------------------------

@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict:
    site = tmp_path_factory.mktemp("council-sites")
    result = run_ctkit("build", "--all", "--site-dir", str(site), "--registers", str(REGISTERS), in_process=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return {"site": site, "stdout": result.stdout, "stderr": result.stderr}


def html_of(built: dict, council: str, page: str = "") -> str:
    return (built["site"] / council / page / "index.html").read_text(encoding="utf-8")


def article_of(html: str) -> str:
    return html.split("<article", 1)[1].split("</article>", 1)[0]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def menu_of(html: str) -> str:
    """The site's menu (the primary sidebar) of a built page."""
    return html.split('<nav class="md-nav md-nav--primary', 1)[1].split('md-sidebar--secondary', 1)[0]


def test_build_all_writes_one_site_per_council_and_shows_progress(built, guidance):
    ids = sorted(guidance.councils)
    assert len(ids) == 10
    for cid in ids:
        assert (built["site"] / cid / "index.html").exists(), cid
    progress = re.findall(r"^\[(\d+)/10\] (.+?) … \d+\.\d s$", built["stdout"], re.M)
    assert sorted(int(n) for n, _ in progress) == list(range(1, 11))
    assert {name for _, name in progress} == {c.name for c in guidance.councils.values()}
    index = (built["site"] / "index.html").read_text(encoding="utf-8")
    for c in guidance.councils.values():
        assert f'href="{c.id}/"' in index and c.name in index


def test_each_site_has_its_council_name_in_the_header_and_its_own_spoc_contact(built, guidance):
    for council in guidance.councils.values():
        home = html_of(built, council.id)
        header = home.split('<header', 1)[1].split("</header>", 1)[0]
        assert council.name in header, council.id
        contacts = text_of(article_of(html_of(built, council.id, "public/contacts")))
        assert council.spoc.phone in contacts and council.spoc.postcode in contacts
        if council.takes_applications:
            mine = contacts.split("of this council", 1)[1].split("of all councils", 1)[0]
            assert council.name in mine and council.spoc.phone in mine
        if not council.spoc.verified:
            assert "not yet confirmed" in contacts


def test_each_site_carries_every_form_and_the_guidance_as_pdf(built, guidance):
    version = guidance.current().version
    for cid in guidance.councils:
        for form_id in guidance.forms:
            pdf = built["site"] / cid / "forms" / f"{form_id}.pdf"
            assert pdf.read_bytes().startswith(b"%PDF"), pdf
        guide = built["site"] / cid / "forms" / f"practitioner-guidance-v{version}.pdf"
        assert guide.read_bytes().startswith(b"%PDF"), guide


def test_forms_page_shows_format_and_size_beside_each_download(built, guidance):
    page = html_of(built, "erewash", "public/forms")
    links = re.findall(r'<a href="([^"]+\.pdf)">([^<]+)</a>', page)
    # Residents' forms only: the practitioners' templates are on practitioner/templates/.
    assert len(links) >= sum(1 for f in guidance.forms.values() if f.kind == "form" and f.audience == "resident")
    for href, label in links:
        size = (built["site"] / "erewash" / "public" / "forms" / href).resolve().stat().st_size
        shown = re.search(r"\(PDF, (\d+(?:\.\d)?) (KB|MB)\)", label)
        assert shown, label
        kb = float(shown[1]) * (1024 if shown[2] == "MB" else 1)
        assert abs(kb - size / 1024) <= max(1, kb * 0.06), (label, size)


def test_each_residents_form_has_a_web_page_listing_every_question(built, guidance):
    form = guidance.forms["application"]
    text = html.unescape(text_of(article_of(html_of(built, "erewash", "public/form-application"))))
    resident_sections = [sec for sec in form.sections if not sec.office_use]
    labels = [q.label for sec in resident_sections for q in sec.questions if q.is_field and "{" not in q.label]
    labels += [q.label for sec in resident_sections if sec.repeat for q in sec.repeat.questions]
    assert labels
    missing = [label for label in labels if label.replace("&", "&amp;") not in text and label not in text]
    assert not missing, missing
    assert "(required)" in text
    assert "Erewash Borough Council" in text   # the form's templated wording is filled in
    assert "{{" not in text
    assert "Office use" not in text and "Date received" not in text   # office-use questions are not the resident's
    assert "form-application/" in menu_of(html_of(built, "erewash", "public/forms"))


def test_every_page_footer_shows_the_version_and_public_pages_say_since_when(built, guidance):
    version = guidance.current()
    since = f"In force since {version.effective_from.day} {version.effective_from:%B %Y}"
    site = built["site"] / "erewash"
    pages = sorted(site.rglob("index.html"))
    assert len(pages) > 15
    for page in pages:
        html = page.read_text(encoding="utf-8")
        footer = text_of(html.split('<footer', 1)[1])
        assert f"version {version.version}" in footer, page
        public = "/public/" in page.as_posix() or page.parent == site
        assert (since in footer) == public, page


def test_published_site_holds_no_yaml_sources_and_links_to_no_outside_assets(built):
    site = built["site"] / "erewash"
    assert not list(site.rglob("*.yml"))
    assert not (site / "councils").exists()
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        tags = re.findall(r'<(?:script|link|img|iframe)[^>]+>', html)
        outside = [tag for tag in tags if re.search(r'(?:src|href)="(?:https?:)?//', tag)
                   and 'rel="canonical"' not in tag]   # a canonical link names the page's own address; it loads nothing
        assert not outside, (page, outside)


def test_checker_criteria_are_exported_from_criteria_yml(built, guidance):
    page = html_of(built, "erewash", "public/check-your-dates")
    exported = json.loads(re.search(r'<script type="application/json" id="ct-criteria">(.*?)</script>',
                                    page, re.S)[1])
    c = guidance.criteria_for(guidance.current())
    assert exported["threshold"] == c.threshold
    assert exported["period_months"] == c.period_months
    assert exported["report_within_months"] == c.report_within_months
    assert exported["counts"] == c.counts
    words = text_of(page)
    assert f"at least {c.threshold} qualifying complaints" in words
    # the questions' words come from the form model, the rule's from guidance/wording.yml
    carried = json.loads(re.search(r'<script type="application/json" id="ct-words">(.*?)</script>', page, re.S)[1])
    incidents = next(guidance.forms["application"].repeats())
    assert carried["fields"]["reported_to"]["label"] == next(q.label for q in incidents.questions
                                                              if q.id == "reported_to")
    assert carried["rule"]["window"].startswith("you ask for a review within")


def test_monitoring_page_publishes_figures_from_the_councils_register_only(built):
    erewash = article_of(html_of(built, "erewash", "practitioner/monitoring"))
    assert "applications received" in erewash
    csv = re.search(r'href="([^"]+\.csv)"', erewash)
    assert csv, "the figures page links to its CSV"
    data = (built["site"] / "erewash" / "practitioner" / "monitoring" / csv[1]).resolve().read_text(encoding="utf-8")
    assert "erewash" in data and "high-peak" not in data
    bolsover = article_of(html_of(built, "bolsover", "practitioner/monitoring"))   # no register for it
    assert ".csv" not in bolsover and "No figures" in text_of(bolsover)


# -- a council service: menus, home page, contact links, identity, address --------

def links_of(html: str) -> list[tuple[str, str]]:
    """(href, text) of each link, in order."""
    return [(href, text_of(inner).strip()) for href, inner in re.findall(r'<a [^>]*?href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)]


def test_tabs_put_residents_before_practitioners_and_menus_use_short_titles(built, guidance):
    home = html_of(built, "erewash")
    tabs = home.split('<nav class="md-tabs"', 1)[1].split("</nav>", 1)[0]
    assert [text for _href, text in links_of(tabs)] == ["Home", "For residents", "For practitioners"]
    for page in guidance.pages:
        if "nav_title" not in page.meta:
            continue
        folder = page.rel.removesuffix("index.md").removesuffix(".md")
        html = html_of(built, "erewash", folder)
        menu = menu_of(html)
        assert page.meta["nav_title"] in text_of(menu), page.rel
        assert page.title not in text_of(menu) or page.title == page.meta["nav_title"], page.rel
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", article_of(html), re.S)[1]
        assert text_of(heading).strip() == page.title.replace("&", "&amp;"), page.rel   # the page keeps its full title
    long_titles = [text for _h, text in links_of(menu_of(html_of(built, "erewash", "public"))) if len(text) > 30]
    assert long_titles == []


def test_home_page_leads_with_can_i_use_it_check_your_dates_apply_and_contact(built):
    site = built["site"] / "erewash"
    first = links_of(article_of(html_of(built, "erewash")))[:4]
    assert [text for _href, text in first] == ["Can I use it?", "Check your dates", "Apply", "Contact"]
    targets = [urljoin("https://x/", href) for href, _ in first]
    assert targets == [f"https://x/{path}" for path in
                       ("public/can-i-use-it/", "public/check-your-dates/", APPLY_PAGE, "public/contacts/")]
    for href, _text in first:
        assert (site / href / "index.html").exists(), href


#: A number to dial; "text 999" (the emergencySMS service, for those registered) is not one to call.
PHONE = re.compile(r"(?<![\d+])(?<!text )(?:0\d{2,4} ?\d{3} ?\d{3,4}|999|101|116 ?123|18000)(?!\d)")


def test_every_phone_number_and_email_on_residents_pages_is_a_link_that_dials_or_writes(built):
    site = built["site"] / "erewash"
    checked = 0
    for html_file in [site / "index.html", *sorted((site / "public").rglob("index.html"))]:
        article = article_of(html_file.read_text(encoding="utf-8"))
        for href, text in re.findall(r'<a [^>]*?href="(tel:[^"]*)"[^>]*>(.*?)</a>', article, re.S):
            assert href == "tel:" + ("+44" + re.sub(r"\D", "", text)[1:] if text.startswith("0")
                                     else re.sub(r"\D", "", text)), (html_file, href, text)
            checked += 1
        for href, text in re.findall(r'<a [^>]*?href="(mailto:[^"]*)"[^>]*>(.*?)</a>', article, re.S):
            assert href == f"mailto:{text_of(text).strip()}", (html_file, href)
        plain = re.sub(r"<a [^>]*>.*?</a>", " ", article, flags=re.S)
        plain = re.sub(r"<(script|code)[^>]*>.*?</\1>", " ", plain, flags=re.S)
        assert not PHONE.findall(text_of(plain)), (html_file, PHONE.findall(text_of(plain)))
        assert not re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text_of(plain)), html_file
        assert not re.findall(r"(?<![\w/\"])https?://\S+", text_of(plain)), html_file
    assert checked > 20


def test_each_site_knows_its_own_address_for_canonical_links_and_its_404_page(built, guidance):
    for council in guidance.councils.values():
        site = built["site"] / council.id
        page = (site / "public" / "contacts" / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{council.site_url}public/contacts/">' in page
        missing = (site / "404.html").read_text(encoding="utf-8")
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', missing)
        assert sheets and all(href.startswith(mount_of(council.site_url) + "assets/") for href in sheets), sheets
        mount = mount_of(council.site_url)
        assert "Page not found" in missing
        assert f'href="{mount}">Go to the home page' in missing and f'href="{mount}public/contacts/"' in missing
        assert f"<loc>{council.site_url}</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_each_site_has_its_councils_colours_and_logo_or_the_neutral_look(built, guidance, root):
    looks = set()
    for council in guidance.councils.values():
        site = built["site"] / council.id
        css = (site / "assets" / "ctkit" / "council.css").read_text(encoding="utf-8")
        colours = guidance.colours_of(council)
        assert f"--md-primary-fg-color: {colours.header};" in css and f"--ct-link: {colours.link};" in css
        looks.add(colours.header)
        header = html_of(built, council.id).split("<header", 1)[1].split("</header>", 1)[0]
        if council.logo:
            img = re.search(r'<img src="([^"]+)" alt="([^"]*)" class="ct-logo">', header)
            assert img and img[2] == council.logo.alt, council.id
            shipped = (site / img[1]).read_bytes()
            source = root / "guidance" / "councils" / council.logo.file
            assert shipped == clean_logo(source.name, source.read_bytes()).data   # served as the logo policy cleans it
        else:
            assert "<img" not in header and ".md-logo { display: none; }" in css, council.id
    assert guidance.colours_of(guidance.councils["derbyshire"]) == guidance.default_colours   # the neutral look
    assert len(looks) >= 2


def test_every_page_links_to_the_accessibility_statement_cookies_and_contact(built):
    site = built["site"] / "erewash"
    for html_file in [*sorted(site.rglob("index.html")), site / "404.html"]:
        footer = html_file.read_text(encoding="utf-8").split('<nav aria-label="About this website"', 1)[1]
        footer = footer.split("</nav>", 1)[0]
        links = links_of(footer)
        assert [text for _h, text in links] == ["Accessibility statement", "Cookies", "Contact us"], html_file
        if html_file.name == "index.html":
            for href, _text in links:
                assert (html_file.parent / href / "index.html").resolve().exists(), (html_file, href)


def test_accessibility_statement_names_the_councils_contact_and_the_measured_claims(built, guidance):
    claims = guidance.site["accessibility"]
    for council in guidance.councils.values():
        words = text_of(article_of(html_of(built, council.id, "accessibility")))
        contact = council.accessibility_contact or council.spoc
        assert f"contact the {contact.team} on {contact.phone}" in words, council.id
        assert council.name in words and council.site_url in words
        status = "partially compliant" if not claims["pdf"]["tagged"] or claims["known_gaps"] else "fully compliant"
        assert f"This website is {status} with the Web Content Accessibility Guidelines version 2.2 AA" in words
        assert ("PDF documents on this site" in words) == (not claims["pdf"]["tagged"])
        assert "Enforcement procedure" in words and "Equality Advisory and Support Service" in words
        cookies = text_of(article_of(html_of(built, council.id, "cookies")))
        assert ("does not set any cookies" in cookies) == (not claims["cookies"])


# -- in the browser ---------------------------------------------------------------

@pytest.fixture(scope="session")
def served(built, guidance):
    """Every council's site at the folder its site.url names, on a server of its own; plus the index."""
    hosts = Hosts()
    hosts.add("root", built["site"])
    for council in guidance.councils.values():
        hosts.add(council.id, built["site"] / council.id, mount_of(council.site_url))
    yield hosts.url
    hosts.close()


def pages_of(built: dict, council_id: str) -> list[str]:
    """Every page of a council's site as a path under its address ('' is the home page)."""
    site = built["site"] / council_id
    return [html.parent.relative_to(site).as_posix() + "/" if html.parent != site else ""
            for html in sorted(site.rglob("index.html"))]


@pytest.fixture(scope="session")
def visited(built, served, browser, guidance) -> dict:
    """Every page of two councils' sites and the pages that differ on the other eight, loaded once:
    axe violations, outside requests, and the header colour each page really shows."""
    context = axe_context(browser)
    page = context.new_page()
    outside = guard(page)
    report: dict = {"pages": [], "violations": [], "outside": outside, "headers": {}, "statuses": {}}
    every = [("root", "")]          # the list of council sites
    for council in guidance.councils.values():
        paths = pages_of(built, council.id) if council.id in BROWSER_COUNCILS else list(PAGES_THAT_DIFFER)
        every += [(council.id, path) for path in paths]
        if council.id in BROWSER_COUNCILS:
            every.append((council.id, PAGES_THAT_DIFFER[-1]))   # an address that does not exist: the 404 page
    for where, path in every:
        response = page.goto(f"{served[where]}/{path}", wait_until="load")
        report["pages"].append(f"{where}/{path}")
        report["statuses"][f"{where}/{path}"] = response.status
        report["violations"] += [(f"{where}/{path}", rule, targets) for rule, targets in axe_violations(page)]
        if where != "root":
            report["headers"][f"{where}/{path}"] = page.evaluate(
                "getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    context.close()
    return report


def test_axe_finds_what_the_accessibility_statement_says_on_every_page_checked(visited, guidance):
    """Every page of two sites and the differing pages of all ten, 404 included, inside a folder."""
    claimed = guidance.site["accessibility"]["automated_checks"]["failures"]
    assert len(visited["pages"]) >= 2 * len(guidance.pages) + 8 * len(PAGES_THAT_DIFFER)
    assert len(visited["violations"]) == claimed, visited["violations"]
    assert visited["violations"] == []


def test_no_page_makes_a_request_to_any_other_host_as_the_statement_says(visited, guidance):
    assert len(visited["pages"]) > 20
    assert bool(visited["outside"]) == guidance.site["accessibility"]["outside_requests"]
    assert visited["outside"] == []


def test_every_council_page_wears_its_councils_colours_404_included(visited, guidance):
    """The header colour the browser shows is the council's, so the stylesheets loaded, under a folder too."""
    assert any(key.endswith("no-such-page/or/folder/") for key in visited["headers"])
    wrong = {}
    for key, shown in visited["headers"].items():
        council = guidance.councils[key.split("/", 1)[0]]
        wanted = guidance.colours_of(council).header
        if Color(shown).to_string(hex=True) != Color(wanted).to_string(hex=True):
            wrong[key] = (shown, wanted)
    assert wrong == {}
    missing = [key for key, status in visited["statuses"].items() if key.endswith("no-such-page/or/folder/")]
    assert missing and all(visited["statuses"][key] == 404 for key in missing)


def test_site_search_finds_a_page_offline(served, browser):
    page = browser.new_page()
    outside = guard(page)
    page.goto(f"{served['erewash']}/")
    page.keyboard.press("/")   # Material's search shortcut
    assert "md-search__input" in page.evaluate("document.activeElement.className")
    page.keyboard.type("proportionality", delay=10)
    first = page.locator(".md-search-result__item").first
    first.wait_for(timeout=10000)
    assert "proportionality" in first.inner_text().lower()
    assert outside == []
    page.close()


def test_skip_link_is_first_visible_on_focus_and_moves_to_the_content(served, browser):
    page = browser.new_page()
    page.goto(f"{served['erewash']}/public/")
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const a = document.activeElement; const s = getComputedStyle(a);
        const r = a.getBoundingClientRect();
        return {text: a.textContent.trim(), href: a.getAttribute('href'), outline: s.outlineStyle,
                width: parseFloat(s.outlineWidth), visible: r.width > 0 && r.height > 0 && r.top >= 0}; }""")
    assert focused["text"].lower().startswith("skip to content"), focused
    assert focused["visible"] and focused["outline"] != "none" and focused["width"] >= 2, focused
    page.keyboard.press("Enter")
    assert page.url.endswith(focused["href"])
    page.close()


def test_keyboard_focus_is_visible_on_links_and_buttons(served, browser):
    page = browser.new_page()
    page.goto(f"{served['erewash']}/public/check-your-dates/")
    for _ in range(6):
        page.keyboard.press("Tab")
        style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return [s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
        assert style[0] != "none" and style[1] >= 2, style
    page.close()


def fill_date(page, group: str, iso: str) -> None:
    y, m, d = iso.split("-")
    for part, value in (("day", str(int(d))), ("month", str(int(m))), ("year", y)):
        page.focus(f"#{group}-{part}")
        page.keyboard.press("Control+A")
        page.keyboard.type(value)


def test_checker_can_be_used_by_keyboard_alone_and_explains_each_incident(served, browser, guidance):
    c = guidance.criteria_for(guidance.current())
    page = browser.new_page()
    outside = guard(page)
    page.goto(f"{served['erewash']}/public/check-your-dates/")
    received = dt.date(2026, 3, 2)
    # Reach the first box by tabbing from the page top, as a keyboard user would.
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "ct-received-day":
            break
    else:
        pytest.fail("the checker's first date box cannot be reached with the Tab key")
    page.keyboard.press("Control+A")
    page.keyboard.type(str(received.day))
    for value in (str(received.month), str(received.year)):
        page.keyboard.press("Tab")
        page.keyboard.press("Control+A")
        page.keyboard.type(value)
    incidents = [("2026-02-10", "2026-02-11", "Derbyshire Constabulary"),
                 ("2026-01-05", "2026-03-01", "Erewash Borough Council"),   # reported too late
                 ("2026-02-20", "2026-02-20", "")]                          # no organisation
    for n, (occurred, reported, to) in enumerate(incidents, start=1):
        fill_date(page, f"ct-i{n}-occurred", occurred)
        fill_date(page, f"ct-i{n}-reported", reported)
        page.focus(f"#ct-i{n}-to")
        page.keyboard.type(to)
    page.focus("#ct-submit")
    page.keyboard.press("Enter")
    # "Who did you report it to?" is needed: the form's own error message says how to put it right
    needed = guidance.forms["application"].question_at(("reported_to",)) or next(
        q for q in next(guidance.forms["application"].repeats()).questions if q.id == "reported_to")
    summary = page.locator("#ct-error-summary")
    summary.wait_for()
    assert "Incident 3" in summary.inner_text() and needed.error.split(",")[0] in summary.inner_text()
    page.focus("#ct-i3-to")
    page.keyboard.type("Derbyshire Constabulary")
    page.focus("#ct-submit")
    page.keyboard.press("Enter")
    result = page.locator("#ct-result")
    result.locator("h2").wait_for()
    words = result.inner_text()
    assert "does not look met" in words
    assert f"You need at least {c.threshold}" in words
    assert "Incident 1 (10 February 2026): counts." in words
    assert "Incident 2 (5 January 2026): does not count" in words and "last day to report it was 5 February 2026" in words
    assert "Incident 3 (20 February 2026): counts." in words
    assert page.evaluate("document.activeElement.id") == "ct-result-title"
    assert page.get_attribute("#ct-result", "aria-live") == "polite"
    assert outside == []
    page.close()


def test_checker_says_how_to_fix_a_date_that_does_not_exist(served, browser):
    page = browser.new_page()
    page.goto(f"{served['erewash']}/public/check-your-dates/")
    fill_date(page, "ct-i1-occurred", "2026-02-30")
    fill_date(page, "ct-i1-reported", "2026-03-01")
    page.focus("#ct-submit")
    page.keyboard.press("Enter")
    summary = page.locator("#ct-error-summary")
    summary.wait_for()
    assert "The date incident 1 happened must be a real date, for example" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "ct-error-summary"
    assert page.get_attribute("#ct-i1-occurred-day", "aria-invalid") == "true"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")   # the error's link takes focus to the box to fix
    assert page.evaluate("document.activeElement.id") == "ct-i1-occurred-day"
    page.close()


def test_checker_page_explains_the_rule_in_words_without_javascript(served, browser, guidance):
    c = guidance.criteria_for(guidance.current())
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served['erewash']}/public/check-your-dates/")
    words = page.locator("article").inner_text()
    assert f"at least {c.threshold} qualifying complaints" in words
    assert "needs JavaScript" in words
    assert not page.locator("#ct-checker").is_visible()
    context.close()


def _iso(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def test_checker_judges_every_case_in_the_shared_table_as_expected(served, browser, guidance):
    """The script the site really serves, in the browser, against the table judge.js meets under Node too."""
    from test_judge_threshold import CASES, _criteria, _expected_entries, _expected_totals
    from generator.site.checker_data import criteria_export
    page = browser.new_page()
    page.goto(f"{served['erewash']}/public/check-your-dates/")
    disagreements = []
    for case in CASES:
        criteria = criteria_export(_criteria(guidance, case))
        incidents = [{k: _iso(v) for k, v in i.items()} for i in case["incidents"]]
        got = page.evaluate("([c, r, i, h]) => ctJudge(c, r, i, h)",
                            [criteria, _iso(case["received_on"]), incidents, case.get("hate_incident", False)])
        seen = {"entries": [{"qualifies": e["qualifies"], "reasons": e["reasons"], "complaint": e["complaint"]}
                            for e in got["entries"]],
                "threshold_met": got["threshold_met"], "qualifying_incidents": got["qualifying_incidents"],
                "qualifying_complaints": got["qualifying_complaints"],
                "if_untimed_apart": got["incidents_if_untimed_apart"], "route": got["route"]}
        wanted = {"entries": _expected_entries(case), **_expected_totals(case)}
        seen = {k: seen[k] for k in wanted}
        if seen != wanted:
            disagreements.append((case["name"], seen, wanted))
    page.close()
    assert disagreements == []


# -- search, privacy, layout ------------------------------------------------------

def open_search(page, width: int) -> None:
    if width < 960:   # on a phone the search box opens from the magnifier button in the header
        page.click("label.md-header__button[for='__search']")
    else:
        page.click(".md-search__input")
    page.locator(".md-search__input").wait_for(state="visible")


@pytest.mark.parametrize("width", [390, 1280])
def test_what_you_type_into_search_can_be_read(served, browser, width):
    """Typed text and the placeholder reach AA contrast on what is really behind them, in two colour schemes."""
    page = browser.new_page(viewport={"width": width, "height": 844 if width == 390 else 900})
    for cid in BROWSER_COUNCILS:
        page.goto(f"{served[cid]}/public/")
        box = page.locator(".md-search__input")
        placeholder = page.evaluate("""() => { const i = document.querySelector('.md-search__input');
            return getComputedStyle(i, '::placeholder').color; }""")
        seen = page.evaluate(TEXT_AND_BACKGROUND_JS, box.element_handle())
        assert seen_contrast(placeholder, seen["layers"]) >= 4.5, (cid, width, placeholder, seen)
        open_search(page, width)
        page.keyboard.type("noise", delay=5)
        seen = page.evaluate(TEXT_AND_BACKGROUND_JS, box.element_handle())
        ratio = seen_contrast(seen["color"], seen["layers"])
        assert ratio >= 4.5, (cid, width, ratio, seen)
        page.keyboard.press("Escape")
    page.close()


def test_search_for_phone_number_puts_a_residents_page_first(served, browser):
    page = browser.new_page()
    page.goto(f"{served['erewash']}/")
    page.keyboard.press("/")
    page.keyboard.type("phone number", delay=10)
    first = page.locator(".md-search-result__item > .md-search-result__link").first
    first.wait_for(timeout=10000)
    assert "/public/" in first.get_attribute("href"), first.get_attribute("href")
    page.close()


def test_the_site_sets_no_cookies_and_keeps_nothing_typed_as_the_statement_says(served, browser, guidance):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{served['erewash']}/")
    page.keyboard.press("/")
    page.keyboard.type("zebracrossing", delay=5)
    page.wait_for_timeout(500)
    page.goto(f"{served['erewash']}/public/check-your-dates/")
    page.fill("#ct-i1-to", "Marmaduke Street Police")
    page.click("#ct-submit")
    page.goto(f"{served['erewash']}/practitioner/threshold/")
    kept = page.evaluate("""() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage),
                                                 document.cookie])""")
    assert bool(context.cookies()) == guidance.site["accessibility"]["cookies"]
    assert context.cookies() == []
    assert "zebracrossing" not in kept and "Marmaduke" not in kept, kept
    context.close()


def test_pages_fit_a_screen_320_pixels_wide_as_at_400_percent_zoom(built, served, browser):
    page = browser.new_page(viewport={"width": 320, "height": 640})
    wide = []
    for path in pages_of(built, "erewash") + [PAGES_THAT_DIFFER[-1]]:
        page.goto(f"{served['erewash']}/{path}")
        if page.evaluate("document.documentElement.scrollWidth - window.innerWidth") > 1:
            wide.append(path)
    page.close()
    assert wide == []


def test_a_residents_page_shows_only_the_residents_menu_on_a_desktop(served, browser, guidance):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{served['erewash']}/public/support/")
    shown = page.locator(".md-sidebar--primary .md-nav__link").evaluate_all(
        "links => links.filter(a => a.offsetParent !== null && a.getBoundingClientRect().height > 0)"
        ".map(a => a.textContent.trim())")
    practitioner = {p.meta.get("nav_title", p.title) for p in guidance.pages if p.rel.startswith("practitioner/")}
    assert "Help and support" in shown and "Can I use it?" in shown
    assert not practitioner & set(shown), shown
    page.close()


# -- print and screenshots --------------------------------------------------------

def test_pages_print_without_navigation_header_or_checker_form(served, browser):
    page = browser.new_page()
    page.goto(f"{served['erewash']}/practitioner/threshold/")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-footer']
        .map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none", "none", "none"]
    assert page.locator("article h1").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.close()


SHOTS = {"practitioner": "practitioner/threshold/", "checker": "public/check-your-dates/", "forms": "public/forms/"}
#: The pages of each council in SHOT_COUNCILS to look at, in its own colours.
COUNCIL_SHOTS = {"home": "", "apply": APPLY_PAGE, "contact": "public/contacts/", "accessibility": "accessibility/"}


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_at_phone_and_desktop_widths(served, browser, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 844 if width == 390 else 900})
    shots = [(f"erewash-{name}", "erewash", path) for name, path in SHOTS.items()]
    shots += [(f"{cid}-{name}", cid, path) for cid in SHOT_COUNCILS for name, path in COUNCIL_SHOTS.items()]
    for name, cid, path in shots:
        page.goto(f"{served[cid]}/{path}")
        if name.endswith("checker"):   # two recent incidents, one reported in time: an answer to look at
            today = dt.date.today()
            for n, (ago, late) in enumerate(((20, 1), (12, 40)), start=1):
                fill_date(page, f"ct-i{n}-occurred", (today - dt.timedelta(days=ago)).isoformat())
                fill_date(page, f"ct-i{n}-reported", (today - dt.timedelta(days=ago) + dt.timedelta(days=late)
                                                      if late < ago else today).isoformat())
                page.fill(f"#ct-i{n}-to", "Derbyshire Constabulary")
            page.click("#ct-submit")
            page.locator("#ct-result h2").wait_for()
            page.evaluate("window.scrollTo(0, 0)")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} scrolls sideways at {width}px"
        out = ARTIFACTS / f"site-{name}-{width}.png"
        page.screenshot(path=str(out), full_page=True, animations="disabled")   # the tabs slide in on load
        assert out.stat().st_size > 5000
    page.close()


def test_every_link_and_image_within_a_site_leads_to_a_file_it_publishes(built, guidance):
    """Relative links a page writes (a form's PDF, another page, an asset) resolve inside the built site: a
    link MkDocs could not recognise is left as written, and would lead nowhere once published."""
    for council in ("erewash", "derbyshire"):
        site = built["site"] / council
        mount = mount_of(guidance.council(council).site_url)
        broken = []
        for page in sorted(site.rglob("*.html")):
            for target in re.findall(r'(?:href|src)="([^"#?]+)', page.read_text(encoding="utf-8")):
                target = html.unescape(target)
                if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("//"):
                    continue   # another site, or mailto:/tel:
                if target.startswith("/"):   # an absolute path: under the site's own folder on its host
                    assert target.startswith(mount), f"{page}: {target} is outside the site's folder {mount}"
                    path = site / target[len(mount):]
                else:
                    path = page.parent / target
                path = path.resolve()
                if not (path.is_file() or (path / "index.html").is_file()):
                    broken.append(f"{page.relative_to(site)} -> {target}")
        assert not broken, broken[:20]
