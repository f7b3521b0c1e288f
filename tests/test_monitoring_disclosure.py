"""An attacker with every published CSV tries to work out the hidden counts, and fails.

The attacker knows what any reader of the published figures knows: the county-wide CSV (every
council, every year, and the county total) and each council's own CSV, and the sums the table
obeys (a council's three kinds of applicant add up to its applications received; appeals upheld,
not upheld and pending to appeals received; decisions met and not met to the decisions timed; the
councils to the county total). They solve what they can: first one unknown at a time, then by
combining every equation (exact elimination). Written here independently of the kit's own code.
The same attacker, given figures with only the small counts hidden (the kit's old way), does
work some out: so the test can fail.
"""
from __future__ import annotations

import csv
import io
from fractions import Fraction
from pathlib import Path

import pytest

from generator.monitoring.figures import year_report, years_on_record
from generator.monitoring.figures_output import HIDDEN, csv_rows, to_csv
from generator.monitoring.publish import monitoring_page
from generator.monitoring.register import load_registers

DATA = Path(__file__).parent / "data" / "registers"
REGISTERS = sorted(DATA.glob("*.csv"))
BASES = ("basis_victim", "basis_on_behalf", "basis_partner_agency")
APPEALS = ("appeals_upheld", "appeals_not_upheld", "appeals_pending")


