"""`ctkit version release`, `lock`, `adopt`, and `approve`'s warning (issue 25), in temporary git repositories.

CONTRIBUTING's tag step tagged without committing, so the tag named the old files and the report
then called a released version "a draft"; a council's adoption could not be recorded from the
command line; approving 2.2 with 2.1 still a draft passed in silence.
"""
from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from conftest import need_tool
from generator.project import load_project

APPROVALS = [("Derbyshire ASB Sub-Group", "2026-05-14"), ("Safer Communities Board", "2026-06-25")]


def _git(repo, *args, check=True):
    git = need_tool("git", "the release tests")
    return subprocess.run([git, "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
                          cwd=repo, check=check, capture_output=True, text=True)


@pytest.fixture
def repo(tmp_root):
    """The sources in a new git repository, committed, with an editor's name set as a real clone has it."""
    _git(tmp_root, "init", "-q")
    _git(tmp_root, "config", "user.name", "Editor")
    _git(tmp_root, "config", "user.email", "editor@example.invalid")
    (tmp_root / ".gitignore").write_text("site/\nsite-drafts/\n", encoding="utf-8")
    _git(tmp_root, "add", "-A")
    _git(tmp_root, "commit", "-q", "-m", "The sources as they are")
    return tmp_root


def _approve_2_2(ctkit, root) -> None:
    assert ctkit("version", "new", "2.2", "--summary", "Plainer words.", root=root).returncode == 0
    _git(root, "commit", "-q", "-a", "-m", "Start 2.2")
    for body, on in APPROVALS:
        extra = ["--effective-from", "2026-07-01"] if body == APPROVALS[-1][0] else []
        run = ctkit("version", "approve", "2.2", "--body", body, "--on", on, *extra, root=root)
        assert run.returncode == 0, run.stderr


def test_release_commits_the_version_and_tags_a_commit_whose_tree_holds_the_lock(ctkit, repo):
    _approve_2_2(ctkit, repo)
    assert _git(repo, "status", "--porcelain").stdout.strip() == "M guidance/versions.yml", "approvals not committed"

    run = ctkit("version", "release", "2.2", root=repo)
    assert run.returncode == 0, run.stderr
    assert "Released version 2.2 as guidance-v2.2" in run.stdout

    tree = _git(repo, "ls-tree", "-r", "--name-only", "guidance-v2.2").stdout.split()
    assert "guidance/releases/2.2.lock" in tree and "guidance/releases/2.0.lock" in tree
    released = _git(repo, "show", "guidance-v2.2:guidance/releases/2.2.lock").stdout
    assert released == (repo / "guidance" / "releases" / "2.2.lock").read_text(encoding="utf-8")
    assert "Taken at its release as guidance-v2.2" in released
    assert len([line for line in released.splitlines() if line.startswith("guidance/practitioner/")]) > 300
    versions = _git(repo, "show", "guidance-v2.2:guidance/versions.yml").stdout
    assert 'version: "2.2"\n    date: 2026-06-25\n    status: approved\n    effective_from: 2026-07-01' in versions
    assert _git(repo, "rev-parse", "guidance-v2.2^{commit}").stdout == _git(repo, "rev-parse", "HEAD").stdout
    assert _git(repo, "status", "--porcelain").stdout == "", "everything the release wrote is committed"
    message = _git(repo, "tag", "-l", "--format=%(contents)", "guidance-v2.2").stdout
    assert "Release guidance version 2.2, in force from 1 July 2026" in message
    assert "Safer Communities Board, 25 June 2026" in message

    run = ctkit("diff", "guidance-v2.2", ".", root=repo)
    assert run.returncode == 0, run.stderr
    assert "released as `guidance-v2.2` (version 2.2, approved, in force from 1 July 2026)" in run.stdout
    assert "a draft" not in run.stdout.split("## Summary")[0].split("compares")[1].split(" with ")[0]

    assert ctkit("check", "--quiet", root=repo).returncode == 0
    again = ctkit("version", "release", "2.2", root=repo)
    assert again.returncode == 1 and "already released as guidance-v2.2" in again.stderr


def test_release_refuses_a_dirty_tree_and_a_draft_and_tags_nothing(ctkit, repo):
    page = repo / "guidance" / "public" / "support.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nAn unfinished sentence\n", encoding="utf-8")
    run = ctkit("version", "release", "2.0", root=repo)
    assert run.returncode == 1
    assert "these files have changes that are not committed: guidance/public/support.md" in run.stderr
    _git(repo, "checkout", "--", "guidance/public/support.md")

    run = ctkit("version", "release", "2.1", root=repo)
    assert run.returncode == 1 and "version 2.1 is a draft" in run.stderr
    assert _git(repo, "tag", "--list").stdout == ""
    assert _git(repo, "status", "--porcelain").stdout == ""


