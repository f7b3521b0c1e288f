"""The same council sites published at the root of their own address, not inside a folder.

test_site_council_sites.py serves every site inside the folder its `site.url` names
(/community-trigger/). Here a copy of the sources gives every council an address at a domain
root, so each site is built for `/` and served there: the pages that differ from council to
council, the "page not found" page at an address that does not exist among them, must load
their stylesheets and pass axe-core as they did inside the folder.
"""
from __future__ import annotations

import re

import pytest
from coloraide import Color

from conftest import copy_sources, run_ctkit
from generator.project import load_project
from site_serving import PAGES_THAT_DIFFER, Hosts, axe_context, axe_violations, guard, mount_of

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def at_the_root(tmp_path_factory, tmp_root_module):
    """Every council at the root of its own address, built with the real CLI."""
    site = tmp_path_factory.mktemp("sites-at-the-root")
    result = run_ctkit("build", "--all", "--site-dir", str(site), root=tmp_root_module)
    assert result.returncode == 0, result.stderr[-3000:]
    guidance = load_project(tmp_root_module).require()
    assert {mount_of(c.site_url) for c in guidance.councils.values()} == {"/"}
    return {"site": site, "guidance": guidance}


@pytest.fixture(scope="module")
def tmp_root_module(tmp_path_factory):
    """A copy of the sources whose councils' addresses have no folder: https://www.erewash.gov.uk/."""
    dest = copy_sources(tmp_path_factory.mktemp("root-project"))
    for council in (dest / "guidance" / "councils").glob("*.yml"):
        text = council.read_text(encoding="utf-8")
        council.write_text(re.sub(r"(?m)^(  url: https://[^/\s]+)/\S*$", r"\1/", text), encoding="utf-8")
    return dest


def test_sites_at_a_domain_root_link_their_own_address_and_find_their_assets(at_the_root):
    for council in at_the_root["guidance"].councils.values():
        site = at_the_root["site"] / council.id
        home = (site / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{council.site_url}">' in home
        missing = (site / "404.html").read_text(encoding="utf-8")
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', missing)
        assert sheets and all(href.startswith("/assets/") for href in sheets), sheets
        assert 'href="/">Go to the home page' in missing and 'href="/public/contacts/"' in missing


def test_pages_that_differ_pass_axe_at_the_domain_root_404_included(at_the_root, browser):
    guidance = at_the_root["guidance"]
    hosts = Hosts()
    context = axe_context(browser)
    page = context.new_page()
    outside = guard(page)
    violations, wrong_colour, statuses = [], {}, {}
    try:
        for council in guidance.councils.values():
            base = hosts.add(council.id, at_the_root["site"] / council.id, "/")
            for path in PAGES_THAT_DIFFER:
                response = page.goto(f"{base}/{path}", wait_until="load")
                statuses[f"{council.id}/{path}"] = response.status
                violations += [(council.id, path, rule, targets) for rule, targets in axe_violations(page)]
                shown = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
                if Color(shown).to_string(hex=True) != guidance.colours_of(council).header:
                    wrong_colour[f"{council.id}/{path}"] = shown
    finally:
        context.close()
        hosts.close()
    assert len(statuses) == len(guidance.councils) * len(PAGES_THAT_DIFFER)
    assert violations == []
    assert wrong_colour == {}           # every stylesheet loaded, on the 404 page too
    assert outside == []
    assert {s for key, s in statuses.items() if key.endswith(PAGES_THAT_DIFFER[-1])} == {404}
