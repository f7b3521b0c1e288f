"""The online form's "Send your application" step, without a browser: when it is offered, and what it says.

Rendered in-process from the real sources, with a council given a receiver in memory (or in a copy's
YAML). The address, the part names and the limits reach the script only as data made in Python
(receiving/contract.py, the council's `site.submit`); the confirmation's timescales come from
criteria.yml. The browser journeys are in test_send_online.py.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from conftest import without_locks
from generator.model import Submit
from generator.project import load_project
from generator.receiving import contract
from generator.site import apply_page
from generator.templating import context_for
from test_site_apply_page import model_of

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "generator" / "site" / "theme" / "assets" / "ctkit"
RECEIVER = "https://www.erewash.gov.uk/community-trigger/receive/applications"


def council_with(guidance, verified: bool = False, url: str = RECEIVER):
    return dataclasses.replace(guidance.council("erewash"), submit=Submit(url=url, verified=verified))


def page_of(guidance, council) -> str:
    return apply_page.render_apply_page(guidance.forms["application"], context_for(guidance, council), None)


def test_without_a_receiver_the_page_offers_the_download_only_as_before(guidance):
    page = page_of(guidance, guidance.council("erewash"))
    assert model_of(page)["send"] is None
    for absent in ('id="send-application"', contract.HONEYPOT, 'data-step="sent"', 'data-step="not-sent"',
                   "Send your application"):
        assert absent not in page
    assert "At the end you download your application" in page
    assert 'class="md-button md-button--primary" id="download-application"' in page


def test_with_a_receiver_the_script_gets_its_address_and_the_contract_as_data(guidance):
    page = page_of(guidance, council_with(guidance))
    send = model_of(page)["send"]
    assert send == {"url": RECEIVER, "json_part": contract.JSON_PART, "pdf_part": contract.PDF_PART,
                    "honeypot": contract.HONEYPOT, "max_bytes": contract.MAX_BODY_BYTES,
                    "max_json_bytes": contract.MAX_DATA_BYTES, "timeout_seconds": apply_page.SEND_TIMEOUT_SECONDS}
    assert 'id="send-application"' in page and "Send your application" in page
    trap = re.search(r'<div class="ct-apply-trap" hidden>.*?</div>', page, re.S)[0]
    assert f'name="{contract.HONEYPOT}"' in trap and 'tabindex="-1"' in trap
    # One primary button on "Check your answers": "Send"; the download is the other way.
    check = page[page.index('id="ct-step-check"'):page.index('data-step="sent"')]
    assert check.count("md-button--primary") == 1 and 'class="md-button" id="download-application"' in check


def test_the_script_never_types_the_contract_again():
    script = (SCRIPTS / "apply.js").read_text(encoding="utf-8")
    for typed in (contract.JSON_PART, contract.PDF_PART, contract.HONEYPOT, contract.APPLICATIONS_PATH,
                  str(contract.MAX_BODY_BYTES), "erewash"):
        assert typed not in script, typed


def test_an_unconfirmed_receiver_is_offered_and_marked_as_not_confirmed_yet(guidance):
    unconfirmed = page_of(guidance, council_with(guidance, verified=False))
    confirmed = page_of(guidance, council_with(guidance, verified=True))
    assert 'id="ct-apply-send-unconfirmed"' in unconfirmed and 'id="ct-apply-send-unconfirmed"' not in confirmed
    note = re.search(r'id="ct-apply-send-unconfirmed">(.*?)</p>', unconfirmed, re.S)[1]
    assert "Not confirmed yet" in note and "Download your application as a PDF as well" in note


def test_the_page_names_a_receiver_on_another_host_of_the_councils_domain(guidance):
    page = page_of(guidance, council_with(guidance, url="https://apply.erewash.gov.uk/applications"))
    assert "to the council’s own system at apply.erewash.gov.uk, and to nobody else" in page
    assert "own system, and to nobody else" in page_of(guidance, council_with(guidance))


def test_the_confirmation_gives_the_phone_and_the_timescales_of_criteria_yml(tmp_root):
    without_locks(tmp_root)
    criteria = tmp_root / "guidance" / "criteria.yml"
    text = criteria.read_text(encoding="utf-8")
    criteria.write_text(text.replace(
        "      acknowledge: {days: 5, from: received, verified: false}\n      threshold_decision: {days: 10,",
        "      acknowledge: {days: 4, from: received, verified: false}\n      threshold_decision: {days: 9,"),
        encoding="utf-8")
    guidance = load_project(tmp_root).require()
    assert guidance.criteria_for(guidance.current()).timescales["acknowledge"].days == 4
    page = page_of(guidance, council_with(guidance))
    sent = page[page.index('data-step="sent"'):page.index('data-step="not-sent"')]
    words = " ".join(re.sub(r"<[^>]+>", " ", sent).split())
    assert "within 4 working days, to say they have your application" in words
    assert "within 9 working days whether there will be a case review" in words
    assert "If you have not heard from the team within 4 working days, phone them on 0115 907 2244" in words
    not_sent = page[page.index('data-step="not-sent"'):]
    assert "0115 907 2244" in not_sent and 'id="ct-apply-download-instead"' in not_sent
