"""Text for one version only: the `at_least` test, the process's name per version, the later-law facts.

Rendered through the kit's own templating for versions 2.0 and 2.1 of the real sources, without a
site build: the same page text gives 2.0 without the draft's sections and 2.1 with them.
"""
from __future__ import annotations

import pytest

from generator.templating import at_least, context_for, render_text


def render(guidance, source: str, version: str, council=None) -> str:
    text, problems = render_text(source, context_for(guidance, council, guidance.version(version)), "<test>")
    assert not problems, problems
    return text


@pytest.mark.parametrize("have,want,expected", [("2.0", "2.1", False), ("2.1", "2.1", True), ("2.10", "2.9", True),
                                                ("1.2", "2.0", False), ("3.0", "2.1", True)])
def test_at_least_compares_version_numbers_as_numbers(have, want, expected):
    assert at_least(have, want) is expected


def test_text_for_2_1_only_is_left_out_of_2_0(guidance):
    source = 'Always.{% if guidance is at_least("2.1") %} Only from 2.1.{% endif %}'
    assert render(guidance, source, "2.0") == "Always."
    assert render(guidance, source, "2.1") == "Always. Only from 2.1."


def test_the_process_is_the_asb_case_review_from_2_1(guidance):
    assert render(guidance, "{{ called.full }} / {{ called.name }}", "2.0") == \
        "Community Trigger (ASB Case Review) / Community Trigger"
    assert render(guidance, "{{ called.full }} / {{ called.name }}", "2.1") == \
        "ASB Case Review (formerly Community Trigger) / ASB Case Review"


def test_each_later_law_fact_is_shown_unconfirmed_with_its_source(guidance):
    law = guidance.law
    assert law["act"]["name"] == "Crime and Policing Act 2026"
    assert set(law["provisions"]) == {"pcc_review", "data_duty", "national_threshold"}
    for key, provision in law["provisions"].items():
        assert provision["verified"] is False and provision["note"] and provision["sources"], key
        assert provision["in_force_from"] is None, f"{key}: a commencement date needs confirming before it is set"
    page = next(p for p in guidance.pages if p.rel == "practitioner/purpose-and-law.md")
    text = render(guidance, page.body, "2.1")
    assert text.count("Not known (not confirmed)") == len(law["provisions"])
    assert "Not yet confirmed" in text


def test_a_confirmed_commencement_date_shows_on_the_pages(tmp_root):
    from generator.project import load_project
    path = tmp_root / "guidance" / "law-2026.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  pcc_review:")
    head, rest = text[:start], text[start:]
    path.write_text(head + rest.replace("    in_force_from: null\n    verified: false\n", "    in_force_from: 2026-09-01\n",
                                        1), encoding="utf-8")
    g = load_project(tmp_root).require()
    public = next(p for p in g.pages if p.rel == "public/appeals.md")
    shown = render(g, public.body, "2.1", g.councils["erewash"])
    assert "This part of the law started on 1 September 2026." in shown
    practitioner = next(p for p in g.pages if p.rel == "practitioner/purpose-and-law.md")
    assert "| From 1 September 2026 |" in render(g, practitioner.body, "2.1")