def read(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def equations(rows: list[dict]) -> list[tuple[dict, int]]:
    """({(year, area, column): coefficient}, constant) for every sum the published table obeys."""
    out = []
    years = sorted({r["year"] for r in rows})
    counts = [c for c in rows[0] if c not in ("year", "from", "to", "counted_to", "area", "area_name") and "median" not in c]
    for r in rows:
        y, a = r["year"], r["area"]
        out.append(({(y, a, c): 1 for c in BASES}, ("received", y, a)))
        out.append(({**{(y, a, c): 1 for c in APPEALS}, (y, a, "appeals_received"): -1}, 0))
        out.append(({(y, a, "threshold_met"): 1, (y, a, "to_decision_count"): -1}, ("minus_not_met", y, a)))
    for y in years:
        councils = [r["area"] for r in rows if r["year"] == y and r["area"] != "total"]
        for c in counts:
            out.append(({**{(y, a, c): 1 for a in councils}, (y, "total", c): -1}, 0))
    return out


def known_and_hidden(rows: list[dict]) -> tuple[dict, set]:
    known, hidden = {}, set()
    for r in rows:
        for c, v in r.items():
            if c in ("year", "from", "to", "counted_to", "area", "area_name") or "median" in c:
                continue
            key = (r["year"], r["area"], c)
            if v == HIDDEN:
                hidden.add(key)
            else:
                known[key] = int(v.lstrip("'"))
    return known, hidden


def constant(c, known: dict) -> int:
    if c == 0:
        return 0
    name, y, a = c
    return known[(y, a, "received")] if name == "received" else -known[(y, a, "threshold_not_met")]


def attack(rows: list[dict]) -> dict:
    """Every hidden cell the published figures fix, with its value."""
    known, hidden = known_and_hidden(rows)
    system = []
    for coefficients, c in equations(rows):
        rest = constant(c, known) - sum(k * known[cell] for cell, k in coefficients.items() if cell in known)
        unknown = {cell: k for cell, k in coefficients.items() if cell in hidden}
        if unknown:
            system.append((unknown, Fraction(rest)))
    found: dict = {}
    # 1. one unknown at a time, again and again (row sums, column sums, totals across councils)
    changed = True
    while changed:
        changed = False
        for unknown, rest in system:
            left = {cell: k for cell, k in unknown.items() if cell not in found}
            if len(left) == 1:
                (cell, k), = left.items()
                found[cell] = (rest - sum(k2 * found[c2] for c2, k2 in unknown.items() if c2 in found)) / k
                changed = True
    # 2. every equation at once: reduced row echelon form over the hidden cells
    cells = sorted(hidden)
    col = {cell: i for i, cell in enumerate(cells)}
    matrix = []
    for unknown, rest in system:
        row = [Fraction(0)] * (len(cells) + 1)
        for cell, k in unknown.items():
            row[col[cell]] = Fraction(k)
        row[-1] = rest
        matrix.append(row)
    r = 0
    for j in range(len(cells)):
        p = next((i for i in range(r, len(matrix)) if matrix[i][j] != 0), None)
        if p is None:
            continue
        matrix[r], matrix[p] = matrix[p], matrix[r]
        matrix[r] = [v / matrix[r][j] for v in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][j] != 0:
                matrix[i] = [a - matrix[i][j] * b for a, b in zip(matrix[i], matrix[r])]
        r += 1
    for row in matrix:
        nonzero = [j for j, v in enumerate(row[:-1]) if v != 0]
        if len(nonzero) == 1:
            found[cells[nonzero[0]]] = row[-1]
    return found


@pytest.fixture(scope="module")
def published(guidance):
    county = monitoring_page(guidance, None, REGISTERS)[1]["community-trigger-figures-derbyshire.csv"].decode()
    rows = read(county)
    pages = {}
    for council in sorted({r["area"] for r in rows} - {"total"}):
        name = f"community-trigger-figures-{council}.csv"
        pages[council] = read(monitoring_page(guidance, guidance.councils[council], REGISTERS)[1][name].decode())
    return rows, pages


def test_no_hidden_count_can_be_worked_out_from_every_published_csv(published):
    rows, pages = published
    known, hidden = known_and_hidden(rows)
    assert hidden, "the sample registers have small counts, so something must be hidden"
    council_rows = [r for page in pages.values() for r in page]
    assert all(r in rows for r in council_rows), "each council's CSV shows its rows exactly as the county CSV does"
    assert attack(rows) == {}


def test_the_same_attacker_works_out_counts_when_only_small_ones_are_hidden(guidance):
    """Primary suppression alone (what the kit published before): the attacker succeeds."""
    cases, problems = load_registers(REGISTERS, guidance)
    assert problems == []
    reports = [year_report(guidance, cases, y) for y in years_on_record(guidance, cases)]
    rows = read(to_csv(guidance, csv_rows(guidance, reports)))
    exact = {(r["year"], r["area"], c): r[c] for r in rows for c in r}
    below = guidance.monitoring["suppress_below"]
    for r in rows:
        for c, v in list(r.items()):
            if c not in ("received", "threshold_not_met", "reviews", "reviews_with_recommendations", "year", "from", "counted_to",
                         "to", "area", "area_name", "to_review_count") and "median" not in c and 0 < int(v) < below:
                r[c] = HIDDEN
    found = attack(rows)
    assert found, "primary suppression alone gives counts away"
    assert all(int(exact[cell]) == value for cell, value in found.items()), "and the attacker gets them right"


# -- issue 23: what bounds give away ------------------------------------------------------------------

HEADER = ("case_ref,council,received_on,basis,asb_types,hate_incident,assessment,decision,decision_on,review_on,"
          "recommendations,recommendations_to,appeal_received_on,appeal_result,acknowledged_on,decision_letter_on,"
          "outcome_letter_on")


def register(path: Path, council: str, prefix: str, types: list[str]) -> Path:
    """One case a type list, received in May 2025 (the year 2025-26, which is over), each still pending."""
    rows = [f"{prefix}-{n},{council},2025-05-{n + 1:02d},victim,{t},no,threshold_met,pending,,,,,,,,,"
            for n, t in enumerate(types, 1)]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_council_whose_other_types_are_0_does_not_give_away_anothers_hidden_count(tmp_path, guidance):
    """The issue's case: High Peak's 6 applications are all about noise (every other type 0, its 6 received
    published), Erewash has 2 about noise among 7, and the county total of noise is 8. Hiding Erewash's 2 and
    High Peak's 6 is not enough: every application names a type, so High Peak's noise is 6, and Erewash's
    8 - 6 = 2. A reader with every published CSV and those bounds must not be able to work out any hidden cell."""
    from disclosure_attack import worked_out

    registers = [register(tmp_path / "erewash.csv", "erewash", "E", ["noise", "noise"] + ["harassment"] * 5),
                 register(tmp_path / "high-peak.csv", "high-peak", "H", ["noise"] * 6)]
    county = read(monitoring_page(guidance, None, registers)[1]["community-trigger-figures-derbyshire.csv"].decode())
    rows = [r for r in county if r["year"] == "2025-26"]
    for council in ("erewash", "high-peak"):
        page = read(monitoring_page(guidance, guidance.councils[council], registers)[1]
                    [f"community-trigger-figures-{council}.csv"].decode())
        assert [r for r in page if r["year"] == "2025-26"] == [r for r in rows if r["area"] == council]
    cases, _ = load_registers(registers, guidance)
    exact = read(to_csv(guidance, csv_rows(guidance, [year_report(guidance, cases, years_on_record(guidance, cases)[0])])))
    truth = {(r["year"], r["area"], c): int(v) for r in exact for c, v in r.items()
             if c not in ("year", "from", "to", "counted_to", "area", "area_name") and "median" not in c}
    assert truth[("2025-26", "erewash", "asb_noise")] == 2 and truth[("2025-26", "total", "asb_noise")] == 8
    assert next(r for r in rows if r["area"] == "erewash")["asb_noise"] == HIDDEN
    assert worked_out(rows, HIDDEN, truth) == {}


@pytest.mark.slow
def test_the_reader_with_bounds_works_out_nothing_from_the_sample_registers(published, guidance):
    """The linear-programming reader of `disclosure_attack` over every year of the samples (a few seconds)."""
    from disclosure_attack import worked_out

    rows, _pages = published
    cases, _ = load_registers(REGISTERS, guidance)
    exact = read(to_csv(guidance, csv_rows(guidance, [year_report(guidance, cases, y)
                                                      for y in years_on_record(guidance, cases)])))
    truth = {(r["year"], r["area"], c): int(v) for r in exact for c, v in r.items()
             if c not in ("year", "from", "to", "counted_to", "area", "area_name") and "median" not in c}
    for year in sorted({r["year"] for r in rows}):
        assert worked_out([r for r in rows if r["year"] == year], HIDDEN, truth) == {}, year
