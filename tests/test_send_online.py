"""Send it online, end to end, as a resident and then the SPOC use it (issue 27's "Done when").

A copy of the project names a receiver for Erewash (`site.submit`, on 127.0.0.1 as `ctkit check`
allows for trying it out), its site is built with the real `ctkit build` for the address it is
served at, and the real `ctkit receive` runs in its own process with the SPOC's public key.
Chromium fills the online form with three incidents and sends it; the confirmation shows the
reference; the inbox holds one file nobody can read without the private key; `ctkit case open
--inbox` opens it with the decision and counts `ctkit validate` gives the saved answers. With the
receiver down, the page says so, offers the PDF and the phone number, and keeps every answer.
Every page is checked with axe-core, and every request is recorded: none goes anywhere but the
site and the council's own receiver. Screenshots go to tests/_artifacts/.
"""
from __future__ import annotations

import csv
import json
import re
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import copy_sources, run_ctkit
from generator.receiving import inbox as inbox_files
from generator.receiving.keys import make_key_pair, read_identity
from receiving_helpers import files_in, free_port, start_process, stop_process
from site_serving import Hosts
from test_site_apply_browser import Visit, answers, download, fill_in_online, verdicts

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "_artifacts"
COUNCIL = "erewash"
REFERENCE = re.compile(r"EREWASH-\d{8}-[0-9A-HJKMNP-TV-Z]{8}")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def online(tmp_path_factory) -> dict:
    """Erewash's site built to send to its own receiver on 127.0.0.1 (not yet confirmed), served where it was
    built for; the receiver's port is chosen, but nothing listens there until a test starts `ctkit receive`."""
    base = tmp_path_factory.mktemp("send-online")
    project = base / "project"
    project.mkdir()
    copy_sources(project)
    site_port, receiver_port = free_port(), free_port()
    council = project / "guidance" / "councils" / f"{COUNCIL}.yml"
    text = council.read_text(encoding="utf-8")
    block = re.search(r"^site:\n  url: .*\n", text, re.M)[0]
    council.write_text(text.replace(block, f"site:\n  url: http://127.0.0.1:{site_port}/\n  submit:\n"
                                          f"    url: http://127.0.0.1:{receiver_port}/applications\n"
                                          "    verified: false\n    note: Being tried out.\n"), encoding="utf-8")
    built = run_ctkit("build", "--council", COUNCIL, "--site-dir", base / "site", root=project)
    assert built.returncode == 0, built.stderr[-3000:]
    hosts = Hosts()
    site = hosts.add(COUNCIL, base / "site" / COUNCIL, port=site_port)
    private, public = make_key_pair(base / "spoc-keys")
    yield {"project": project, "site": site, "receiver": f"http://127.0.0.1:{receiver_port}",
           "receiver_port": receiver_port, "private": private, "public": public, "base": base}
    hosts.close()


@pytest.fixture
def receiver(online, tmp_path):
    """`ctkit receive` for Erewash, as the council runs it, with its own inbox; stopped after the test."""
    inbox = tmp_path / "inbox"
    proc, _ = start_process(online["project"], COUNCIL, inbox, online["public"], port=online["receiver_port"])
    yield {"inbox": inbox, "stop": lambda: "".join(stop_process(proc))}
    if proc.poll() is None:
        stop_process(proc)


class Journey(Visit):
    """A tab that also records the address of every request the page makes."""

    def __init__(self, browser, **options):
        super().__init__(browser, **options)
        self.requests: list[tuple[str, str]] = []
        self.page.on("request", lambda r: self.requests.append((r.method, r.url)))

    def origins(self) -> set[str]:
        return {"{0.scheme}://{0.netloc}".format(urlsplit(url)) for _method, url in self.requests
                if url.startswith("http")}


@pytest.fixture
def journey(browser):
    opened: list[Journey] = []

    def open_(**options) -> Journey:
        opened.append(Journey(browser, **options))
        return opened[-1]
    yield open_
    for j in opened:
        j.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / f"send-{name}.png"), full_page=True)


