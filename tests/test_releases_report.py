"""The 2.0 → 2.1 report for the committee: the tag step CONTRIBUTING gives, then `ctkit diff` as Markdown and PDF.

A temporary git repository holds the history an editor's repository has: the sources as they
were at version 2.0, then `ctkit version new 2.1` (run by the kit, as CONTRIBUTING says), then the
draft as it is now. The tag command is taken from CONTRIBUTING.md itself and run as written, so
the step the editors read is the step that is tested.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pymupdf
import pytest

from conftest import ROOT, copy_sources, need_tool, run_ctkit
from generator.project import load_project
from generator.releases.compare import describe_changes

CONTRIBUTING = ROOT / "CONTRIBUTING.md"


def _git(repo, *args):
    git = need_tool("git", "the release report tests")
    return subprocess.run([git, "-c", "user.name=Editor", "-c", "user.email=editor@example.invalid",
                           "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
                          cwd=repo, check=True, capture_output=True, text=True)


def tag_command() -> str:
    """The shell command CONTRIBUTING.md gives for tagging version 2.0."""
    found = re.findall(r"^ *```sh\n *(git tag guidance-v2\.0 [^\n]+)\n *```", CONTRIBUTING.read_text(encoding="utf-8"),
                       re.MULTILINE)
    assert len(found) == 1, "CONTRIBUTING.md should give the guidance-v2.0 tag command once, in a sh block"
    return found[0]


def _as_at_2_0(root: Path) -> None:
    """The sources as they were before 2.1 was started, as far as this test needs: no 2.1 entry or criteria,
    no later-law file, Victim Services at the old .org address, and Erewash without its privacy block."""
    for rel, marker in (("guidance/versions.yml", '  - version: "2.1"\n'), ("guidance/criteria.yml", '  "2.1":\n')):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert marker in text, rel
        path.write_text(text[:text.index(marker)], encoding="utf-8")
    (root / "guidance" / "law-2026.yml").unlink()
    orgs = root / "guidance" / "organisations.yml"
    text = orgs.read_text(encoding="utf-8")
    assert "web: https://www.derbyshirevictimservices.co.uk\n" in text
    orgs.write_text(text.replace("web: https://www.derbyshirevictimservices.co.uk\n",
                                 "web: https://www.derbyshirevictimservices.org\n"), encoding="utf-8")
    council = root / "guidance" / "councils" / "erewash.yml"
    text = council.read_text(encoding="utf-8")
    start, end = text.index("# How this council looks after"), text.index("\nadopted:")
    council.write_text(text[:start] + text[end + 1:], encoding="utf-8")


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """(repository, the commit the 2.0 tag must name) with the 2.0 → draft 2.1 history."""
    repo = copy_sources(tmp_path_factory.mktemp("release-history"))
    now = {p.relative_to(repo): p.read_bytes() for p in (repo / "guidance").rglob("*") if p.is_file()}
    _as_at_2_0(repo)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Guidance 2.0 as approved")
    released = _git(repo, "rev-parse", "HEAD").stdout.strip()
    run = run_ctkit("version", "new", "2.1", "--summary", "Draft.", root=repo)
    assert run.returncode == 0, run.stderr
    _git(repo, "commit", "-q", "-a", "-m", "Start draft 2.1")
    for rel, data in now.items():
        (repo / rel).write_bytes(data)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Draft 2.1 for committee")
    return repo, released


def test_the_tag_step_in_contributing_tags_the_last_commit_of_version_2_0(history):
    repo, released = history
    bash = need_tool("bash", "the CONTRIBUTING tag step")
    subprocess.run([bash, "-c", tag_command()], cwd=repo, check=True, capture_output=True, text=True)
    assert _git(repo, "rev-parse", "guidance-v2.0^{commit}").stdout.strip() == released
    assert _git(repo, "tag", "--list", "guidance-v*").stdout.split() == ["guidance-v2.0"]


@pytest.fixture(scope="module")
def report(history, tmp_path_factory):
    repo, _ = history
    if not _git(repo, "tag", "--list", "guidance-v2.0").stdout.strip():
        subprocess.run([need_tool("bash", "the CONTRIBUTING tag step"), "-c", tag_command()], cwd=repo, check=True)
    out = tmp_path_factory.mktemp("report")
    for name in ("changes-2.1.md", "changes-2.1.pdf"):
        run = run_ctkit("diff", "guidance-v2.0", ".", "-o", str(out / name), root=repo)
        assert run.returncode == 0, run.stderr
        assert "Wrote what changed between guidance-v2.0 and the files as they are now" in run.stdout
    return {"md": (out / "changes-2.1.md").read_text(encoding="utf-8"), "pdf": (out / "changes-2.1.pdf").read_bytes(),
            "repo": repo, "out": out}


def test_the_report_names_both_versions_and_their_standing(report):
    md = report["md"]
    assert md.startswith("# Changes to the Derbyshire Community Trigger Practitioner Guidance: version 2.0 to "
                         "version 2.1\n")
    assert "- **After:** version 2.0 is the newest approved version (approved, in force from 1 October 2020); " \
           "version 2.1 is a draft and is not in force until it is approved." in md


def test_the_report_lists_every_2_1_change_in_the_editors_words(report, root):
    md = report["md"]
    summary = md.split("## Summary of the changes")[1].split("\n## ")[0]
    changes = load_project(root).require().version("2.1").changes
    for n, change in enumerate(changes, 1):
        assert f"\n{n}. {change}\n" in summary, change


def test_the_report_names_each_change_in_plain_words(report):
    md = report["md"]
    assert "The threshold counted incidents on separate occasions" in md
    assert "it now counts each qualifying complaint, as the Act reads" in md
    assert "New section “The Crime and Policing Act 2026” (in version 2.1 and later only)." in md
    assert "New section “A review by the Police and Crime Commissioner” (in version 2.1 and later only)." in md
    assert "New section “Data for the Secretary of State” (in version 2.1 and later only)." in md
    assert "The web address was https://www.derbyshirevictimservices.org; it is now " \
           "https://www.derbyshirevictimservices.co.uk." in md
    assert "- Erewash Borough Council:\n    - How long case files are kept was not recorded; it is now 6 years after " \
           "the case is closed." in md
    assert "- The Crime and Policing Act 2026 is described for the first time:" in md
    facts = md.split("## Facts still to be confirmed")[1].split("\n## ")[0]
    for who in ("Crime and Policing Act 2026", "A review by the Police and Crime Commissioner",
                "Anti-social behaviour data for the Secretary of State", "Erewash Borough Council: privacy notice",
                "Version 2.1 timescales"):
        assert f"**{who}.**" in facts, who
    assert "**Amber Valley Borough Council: privacy notice.**" not in facts, "unchanged facts are not listed again"
    assert "{{" not in md and "{%" not in md, "the report quotes words readers see, never template code"
    assert " → " not in md, "changes are said in sentences"


def test_a_changed_timescale_reads_as_a_sentence(report, tmp_path):
    repo = report["repo"]
    work = tmp_path / "copy"
    shutil.copytree(repo, work)
    criteria = work / "guidance" / "criteria.yml"
    head, block = criteria.read_text(encoding="utf-8").split('  "2.1":')
    criteria.write_text(head + '  "2.1":' + block.replace("acknowledge: {days: 5,", "acknowledge: {days: 7,", 1),
                        encoding="utf-8")
    run = run_ctkit("diff", "guidance-v2.0", ".", root=work)
    assert run.returncode == 0, run.stderr
    assert "The timescale for acknowledging an application was 5 working days from the date the application was " \
           "received; it is now 7 working days from the date the application was received." in run.stdout
    assert "from the application was received" not in run.stdout


def test_the_pdf_is_the_same_report_titled_tagged_en_gb_and_byte_identical(report):
    pdf = report["pdf"]
    document = pymupdf.open(stream=pdf, filetype="pdf")
    assert document.metadata["title"] == "Changes to the Derbyshire Community Trigger Practitioner Guidance: " \
                                         "version 2.0 to version 2.1"
    assert document.xref_get_key(document.pdf_catalog(), "Lang") == ("string", "en-GB")
    assert document.xref_get_key(document.pdf_catalog(), "StructTreeRoot")[0] == "xref", "tagged as the guidance PDF is"
    text = " ".join(" ".join(page.get_text().split()) for page in document)
    for words in ("Standing of each version", "Summary of the changes", "Facts still to be confirmed",
                  "The threshold counted incidents on separate occasions"):
        assert words in text, words
    footer = " ".join(document[-1].get_text().split())
    assert f"Page {len(document)}" in footer and "guidance-v2.0 compared with the files as they are now" in footer
    assert [entry[1] for entry in document.get_toc()][:3] == [
        "Changes to the Derbyshire Community Trigger Practitioner Guidance: version 2.0 to version 2.1",
        "Standing of each version", "Summary of the changes"]
    again = report["out"] / "again.pdf"
    assert run_ctkit("diff", "guidance-v2.0", ".", "-o", str(again), root=report["repo"]).returncode == 0
    assert again.read_bytes() == pdf


def test_a_report_name_that_is_neither_markdown_nor_pdf_is_refused(report):
    run = run_ctkit("diff", "guidance-v2.0", ".", "-o", str(report["out"] / "changes.docx"), root=report["repo"])
    assert run.returncode == 2
    assert "must end in .md (Markdown) or .pdf (PDF)" in run.stderr and "Traceback" not in run.stderr


def test_a_release_from_before_site_yml_and_the_councils_addresses_is_still_read(tmp_root):
    """The real 2.0 release (October 2020 sources) had no site.yml and no `site:` in the councils' files."""
    (tmp_root / "guidance" / "site.yml").unlink()
    schema = tmp_root / "schemas" / "council.schema.json"
    data = json.loads(schema.read_text(encoding="utf-8"))
    data["required"].remove("site")
    schema.write_text(json.dumps(data), encoding="utf-8")
    for council in (tmp_root / "guidance" / "councils").glob("*.yml"):
        text = council.read_text(encoding="utf-8")
        council.write_text(re.sub(r"(?ms)^site:\n(?:[ #].*?\n)*", "", text), encoding="utf-8")
        assert "\nsite:" not in council.read_text(encoding="utf-8")
    project = load_project(tmp_root, with_checks=False, missing_ok=True)
    assert project.errors == [] and project.guidance is not None
    assert describe_changes(project.guidance, load_project(ROOT).require(), "guidance-v2.0", ".")


