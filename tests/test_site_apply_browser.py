"""Apply online, as a resident uses it: Chromium fills the form, downloads the PDF, and the SPOC judges it.

One erewash site is built per session (the real `ctkit build`) and served from 127.0.0.1.
Each journey answers whatever the visible step asks, found by the inputs' names (which are
the PDF's field names), from one set of answers; `ctkit validate` then judges the downloaded
PDF and the saved answers file, which must come out the same. Every step, the error summary
and "Check your answers" are checked with axe-core; every request to another host is blocked
and recorded; screenshots go to tests/_artifacts/.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import time
from pathlib import Path

import pypdf
import pytest

from conftest import need_tool, run_ctkit
from pdf_reading import missing_words, text_of, visible_sizes
from site_serving import AXE_SOURCE, axe_violations

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "_artifacts"
COUNCIL = "erewash"
NAME = "Zoë Łukasik – O’Brien Şahin"
TODAY = dt.date.today()
STEP = ".ct-apply-step:not([hidden])"

pytestmark = pytest.mark.slow


# -- the site and the server (conftest's: one erewash build and one Chromium per test session) -----------

@pytest.fixture(scope="session")
def url(erewash_url) -> str:
    return erewash_url


class Visit:
    """A fresh tab that blocks and records requests to other hosts, and runs axe when asked."""

    def __init__(self, browser, width: int = 1280, **options):
        self.context = browser.new_context(accept_downloads=True,
                                           viewport={"width": width, "height": 844 if width < 500 else 900}, **options)
        self.context.add_init_script(AXE_SOURCE)      # axe-core in every page, loaded once, not at each check
        self.outside: list[str] = []
        self.violations: list[tuple] = []
        self.checked: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        address = route.request.url
        if address.startswith(("http://127.0.0.1:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.outside.append(address)
            route.abort()

    def axe(self, where: str) -> None:
        # From the top of the page: an input a test has scrolled under the sticky header would otherwise
        # count as a target too small to press (axe's target-size), wherever the test left it.
        self.page.evaluate("window.scrollTo(0, 0)")
        self.checked.append(where)
        self.violations += [(where, rule, targets) for rule, targets in axe_violations(self.page)]

    def close(self) -> None:
        assert self.errors == [], self.errors
        self.context.close()


@pytest.fixture
def visit(browser):
    opened: list[Visit] = []

    def open_(**options) -> Visit:
        opened.append(Visit(browser, **options))
        return opened[-1]
    yield open_
    for v in opened:
        v.close()


# -- the answers, and a resident who gives them ------------------------------------------------------

def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def answers(basis: str, name: str = "Alex Example") -> dict:
    """Three incidents in the last two months, each reported in time: the threshold is met."""
    data = {"basis": basis,
            "applicant": {"name": name, "address": "1 High Street\nIlkeston", "postcode": "de7 5rp",
                          "phone": "0115 907 2244", "email": "", "preferred_contact": "phone"},
            "vulnerabilities": "Asthma, made worse by lack of sleep.", "tenure": "social_rent",
            "landlord": "Erewash Homes", "asb_types": ["noise", "harassment"], "hate_incident": False,
            "incidents": [
                {"occurred_on": ago(50), "occurred_at": "21:30", "reported_on": ago(49),
                 "reported_to": "Derbyshire Constabulary", "reference": "DC-1234", "description": "Loud music until 3am."},
                {"occurred_on": ago(30), "reported_on": ago(28), "reported_to": "Erewash Borough Council",
                 "description": "Shouting and banging on the wall."},
                {"occurred_on": ago(12), "occurred_at": "23:05", "reported_on": ago(12), "reported_to": "Landlord",
                 "description": "Door kicked in the night."}],
            "impact": "I cannot sleep and feel unsafe.", "desired_outcome": "For it to stop.",
            "witnesses": "", "sharing_limits": "Please do not contact my neighbour at number 3.",
            "declaration": {"signed_name": name, "signed_on": TODAY.isoformat()}}
    if basis != "victim":
        data["person_affected"] = {"name": "Sam Example", "address": "2 High Street\nIlkeston", "postcode": "DE7 5RP"}
        data["consent_to_act"] = True
    if basis == "partner_agency":
        data["applicant"].update(organisation="Ilkeston Housing", role="Tenancy officer")
    return data


def answer_for(data: dict, name: str):
    """The answer to the input called `name` (a PDF field name, a date box, or a checkbox option)."""
    part = next((p for p in ("-day", "-month", "-year") if name.endswith(p)), None)
    base = name[: -len(part)] if part else name
    node = data
    for key in base.split(":"):
        if isinstance(node, list) and key.isdigit():
            node = node[int(key) - 1] if int(key) <= len(node) else None
        elif isinstance(node, list):
            return key in node                       # one option of a checkbox list
        elif isinstance(node, dict):
            node = node.get(key)
        else:
            return None
    if part and node:
        y, m, d = node.split("-")
        return {"-day": str(int(d)), "-month": str(int(m)), "-year": y}[part]
    return node


def visible_inputs(page) -> list[dict]:
    return page.locator(STEP).evaluate("""s => [...s.querySelectorAll('input, textarea')]
        .filter(i => i.name && i.offsetParent !== null)
        .map(i => ({name: i.name, type: i.type, value: i.value}))""")


def answer_step(page, data: dict) -> None:
    """Fill in whatever the visible step asks, as a resident with these answers would."""
    step = page.locator(STEP).get_attribute("data-step")
    rows = data.get(step) if isinstance(data.get(step), list) else None
    if rows is not None:
        while page.locator(f"{STEP} .ct-apply-row").count() < len(rows):
            page.click(f"#ct-add-{step}")
    for i in visible_inputs(page):
        value = answer_for(data, i["name"])
        selector = f'{STEP} [name="{i["name"]}"]'
        if i["type"] == "radio":
            if value == i["value"]:
                page.check(f'{selector}[value="{i["value"]}"]')
        elif i["type"] == "checkbox":
            page.set_checked(selector, bool(value))
        else:
            page.fill(selector, "" if value is None else str(value))


def continue_(page) -> str:
    before = page.locator(STEP).get_attribute("data-step")
    page.click(f"{STEP} button[type=submit]")
    page.wait_for_function("b => document.querySelector('.ct-apply-step:not([hidden])').dataset.step !== b "
                           "|| !document.getElementById('ct-apply-errors').hidden", arg=before)
    errors = page.locator("#ct-apply-errors")
    assert errors.is_hidden(), f"step {before}: " + errors.inner_text()
    return page.locator(STEP).get_attribute("data-step")


def fill_in_online(v: Visit, url: str, data: dict, shots: str | None = None) -> list[str]:
    """From the start page to "Check your answers"; the steps seen, each checked with axe."""
    page = v.page
    page.goto(f"{url}/public/apply/")
    v.axe("start")
    page.click("#ct-apply-start")
    seen = []
    while page.locator(STEP).get_attribute("data-step") != "check":
        step = page.locator(STEP).get_attribute("data-step")
        assert step not in seen, f"the form came back to step {step}"
        seen.append(step)
        v.axe(step)
        answer_step(page, data)
        if shots:
            page.screenshot(path=str(ARTIFACTS / f"apply-{shots}-{step}.png"), full_page=True)
        continue_(page)
    v.axe("check")
    return seen


def download(page, selector: str, target: Path) -> Path:
    with page.expect_download() as info:
        page.click(selector)
    info.value.save_as(str(target))
    return target


def verdicts(*files: Path, received: str = TODAY.isoformat()) -> list[dict]:
    result = run_ctkit("validate", *map(str, files), "--received", received, "--format", "json")
    assert result.returncode == 0, result.stderr
    keep = ("decision", "qualifying_incidents", "qualifying_complaints", "route", "guidance_version")
    return [{k: r.get(k) for k in keep} | {"incidents": [(i["qualifies"], i["reasons"]) for i in r["incidents"]],
                                            "errors": sorted((e.get("field"), e.get("blocks_decision"), e.get("message")) for e in r["errors"])}
            for r in json.loads(result.stdout)]


# -- the journeys ---------------------------------------------------------------------------------

@pytest.mark.parametrize("basis", ["victim", "on_behalf", "partner_agency"])
def test_each_basis_filled_online_downloads_a_pdf_judged_as_its_saved_answers(basis, url, visit, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    v = visit()
    page = v.page
    data = answers(basis)
    seen = fill_in_online(v, url, data)
    assert ("person_affected" in seen) == (basis != "victim")
    summary = page.locator("#ct-apply-summary").inner_text()
    assert "Alex Example" in summary and "DE7 5RP" in summary          # the postcode as typed, tidied
    assert ("Ilkeston Housing" in summary) == (basis == "partner_agency")
    assert "Incident 3" in summary and "Door kicked in the night." in summary
    pdf = download(page, "#download-application", tmp_path / "application.pdf")
    saved = download(page, '#ct-step-check button[data-action="save"]', tmp_path / "answers.json")
    assert pdf.read_bytes().startswith(b"%PDF-")
    from_pdf, from_json = verdicts(pdf, saved)
    assert from_pdf == from_json
    assert from_json["decision"] == "threshold_met" and from_json["qualifying_incidents"] == 3
    shape = json.loads(saved.read_text(encoding="utf-8"))
    assert shape["form"] == "application" and shape["basis"] == basis and len(shape["incidents"]) == 3
    assert ("organisation" in shape["applicant"]) == (basis == "partner_agency")
    assert ("consent_to_act" in shape) == (basis != "victim")
    assert "Where to send it" in page.locator("#ct-step-check").inner_text()
    assert v.violations == [] and len(v.checked) == len(seen) + 2
    assert v.outside == []
    assert v.context.cookies() == []


def test_a_name_in_any_alphabet_shows_in_the_downloaded_pdf_and_reads_back(url, visit, tmp_path, pdftoppm):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    v = visit()
    fill_in_online(v, url, answers("victim", NAME))
    pdf = download(v.page, "#download-application", ARTIFACTS / "apply-filled-any-alphabet.pdf")
    fields = pypdf.PdfReader(str(pdf)).get_fields()
    assert fields["applicant:name"]["/V"] == NAME
    assert fields["declaration:signed_name"]["/V"] == NAME
    assert fields["incidents:1:occurred_on"]["/V"] == dt.date.fromisoformat(ago(50)).strftime("%d/%m/%Y")
    # Drawn, not just stored: render the page with poppler and look at it (tests/_artifacts/).
    subprocess.run([pdftoppm, "-r", "80", "-f", "1", "-l", "3", "-png", str(pdf), str(ARTIFACTS / "apply-filled")],
                   check=True, timeout=60)
    assert (ARTIFACTS / "apply-filled-1.png").stat().st_size > 20000
    assert verdicts(pdf)[0]["decision"] == "threshold_met"
    assert v.violations == [] and v.outside == []


def test_the_error_summary_says_how_to_fix_each_answer_and_leads_to_it(url, visit, guidance):
    rows = {q.id: q for q in next(guidance.forms["application"].repeats()).questions}
    v = visit()
    page = v.page
    page.goto(f"{url}/public/apply/")
    page.click("#ct-apply-start")
    page.click(f"{STEP} button[type=submit]")
    summary = page.locator("#ct-apply-errors")
    summary.wait_for()
    assert page.evaluate("document.activeElement.id") == "ct-apply-errors"
    assert page.title().startswith("Error: ")
    v.axe("basis with errors")
    page.check('[name="basis"][value="victim"]')
    continue_(page)
    page.fill('[name="applicant:postcode"]', "not a postcode")
    page.click(f"{STEP} button[type=submit]")
    words = summary.inner_text()
    assert "Enter your full name" in words
    assert "Enter your postcode in the correct format, like DE7 5RP" in words
    assert "Give a phone number or an email address" in words
    v.axe("your details with errors")
    page.screenshot(path=str(ARTIFACTS / "apply-errors-1280.png"), full_page=True)
    page.click("#ct-apply-errors a >> nth=1")
    assert page.evaluate("document.activeElement.name") == "applicant:address"
    assert page.get_attribute('[name="applicant:postcode"]', "aria-invalid") == "true"
    described = page.get_attribute('[name="applicant:postcode"]', "aria-describedby")
    assert "ct-f-applicant-postcode-error" in described
    # A date that does not exist, on the incidents step.
    data = answers("victim")
    answer_step(page, data)
    continue_(page)
    while page.locator(STEP).get_attribute("data-step") != "incidents":
        answer_step(page, data)
        continue_(page)
    page.fill('[name="incidents:1:occurred_on-day"]', "30")
    page.fill('[name="incidents:1:occurred_on-month"]', "2")
    page.fill('[name="incidents:1:occurred_on-year"]', "2026")
    page.click(f"{STEP} button[type=submit]")
    words = summary.inner_text()
    happened, reported = (rows[k].name.replace("{n}", "1") for k in ("occurred_on", "reported_on"))
    assert f"{happened} must be a real date" in words
    assert f"Enter the {reported[0].lower()}{reported[1:]}" in words        # "Enter the date incident 1 ..."
    v.axe("incidents with errors")
    assert v.violations == [] and v.outside == []


def test_incidents_can_be_added_and_removed_and_are_numbered_again(url, visit):
    v = visit()
    page = v.page
    data = answers("victim")
    page.goto(f"{url}/public/apply/")
    page.click("#ct-apply-start")
    while page.locator(STEP).get_attribute("data-step") != "incidents":
        answer_step(page, data)
        continue_(page)
    answer_step(page, data)
    v.axe("incidents, three")
    assert page.locator(f"{STEP} .ct-apply-row").count() == 3
    page.click("text=Remove incident 2")
    assert page.locator(f"{STEP} .ct-apply-row").count() == 2
    assert page.input_value('[name="incidents:2:description"]') == "Door kicked in the night."
    assert "Incident 2 removed" in page.locator("#ct-rows-incidents-status").inner_text()
    assert page.evaluate("document.activeElement.textContent") == "Incident 2"
    for _ in range(8):
        page.click("#ct-add-incidents")
    assert page.locator(f"{STEP} .ct-apply-row").count() == 10
    assert page.locator("#ct-add-incidents").is_hidden() and page.locator("#ct-rows-incidents-full").is_visible()
    continue_(page)   # the empty rows are dropped, the two given are kept
    page.goto(f"{url}/public/apply/#step-check")
    assert page.locator("#ct-apply-summary h3").all_inner_texts() == ["Incident 1", "Incident 2"]
    assert v.violations == [] and v.outside == []


def as_saved(guidance, data: dict) -> dict:
    """The answers in the canonical submitted shape: only what this form asks, and which form it is."""
    form = guidance.forms["application"]
    asked = {q.path[0] for q in form.questions()} | {r.key for r in form.repeats()}
    return {"form": form.id, "form_version": guidance.current().version} | {
        k: v for k, v in data.items() if k in asked}


def test_a_saved_answers_file_goes_straight_to_check_your_answers_and_downloads(url, visit, tmp_path, guidance):
    saved = tmp_path / "answers.json"
    data = answers("on_behalf")
    data["applicant"]["postcode"] = "DE7 5RP"
    saved.write_text(json.dumps(as_saved(guidance, data)), encoding="utf-8")
    v = visit()
    page = v.page
    page.goto(f"{url}/public/apply/")
    page.set_input_files("input[type=file]", str(saved))
    page.locator("#ct-step-check").wait_for()
    assert page.locator("#download-application").is_visible()
    assert page.evaluate("document.activeElement.id") == "ct-step-check-title"
    v.axe("check after loading a file")
    pdf = download(page, "#download-application", tmp_path / "application.pdf")
    from_pdf, from_file = verdicts(pdf, saved)
    assert from_pdf == from_file
    # "Change" goes to the question and, after Continue, back to "Check your answers".
    page.click("#ct-apply-summary a:has-text('Change') >> nth=1")
    assert page.evaluate("document.activeElement.name") == "applicant:name"
    page.fill('[name="applicant:name"]', "Alex Changed")
    assert continue_(page) == "check"
    assert "Alex Changed" in page.locator("#ct-apply-summary").inner_text()
    # A file that is not saved answers gets one sentence, not a crash.
    (tmp_path / "other.json").write_text('["not", "answers"]', encoding="utf-8")
    page.goto(f"{url}/public/apply/#step-start")
    page.set_input_files("input[type=file]", str(tmp_path / "other.json"))
    page.locator("#ct-apply-errors").wait_for()
    assert "does not hold answers to this form" in page.locator("#ct-apply-errors").inner_text()
    v.axe("start with a wrong file")
    assert v.violations == [] and v.outside == []


def test_incidents_typed_in_the_date_checker_carry_over_within_the_tab_only(url, visit):
    v = visit()
    page = v.page
    page.goto(f"{url}/public/check-your-dates/")
    rows = answers("victim")["incidents"]
    for n, row in enumerate(rows, start=1):
        for which, key in (("occurred", "occurred_on"), ("reported", "reported_on")):
            y, m, d = row[key].split("-")
            for part, value in (("day", str(int(d))), ("month", str(int(m))), ("year", y)):
                page.fill(f"#ct-i{n}-{which}-{part}", value)
        page.fill(f"#ct-i{n}-to", row["reported_to"])
    page.click("#ct-submit")
    page.click("text=Apply online with these incidents")
    page.wait_for_url("**/public/apply/")
    assert page.locator("#ct-apply-from-checker").is_visible()
    assert "Use the 3 incidents" in page.locator("#ct-apply-use-checker-label").inner_text()
    other = v.context.new_page()        # another tab knows nothing of them
    other.goto(f"{url}/public/apply/")
    assert other.locator("#ct-apply-from-checker").is_hidden()
    other.close()
    page.click("#ct-apply-start")
    data = answers("victim")
    while page.locator(STEP).get_attribute("data-step") != "incidents":
        answer_step(page, data)
        continue_(page)
    assert page.locator(f"{STEP} .ct-apply-row").count() == 3
    assert page.input_value('[name="incidents:3:reported_to"]') == "Landlord"
    assert page.input_value('[name="incidents:1:occurred_on-day"]') == str(int(rows[0]["occurred_on"][8:]))
    assert v.outside == [] and v.context.cookies() == []


def test_without_javascript_the_page_says_how_to_apply_by_pdf_phone_or_post(url, visit, guidance):
    council = guidance.council(COUNCIL)
    v = visit(java_script_enabled=False)
    page = v.page
    page.goto(f"{url}/public/apply/")
    words = page.locator("article").inner_text()
    assert "needs JavaScript" in words
    assert council.spoc.phone in words and council.spoc.postcode in words
    assert page.locator("#ct-apply-pdf").is_visible()
    assert page.get_attribute("#ct-apply-pdf", "href").endswith("forms/application.pdf")
    assert page.locator("#ct-apply").is_hidden()
    assert v.violations == [] and v.outside == []


# -- keyboard only, and what it looks like -----------------------------------------------------------

def test_the_whole_form_can_be_filled_and_downloaded_with_the_keyboard_alone(url, visit, tmp_path):
    """Only key presses after the page has loaded: Tab to each answer, type it, Space to tick, Enter to go on."""
    v = visit()
    page = v.page
    data = answers("victim")
    data["applicant"]["email"] = ""
    page.goto(f"{url}/public/apply/")
    keys = {"count": 0, "tab": 0, "typed": 0, "steps": 0}

    def press(key: str) -> None:
        keys["count"] += 1
        keys["tab"] += key == "Tab"
        page.keyboard.press(key)

    def tab_to(test: str, limit: int = 150) -> None:
        for _ in range(limit):
            press("Tab")
            if page.evaluate(f"(() => {{ const a = document.activeElement; return {test}; }})()"):
                return
        pytest.fail(f"cannot reach {test} with the Tab key")

    def give(i: dict) -> None:
        value = answer_for(data, i["name"])
        if i["type"] in ("radio", "checkbox") and not (value is True or value == i["value"]):
            return
        if i["type"] not in ("radio", "checkbox") and not value:
            return
        tab_to(f"a.name === {json.dumps(i['name'])}")
        if i["type"] == "radio":   # Tab reaches a group once; the arrow keys choose within it
            while page.evaluate("document.activeElement.value") != i["value"]:
                press("ArrowDown")
            press("Space")
        elif i["type"] == "checkbox":
            press("Space")
        else:
            keys["typed"] += len(str(value))
            page.keyboard.type(str(value).replace("\n", " "))

    began = time.monotonic()
    tab_to("a.id === 'ct-apply-start'")
    press("Enter")
    while page.locator(STEP).get_attribute("data-step") != "check":
        step = page.locator(STEP).get_attribute("data-step")
        keys["steps"] += 1
        rows = data.get(step) if isinstance(data.get(step), list) else [None]
        for n in range(1, len(rows) + 1):     # one incident at a time, then "Add another incident"
            for i in visible_inputs(page):
                if rows == [None] or i["name"].startswith(f"{step}:{n}:"):
                    give(i)
            if n < len(rows):
                tab_to(f"a.id === 'ct-add-{step}'")
                press("Enter")
        tab_to("a.type === 'submit' && a.closest('.ct-apply-step:not([hidden])') !== null")
        press("Enter")
        page.wait_for_function("s => document.querySelector('.ct-apply-step:not([hidden])').dataset.step !== s",
                               arg=step)
        assert page.locator("#ct-apply-errors").is_hidden(), page.locator("#ct-apply-errors").inner_text()
    tab_to("a.id === 'download-application'")
    with page.expect_download() as info:
        press("Enter")
    info.value.save_as(str(tmp_path / "application.pdf"))
    seconds = time.monotonic() - began
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "apply-keyboard-run.json").write_text(json.dumps(
        {"seconds": round(seconds, 1), "keys_pressed": keys["count"], "of_which_tab": keys["tab"],
         "characters_typed": keys["typed"], "steps": keys["steps"]}, indent=1), encoding="utf-8")
    print(f"keyboard-only run: {seconds:.1f} s, {keys['count']} keys pressed and {keys['typed']} characters typed")
    assert verdicts(tmp_path / "application.pdf")[0]["decision"] == "threshold_met"
    assert v.outside == []


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_of_each_step_at_phone_and_desktop_widths(width, url, visit):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    v = visit(width=width)
    page = v.page
    page.goto(f"{url}/public/apply/")
    page.screenshot(path=str(ARTIFACTS / f"apply-{width}-start.png"), full_page=True)
    fill_in_online(v, url, answers("partner_agency"), shots=str(width))
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / f"apply-{width}-check.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"Check your answers scrolls sideways at {width}px"
    assert v.violations == [] and v.outside == []


# -- every answer on the page, and a form that fits the person filling it (issue 24) ---------------------

FOUR_LINES = "Flat 3, Rose Court\n12 Bath Street\nCotmanhay\nIlkeston"
NAME_40 = "Zoë Łukasik-Ó’Briain Şahin-Müller Đorđević"
STORY = " ".join(f"noise{i}" if i % 3 else "music" for i in range(400))[:2000].rsplit(" ", 1)[0]


def long_answers() -> dict:
    """A four-line address, a 2,000-character "What happened", a 40-character name with diacritics, six incidents."""
    data = answers("victim", NAME_40)
    data["applicant"]["address"] = FOUR_LINES
    data["incidents"] = [{"occurred_on": ago(60 - 9 * i), "reported_on": ago(59 - 9 * i),
                          "reported_to": "Derbyshire Constabulary", "description": f"Shouting in the night, time {i + 1}."}
                         for i in range(6)]
    data["incidents"][0]["description"] = STORY
    return data


def test_every_answer_is_whole_and_at_least_9_pt_in_the_browsers_pdf_in_ctkit_fill_and_in_their_printed_copies(
        url, visit, tmp_path, pdftoppm):
    pdftotext = need_tool("pdftotext", "reading a PDF as a person would")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    data = long_answers()
    v = visit()
    fill_in_online(v, url, data)
    online = download(v.page, "#download-application", tmp_path / "online.pdf")
    saved = download(v.page, '#ct-step-check button[data-action="save"]', tmp_path / "answers.json")
    by_ctkit = tmp_path / "ctkit-fill.pdf"
    run = run_ctkit("fill", "application", "--data", str(saved), "--council", COUNCIL, "-o", str(by_ctkit))
    assert run.returncode == 0, run.stderr
    answers_given = [FOUR_LINES, STORY, NAME_40] + [i["description"] for i in data["incidents"][1:]]
    for made in (online, by_ctkit):
        printed = tmp_path / f"{made.stem}-printed.pdf"
        run = run_ctkit("print", str(made), "-o", str(printed))
        assert run.returncode == 0, run.stderr
        for pdf in (made, printed):
            subprocess.run([pdftoppm, "-r", "60", "-png", str(pdf), str(ARTIFACTS / f"whole-{pdf.stem}")], check=True,
                           timeout=120)
            text = text_of(pdftotext, pdf)
            assert min(visible_sizes(pdf)) >= 9, pdf.name
            for answer in answers_given:
                assert missing_words(answer, text) == [], pdf.name
    assert verdicts(online)[0]["decision"] == "threshold_met"
    assert v.violations == [] and v.outside == []


def step_words(page) -> str:
    return " ".join(page.locator(STEP).inner_text().split())


def go_to(page, data: dict, step: str) -> None:
    while page.locator(STEP).get_attribute("data-step") != step:
        answer_step(page, data)
        continue_(page)


@pytest.mark.parametrize("basis", ["victim", "on_behalf"])
def test_the_questions_say_you_to_a_victim_and_them_for_someone_else_and_only_the_steps_shown_are_counted(
        basis, url, visit, guidance):
    form = guidance.forms["application"]
    shown = [s for s in form.sections if not s.office_use and (s.when is None or basis in s.when.values)]
    v = visit()
    page = v.page
    page.goto(f"{url}/public/apply/")
    assert f"It takes about {form.minutes} minutes" in page.locator("#ct-step-start").inner_text()
    page.click("#ct-apply-start")
    data = answers(basis)
    counted = []
    while page.locator(STEP).get_attribute("data-step") != "check":
        counted.append(page.locator(f"{STEP} .ct-apply-progress").inner_text())
        step = page.locator(STEP).get_attribute("data-step")
        if step == "needs":
            words = step_words(page)
            v.axe(f"needs, {basis}")
            if basis == "victim":
                assert "Your support needs and your home" in words and "Do you own or rent your home?" in words
                assert "I own it" in words and "person affected" not in words and "They own it" not in words
            else:
                assert "Does the person affected own or rent their home?" in words and "They own it" in words
        answer_step(page, data)
        continue_(page)
    every = sum(1 for s in form.sections if not s.office_use)    # before "Who is applying" is answered
    assert counted == [f"Step 1 of {every}"] + [f"Step {n} of {len(shown)}" for n in range(2, len(shown) + 1)]
    assert "Agreement" not in page.locator("#ct-apply-summary").inner_text()
    assert v.violations == [] and v.outside == []


def test_something_else_opens_its_box_and_the_contact_method_chosen_needs_its_detail(url, visit):
    v = visit()
    page = v.page
    page.goto(f"{url}/public/apply/")
    page.click("#ct-apply-start")
    data = answers("victim")
    data["applicant"].update(phone="", email="", preferred_contact="email")
    data["applicant"]["phone"] = "0115 907 2244"
    go_to(page, data, "applicant")
    answer_step(page, data)
    page.click(f"{STEP} button[type=submit]")
    summary = page.locator("#ct-apply-errors")
    summary.wait_for()
    assert "Enter your email address, because you chose “Email” as the way to contact you" in summary.inner_text()
    v.axe("your details, email chosen with no address")
    page.fill('[name="applicant:email"]', "alex@example.org")
    continue_(page)
    go_to(page, data, "asb")
    box = page.locator('[data-field="asb_other"]')
    assert box.is_hidden()
    page.check('[name="asb_types:other"]')
    assert box.is_visible()
    page.click(f"{STEP} button[type=submit]")
    summary.wait_for()
    assert "Describe the other kind of anti-social behaviour" in summary.inner_text()
    v.axe("anti-social behaviour, something else ticked")
    page.fill('[name="asb_other"]', "Fireworks thrown at the house")
    continue_(page)
    assert v.violations == [] and v.outside == []


def test_a_saved_file_with_problems_opens_at_the_first_and_check_your_answers_lists_every_one(
        url, visit, tmp_path, guidance):
    data = as_saved(guidance, answers("victim"))
    data["applicant"]["name"] = ""
    data["incidents"][1]["occurred_on"] = "31/2/2026"
    saved = tmp_path / "answers.json"
    saved.write_text(json.dumps(data), encoding="utf-8")
    v = visit()
    page = v.page
    page.goto(f"{url}/public/apply/")
    page.set_input_files("input[type=file]", str(saved))
    page.locator("#ct-apply-errors").wait_for()
    assert page.locator(STEP).get_attribute("data-step") == "applicant"
    assert "Enter your full name" in page.locator("#ct-apply-errors").inner_text()
    v.axe("your details, opened from a file")
    page.goto(f"{url}/public/apply/#step-check")
    problems = page.locator("#ct-apply-errors").inner_text()
    assert "Enter your full name" in problems and "must be a real date" in problems
    marked = page.locator(".ct-apply-summary__row--error").all_inner_texts()
    assert any("31/2/2026" in row and "must be a real date" in row for row in marked)
    v.axe("check your answers, with problems")
    page.click("#ct-apply-errors a >> nth=1")    # the date: straight to its step, with its problem
    assert page.locator(STEP).get_attribute("data-step") == "incidents"
    assert "must be a real date" in page.locator("#ct-apply-errors").inner_text()
    assert v.violations == [] and v.outside == []


def test_while_someone_fills_it_in_the_sites_menu_and_next_links_are_hidden(url, visit):
    v = visit()
    page = v.page
    page.goto(f"{url}/public/apply/")
    assert page.locator(".md-footer__inner").is_visible()     # the start page is an ordinary page
    page.click("#ct-apply-start")
    for hidden in (".md-sidebar--primary", ".md-tabs", ".md-footer__inner"):
        assert page.locator(hidden).first.is_hidden(), hidden
    assert page.locator(f"{STEP} button[type=submit]").is_visible()
    assert v.outside == []


@pytest.mark.parametrize("basis", ["victim", "partner_agency"])
def test_on_a_phone_every_box_fits_the_screen_and_notes_are_as_large_as_the_text(basis, url, visit):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    v = visit(width=390)
    page = v.page
    page.goto(f"{url}/")
    sizes = page.evaluate("""() => [getComputedStyle(document.querySelector('.md-typeset .admonition')).fontSize,
                                   getComputedStyle(document.querySelector('.md-typeset p')).fontSize]""")
    assert sizes[0] == sizes[1], f"the 999/101 note is {sizes[0]}, the text around it {sizes[1]}"
    page.goto(f"{url}/public/apply/")
    page.screenshot(path=str(ARTIFACTS / f"phone-390x844-{basis}-start.png"), full_page=True)
    page.click("#ct-apply-start")
    data = answers(basis)
    while page.locator(STEP).get_attribute("data-step") != "check":
        step = page.locator(STEP).get_attribute("data-step")
        answer_step(page, data)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(ARTIFACTS / f"phone-390x844-{basis}-{step}.png"), full_page=True)
        cut = page.evaluate("""() => [...document.querySelectorAll('.ct-apply-step:not([hidden]) input, '
            + '.ct-apply-step:not([hidden]) textarea')].filter(i => i.offsetParent !== null)
            .filter(i => i.getBoundingClientRect().right > document.documentElement.clientWidth).map(i => i.name)""")
        assert cut == [], f"step {step}: boxes cut off at the right: {cut}"
        continue_(page)
    page.screenshot(path=str(ARTIFACTS / f"phone-390x844-{basis}-check.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    assert v.outside == []
