"""What a committee approved stays approved (issue 25): the lock of version 2.0 and `ctkit check`.

An edit to a practitioner page outside a version test used to change the live 2.0 site and PDF
with nobody approving it. Each test edits a copy of the real sources as an editor would and runs
the real command line; the real sources carry the first lock of 2.0 (guidance/releases/2.0.lock).
"""
from __future__ import annotations

import re

from generator.project import load_project
from generator.templating import context_for, render_text
from test_check_sources import errors_of, line_no, replace_in

SPOC = "guidance/practitioner/spoc.md"
OLD_SENTENCE = "The idea is simple: a victim"
NEW_SENTENCE = "The idea is plain: a victim"


def test_the_real_sources_match_the_lock_of_version_2_0(ctkit, root):
    assert (root / "guidance" / "releases" / "2.0.lock").is_file()
    run = ctkit("check", "--quiet")
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_sentence_reworded_outside_a_version_test_fails_check_on_2_0_naming_the_page(ctkit, tmp_root):
    page = tmp_root / SPOC
    line = line_no(page, OLD_SENTENCE)
    replace_in(page, OLD_SENTENCE, NEW_SENTENCE)
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1, run.stdout
    errors = errors_of(run)
    assert errors[0] == (
        f"{SPOC}:{line}: approved text changed: the paragraph that version 2.0 approved as “The Act requires each "
        "area to name one point of contact to …” is not as approved: its second sentence now reads “The idea is "
        "plain: a victim who has already been sent from one agency to another …”"), errors
    summary = [e for e in errors if e.startswith("guidance/releases/2.0.lock: ")]
    assert len(errors) == 2 and len(summary) == 1, errors
    assert "1 paragraph of version 2.0 differ" in summary[0]
    assert '{% if guidance is at_least("2.1") %}' in summary[0], "the change is made for the draft, 2.1"
    assert "ctkit version erratum 2.0 --reason" in summary[0]


def test_the_same_change_inside_a_version_test_passes(ctkit, tmp_root):
    assert ctkit("version", "new", "2.2", "--summary", "Plainer words.", root=tmp_root).returncode == 0
    page = tmp_root / SPOC
    text = page.read_text(encoding="utf-8")
    sentence = re.search(r"The idea is simple: [^.]+\.", text).group(0)
    gated = ('{% if guidance is at_least("2.2") %}' + sentence.replace("simple", "plain") + "{% else %}" + sentence
             + "{% endif %}")
    page.write_text(text.replace(sentence, gated), encoding="utf-8")
    run = ctkit("check", "--quiet", root=tmp_root)
    assert run.returncode == 0, run.stdout + run.stderr
    guidance = load_project(tmp_root).require()
    spoc = next(p for p in guidance.pages if p.path == SPOC)
    for version, word in (("2.0", "simple"), ("2.2", "plain")):
        rendered, _ = render_text(spoc.body, context_for(guidance, version=guidance.version(version)), spoc.path)
        assert f"The idea is {word}:" in rendered


def test_an_erratum_passes_check_and_is_listed_in_the_change_history(ctkit, tmp_root):
    replace_in(tmp_root / SPOC, OLD_SENTENCE, NEW_SENTENCE)
    reason = "A word that read as dismissive of victims, corrected as the ASB Sub-Group agreed on 3 December 2026."
    run = ctkit("version", "erratum", "2.0", "--reason", reason, "--on", "2026-12-04", root=tmp_root)
    assert run.returncode == 0, run.stderr
    assert "Recorded an erratum to version 2.0 (1 paragraph)" in run.stdout
    run = ctkit("check", "--quiet", root=tmp_root)
    assert run.returncode == 0, run.stdout + run.stderr
    versions = (tmp_root / "guidance" / "versions.yml").read_text(encoding="utf-8")
    assert f"    errata:\n      - on: 2026-12-04\n        reason: {reason}\n" in versions
    lock = (tmp_root / "guidance" / "releases" / "2.0.lock").read_text(encoding="utf-8")
    assert f"# Erratum of 4 December 2026: {reason}" in lock

    guidance = load_project(tmp_root).require()
    history = next(p for p in guidance.pages if p.rel == "practitioner/change-history.md")
    rendered, problems = render_text(history.body, context_for(guidance), history.path, history.body_line)
    assert not problems
    version_2_0 = rendered.split("### Version 2.0")[1].split("### Version")[0]
    assert f"Corrections made since it was approved (errata):\n\n\n- 4 December 2026: {reason}" in version_2_0

    again = ctkit("version", "erratum", "2.0", "--reason", reason, root=tmp_root)
    assert again.returncode == 1 and "there is no erratum to record" in again.stderr


