"""`ctkit diff OLD NEW`: what changed between two releases, in words, for a committee report.

Each test makes a real git repository in a temporary folder, tags two releases of the
sources (guidance-v2.0 and guidance-v2.2: the real sources, then a new version on top of them)
and runs the real command line on it.
"""
from __future__ import annotations

import re
import subprocess

import pytest

from conftest import need_tool

#: The first one-line question of the form; the new question goes after it, indented the same.
ONE_LINE_QUESTION = re.compile(r"^( +)- \{id: \w+, type: (?:text|email|phone)\b.*\}\n", re.MULTILINE)


def _git(repo, *args):
    git = need_tool("git", "the release comparison tests")
    return subprocess.run([git, "-c", "user.name=Editor", "-c", "user.email=editor@example.invalid",
                           "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
                          cwd=repo, check=True, capture_output=True, text=True)


@pytest.fixture
def releases(tmp_root, ctkit):
    """A repository holding two releases: 2.2 lowers the threshold to 2 and adds a question."""
    _git(tmp_root, "init", "-q")
    _git(tmp_root, "add", "-A")
    _git(tmp_root, "commit", "-q", "-m", "Guidance 2.0")
    _git(tmp_root, "tag", "guidance-v2.0")

    assert ctkit("version", "new", "2.2", "--summary", "Lowers the threshold.", root=tmp_root).returncode == 0
    criteria = tmp_root / "guidance" / "criteria.yml"
    text = criteria.read_text(encoding="utf-8")
    head, block = text.split('  "2.2":')
    criteria.write_text(head + '  "2.2":' + block.replace("threshold: 3 ", "threshold: 2 ", 1), encoding="utf-8")
    form = tmp_root / "forms" / "application.yml"
    form_text = form.read_text(encoding="utf-8")
    found = ONE_LINE_QUESTION.search(form_text)
    assert found, "the application form has no one-line question to add one after; update this test's edit"
    new_question = f"{found.group(1)}- {{id: mobile_number, type: phone, label: Your mobile number}}\n"
    form.write_text(form_text[:found.end()] + new_question + form_text[found.end():], encoding="utf-8")
    page = tmp_root / "guidance" / "practitioner" / "spoc.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n## Cover when the SPOC is away\n\nA deputy is named.\n",
                    encoding="utf-8")
    _git(tmp_root, "commit", "-q", "-a", "-m", "Guidance 2.2")
    _git(tmp_root, "tag", "guidance-v2.2")
    return tmp_root


def test_diff_names_the_threshold_change_the_new_question_and_the_new_section(releases, ctkit, tmp_path):
    out = tmp_path / "report" / "changes.md"
    result = ctkit("diff", "guidance-v2.0", "guidance-v2.2", "-o", str(out), root=releases)
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("# Changes to the Derbyshire Community Trigger Practitioner Guidance: version 2.1 to "
                           "version 2.2\n")
    assert "`guidance-v2.0` (version 2.1, a draft, not in force)" in page
    assert "**Version 2.2.** Lowers the threshold.\n\nNo changes are listed for it yet." in page
    assert "- Version 2.2 was added (a draft, not in force).\n    - No approvals are recorded for it yet." in page
    assert "| Threshold | 3 qualifying complaints | 2 qualifying complaints | **yes** |\n" in page
    assert "In words: The threshold was 3 qualifying complaints; it is now 2.\n" in page
    assert re.search(r"\n\*\*Question added, in section “[^”]+”:\*\*\n\nYour mobile number \(optional\)\n", page), page
    assert "\n**New section “Cover when the SPOC is away”.**\n" in page
    assert "\n**Paragraph added, in section “Cover when the SPOC is away”:**\n\nA deputy is named.\n" in page
    forms_part = page.split("## Forms")[1].split("\n## ")[0]
    assert forms_part.count("Question added") == 1 and "Question reworded" not in forms_part, "only the new question"
    assert "Before: The threshold is met when <del>3</del> or more" in forms_part, "the form says the new figure"
    assert "## Councils' contact and privacy details\n\n- No changes." in page


def test_diff_of_a_release_with_itself_reports_no_changes(releases, ctkit):
    result = ctkit("diff", "guidance-v2.0", "guidance-v2.0", root=releases)
    assert result.returncode == 0, result.stderr
    sections = dict(section.split("\n", 1) for section in result.stdout.split("\n## ")[1:])
    assert len(sections) == 10
    assert sections["Summary of the changes"].strip() == "- No version was added or changed."
    assert sections["Facts still to be confirmed"].strip() == "- None: every new or changed fact is confirmed."
    changes = {k: v for k, v in sections.items() if k not in ("Standing of each version", "Summary of the changes",
                                                               "Facts still to be confirmed")}
    assert all(text.strip() == "- No changes." for text in changes.values()), result.stdout


def test_diff_reads_releases_without_touching_the_working_tree(releases, ctkit):
    (releases / "guidance" / "practitioner" / "spoc.md").write_text("unsaved work", encoding="utf-8")
    result = ctkit("diff", "guidance-v2.0", "guidance-v2.2", root=releases)
    assert result.returncode == 0, result.stderr
    assert (releases / "guidance" / "practitioner" / "spoc.md").read_text(encoding="utf-8") == "unsaved work"
    status = _git(releases, "status", "--porcelain").stdout.splitlines()
    assert status == [" M guidance/practitioner/spoc.md"]


