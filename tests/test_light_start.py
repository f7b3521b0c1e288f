"""A short command starts light: `ctkit validate` judges a file without importing the letters, reportlab or
the PDF renderers (they are loaded only when --letter asks for a letter), whether the build cache holds the
project already or not."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from casework_helpers import APPLICATION
from conftest import ROOT

#: Modules that only drawing a PDF, a letter or a Word document needs.
HEAVY = ("reportlab", "docx", "pikepdf", "generator.casework.letters", "generator.casework.letter_files",
         "generator.render.letter_pdf", "generator.render.form_pdf", "generator.render.markdown_pdf")

#: Runs validate as the `ctkit` script does, then lists the modules that were really run (a module Python's
#: LazyLoader has registered but nobody used yet is not run, so it does not count).
PROBE = """
import importlib.util, json, sys
from generator.cli import main
status = main(sys.argv[1:])
lazy = importlib.util._LazyModule
print(json.dumps({"status": status, "run": sorted(n for n, m in list(sys.modules.items())
                                               if m is not None and not isinstance(m, lazy))}))
"""


@pytest.mark.parametrize("cache", ["a cold cache", "a warm cache", "no cache"])
def test_validate_judges_a_file_without_importing_the_letters_or_reportlab(tmp_path, cache):
    application = tmp_path / "application.json"
    application.write_text(json.dumps(APPLICATION), encoding="utf-8")
    options = ["--no-cache"] if cache == "no cache" else ["--cache-dir", str(tmp_path / "cache")]
    env = {k: v for k, v in os.environ.items() if k != "CTKIT_DEBUG"} | {"PYTHONPATH": str(ROOT)}
    runs = 2 if cache == "a warm cache" else 1
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", PROBE, "--root", str(ROOT), *options, "validate",
                               str(application), "--format", "json"],
                              capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    *judged, probe = done.stdout.strip().splitlines()
    report = json.loads(probe)
    assert report["status"] == 0
    assert [j["decision"] for j in json.loads("\n".join(judged))] == ["threshold_met"]   # judged in full
    imported = [name for name in report["run"] if name.split(".")[0] in HEAVY or name in HEAVY]
    assert imported == []
