"""A council's look on its site: colours anyone can read or the build stops, a logo that exists, a neutral default.

Fast: each test breaks a copy of the sources and runs the real `ctkit check` or `ctkit build`,
which stop before building anything.
"""
from __future__ import annotations

import re

from conftest import run_ctkit
from generator.project import load_project
from generator.site.identity import identity_of
from generator.templating import tel


def set_in(path, old: str, new: str) -> int:
    """Replace the first `old` in the file; return the 1-based line it was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_a_link_colour_too_pale_to_read_stops_check_and_build_naming_the_line(tmp_root, tmp_path):
    line = set_in(tmp_root / "guidance/councils/erewash.yml", 'link: "#005a5b"', 'link: "#7fb3b3"')
    for args in (["check"], ["build", "--council", "erewash", "--site-dir", str(tmp_path / "site")]):
        result = run_ctkit(*args, root=tmp_root)
        assert result.returncode == 1, result.stdout + result.stderr
        out = result.stdout + result.stderr
        assert re.search(rf"guidance/councils/erewash\.yml:{line}: the link colour \(#7fb3b3\) on the white page "
                         r"has a contrast of 2\.\d:1; WCAG 2\.2 AA needs at least 4\.5:1", out), out
        assert "Traceback" not in out
    assert not (tmp_path / "site" / "erewash").exists()


def test_white_header_text_on_a_light_header_is_refused_at_the_header_line(tmp_root):
    line = set_in(tmp_root / "guidance/councils/high-peak.yml", 'header: "#3d4f8f"', 'header: "#ffd54f"')
    result = run_ctkit("check", "--quiet", root=tmp_root)
    assert result.returncode == 1
    assert f"guidance/councils/high-peak.yml:{line}: the header text (#ffffff) on the header colour (#ffd54f)" \
        in result.stdout


def test_a_light_header_with_dark_text_is_accepted(tmp_root):
    path = tmp_root / "guidance/councils/high-peak.yml"
    set_in(path, 'header: "#3d4f8f"', 'header: "#ffd54f"\n  header_text: "#1a1a1a"')
    assert run_ctkit("check", "--quiet", root=tmp_root).returncode == 0
    guidance = load_project(tmp_root).require()
    css = identity_of(guidance, guidance.councils["high-peak"]).stylesheet
    assert "--md-primary-fg-color: #ffd54f;" in css and "--md-primary-bg-color: #1a1a1a;" in css


def test_the_neutral_look_is_checked_too(tmp_root):
    line = set_in(tmp_root / "guidance/site.yml", 'link: "#1f4e8c"', 'link: "#9ab0d0"')
    result = run_ctkit("check", "--quiet", root=tmp_root)
    assert result.returncode == 1 and f"guidance/site.yml:{line}: the link colour (#9ab0d0)" in result.stdout


def test_a_colour_that_is_not_hex_is_a_sentence_not_a_crash(tmp_root):
    line = set_in(tmp_root / "guidance/councils/erewash.yml", 'header: "#005a5b"', "header: teal")
    result = run_ctkit("check", "--quiet", root=tmp_root)
    assert result.returncode == 1
    assert f"guidance/councils/erewash.yml:{line}: colours → header is 'teal', which is not in the expected form " \
           "(a colour written as # and six hex digits" in result.stdout


def test_a_logo_file_that_is_missing_or_outside_the_councils_folder_is_refused(tmp_root):
    path = tmp_root / "guidance/councils/erewash.yml"
    line = set_in(path, "file: logos/erewash.svg", "file: logos/erewash-new.svg")
    result = run_ctkit("check", "--quiet", root=tmp_root)
    assert result.returncode == 1
    assert f"guidance/councils/erewash.yml:{line}: the logo file guidance/councils/logos/erewash-new.svg does not " \
           "exist" in result.stdout
    set_in(path, "file: logos/erewash-new.svg", "file: ../../forms/erewash.svg")
    (tmp_root / "forms" / "erewash.svg").write_text("<svg/>", encoding="utf-8")
    result = run_ctkit("check", "--quiet", root=tmp_root)
    assert f"guidance/councils/erewash.yml:{line}: the logo ../../forms/erewash.svg is outside guidance/councils/" \
        in result.stdout


def test_a_council_without_colours_or_logo_gets_the_neutral_look_and_no_logo(guidance):
    county = guidance.councils["derbyshire"]
    assert county.colours is None and county.logo is None
    identity = identity_of(guidance, county)
    neutral = guidance.site["colours"]
    assert f"--md-primary-fg-color: {neutral['header']};" in identity.stylesheet
    assert f"--ct-link: {neutral['link']};" in identity.stylesheet
    assert ".md-logo { display: none; }" in identity.stylesheet and identity.logo_path is None
    erewash = identity_of(guidance, guidance.councils["erewash"])
    assert erewash.logo_path == "assets/ctkit/logo.svg" and erewash.logo_alt == "Erewash Borough Council"
    assert erewash.stylesheet != identity.stylesheet


def test_phone_numbers_become_addresses_a_phone_can_dial():
    assert tel("0115 907 2244") == "tel:+441159072244"
    assert tel("01246 242424") == "tel:+441246242424"
    assert tel("0800 612 6505") == "tel:+448006126505"
    assert tel("999") == "tel:999" and tel("116 123") == "tel:116123"
