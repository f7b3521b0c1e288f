"""Publishing and previewing: `build --publish` refuses unconfirmed values, drafts never land on a live site.

The refusal is fast (it stops before building); the builds that succeed are marked slow.
"""
from __future__ import annotations

import re

import pytest

from conftest import run_ctkit
from generator.project import load_project


def test_publish_refuses_listing_every_value_still_marked_unconfirmed(project, tmp_path):
    """Every `verified: false` of every source, with its file and line: contacts, timescales, colours, addresses."""
    assert project.unconfirmed, "the real sources still have unconfirmed values"
    assert {p.path for p in project.unconfirmed} >= {"guidance/councils/erewash.yml", "guidance/criteria.yml"}
    assert any("colours is not yet confirmed" in p.message for p in project.unconfirmed)
    result = run_ctkit("build", "--all", "--publish", "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 1
    for problem in project.unconfirmed:
        assert f"{problem.path}:{problem.line}: {problem.message}" in result.stderr, problem
    count = len(project.unconfirmed)
    assert f"not published: {count} values shown on the sites are still marked 'verified: false'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_publish_and_drafts_cannot_be_asked_for_together(tmp_path):
    result = run_ctkit("build", "--publish", "--drafts", "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 2 and "not allowed with argument" in result.stderr


def confirm_everything(root) -> None:
    """What an editor does once every value is confirmed: delete each `verified: false` line."""
    for path in [root / "ctkit.yml", *root.glob("guidance/**/*.yml"), *root.glob("forms/*.yml")]:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^[ -]*verified: false\n", "", text)
        path.write_text(re.sub(r",\s*verified: false", "", text), encoding="utf-8")   # {days: 5, verified: false}


@pytest.mark.slow
def test_publish_builds_once_every_shown_value_is_confirmed(tmp_root, tmp_path):
    confirm_everything(tmp_root)
    assert load_project(tmp_root).unconfirmed == []
    result = run_ctkit("build", "--council", "erewash", "--publish", "--site-dir", str(tmp_path / "site"),
                       root=tmp_root)
    assert result.returncode == 0, result.stderr[-2000:]
    contacts = (tmp_path / "site" / "erewash" / "public" / "contacts" / "index.html").read_text(encoding="utf-8")
    assert "not yet confirmed" not in contacts


@pytest.mark.slow
def test_a_draft_is_built_into_its_own_folder_and_never_over_the_live_site(tmp_root):
    assert run_ctkit("version", "new", "2.2", "--summary", "A test draft.", root=tmp_root).returncode == 0
    live = run_ctkit("build", "--council", "erewash", root=tmp_root)
    assert live.returncode == 0, live.stderr[-2000:]
    live_home = (tmp_root / "site" / "erewash" / "index.html").read_bytes()
    draft = run_ctkit("build", "--council", "erewash", "--drafts", root=tmp_root)
    assert draft.returncode == 0, draft.stderr[-2000:]
    assert "Built 1 draft site" in draft.stdout and "site-drafts/erewash" in draft.stdout
    draft_home = (tmp_root / "site-drafts" / "erewash" / "index.html").read_text(encoding="utf-8")
    assert "This is a draft of version 2.2" in draft_home
    assert '<meta name="robots" content="noindex, nofollow">' in draft_home
    assert (tmp_root / "site" / "erewash" / "index.html").read_bytes() == live_home   # the live site is untouched
    assert "draft" not in live_home.decode("utf-8").split("<article", 1)[0].lower()