def test_an_unknown_release_is_named_with_the_releases_that_exist(releases, ctkit):
    result = ctkit("diff", "guidance-v1.9", "guidance-v2.2", root=releases)
    assert result.returncode == 1
    assert "there is no release or revision called 'guidance-v1.9'" in result.stderr
    assert "guidance-v2.0, guidance-v2.2" in result.stderr
    assert "Traceback" not in result.stderr


def test_diff_outside_a_git_repository_says_so(tmp_root, ctkit):
    result = ctkit("diff", "guidance-v2.0", "guidance-v2.2", root=tmp_root)
    assert result.returncode == 1
    assert "not inside a git repository" in result.stderr


def test_diff_against_dot_compares_with_the_files_as_they_are_now(releases, ctkit):
    page = releases / "guidance" / "practitioner" / "spoc.md"
    page.write_text(page.read_text(encoding="utf-8").replace("A deputy is named.", "A deputy is always named."),
                    encoding="utf-8")
    result = ctkit("diff", "guidance-v2.2", ".", root=releases)
    assert result.returncode == 0, result.stderr
    assert "with the files as they are now (version 2.2, a draft, not in force)" in result.stdout
    assert "### The single point of contact (SPOC)\n\n`guidance/practitioner/spoc.md`\n\n" \
           "**Paragraph reworded, in section “Cover when the SPOC is away”:**\n\n" \
           "Before: A deputy is named.\n\nAfter: A deputy is <ins>always</ins> named.\n\n" \
           "In words: “always” was put in after “A deputy is”.\n" in result.stdout
    assert "## Threshold and timescales\n\n- No changes." in result.stdout


LETTER_AS_A_FORM = """\
id: letter_acknowledgement
title: "Your Community Trigger application: we have received it"
kind: letter
audience: resident
summary: Tells the applicant their application has arrived.
sections:
  - id: letter
    title: About your application
    questions:
      - {id: case_ref, type: text, label: Our reference, required: true}
      - type: paragraph
        text:
          - Thank you for your application. We have received it and will ask the agencies for their records.
"""


def test_a_letter_that_was_a_form_is_compared_as_a_letter_and_letters_yml_changes_are_reported(tmp_root, ctkit):
    """Releases before guidance/letters.yml kept each letter as a form; the report said "Form removed"."""
    letters = tmp_root / "guidance" / "letters.yml"
    now = letters.read_text(encoding="utf-8")
    letters.unlink()
    schema = tmp_root / "schemas" / "form.schema.json"
    schema_now = schema.read_text(encoding="utf-8")
    schema.write_text(schema_now.replace('"enum": [\n        "form"\n      ]', '"enum": ["form", "letter"]'),
                      encoding="utf-8")
    (tmp_root / "forms" / "letter_acknowledgement.yml").write_text(LETTER_AS_A_FORM, encoding="utf-8")
    _git(tmp_root, "init", "-q")
    _git(tmp_root, "add", "-A")
    _git(tmp_root, "commit", "-q", "-m", "Letters as forms")
    _git(tmp_root, "tag", "guidance-v2.0")
    (tmp_root / "forms" / "letter_acknowledgement.yml").unlink()
    schema.write_text(schema_now, encoding="utf-8")
    letters.write_text(now.replace("for their records of the reports you told us about",
                                   "for their records of every report you told us about"), encoding="utf-8")

    run = ctkit("diff", "guidance-v2.0", ".", root=tmp_root)
    assert run.returncode == 0, run.stderr
    assert "Form removed" not in run.stdout
    part = run.stdout.split("## Letters\n")[1].split("\n## ")[0]
    acknowledgement = part.split("### The acknowledgement letter\n")[1].split("\n### ")[0]
    assert "Now written in `guidance/letters.yml` (letter `acknowledgement`); before, in " \
           "`forms/letter_acknowledgement.yml` (written then as a form)." in acknowledgement
    assert "**Subject line reworded:**\n\nBefore: <del>Your Community Trigger application:</del> we have received " \
           "it\n" in acknowledgement
    assert "### The outcome letter\n\nA new letter, in `guidance/letters.yml` (letter `outcome`)" in part

    _git(tmp_root, "add", "-A")
    _git(tmp_root, "commit", "-q", "-m", "Letters in letters.yml")
    _git(tmp_root, "tag", "guidance-v2.1")
    letters.write_text(now, encoding="utf-8")
    run = ctkit("diff", "guidance-v2.1", ".", root=tmp_root)
    part = run.stdout.split("## Letters\n")[1].split("\n## ")[0]
    assert part.lstrip("\n").startswith("### The acknowledgement letter\n\n**Paragraph reworded, in section “What happens next”:**"
                           "\n\nBefore: We are now asking the agencies involved, such as the police, the council and "
                           "any housing provider, for their records of <del>every report</del> you told us about"), part
    assert "In words: “every report” became “the reports”." in part
