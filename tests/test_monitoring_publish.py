"""The published monitoring page: statutory figures always shown, small breakdowns suppressed,
an accessible chart with the same numbers as the table beside it, and the CSV to download."""
from __future__ import annotations

import csv
import io
import json
from html import unescape
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown as md
import pytest
from jsonschema import Draft202012Validator

from generator.errors import Stop
from generator.project import load_project
from generator.monitoring.publish import monitoring_page
from conftest import without_locks

DATA = Path(__file__).parent / "data" / "registers"
REGISTERS = [DATA / "erewash.csv", DATA / "high-peak.csv"]
SVG = "{http://www.w3.org/2000/svg}"


def table_rows(page: str, caption_start: str) -> dict[str, list[str]]:
    """Row heading → cells of the table whose caption starts with `caption_start` (entities read as text:
    the figures' labels are escaped as Markdown text, so "(" arrives as "&#40;")."""
    page = unescape(page)
    table = re.search(r"<table[^>]*>\s*<caption>" + re.escape(caption_start) + r".*?</table>", page, re.S)
    assert table, f"no table captioned {caption_start!r}"
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table.group(0))
    return {head: re.findall(r"<td>(.*?)</td>", cells) for head, cells in rows}


def chart(page: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg.*?</svg>", page, re.S).group(0))


@pytest.fixture(scope="module")
def erewash_page(guidance):
    return monitoring_page(guidance, guidance.councils["erewash"], [DATA / "erewash.csv"])


def test_the_four_figures_are_shown_in_full_for_every_year_on_record(erewash_page):
    page, _files = erewash_page
    assert table_rows(page, "The four figures for each reporting year") == {
        "2024-25": ["2", "1", "0", "0"],
        "2025-26": ["8", "2", "3", "2"],   # 2 and 3 are under 5 but the Act's figures are never suppressed
        "2026-27 (year to date)": ["0", "1", "1", "1"],   # 2026-27 is not over (the tests run in it)
    }


def test_small_breakdowns_and_the_counts_that_would_give_them_away_are_not_shown(erewash_page):
    page, _files = erewash_page
    who = table_rows(page, "Who applied")
    # 2025-26: 8 received (published, as the Act requires): victim 5, on behalf 2, partner agency 1. Hiding
    # only 2 and 1 is enough: 8 - 5 leaves 3 for the two of them, which could be 2 + 1 or 1 + 2 or 3 + 0.
    assert who["Applications made by the victim"] == ["not shown", "5", "0"]
    assert who["Applications made by a partner agency"] == ["not shown", "not shown", "0"]
    # 2024-25: 2 received, both by the victim: hiding the 2 alone would leave it as 2 - 0 - 0.
    assert [who[k][0] for k in who] == ["not shown"] * 3
    timing = table_rows(page, "Timeliness")
    # 2025-26: 6 decisions, 4 met (hidden), so the count of 6 (= 4 met + 2 not met, published) is hidden too,
    # and with it the median of those 6 cases.
    assert timing["Median working days from receipt to the threshold decision"] == ["not shown"] * 3
    assert timing["Within the timescale for the threshold decision"] == ["not shown", "5", "not shown"]
    assert 'counts from 1 to 4 are "not shown"' in page and "cannot be worked out by adding up" in page


def test_the_suppression_limit_comes_from_monitoring_yml(tmp_root):
    without_locks(tmp_root)
    monitoring = tmp_root / "guidance" / "monitoring.yml"
    monitoring.write_text(monitoring.read_text().replace("suppress_below: 5", "suppress_below: 3"))
    guidance = load_project(tmp_root).require()
    page, files = monitoring_page(guidance, "erewash", [DATA / "erewash.csv"])
    assert table_rows(page, "Type of anti-social behaviour")["Noise"] == ["not shown", "3", "0"]
    assert table_rows(page, "Who applied")["Applications made by the victim"] == ["not shown", "5", "0"]
    assert 'counts from 1 to 2 are "not shown"' in page


def test_the_chart_is_accessible_and_holds_the_same_numbers_as_the_table(erewash_page):
    page, _files = erewash_page
    svg = chart(page)
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id and svg.find(f"{SVG}title").text.strip()
    assert svg.find(f"{SVG}desc").get("id") == desc_id
    values = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "ctkit-chart-value"]
    table = table_rows(page, "The four figures for each reporting year")
    assert values == [v for year in ("2024-25", "2025-26", "2026-27 (year to date)") for v in table[year]]
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    for year in table:
        assert year in labels
    assert "Applications received" in labels, "the legend names each colour in words"
    assert "2025-26: applications received 8, threshold not met 2" in svg.find(f"{SVG}desc").text


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_chart_colours_contrast_with_its_white_background(erewash_page):
    svg = chart(erewash_page[0])
    background = svg.find(f"{SVG}rect").get("fill")
    assert background == "#ffffff"
    for element in svg.iter():
        fill = element.get("fill")
        if fill and element is not svg.find(f"{SVG}rect"):
            ratio = 1.05 / (_luminance(fill) + 0.05)
            needed = 4.5 if element.tag == f"{SVG}text" else 3
            assert ratio >= needed, (element.tag, fill, ratio)