def test_a_changed_paragraph_is_given_before_and_after_in_full_with_the_changed_words_marked(report):
    md = report["md"]
    threshold = md.split("### Threshold and qualifying complaints\n")[1].split("\n### ")[0]
    assert "**Paragraph reworded, in section “The threshold in Derbyshire”:**\n\n" \
           "Before: Under version <del>2.0</del> of this guidance, the threshold for a case review is met when there " \
           "have been at least 3 qualifying complaints about related incidents of anti-social <del>behaviour, on " \
           "separate occasions.</del> Each complaint must have been made within 1 month of the behaviour it " \
           "describes, and the application must be received within 6 months of the complaints.\n\n" \
           "After: Under version <ins>2.1</ins> of this guidance" in threshold
    assert "In words: “2.0” became “2.1”; “behaviour, on separate occasions.” became “behaviour.”." in threshold
    assert "Reworded: the paragraph beginning" not in md and "now reads “" not in md.split("## Forms")[1]


def test_criteria_and_timescales_are_a_table_of_both_versions(report):
    part = report["md"].split("## Threshold and timescales\n")[1].split("\n## ")[0]
    assert "| Figure | Before: version 2.0 | After: version 2.1 | Changed |" in part
    assert "| Threshold | 3 qualifying complaints | 3 qualifying complaints | no |" in part
    assert "| What the threshold counts | incidents on separate occasions (one incident reported to two " \
           "organisations counts once) | each qualifying complaint, as the Act reads (one incident reported to two " \
           "organisations counts twice) | **yes** |" in part
    assert "| Timescale for an appeal to reach the OPCC | 20 working days from the date of the decision letter | " \
           "20 working days from the date of the decision letter | no |" in part


def test_the_pdf_strikes_through_and_underlines_in_colour_and_says_each_change_in_words(report, pdftoppm):
    document = pymupdf.open(stream=report["pdf"], filetype="pdf")
    colours = {span["color"] for page in document for block in page.get_text("dict")["blocks"]
               for line in block.get("lines", []) for span in line["spans"]}
    assert {0x9B1C1C, 0x1B5E20} <= colours, "deleted words in dark red, inserted ones in dark green"
    text = " ".join(" ".join(page.get_text().split()) for page in document)
    assert "In words: “2.0” became “2.1”; “behaviour, on separate occasions.” became “behaviour.”." in text
    page = next(i for i, p in enumerate(document) if "Threshold and timescales" in p.get_text())
    subprocess.run([pdftoppm, "-r", "60", "-png", "-f", str(page + 1), "-l", str(page + 1), "-singlefile",
                    "-", str(report["out"] / "table")], input=report["pdf"], check=True)
    assert (report["out"] / "table.png").stat().st_size > 10_000
