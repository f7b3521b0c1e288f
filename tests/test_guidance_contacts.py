"""Every contact a resident is given says where it came from, and the pages show it as confirmed or not.

Appeals tell people exactly how to reach the OPCC; the privacy notice gives each council's
retention period and its data protection officer's routes; Derbyshire Victim Services is at the
address its own pages use. A value still marked `verified: false` shows a "still checking" note.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.project import load_project
from generator.templating import context_for, render_text
from guidance_pages import article, built_site, page_html, sentences

pytestmark = pytest.mark.slow   # builds a council site with `ctkit build`: in the full run, not make check

CONTACT_KEYS = ("web", "phone", "email", "address", "text_number")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return built_site(tmp_path_factory, "2.0")


def words(site: Path, page: str) -> str:
    return " ".join(sentences(article(page_html(site, page))))


def test_every_named_body_with_a_contact_says_where_it_was_found(guidance):
    for key, body in guidance.organisations.items():
        if key == "law" or not any(k in body for k in CONTACT_KEYS):
            continue
        assert body.get("sources"), f"organisations.yml {key}: contacts without sources"
        assert body.get("note"), f"organisations.yml {key}: say what the sources showed (note:)"


def test_every_council_has_privacy_facts_each_sourced_or_marked_unconfirmed(guidance):
    for council in guidance.councils.values():
        p = council.privacy
        assert p is not None, f"{council.id} has no privacy block"
        assert p.dpo.email or p.dpo.phone or p.dpo.web, council.id
        assert p.sources or (not p.verified and p.note), f"{council.id}: no source and not marked unconfirmed"
        assert p.verified is False, f"{council.id}: nothing here was confirmed with the council, so say so"


def test_victim_services_is_given_at_the_address_its_own_pages_use(guidance, site):
    web = guidance.organisations["victim_services"]["web"]
    assert web == "https://www.derbyshirevictimservices.co.uk"
    support = article(page_html(site, "public/support"))
    assert web in support and "derbyshirevictimservices.org" not in support
    for page in site.rglob("*.html"):
        assert "derbyshirevictimservices.org" not in page.read_text(encoding="utf-8"), page


def test_appeals_give_the_opcc_s_post_email_phone_and_web_page_marked_unconfirmed(guidance, site):
    opcc = guidance.organisations["opcc"]
    text = words(site, "public/appeals")
    assert f"Post: {opcc['name']}, {', '.join(opcc['address'])}, {opcc['postcode']}" in text
    for value in (opcc["email"], opcc["phone"], opcc["web"]):
        assert value in article(page_html(site, "public/appeals")), value
    assert "We are still checking these details" in text
    practitioner = article(page_html(site, "practitioner/appeals"))
    assert opcc["email"] in practitioner and opcc["postcode"] in practitioner


def test_the_privacy_notice_gives_the_retention_period_and_the_dpo_route(guidance, site):
    council = guidance.councils["erewash"]
    p = council.privacy
    text = words(site, "public/privacy")
    assert f"We keep your case for {p.retention.years} years after it is closed." in text
    assert f"At {council.name} this is the {p.dpo.title}." in text
    assert f"by phone: {p.dpo.phone}" in text
    assert f"Data Protection Officer, {council.name}, {', '.join(council.spoc.address)}, {council.spoc.postcode}" \
        in text
    assert "has not yet told us how long it keeps these cases" in text
    assert "public task" in text and "no box" not in text


def test_confirmed_details_lose_their_still_checking_notes(tmp_root):
    for rel, old in (("guidance/organisations.yml", "  verified: false\n  note: >-\n    Found on the OPCC's"),
                     ("guidance/councils/erewash.yml", "  verified: false\n  note: >-\n    The council's community")):
        path = tmp_root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, rel
        # As CONTRIBUTING says: once confirmed, the `verified: false` line goes.
        path.write_text(text.replace(old, "  note: >-\n    " + old.split("    ", 1)[1]), encoding="utf-8")
    g = load_project(tmp_root).require()
    context = context_for(g, g.councils["erewash"])
    for rel, gone in (("public/appeals.md", "We are still checking these details"),
                      ("public/privacy.md", "has not yet told us how long")):
        page = next(p for p in g.pages if p.rel == rel)
        text, problems = render_text(page.body, context, page.path, page.body_line)
        assert not problems and gone not in text, rel


def test_the_county_site_sends_people_to_their_own_council_s_data_protection_officer(guidance):
    g = guidance
    page = next(p for p in g.pages if p.rel == "public/privacy.md")
    text, problems = render_text(page.body, context_for(g, g.lead), page.path, page.body_line)
    assert not problems
    assert "Ask the data protection officer of the council that deals with your form" in text
    assert f"To contact the one at {g.lead.name}:" in text
