"""`ctkit version new` and `ctkit version approve`: an editor starts and approves a guidance version.

Every test runs the real command line on a throwaway copy of the sources and reads the
files back as an editor (and the kit) would.
"""
from __future__ import annotations

import datetime as dt

from generator.project import load_project

VERSIONS = "guidance/versions.yml"
CRITERIA = "guidance/criteria.yml"


def _read(root, rel):
    return (root / rel).read_text(encoding="utf-8")


def _block(text: str, key: str) -> list[str]:
    """The lines of one version's block in criteria.yml, without its key line."""
    lines = text.splitlines()
    start = lines.index(f'  "{key}":') + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith('  "')), len(lines))
    return [line for line in lines[start:end] if line.strip()]


def test_new_version_is_added_as_a_draft_keeping_every_comment_and_line(tmp_root, ctkit):
    versions_before, criteria_before = _read(tmp_root, VERSIONS), _read(tmp_root, CRITERIA)
    result = ctkit("version", "new", "2.2", "--summary", "Lowers the threshold after the 2026 review.", root=tmp_root)
    assert result.returncode == 0, result.stderr
    assert "draft" in result.stdout

    versions_after, criteria_after = _read(tmp_root, VERSIONS), _read(tmp_root, CRITERIA)
    assert versions_after.startswith(versions_before), "the existing entries and comments must be untouched"
    added = versions_after[len(versions_before):]
    assert '- version: "2.2"' in added and "status: draft" in added
    assert "summary: Lowers the threshold after the 2026 review." in added
    assert criteria_after.startswith(criteria_before)
    assert _block(criteria_after, "2.2") == _block(criteria_after, "2.1"), \
        "the new version starts with a copy of the newest criteria, comments included"
    assert "# qualifying complaints about related incidents" in "\n".join(_block(criteria_after, "2.2"))

    check = ctkit("check", "--quiet", root=tmp_root)
    assert check.returncode == 0, check.stdout + check.stderr


def test_new_version_must_be_higher_than_the_newest(tmp_root, ctkit):
    before = _read(tmp_root, VERSIONS)
    for number in ("2.1", "2.0", "0.5"):
        result = ctkit("version", "new", number, "--summary", "Something", root=tmp_root)
        assert result.returncode == 1
        assert f"version {number} is not higher than the newest version, 2.1" in result.stderr
        assert "Traceback" not in result.stderr
    assert _read(tmp_root, VERSIONS) == before


def test_version_numbers_are_two_numbers_with_a_dot(tmp_root, ctkit):
    before = _read(tmp_root, VERSIONS)
    for number in ("2.1.1", "three", "2"):
        result = ctkit("version", "new", number, "--summary", "Something", root=tmp_root)
        assert result.returncode == 1
        assert "is not a version number" in result.stderr
    assert _read(tmp_root, VERSIONS) == before


def test_a_broken_versions_file_is_reported_by_line_and_left_alone(tmp_root, ctkit):
    path = tmp_root / VERSIONS
    broken = path.read_text(encoding="utf-8").replace('status: approved\n    effective_from: 2020-10-01',
                                                       'status: aproved\n    effective_from: 2020-10-01')
    path.write_text(broken, encoding="utf-8")
    result = ctkit("version", "new", "2.2", "--summary", "Something", root=tmp_root)
    assert result.returncode == 1
    assert f"{VERSIONS}:" in result.stderr and "put right before the kit can edit it" in result.stderr
    assert path.read_text(encoding="utf-8") == broken


def test_a_draft_with_approvals_but_no_in_force_date_is_never_in_force(tmp_root, ctkit):
    assert ctkit("version", "new", "2.2", "--summary", "A draft", root=tmp_root).returncode == 0
    result = ctkit("version", "approve", "2.2", "--body", "Derbyshire ASB Sub-Group", "--on", "2026-05-14",
                   root=tmp_root)
    assert result.returncode == 0, result.stderr
    assert "still a draft" in result.stdout

    guidance = load_project(tmp_root).require()
    draft = guidance.version("2.2")
    assert draft.status == "draft" and draft.effective_from is None
    assert [(a.body, a.on) for a in draft.approvals] == [("Derbyshire ASB Sub-Group", dt.date(2026, 5, 14))]
    assert guidance.in_force_on(dt.date(2099, 1, 1)).version == "2.0"
    assert guidance.current().version == "2.0"
    assert guidance.current(include_drafts=True).version == "2.2"


