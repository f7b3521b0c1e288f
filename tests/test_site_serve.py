"""`ctkit serve`: a live preview of any council's site, that shows a broken source's `path:line` in the browser.

The preview runs as a real process (`python -m generator.cli serve`) on a free port, over a
copy of the sources that the test breaks and mends while a Chromium page watches.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_ctkit

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Preview:
    """`ctkit serve` in its own process, stopped (by its own pid) when the test ends."""

    def __init__(self, root: Path, *args: str):
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("CTKIT_DEBUG", "CTKIT_COUNCIL", "CTKIT_DRAFTS")}
        env.update(PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1")
        self.log = root / "serve.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator.cli", "--root", str(root), "serve", *args,
             "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=self.log.open("w"))
        self.url = f"http://127.0.0.1:{self.port}/"
        self.wait_for("Serving on")

    def wait_for(self, words: str, after: int = 0, timeout: float = 120) -> None:
        """Until the preview's log says `words` (counting only what it wrote after `after` characters)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if words in self.log.read_text(encoding="utf-8")[after:]:
                return
            assert self.process.poll() is None, self.log.read_text(encoding="utf-8")[-3000:]
            time.sleep(0.25)
        pytest.fail(f"the preview never said {words!r}:\n" + self.log.read_text(encoding="utf-8")[-3000:])

    def settled(self) -> None:
        """Until the PDFs the first build waited for are drawn and the site built again with them."""
        log = self.log.read_text(encoding="utf-8")
        if "ctkit: drawing" in log:
            self.wait_for("ctkit: the site was built", after=log.index("ctkit: drawing"))
            self.wait_for("Reloading browsers", after=log.index("ctkit: drawing"))

    def rebuilt_after(self, change) -> None:
        """Make a change to the sources and wait until the preview has built them again."""
        seen = len(self.log.read_text(encoding="utf-8"))
        change()
        self.wait_for("Documentation built", after=seen)
        self.wait_for("Reloading browsers", after=seen)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.mark.slow
def test_serve_previews_a_council_and_shows_a_broken_source_in_the_browser_until_it_is_fixed(tmp_root, browser):
    criteria = tmp_root / "guidance" / "criteria.yml"
    good = criteria.read_text(encoding="utf-8")
    line = good[: good.index("threshold: 3")].count("\n") + 1
    preview = Preview(tmp_root, "--council", "erewash")
    try:
        page = browser.new_page()
        page.goto(preview.url + "public/contacts/")
        assert "Erewash Borough Council" in page.locator(".md-header").inner_text()

        preview.rebuilt_after(lambda: criteria.write_text(good.replace("threshold: 3", 'threshold: "three"', 1),
                                                          encoding="utf-8"))
        # The open page reloads by itself (MkDocs' live reload), into the list of problems.
        page.locator("article h1", has_text="The preview cannot be built").wait_for(timeout=60000)
        shown = page.locator("article").inner_text()
        assert "The preview cannot be built: the sources have errors" in shown
        assert f"guidance/criteria.yml:{line}: versions → 1.0 → threshold should be a whole number, not 'three'" \
            in shown
        assert "Traceback" not in preview.log.read_text(encoding="utf-8")

        preview.rebuilt_after(lambda: criteria.write_text(good, encoding="utf-8"))
        page.locator("article h2", has_text="Phone number and address of this council").wait_for(timeout=60000)
        assert "Erewash Borough Council" in page.locator(".md-header").inner_text()
    finally:
        preview.stop()


@pytest.mark.slow
def test_a_saved_page_reloads_into_the_open_browser_page_and_only_that_page_is_built(tmp_root, browser):
    support = tmp_root / "guidance" / "public" / "support.md"
    text = support.read_text(encoding="utf-8")
    preview = Preview(tmp_root, "--council", "erewash")
    try:
        page = browser.new_page()
        page.goto(preview.url + "public/support/")
        preview.settled()
        seen = len(preview.log.read_text(encoding="utf-8"))
        support.write_text(text + "\nWords an editor saved just now.\n", encoding="utf-8")
        # MkDocs' live reload brings the open page back with the new words, without a click.
        page.locator("article", has_text="Words an editor saved just now.").wait_for(timeout=60000)
        after = preview.log.read_text(encoding="utf-8")[seen:]
        assert "guidance/public/support.md built again" in after and "Cleaning site directory" not in after, after
    finally:
        preview.stop()


