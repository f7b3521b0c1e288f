"""The council websites as a resident and a practitioner meet them.

One `ctkit build --all` per test session (the real CLI, into a temporary folder) feeds
every test here: the files it writes, then two councils' sites, each served at the root of
its own 127.0.0.1 server as a council would host it, driven in Debian's Chromium (axe-core,
no outside requests, keyboard, the date checker against the shared case table, screenshots
under tests/_artifacts/).
"""
from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import re
import threading
from pathlib import Path

import pytest

from conftest import run_ctkit

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "_artifacts"
REGISTERS = ROOT / "tests" / "data" / "registers"     # invented sample registers (erewash, high-peak)
BROWSER_COUNCILS = ("erewash", "derbyshire")   # a district's site and the county-wide one
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.slow


# -- the build, once --------------------------------------------------------------

@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict:
    site = tmp_path_factory.mktemp("council-sites")
    result = run_ctkit("build", "--all", "--site-dir", str(site), "--registers", str(REGISTERS))
    assert result.returncode == 0, result.stderr[-3000:]
    return {"site": site, "stdout": result.stdout, "stderr": result.stderr}


def html_of(built: dict, council: str, page: str = "") -> str:
    return (built["site"] / council / page / "index.html").read_text(encoding="utf-8")


def article_of(html: str) -> str:
    return html.split("<article", 1)[1].split("</article>", 1)[0]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


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
        if not council.is_county:
            mine = contacts.split("This council", 1)[1].split("All councils", 1)[0]
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
    assert len(links) >= len(guidance.forms) + 1
    for href, label in links:
        size = (built["site"] / "erewash" / "public" / "forms" / href).resolve().stat().st_size
        shown = re.search(r"\(PDF, (\d+(?:\.\d)?) (KB|MB)\)", label)
        assert shown, label
        kb = float(shown[1]) * (1024 if shown[2] == "MB" else 1)
        assert abs(kb - size / 1024) <= max(1, kb * 0.06), (label, size)


def test_each_residents_form_has_a_web_page_listing_every_question(built, guidance):
    form = guidance.forms["application"]
    text = text_of(article_of(html_of(built, "erewash", "public/form-application")))
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
    forms_page = html_of(built, "erewash", "public/forms")
    nav = forms_page.split('<nav class="md-nav md-nav--primary"', 1)[1]
    assert "form-application/" in nav


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
        outside = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="((?:https?:)?//[^"]+)"', html)
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
    assert carried["rule"]["window"].startswith("the reports were made in the")


def test_monitoring_page_publishes_figures_from_the_councils_register_only(built):
    erewash = article_of(html_of(built, "erewash", "practitioner/monitoring"))
    assert "applications received" in erewash
    csv = re.search(r'href="([^"]+\.csv)"', erewash)
    assert csv, "the figures page links to its CSV"
    data = (built["site"] / "erewash" / "practitioner" / "monitoring" / csv[1]).resolve().read_text(encoding="utf-8")
    assert "erewash" in data and "high-peak" not in data
    bolsover = article_of(html_of(built, "bolsover", "practitioner/monitoring"))   # no register for it
    assert ".csv" not in bolsover and "No figures" in text_of(bolsover)


# -- in the browser ---------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D102 - keep the test output readable
        pass


@pytest.fixture(scope="session")
def served(built):
    """Each council's site at the root of its own server, as a council would host it; plus the index."""
    servers, urls = [], {}
    for name, folder in [("root", built["site"])] + [(cid, built["site"] / cid) for cid in BROWSER_COUNCILS]:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        urls[name] = f"http://127.0.0.1:{server.server_address[1]}"
    yield urls
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


LOCAL = "http://127.0.0.1:"


def guard(page) -> list[str]:
    """Block and record every request to another host."""
    outside: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith((LOCAL, "data:", "blob:", "about:")):
            r.continue_()
        else:
            outside.append(url)
            r.abort()
    page.route("**/*", route)
    return outside


@pytest.fixture(scope="session")
def visited(built, served, browser) -> dict:
    """Every page of two councils' sites, loaded once: axe violations and outside requests."""
    from axe_playwright_python.sync_playwright import Axe
    axe = Axe()
    page = browser.new_page()
    outside = guard(page)
    report: dict[str, list] = {"pages": [], "violations": [], "outside": outside}
    every = [("root", built["site"] / "index.html")]          # the list of council sites
    for cid in BROWSER_COUNCILS:
        site = built["site"] / cid
        every += [(cid, html) for html in sorted(site.rglob("index.html")) + [site / "404.html"]]
    for where, html in every:
        rel = html.relative_to(built["site"] / ("" if where == "root" else where)).as_posix()
        page.goto(f"{served[where]}/{rel}", wait_until="load")
        page.wait_for_timeout(50)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        report["pages"].append(f"{where}/{rel}")
        for v in results.response["violations"]:
            report["violations"].append((f"{where}/{rel}", v["id"], [n["target"] for n in v["nodes"]][:3]))
    page.close()
    return report


def test_every_page_of_two_council_sites_has_zero_axe_violations(visited, guidance):
    assert len(visited["pages"]) >= 2 * len(guidance.pages)
    assert visited["violations"] == []


def test_no_page_makes_a_request_to_any_other_host(visited):
    assert len(visited["pages"]) > 20
    assert visited["outside"] == []


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


SHOTS = {"home": "", "practitioner": "practitioner/threshold/", "checker": "public/check-your-dates/",
         "forms": "public/forms/"}


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_at_phone_and_desktop_widths(served, browser, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 844 if width == 390 else 900})
    for name, path in SHOTS.items():
        page.goto(f"{served['erewash']}/{path}")
        if name == "checker":   # two recent incidents, one reported in time: an answer to look at
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
        page.screenshot(path=str(out), full_page=True)
        assert out.stat().st_size > 5000
    page.close()
