"""Shared fixtures: the real project, temporary copies to break, and the external tools.

Browser and PDF-image tests need Debian's Chromium and poppler-utils. Locally they skip
with a loud reason when those are missing; in CI (CI=true) a missing tool is a failure.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("guidance", "forms", "schemas")
SOURCE_FILES = ("mkdocs.yml",)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


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


@pytest.fixture
def tmp_root(tmp_path: Path) -> Path:
    """A throwaway copy of the project's sources that a test may break."""
    dest = tmp_path / "project"
    dest.mkdir()
    for name in SOURCE_DIRS:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name)
    for name in SOURCE_FILES:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, dest / name)
    return dest


def run_ctkit(*args: str, root: Path | None = None, cwd: Path | None = None,
              timeout: int = 600) -> subprocess.CompletedProcess:
    """Run the real command line in a fresh process, as a user would."""
    cmd = [sys.executable, "-m", "generator.cli"]
    if root is not None:
        cmd += ["--root", str(root)]
    env = {k: v for k, v in os.environ.items() if k != "CTKIT_DEBUG"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(cmd + list(args), cwd=cwd or ROOT, capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.fixture
def ctkit():
    return run_ctkit


@pytest.fixture(scope="session")
def chromium() -> str:
    return need_tool("chromium", "the browser tests")


@pytest.fixture(scope="session")
def pdftoppm() -> str:
    return need_tool("pdftoppm", "the PDF-image tests")
