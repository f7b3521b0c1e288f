"""`ctkit check` as an editor meets it: clean on the repo, one located sentence per mistake."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import without_locks

LOCATED = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+): (?P<msg>.+)$")


def errors_of(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line and "warning:" not in line
            and not line.startswith("ctkit check:")]


def assert_one_located_error(result, path: str, line: int | None, *words: str) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    errors = errors_of(result)
    assert len(errors) == 1, errors
    message = errors[0]
    if line is None:
        assert message.startswith(f"{path}: "), message
    else:
        m = LOCATED.match(message)
        assert m, message
        assert (m["path"], int(m["line"])) == (path, line), message
    for word in words:
        assert word.lower() in message.lower(), message
    return message


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_no(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


def test_repository_sources_are_clean(ctkit):
    result = ctkit("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert errors_of(result) == []
    assert "clean" in result.stdout


def test_unconfirmed_values_are_listed_as_warnings_not_errors(ctkit):
    result = ctkit("check")
    warnings = [line for line in result.stdout.splitlines() if "warning:" in line]
    assert any(line.startswith("guidance/councils/erewash.yml:") and "not yet confirmed" in line for line in warnings)
    assert any(line.startswith("guidance/criteria.yml:") and "timescales" in line for line in warnings)
    assert result.returncode == 0


def test_yaml_syntax_error_is_located(ctkit, tmp_root):
    path = tmp_root / "guidance/criteria.yml"
    replace_in(path, "    threshold: 3", "    threshold: [3")
    assert_one_located_error(ctkit("check", root=tmp_root), "guidance/criteria.yml",
                             line_no(path, "threshold: [3"), "‘[’ on this line is not closed")


def test_wrong_type_is_named_in_words(ctkit, tmp_root):
    path = tmp_root / "guidance/criteria.yml"
    replace_in(path, "    threshold: 3", "    threshold: three")
    message = assert_one_located_error(ctkit("check", root=tmp_root), "guidance/criteria.yml",
                                       line_no(path, "threshold: three"), "whole number", "'three'")
    assert "threshold" in message


def test_missing_required_key_is_named(ctkit, tmp_root):
    path = tmp_root / "guidance/councils/erewash.yml"
    replace_in(path, "  postcode: DE7 5RP\n", "")
    assert_one_located_error(ctkit("check", root=tmp_root), "guidance/councils/erewash.yml",
                             line_no(path, "spoc:"), "postcode", "missing")


def test_unknown_key_suggests_the_right_spelling(ctkit, tmp_root):
    path = tmp_root / "guidance/criteria.yml"
    replace_in(path, "    threshold: 3", "    thresold: 3")
    assert_one_located_error(ctkit("check", root=tmp_root), "guidance/criteria.yml",
                             line_no(path, "thresold"), "unknown key 'thresold'", "did you mean 'threshold'")


def test_python_object_tag_is_refused_and_nothing_runs(ctkit, tmp_root, tmp_path):
    marker = tmp_path / "executed"
    path = tmp_root / "guidance/organisations.yml"
    replace_in(path, "police:\n  name: Derbyshire Constabulary",
               f"police:\n  name: !!python/object/apply:os.system ['touch {marker}']")
    assert_one_located_error(ctkit("check", root=tmp_root), "guidance/organisations.yml",
                             line_no(path, "python/object"), "not allowed")
    assert not marker.exists()


def test_template_variable_that_does_not_exist_is_located(ctkit, tmp_root):
    page = tmp_root / "guidance/public/typo-page.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("---\ntitle: A page\n---\n\nIntro.\n\nAt least {{ criteria.thresold }} complaints.\n",
                    encoding="utf-8")
    assert_one_located_error(ctkit("check", root=tmp_root), "guidance/public/typo-page.md", 7,
                             "criteria.thresold", "does not exist")


def test_council_referenced_but_missing(ctkit, tmp_root):
    without_locks(tmp_root)
    (tmp_root / "guidance/councils/derby-city.yml").unlink()
    path = tmp_root / "guidance/versions.yml"
    assert_one_located_error(ctkit("check", root=tmp_root), "guidance/versions.yml",
                             line_no(path, "council: derby-city"), "derby-city", "does not exist")


def test_empty_file_is_reported(ctkit, tmp_root):
    (tmp_root / "guidance/monitoring.yml").write_text("", encoding="utf-8")
    assert_one_located_error(ctkit("check", root=tmp_root), "guidance/monitoring.yml", None, "empty")


def test_huge_file_is_refused_before_reading(ctkit, tmp_root):
    path = tmp_root / "guidance/councils/erewash.yml"
    with path.open("a", encoding="utf-8") as f:
        f.write("# padding\n" * 5_000_000)  # 50 MB
    assert path.stat().st_size >= 50_000_000
    assert_one_located_error(ctkit("check", root=tmp_root), "guidance/councils/erewash.yml", None,
                             "50.0 MB", "not read")


def test_anchors_and_aliases_are_refused(ctkit, tmp_root):
    path = tmp_root / "guidance/organisations.yml"
    replace_in(path, "police:\n  name: Derbyshire Constabulary", "police: &p\n  name: Derbyshire Constabulary")
    replace_in(path, "board:\n  name: Derbyshire Safer Communities Board", "board: *p")
    assert_one_located_error(ctkit("check", root=tmp_root), "guidance/organisations.yml",
                             line_no(path, "board: *p"), "aliases")


@pytest.mark.parametrize("bad, words", [
    ("effective_from: 2020-13-01", ("not a real date",)),
    ("effective_from: 1 October 2020", ("not a date", "YYYY-MM-DD")),
])
def test_bad_dates_are_explained(ctkit, tmp_root, bad, words):
    path = tmp_root / "guidance/versions.yml"
    replace_in(path, "effective_from: 2020-10-01", bad)
    assert_one_located_error(ctkit("check", root=tmp_root), "guidance/versions.yml",
                             line_no(path, bad), *words)


def test_every_error_is_reported_in_one_run(ctkit, tmp_root):
    replace_in(tmp_root / "guidance/criteria.yml", "    threshold: 3", "    thresold: 3")
    replace_in(tmp_root / "guidance/councils/bolsover.yml", "kind: district", "kind: parish")
    result = ctkit("check", root=tmp_root)
    assert result.returncode == 1
    errors = errors_of(result)
    assert len(errors) == 2, errors
    assert any(e.startswith("guidance/councils/bolsover.yml:") and "parish" in e for e in errors)


def test_a_control_character_is_located_on_its_line(ctkit, tmp_root):
    path = tmp_root / "guidance" / "criteria.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] += " \x07"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ctkit("check", root=tmp_root)
    assert result.returncode == 1
    assert "guidance/criteria.yml:3: this line has a control character (U+0007)" in result.stdout