def test_the_first_lock_is_taken_again_until_a_release_holds_it(ctkit, repo):
    spoc = repo / "guidance" / "practitioner" / "spoc.md"
    spoc.write_text(spoc.read_text(encoding="utf-8").replace("The idea is simple", "The idea is plain"),
                    encoding="utf-8")
    assert ctkit("check", "--quiet", root=repo).returncode == 1      # merged text that the lock does not hold
    run = ctkit("version", "lock", "2.0", root=repo)
    assert run.returncode == 0, run.stderr
    assert "Took again the first lock of version 2.0" in run.stdout
    lock = (repo / "guidance" / "releases" / "2.0.lock").read_text(encoding="utf-8")
    assert f"The first lock, taken on {dt.date.today().day} " in lock and "not the papers the committee saw" in lock
    assert ctkit("check", "--quiet", root=repo).returncode == 0
    assert "already matches" in ctkit("version", "lock", "2.0", root=repo).stdout

    _git(repo, "commit", "-q", "-a", "-m", "Merged; the first lock taken again")
    assert ctkit("version", "release", "2.0", root=repo).returncode == 0
    spoc.write_text(spoc.read_text(encoding="utf-8").replace("The idea is plain", "The idea is clear"),
                    encoding="utf-8")
    run = ctkit("version", "lock", "2.0", root=repo)
    assert run.returncode == 1
    assert "part of the release guidance-v2.0" in run.stderr and "ctkit version erratum 2.0" in run.stderr


def test_adopt_records_a_councils_adoption_in_its_file(ctkit, tmp_root):
    council = tmp_root / "guidance" / "councils" / "erewash.yml"
    before = council.read_text(encoding="utf-8")
    run = ctkit("version", "adopt", "2.0", "--council", "erewash", "--on", "2020-11-18", root=tmp_root)
    assert run.returncode == 0, run.stderr
    assert "Recorded that Erewash Borough Council adopted version 2.0 on 2020-11-18" in run.stdout
    after = council.read_text(encoding="utf-8")
    assert 'adopted:\n  version: "2.0"\n  on: 2020-11-18\nsite:' in after
    assert before.split("adopted:")[0] == after.split("adopted:")[0], "the rest of the file is as it was"
    guidance = load_project(tmp_root).require()
    assert guidance.council("erewash").adopted_on == dt.date(2020, 11, 18)
    assert ctkit("check", "--quiet", root=tmp_root).returncode == 0

    for args, words in ((("2.1", "--council", "erewash", "--on", "2026-01-05"), "version 2.1 is a draft"),
                        (("2.0", "--council", "erewash", "--on", "2019-01-05"), "before version 2.0 was approved"),
                        (("2.0", "--council", "narnia", "--on", "2021-01-05"), "no council 'narnia'")):
        run = ctkit("version", "adopt", *args, root=tmp_root)
        assert run.returncode in (1, 2) and words in run.stderr, run.stderr


def test_approving_a_version_warns_when_an_older_draft_is_still_open(ctkit, tmp_root):
    assert ctkit("version", "new", "2.2", "--summary", "Plainer words.", root=tmp_root).returncode == 0
    run = ctkit("version", "approve", "2.2", "--body", "Derbyshire ASB Sub-Group", "--on", "2026-05-14",
                root=tmp_root)
    assert run.returncode == 0
    assert "Recorded the approval of version 2.2" in run.stdout
    assert "Warning: version 2.1 is an older draft that is still open." in run.stderr
    run = ctkit("version", "approve", "2.1", "--body", "Derbyshire ASB Sub-Group", "--on", "2026-05-14",
                root=tmp_root)
    assert "Warning" not in run.stderr, "approving the older draft itself leaves nothing behind"