def test_the_page_works_offline_and_survives_markdown(erewash_page):
    page, _files = erewash_page
    assert not re.search(r"(src|href)=\"https?:", page)
    assert "@font-face" not in page and "<image" not in page and "<script" not in page
    html = md.markdown(page, extensions=["attr_list"])
    assert "<svg" in html and "&lt;svg" not in html and "&lt;table" not in html
    assert '<a href="community-trigger-figures-erewash.csv">' in html


def test_the_csv_download_has_every_year_suppressed_and_meets_its_schema(erewash_page):
    _page, files = erewash_page
    assert list(files) == ["community-trigger-figures-erewash.csv"]
    rows = list(csv.DictReader(io.StringIO(files["community-trigger-figures-erewash.csv"].decode("utf-8"))))
    assert [(r["year"], r["area"]) for r in rows] == [("2024-25", "erewash"), ("2025-26", "erewash"),
                                                     ("2026-27", "erewash")]
    assert [rows[1][k] for k in ("received", "threshold_not_met", "reviews", "reviews_with_recommendations")] \
        == ["8", "2", "3", "2"]
    assert (rows[1]["basis_victim"], rows[1]["basis_on_behalf"], rows[1]["asb_alcohol"]) == ("5", "not shown", "0")
    schema = json.loads((Path(__file__).parent.parent / "schemas" / "stats.schema.json").read_text())
    row_schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/csv_row"}
    validator = Draft202012Validator(row_schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for row in rows:
        assert list(validator.iter_errors(row)) == []


def test_a_council_page_shows_only_that_councils_cases(guidance):
    page, files = monitoring_page(guidance, guidance.councils["high-peak"], REGISTERS)
    assert table_rows(page, "The four figures for each reporting year")["2025-26"] == ["3", "1", "1", "1"]
    assert list(files) == ["community-trigger-figures-high-peak.csv"]


def test_the_lead_councils_page_aggregates_every_council(guidance):
    page, files = monitoring_page(guidance, None, REGISTERS)
    assert table_rows(page, "The four figures for each reporting year") == {
        "2024-25": ["3", "2", "0", "0"], "2025-26": ["11", "3", "4", "3"],
        "2026-27 (year to date)": ["0", "1", "2", "1"]}
    assert "The year 2026-27 is not over yet: its figures are for the year to date" in page
    assert table_rows(page, "The four figures for 2026-27 (year to date), council by council") == {
        "Erewash Borough Council": ["0", "1", "1", "1"], "High Peak Borough Council": ["0", "0", "1", "0"]}
    rows = list(csv.DictReader(io.StringIO(files["community-trigger-figures-derbyshire.csv"].decode())))
    assert [r["area"] for r in rows if r["year"] == "2025-26"] == ["erewash", "high-peak", "total"]
    assert monitoring_page(guidance, guidance.lead, REGISTERS)[0] == page


def test_no_register_means_no_figures_yet(guidance):
    page, files = monitoring_page(guidance, guidance.councils["bolsover"], [])
    assert "No figures are recorded yet for Bolsover District Council." in page
    assert files == {} and "<svg" not in page


def test_a_register_that_fails_its_check_publishes_nothing(tmp_path, guidance):
    bad = tmp_path / "erewash.csv"
    shutil.copy(DATA / "erewash.csv", bad)
    bad.write_text(bad.read_text().replace("TEST-EREW-007", "TEST-EREW-002"))
    with pytest.raises(Stop) as raised:
        monitoring_page(guidance, guidance.councils["erewash"], [bad])
    assert [str(p) for p in raised.value.problems] == [
        f"{bad.as_posix()}:8: the case reference 'TEST-EREW-002' is already used on line 3; "
        "each application has its own reference"]