def test_layout_contact_details_and_resident_pages_do_not_count_as_approved_text(ctkit, tmp_root):
    # Markup and line breaks: the same words.
    page = tmp_root / SPOC
    replace_in(page, "The idea is simple: a victim who has", "The idea is **simple**: a victim\nwho has")
    # The site's look, and the pages for residents.
    replace_in(tmp_root / "guidance" / "site.yml", "link: \"#1f4e8c\"", "link: \"#1f4e8b\"")
    support = tmp_root / "guidance" / "public" / "support.md"
    support.write_text(support.read_text(encoding="utf-8") + "\nA new sentence for residents.\n", encoding="utf-8")
    # Contact details kept up to date: a council's phone, the OPCC's, and a fact confirmed (its note deleted).
    replace_in(tmp_root / "guidance" / "councils" / "erewash.yml", '"0115 907 2244"', '"0115 907 2245"')
    orgs = tmp_root / "guidance" / "organisations.yml"
    text = orgs.read_text(encoding="utf-8")
    opcc = text[text.index("\nopcc:"):text.index("\nvictim_services:")]
    confirmed = re.sub(r"\n  verified: false\n  note: >-\n(?:    .*\n)+", "\n", opcc + "\n").rstrip("\n")
    assert "verified" not in confirmed and "note:" not in confirmed
    orgs.write_text(text.replace(opcc, confirmed.replace('phone: "0300 122 6000"', 'phone: "0300 122 6001"')),
                    encoding="utf-8")
    run = ctkit("check", "--quiet", root=tmp_root)
    assert run.returncode == 0, run.stdout + run.stderr


def test_words_figures_and_questions_of_2_0_count_as_approved_text(ctkit, tmp_root):
    criteria = tmp_root / "guidance" / "criteria.yml"
    text = criteria.read_text(encoding="utf-8")
    start = text.index('  "2.0":')
    criteria.write_text(text[:start] + text[start:].replace("appeal: {days: 20,", "appeal: {days: 15,", 1),
                        encoding="utf-8")
    replace_in(tmp_root / "guidance" / "wording.yml", "qualifying complaints about related incidents of anti-social",
               "qualifying complaints about connected incidents of anti-social")
    replace_in(tmp_root / "forms" / "consent.yml", 'label: "Your full name"', 'label: "Your name in full"')
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1
    errors = errors_of(run)
    named = {e.split(":")[0] for e in errors}
    assert {"guidance/criteria.yml", "forms/consent.yml", "guidance/practitioner/threshold.md",
            "guidance/practitioner/threshold-decision.md", "guidance/practitioner/appeals.md"} <= named, errors
    assert any(e.startswith("forms/consent.yml:") and "the question that version 2.0 approved as “Your full name "
               "(required)” is not as approved: it now reads “Your name in full (required)”" in e for e in errors)
    assert any(e.startswith("guidance/criteria.yml:") and "the figure that version 2.0 approved as “Timescale for an "
               "appeal to reach the OPCC: 20 working days from …” is not as approved: it now reads “Timescale for an "
               "appeal to reach the OPCC: 15 working days from the date of the …”" in e for e in errors), errors


def test_a_lock_edited_by_hand_is_refused_with_the_line(ctkit, tmp_root):
    lock = tmp_root / "guidance" / "releases" / "2.0.lock"
    lines = lock.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line and not line.startswith("#"))
    lines[number - 1] = "guidance/practitioner/spoc.md not-a-fingerprint The SPOC"
    lock.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1
    assert errors_of(run) == [f"guidance/releases/2.0.lock:{number}: this line of the lock is not 'where fingerprint "
                              "sentences opening words'; the lock is written by ctkit, so take it again with the "
                              "command its first lines name rather than editing it"]
    assert ctkit("version", "lock", "2.0", root=tmp_root).returncode == 0
    assert ctkit("check", "--quiet", root=tmp_root).returncode == 0