@pytest.mark.slow
def test_serve_drafts_previews_the_newest_draft_marked_as_such(tmp_root, browser):
    assert run_ctkit("version", "new", "2.2", "--summary", "A test draft.", root=tmp_root).returncode == 0
    preview = Preview(tmp_root, "--council", "high-peak", "--drafts")
    try:
        page = browser.new_page()
        page.goto(preview.url)
        assert "This is a draft of version 2.2" in page.inner_text("body")
        assert "High Peak Borough Council" in page.locator(".md-header").inner_text()
    finally:
        preview.stop()
    assert not (tmp_root / "site").exists() and not (tmp_root / "site-drafts").exists()   # nothing written


def test_serve_names_the_councils_when_given_an_unknown_one():
    result = run_ctkit("serve", "--council", "narnia")
    assert result.returncode == 2
    assert "no council 'narnia'" in result.stderr and "erewash" in result.stderr


@pytest.mark.slow
def test_a_broken_preview_prints_the_problem_not_the_list_of_pages_missing_from_the_menu(tmp_root):
    """Issue 25: every failed preview build printed MkDocs' 30-line "not included in the nav" list."""
    criteria = tmp_root / "guidance" / "criteria.yml"
    good = criteria.read_text(encoding="utf-8")
    preview = Preview(tmp_root, "--council", "erewash")
    try:
        seen = len(preview.log.read_text(encoding="utf-8"))
        preview.rebuilt_after(lambda: criteria.write_text(good.replace("threshold: 3", 'threshold: "three"', 1),
                                                          encoding="utf-8"))
        after = preview.log.read_text(encoding="utf-8")[seen:]
        assert "guidance/criteria.yml:" in after and "should be a whole number" in after
        assert "not included in the \"nav\"" not in after, after
        assert len(after.splitlines()) < 15, after
    finally:
        preview.stop()


def _serve_until_it_stops(root: Path, *args: str, during_build=None, timeout: float = 180):
    """`ctkit serve` in its own process; `during_build` runs once it says it is building. Returns its log."""
    env = {k: v for k, v in os.environ.items() if k not in ("CTKIT_DEBUG", "CTKIT_COUNCIL", "CTKIT_DRAFTS")}
    env.update(PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1")
    log = root / "serve.log"
    with log.open("w") as handle:
        process = subprocess.Popen([sys.executable, "-m", "generator.cli", "--root", str(root), "serve", *args],
                                   cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=handle)
    try:
        end = time.monotonic() + timeout
        while during_build is not None and "Building documentation" not in log.read_text(encoding="utf-8"):
            assert process.poll() is None and time.monotonic() < end, log.read_text(encoding="utf-8")
            time.sleep(0.1)
        if during_build is not None:
            during_build()
        process.wait(timeout=max(end - time.monotonic(), 1))
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)
    return process.returncode, log.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_watched_folder_that_goes_away_is_named_not_called_a_port_problem(tmp_root):
    """Issue 26: any OSError read "could not start on ADDRESS … choose another address"."""
    extra = tmp_root / "extra-notes"
    extra.mkdir()
    with (tmp_root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("watch:\n  - extra-notes\n")
    status, log = _serve_until_it_stops(tmp_root, "--dev-addr", f"127.0.0.1:{free_port()}",
                                        during_build=extra.rmdir)
    assert status == 1, log
    assert "a folder the preview watches for changes does not exist" in log and str(extra) in log, log
    assert "choose another" not in log and "Traceback" not in log


def test_a_port_already_in_use_is_said_to_be_in_use(tmp_root):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status, log = _serve_until_it_stops(tmp_root, "--dev-addr", f"127.0.0.1:{port}")
    assert status == 1, log
    assert f"port {port} on 127.0.0.1 is already in use" in log and "--dev-addr 127.0.0.1:8001" in log, log
