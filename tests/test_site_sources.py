"""The website build refuses broken sources with `path:line` sentences, through MkDocs and ctkit."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import without_locks

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).parent / "mkdocs"


def mkdocs_build(project: Path, site: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CTKIT_DEBUG"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([str(MKDOCS), "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
                          cwd=project, capture_output=True, text=True, timeout=300, env=env)


def break_line(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in the file; return its 1-based line number."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def test_mkdocs_strict_build_stops_on_a_wrong_criteria_value_naming_file_and_line(tmp_root, tmp_path):
    line = break_line(tmp_root / "guidance" / "criteria.yml", "threshold: 3", 'threshold: "three"')
    result = mkdocs_build(tmp_root, tmp_path / "site")
    assert result.returncode != 0
    assert re.search(rf"guidance/criteria\.yml:{line}: ", result.stderr + result.stdout), result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_mkdocs_strict_build_stops_on_an_unknown_template_name_in_a_page(tmp_root, tmp_path):
    page = tmp_root / "guidance" / "index.md"
    line = break_line(page, "{{ council.name }}", "{{ council.nmae }}")
    result = mkdocs_build(tmp_root, tmp_path / "site")
    assert result.returncode != 0
    out = result.stderr + result.stdout
    assert f"guidance/index.md:{line}:" in out, out[-2000:]
    assert "council.nmae" in out


def test_ctkit_build_reports_source_errors_as_sentences_and_exits_1(tmp_root, tmp_path, ctkit):
    line = break_line(tmp_root / "guidance" / "councils" / "erewash.yml", "postcode: DE7 5RP", "postcode: [DE7]")
    result = ctkit("build", "--council", "erewash", "--site-dir", str(tmp_path / "site"), root=tmp_root)
    assert result.returncode == 1
    assert f"guidance/councils/erewash.yml:{line}:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "erewash").exists()


def test_ctkit_build_names_the_councils_when_given_an_unknown_one(tmp_path, ctkit):
    result = ctkit("build", "--council", "narnia", "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 2
    assert "no council 'narnia'" in result.stderr and "erewash" in result.stderr


def test_mkdocs_config_keeps_yaml_sources_out_and_makes_no_font_requests():
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^docs_dir: guidance$", text, re.M)
    assert re.search(r"^\s+font: false", text, re.M)
    assert "*.yml" in text and "councils/" in text


@pytest.mark.slow   # a whole site, with its PDFs: the full run (make test), not make check
def test_ctkit_build_alone_builds_the_county_site_with_figures_from_criteria_yml(tmp_root, tmp_path, ctkit):
    """Change the threshold once in criteria.yml: the checker and the pages follow (in a copy without the lock
    that would rightly refuse an unapproved change to version 2.0)."""
    text = (without_locks(tmp_root) / "guidance" / "criteria.yml").read_text(encoding="utf-8")
    current = text.rsplit('"2.0":', 1)
    (tmp_root / "guidance" / "criteria.yml").write_text(
        current[0] + '"2.0":' + current[1].replace("threshold: 3", "threshold: 2", 1), encoding="utf-8")
    result = ctkit("build", "--site-dir", str(tmp_path / "site"), root=tmp_root)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "[1/1] Derbyshire County Council" in result.stdout
    county = tmp_path / "site" / "derbyshire"
    checker = (county / "public" / "check-your-dates" / "index.html").read_text(encoding="utf-8")
    assert '"threshold": 2' in checker and "at least 2 qualifying complaints" in checker
    home = (county / "index.html").read_text(encoding="utf-8")
    assert "Derbyshire County Council" in home.split("<header", 1)[1].split("</header>", 1)[0]
    assert "at least 2 " in home and "at least 3 " not in home
    assert 'href="derbyshire/"' in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow   # a whole site, with its PDFs: the full run (make test), not make check
def test_plain_mkdocs_build_strict_builds_the_county_site_through_the_plugin(tmp_root, tmp_path):
    result = mkdocs_build(tmp_root, tmp_path / "site")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Derbyshire County Council" in home.split("<header", 1)[1].split("</header>", 1)[0]
    assert (tmp_path / "site" / "public" / "check-your-dates" / "index.html").exists()
    assert "{{" not in home