def test_an_application_sent_online_gets_a_reference_and_opens_as_a_case_judged_as_its_saved_answers(
        online, receiver, journey, tmp_path, guidance):
    j = journey()
    page = j.page
    data = answers("victim")
    fill_in_online(j, online["site"], data)
    send = page.locator("#ct-apply-send-title")
    assert send.is_visible() and page.locator("#send-application").is_visible()
    assert "Not confirmed yet" in page.locator("#ct-apply-send-unconfirmed").inner_text()
    shot(page, "1280-check")
    saved = download(page, '#ct-step-check button[data-action="save"]', tmp_path / "downloads" / "answers.json")
    assert [u for m, u in j.requests if m == "POST"] == []          # nothing is sent before the resident sends it
    page.click("#send-application")
    page.locator("#ct-step-sent").wait_for()
    assert page.evaluate("document.activeElement.id") == "ct-step-sent-title"
    reference = page.locator("#ct-apply-reference").inner_text()
    assert REFERENCE.fullmatch(reference), reference
    words = " ".join(page.locator("#ct-step-sent").inner_text().split())
    t = guidance.criteria_for(guidance.current()).timescales
    assert f"within {t['acknowledge'].days} working days" in words
    assert f"within {t['threshold_decision'].days} working days" in words
    assert guidance.council(COUNCIL).spoc.phone in words
    assert page.title().startswith("Application sent")
    j.axe("sent")
    shot(page, "1280-sent")
    # Nowhere but the site and the council's own receiver; one POST, to the receiver's address.
    assert j.origins() == {online["site"], online["receiver"]}
    assert [u for m, u in j.requests if m == "POST"] == [f"{online['receiver']}/applications"]
    assert j.outside == [] and j.violations == [] and j.context.cookies() == []
    # Back on "Check your answers", it says it has been sent, and does not offer to send it again.
    page.goto(f"{online['site']}/public/apply/#step-check")
    assert page.locator("#send-application").is_hidden()
    assert reference in page.locator("#ct-apply-sent-before").inner_text()

    # The inbox: one file, encrypted; not readable without the private key, the answers file sent whole with it.
    inbox = receiver["inbox"]
    assert files_in(inbox) == [f"{reference}.age"]
    sealed = (inbox / f"{reference}.age").read_bytes()
    assert sealed.startswith(b"age-encryption.org/v1\n")
    # Words long enough not to occur by chance in random bytes (a 3-byte "DE7" did, about once in 80 runs).
    assert b"%PDF-" not in sealed and not any(w.encode() in sealed for w in ("Alex Example", "Loud music", "DE7 5RP"))
    arrival = inbox_files.open_arrival(inbox / f"{reference}.age", read_identity(online["private"]))
    assert arrival.application_json == saved.read_bytes()
    day = arrival.received_on.isoformat()
    assert reference.split("-")[1] == day.replace("-", "")

    # The SPOC opens it: the same decision and counts as ctkit validate of the saved answers.
    register, cases = tmp_path / "spoc" / "erewash.csv", tmp_path / "spoc" / "cases"
    register.parent.mkdir()
    run = run_ctkit("case", "open", "--inbox", inbox, "--identity", online["private"], "--council", COUNCIL,
                    "--register", register, "--case-folder", cases, root=online["project"])
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [reference]
    [row] = list(csv.DictReader(register.open(encoding="utf-8", newline="")))
    assert (row["case_ref"], row["received_on"]) == (reference, day)
    [from_saved] = verdicts(saved, received=day)
    assert row["assessment"] == from_saved["decision"] == "threshold_met"
    assert from_saved["qualifying_complaints"] == 3
    assert verdicts(cases / reference / "application.json", received=day) == [from_saved]
    sent_pdf = cases / reference / "application.pdf"
    print(f"sent: {sent_pdf.stat().st_size:,} bytes of PDF, {saved.stat().st_size:,} of answers")
    assert verdicts(sent_pdf, received=day)[0]["decision"] == "threshold_met"
    assert files_in(inbox) == [f"done/{reference}.age"]
    judged = json.loads(run_ctkit("validate", saved, "--received", day, "--format", "json").stdout)[0]
    assert judged["summary"] in run.stderr
    log = receiver["stop"]()
    assert f"received an application: {reference}" in log
    assert not any(w in log for w in ("Alex Example", "Loud music")), log