def test_approving_with_an_in_force_date_makes_the_version_apply_from_that_day(tmp_root, ctkit):
    ctkit("version", "new", "2.2", "--summary", "A revision", root=tmp_root)
    before = _read(tmp_root, VERSIONS)
    steps = [("Derbyshire ASB Sub-Group", "2026-05-14", None), ("Safer Communities Core Group", "2026-06-04", None),
             ("Safer Communities Board", "2026-06-25", "2026-07-01")]
    for body, on, effective in steps:
        args = ["version", "approve", "2.2", "--body", body, "--on", on]
        args += ["--effective-from", effective] if effective else []
        result = ctkit(*args, root=tmp_root)
        assert result.returncode == 0, result.stderr
    assert "in force from 2026-07-01" in result.stdout

    text = _read(tmp_root, VERSIONS)
    assert text.startswith(before.split('  - version: "2.2"')[0]), "earlier versions and comments are untouched"
    assert "&id" not in text and "*id" not in text, "no YAML anchors or aliases are written"
    guidance = load_project(tmp_root).require()
    v = guidance.version("2.2")
    assert v.is_approved and v.effective_from == dt.date(2026, 7, 1) and v.date == dt.date(2026, 6, 25)
    assert [a.body for a in v.approvals] == [s[0] for s in steps]
    assert guidance.in_force_on(dt.date(2026, 6, 30)).version == "2.0"
    assert guidance.in_force_on(dt.date(2026, 7, 1)).version == "2.2"
    assert ctkit("check", "--quiet", root=tmp_root).returncode == 0


def test_approving_again_updates_that_body_s_date_instead_of_adding_it_twice(tmp_root, ctkit):
    ctkit("version", "new", "2.2", "--summary", "A revision", root=tmp_root)
    ctkit("version", "approve", "2.2", "--body", "Safer Communities Board", "--on", "2026-06-25", root=tmp_root)
    result = ctkit("version", "approve", "2.2", "--body", "safer communities board", "--on", "2026-06-26",
                   root=tmp_root)
    assert result.returncode == 0 and "Updated" in result.stdout
    v = load_project(tmp_root).require().version("2.2")
    assert [(a.body, a.on) for a in v.approvals] == [("Safer Communities Board", dt.date(2026, 6, 26))]


def test_approve_refuses_what_it_cannot_record_and_changes_nothing(tmp_root, ctkit):
    ctkit("version", "new", "2.2", "--summary", "A revision", root=tmp_root)
    before = _read(tmp_root, VERSIONS)
    cases = [
        (["2.3", "--body", "Board", "--on", "2026-06-25"], "there is no version 2.3"),
        (["2.2", "--body", "Board", "--on", "25th June"], "--on is not a date"),
        (["2.2", "--body", "Board", "--on", "2026-06-25", "--effective-from", "2019-01-01"],
         "before version 2.0"),
    ]
    for args, words in cases:
        result = ctkit("version", "approve", *args, root=tmp_root)
        assert result.returncode == 1, args
        assert words in result.stderr and "Traceback" not in result.stderr
    assert _read(tmp_root, VERSIONS) == before


def test_a_version_without_criteria_cannot_come_into_force(tmp_root, ctkit):
    ctkit("version", "new", "2.2", "--summary", "A revision", root=tmp_root)
    criteria = tmp_root / CRITERIA
    text = criteria.read_text(encoding="utf-8")
    criteria.write_text(text[: text.index('  "2.2":')], encoding="utf-8")
    result = ctkit("version", "approve", "2.2", "--body", "Board", "--on", "2026-06-25",
                   "--effective-from", "2026-07-01", root=tmp_root)
    assert result.returncode == 1
    assert "has no criteria" in result.stderr
    assert load_project(tmp_root).guidance.version("2.2").status == "draft"
