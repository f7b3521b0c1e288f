"""Shared fixtures: the real project, temporary copies to break, and the external tools.

`run_ctkit` calls the real command line (`generator.cli.main`) in this process, exactly as
the `ctkit` script does, capturing what it prints; `in_process=False` starts a new process
where the process itself is what is tested (exit codes of the script, the MkDocs build).
Browser and PDF-image tests need Debian's Chromium and poppler-utils. Locally they skip
with a loud reason when those are missing; in CI (CI=true) a missing tool is a failure.
"""
from __future__ import annotations

import collections
import contextlib
import functools
import http.server
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from generator import cli
from generator.build_cache import BuildCache
from generator.render import pdf_cache

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("guidance", "forms", "schemas")
SOURCE_FILES = ("ctkit.yml", "mkdocs.yml")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# The build cache (generator/build_cache.py) of a test run is its own, never the user's ~/.cache/ctkit: a test
# must neither be helped by PDFs an earlier run left there nor leave any behind. One folder per run, made by
# the process that starts it (pytest, or xdist's controller) and removed when it ends; the xdist workers it
# starts inherit it (PYTEST_XDIST_WORKER is set in a worker before this file is read), so a PDF one worker
# drew is not drawn again by the other, and every `ctkit` a test starts inherits it too. Tests of the cache
# give their own --cache-dir.
RUN_CACHE = "CTKIT_TEST_RUN_CACHE"
if not (os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get(RUN_CACHE)):
    _TEST_CACHE = tempfile.TemporaryDirectory(prefix="ctkit-test-cache-")
    os.environ[RUN_CACHE] = _TEST_CACHE.name
os.environ["XDG_CACHE_HOME"] = os.environ[RUN_CACHE]


def need_tool(path_or_name: str, why: str) -> str:
    """The tool's path; skip loudly without it, or fail in CI where it must be present."""
    found = shutil.which(path_or_name)
    if found:
        return found
    message = f"{path_or_name} is not installed, so {why} cannot run (apt-get install it; CI installs it)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip("SKIPPED LOUDLY: " + message)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def project():
    """The real sources, loaded and checked once for the session."""
    from generator.project import load_project
    return load_project(ROOT)


@pytest.fixture(scope="session")
def guidance(project):
    return project.require()


def drawn_form(guidance, form_id: str, council=None) -> bytes:
    """A blank form of the real project (default: the lead council's; the version a build publishes), as a
    build draws it: through the test run's build cache (render/pdf_cache.py), so a form that a build or another
    module of this run drew is not drawn again. Only for the sources as they are: a test that changes them, or
    that tests the drawing itself, calls render_form_pdf."""
    return pdf_cache.form_pdf(BuildCache.at(None), guidance.forms[form_id], guidance, council or guidance.lead,
                              guidance.current())


def drawn_guidance(guidance, council=None) -> bytes:
    """The practitioner guidance of the real project (default: the lead's), through the run's cache (as drawn_form)."""
    return pdf_cache.guidance_pdf(BuildCache.at(None), guidance, council or guidance.lead, guidance.current())


def copy_sources(dest: Path) -> Path:
    """Copy the project's sources (SOURCE_DIRS and SOURCE_FILES) into the existing folder `dest`."""
    for name in SOURCE_DIRS:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name)
    for name in SOURCE_FILES:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, dest / name)
    return dest


def without_locks(root: Path) -> Path:
    """The copy as a project whose versions carry no lock (as before a first `ctkit version lock`). For tests of
    how one figure, label or setting flows into every output of the version in force: the lock of 2.0 rightly
    refuses such a change unless it is approved (tests/test_approved_text.py tests that)."""
    shutil.rmtree(root / "guidance" / "releases", ignore_errors=True)
    return root


@pytest.fixture
def tmp_root(tmp_path: Path) -> Path:
    """A throwaway copy of the project's sources that a test may break."""
    dest = tmp_path / "project"
    dest.mkdir()
    return copy_sources(dest)


@contextlib.contextmanager
def _working_dir(path: Path):
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def run_ctkit(*args: str, root: Path | None = None, cwd: Path | None = None, timeout: int = 600,
              in_process: bool = True) -> subprocess.CompletedProcess:
    """Run the real command line as a user would: `ctkit [--root ROOT] ARGS...` from `cwd`."""
    argv = (["--root", str(root)] if root is not None else []) + [str(a) for a in args]
    if not in_process:
        env = {k: v for k, v in os.environ.items() if k != "CTKIT_DEBUG"}
        env["PYTHONPATH"] = str(ROOT)
        return subprocess.run([sys.executable, "-m", "generator.cli", *argv], cwd=cwd or ROOT,
                              capture_output=True, text=True, timeout=timeout, env=env)
    out, err = io.StringIO(), io.StringIO()
    debug = os.environ.pop("CTKIT_DEBUG", None)
    try:
        with _working_dir(cwd or ROOT), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = cli.main(argv)
            except SystemExit as exit_:  # argparse's usage errors
                status = exit_.code if isinstance(exit_.code, int) else 2
    finally:
        if debug is not None:
            os.environ["CTKIT_DEBUG"] = debug
    return subprocess.CompletedProcess(["ctkit", *argv], status, out.getvalue(), err.getvalue())


@pytest.fixture
def ctkit():
    return run_ctkit


@pytest.fixture(scope="session")
def chromium() -> str:
    return need_tool("chromium", "the browser tests")


#: Debian's Chromium, quiet and offline: no first-run pages, no updates, no sync, no QUIC.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser(chromium):
    """One Chromium for the whole session: Playwright's sync API runs once per process, so every
    browser test shares this one (a second `sync_playwright()` in the same worker fails)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def erewash_site(tmp_path_factory) -> dict:
    """One `ctkit build --council erewash` (the real command line) for a test session's browser tests:
    the built site's folder, and what the command printed."""
    folder = tmp_path_factory.mktemp("erewash-site")
    result = run_ctkit("build", "--council", "erewash", "--site-dir", str(folder))
    assert result.returncode == 0, result.stderr[-3000:]
    return {"site": folder / "erewash", "stdout": result.stdout}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D102 - keep the test output readable
        pass


@pytest.fixture(scope="session")
def erewash_url(erewash_site) -> str:
    """That site served from 127.0.0.1, at the root of the address (its pages link relatively)."""
    handler = functools.partial(_QuietHandler, directory=str(erewash_site["site"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def pdftoppm() -> str:
    return need_tool("pdftoppm", "the PDF-image tests")


#: Fixtures that mean a test needs an outside tool, and the marker it then carries.
TOOL_MARKERS = {"chromium": "browser", "browser": "browser", "pdftoppm": "pdf"}


def pytest_collection_modifyitems(config, items):
    """Mark each test by what it really uses, so `-m "not browser"` leaves out exactly those. Then put the
    modules with the most browser or slow tests first (each module's tests in their order): xdist hands out
    whole modules in this order (the Makefile's --dist loadfile --no-loadscope-reorder), so the long ones start
    at once, one per worker, and the short ones fill the gaps, instead of the long browser modules (few tests
    each) starting last, side by side, while nothing else is left."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for fixture, marker in TOOL_MARKERS.items():
            if fixture in used:
                item.add_marker(getattr(pytest.mark, marker))
    heavy = collections.Counter(item.path for item in items
                                if item.get_closest_marker("browser") or item.get_closest_marker("slow"))
    items.sort(key=lambda item: -heavy[item.path])