def test_with_the_receiver_down_the_page_offers_the_pdf_and_phone_and_keeps_every_answer(
        online, journey, tmp_path, guidance):
    council = guidance.council(COUNCIL)
    j = journey()
    page = j.page
    fill_in_online(j, online["site"], answers("on_behalf"))
    page.click("#send-application")
    page.locator("#ct-step-not-sent").wait_for()
    assert page.evaluate("document.activeElement.id") == "ct-step-not-sent-title"
    words = " ".join(page.locator("#ct-step-not-sent").inner_text().split())
    assert "Your application has not been sent" in words and "We could not reach" in words
    assert "nothing you typed has been lost" in words
    assert council.spoc.phone in words
    assert page.locator("#ct-step-not-sent a[href^='tel:']").first.is_visible()
    j.axe("not sent")
    shot(page, "1280-not-sent")
    pdf = download(page, "#ct-apply-download-instead", tmp_path / "application.pdf")
    assert verdicts(pdf)[0]["decision"] == "threshold_met"
    # Every answer is still there, after a reload too.
    page.reload()
    page.goto(f"{online['site']}/public/apply/#step-check")
    summary = page.locator("#ct-apply-summary").inner_text()
    assert "Alex Example" in summary and "Sam Example" in summary and "Door kicked in the night." in summary
    assert page.locator("#send-application").is_visible()
    assert j.violations == [] and j.outside == []


def test_once_the_receiver_is_back_trying_again_sends_it(online, receiver, journey):
    j = journey(width=390)
    page = j.page
    fill_in_online(j, online["site"], answers("partner_agency"))
    shot(page, "390-check")
    page.evaluate("document.getElementById('ct-apply-leave-blank').value = 'filled in by a program'")
    page.click("#send-application")
    page.locator("#ct-step-not-sent").wait_for()
    assert "did not accept it" in page.locator("#ct-step-not-sent").inner_text()   # the honeypot was refused
    assert inbox_files.waiting(receiver["inbox"]) == []
    j.axe("not sent, phone")
    shot(page, "390-not-sent")
    page.click("#ct-apply-try-again")
    page.evaluate("document.getElementById('ct-apply-leave-blank').value = ''")
    page.click("#send-application")
    page.locator("#ct-step-sent").wait_for()
    assert REFERENCE.fullmatch(page.locator("#ct-apply-reference").inner_text())
    j.axe("sent, phone")
    shot(page, "390-sent")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    assert len(inbox_files.waiting(receiver["inbox"])) == 1
    # Clearing the answers leaves nothing of the application in the tab.
    page.click("#ct-apply-clear")
    page.locator("#ct-step-start").wait_for()
    assert "cleared" in page.locator("#ct-apply-start-status").inner_text()
    assert page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('ctkit:apply'))") == []
    assert j.violations == [] and j.outside == []


def test_without_javascript_the_page_says_sending_needs_it_and_offers_the_pdf_phone_and_post(online, journey,
                                                                                                guidance):
    council = guidance.council(COUNCIL)
    j = journey(java_script_enabled=False)
    j.page.goto(f"{online['site']}/public/apply/")
    words = j.page.locator("article").inner_text()
    assert "sending your application from this page" in words
    assert council.spoc.phone in words and council.spoc.postcode in words
    assert j.page.locator("#ct-apply-pdf").is_visible()
    assert j.outside == []


def test_the_cookies_and_how_to_apply_pages_say_the_answers_can_be_sent_and_where(online):
    def words(path: str) -> str:
        with urllib.request.urlopen(f"{online['site']}/{path}") as reply:   # 127.0.0.1 only
            return " ".join(re.sub(r"<[^>]+>", " ", reply.read().decode()).split())
    assert ("Only if you choose “Send your application” at the end do your answers, with your application form "
            "as a PDF, go to Erewash Borough Council’s own system, and to nobody else.") in words("cookies/")
    assert "send your application to us from the page. You get a reference number" in words("public/how-to-apply/")
