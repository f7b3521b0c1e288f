"""Disclosure control for published figures: no hidden count can be worked out from what is shown.

Breakdown counts from 1 to `suppress_below - 1` are hidden (primary suppression). Hiding them
alone is not enough: a council's applications by the victim are its applications received
(always published) less the other two bases, and a council's count is the whole area's total less
the other councils'. So more cells are hidden (secondary suppression) until no hidden cell is
fixed by the published figures: for each reporting year, every relation the table obeys is
written down, and a hidden cell is "worked out" when the relations fix its value. The
equations are solved together (exact rational elimination); then every equation and
inequality bounds each hidden cell in turn (a count is 0 or more, a breakdown of the
applications is at most their number, every application names a type of ASB), as a reader
would by hand. Bounds catch what elimination cannot: a council whose other types of ASB are
all 0 had as many noise cases as applications, and then the whole area's total gives away the
other council's noise count.

Every hidden cell is shown the same way, so a reader cannot tell which are small. One
pattern is worked out for the whole area's table and each council page shows its own row
of it, so putting the council pages beside the whole area's CSV gives nothing away either.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Iterable

from ..model import Guidance
from .figures import APPEAL_RESULTS, BASES, STATUTORY, TOTAL
from .register import asb_types

Cell = tuple[str, str]            # (area, column of the published CSV)


def public_columns() -> tuple[str, ...]:
    """Published in full: the Act's four figures, and the review count (the same number as `reviews`)."""
    return (*STATUTORY, "to_review_count")


def cell_values(guidance: Guidance, fig: dict) -> dict[str, int]:
    """The counts of one area's figures under their CSV column names."""
    values = {key: fig[key] for key in (*STATUTORY, "threshold_met", "withdrawn", "pending", "hate_incidents")}
    values.update({f"basis_{b}": fig["by_basis"][b] for b in BASES})
    values.update({f"asb_{t}": fig["by_asb_type"][t] for t in asb_types(guidance)})
    values["appeals_received"] = fig["appeals"]["received"]
    values.update({f"appeals_{r}": fig["appeals"][r] for r in APPEAL_RESULTS})
    for key in ("to_decision", "to_review"):
        values[f"{key}_count"] = fig[key]["count"]
        values[f"{key}_within_timescale"] = fig[key]["within_timescale"]
    return values


def relations(areas: list[str], columns: Iterable[str]) -> list[dict[Cell, int]]:
    """Every equation the table obeys, as {cell: coefficient} summing to 0.

    Within an area: the three bases add up to `received`; the three appeal results to the
    appeals received; decisions to the count of decisions timed (`threshold_met` plus the
    published `threshold_not_met`). Across areas: the councils add up to the whole area's total.
    """
    out: list[dict[Cell, int]] = []
    for area in areas:
        out.append({**{(area, f"basis_{b}"): 1 for b in BASES}, (area, "received"): -1})
        out.append({**{(area, f"appeals_{r}"): 1 for r in APPEAL_RESULTS}, (area, "appeals_received"): -1})
        out.append({(area, "threshold_met"): 1, (area, "threshold_not_met"): 1, (area, "to_decision_count"): -1})
    councils = [a for a in areas if a != TOTAL]
    if TOTAL in areas and councils:
        for column in columns:
            out.append({**{(c, column): 1 for c in councils}, (TOTAL, column): -1})
    return out


def limits(areas: list[str], columns: Iterable[str]) -> list[tuple[dict[Cell, int], int]]:
    """Every inequality a reader knows the table obeys, as ({cell: coefficient}, sum at least 0) (besides
    each count being 0 or more): a breakdown of the applications received is at most `received`, and
    every application names at least one type of ASB, so the types add up to `received` or more; the
    decisions within their timescale are at most those timed. With them a reader can pin a count that
    no equation fixes: a council whose other types are all 0 has as many noise cases as applications."""
    asb = [c for c in columns if c.startswith("asb_")]
    out: list[tuple[dict[Cell, int], int]] = []
    for area in areas:
        received = (area, "received")
        for column in (*asb, "hate_incidents"):
            out.append(({received: 1, (area, column): -1}, 0))
        out.append(({received: 1, (area, "withdrawn"): -1, (area, "pending"): -1}, 0))
        out.append(({**{(area, c): 1 for c in asb}, received: -1}, 0))
        for key in ("to_decision", "to_review"):
            out.append(({(area, f"{key}_count"): 1, (area, f"{key}_within_timescale"): -1}, 0))
    return out


def _echelon(hidden: list[Cell], equations: list[tuple[dict[Cell, Fraction], Fraction]]
             ) -> list[tuple[dict[Cell, Fraction], Fraction]]:
    """The equations over the hidden cells in reduced row echelon form (exact), each with its constant.
    Rows are kept sparse: each relation names a handful of cells, and so do most rows it leads to."""
    rows = [(dict(coefficients), rest) for coefficients, rest in equations if coefficients]
    done: list[tuple[dict[Cell, Fraction], Fraction]] = []
    for col in hidden:
        pivot = next((i for i, (row, _rest) in enumerate(rows) if row.get(col)), None)
        if pivot is None:
            continue
        row, rest = rows.pop(pivot)
        scale = row[col]
        row, rest = {c: v / scale for c, v in row.items()}, rest / scale

        def eliminate(other: dict[Cell, Fraction], other_rest: Fraction) -> tuple[dict[Cell, Fraction], Fraction]:
            factor = other.get(col)
            if not factor:
                return other, other_rest
            merged = dict(other)
            for c, v in row.items():
                value = merged.get(c, 0) - factor * v
                if value:
                    merged[c] = value
                else:
                    merged.pop(c, None)
            return merged, other_rest - factor * rest

        rows = [r for r in (eliminate(*r) for r in rows) if r[0]]
        done = [eliminate(*r) for r in done] + [(row, rest)]
    return done


def _extremes(coefficients: dict[Cell, Fraction], low: dict, high: dict) -> tuple[list, list]:
    """Each term's smallest and largest value (None: no limit) under the current bounds."""
    small, large = [], []
    for cell, k in coefficients.items():
        lo, hi = (low[cell], high[cell]) if k > 0 else (high[cell], low[cell])
        small.append(None if lo is None else k * lo)
        large.append(None if hi is None else k * hi)
    return small, large


def _rest(terms: list, i: int) -> Fraction | None:
    """The sum of every term but the i-th; None when another term has no limit."""
    unlimited = sum(1 for t in terms if t is None)
    if unlimited > 1 or (unlimited == 1 and terms[i] is not None):
        return None
    return sum((t for j, t in enumerate(terms) if j != i and t is not None), Fraction(0))


def _bounds(hidden: set[Cell], constraints: list[tuple[dict[Cell, Fraction], Fraction, Fraction | None]],
            rounds: int = 50) -> dict[Cell, tuple[int, int | None]]:
    """Each hidden cell's smallest and largest possible whole value (None: no upper limit), tightened from
    every constraint `low <= sum <= high` in turn until nothing changes: the reader's working by hand."""
    low: dict[Cell, int | None] = {cell: 0 for cell in hidden}
    high: dict[Cell, int | None] = {cell: None for cell in hidden}
    for _round in range(rounds):
        changed = False
        for coefficients, at_least, at_most in constraints:
            small, large = _extremes(coefficients, low, high)
            for i, (cell, k) in enumerate(coefficients.items()):
                rest_max, rest_min = _rest(large, i), _rest(small, i)
                # at_least - rest_max <= k * x <= at_most - rest_min
                below = at_least - rest_max if rest_max is not None else None
                above = at_most - rest_min if at_most is not None and rest_min is not None else None
                if k < 0:
                    below, above = above, below
                if below is not None and math.ceil(below / k) > low[cell]:
                    low[cell], changed = math.ceil(below / k), True
                if above is not None and (high[cell] is None or math.floor(above / k) < high[cell]):
                    high[cell], changed = math.floor(above / k), True
        if not changed:
            break
    return {cell: (low[cell], high[cell]) for cell in hidden}


def worked_out(hidden: set[Cell], values: dict[Cell, int], equations: list[dict[Cell, int]],
               inequalities: list[tuple[dict[Cell, int], int]] = ()) -> set[Cell]:
    """The hidden cells a reader of the published cells can work out exactly: by solving the equations
    together (exact elimination), then by bounding each cell with every equation and inequality."""
    order = sorted(hidden)
    system = []
    for equation in equations:
        unknown = {cell: Fraction(k) for cell, k in equation.items() if cell in hidden}
        if unknown:
            system.append((unknown, Fraction(-sum(k * values[c] for c, k in equation.items() if c not in hidden))))
    solved = _echelon(order, system)
    found = {next(iter(row)) for row, _rest in solved if len(row) == 1}
    constraints: list[tuple[dict[Cell, Fraction], Fraction, Fraction | None]] = [
        (row, rest, rest) for row, rest in system + solved]
    for coefficients, at_least in inequalities:
        unknown = {cell: Fraction(k) for cell, k in coefficients.items() if cell in hidden}
        if unknown:
            known = sum(k * values[c] for c, k in coefficients.items() if c not in hidden)
            constraints.append((unknown, Fraction(at_least - known), None))
    bounds = _bounds(hidden, constraints)
    # lo > hi: the table breaks an assumption (an application with no type of ASB); a reader would get it wrong
    return found | {cell for cell, (lo, hi) in bounds.items() if hi is not None and lo == hi}


def suppress(values: dict[Cell, int], equations: list[dict[Cell, int]], below: int,
             public: Iterable[str], inequalities: list[tuple[dict[Cell, int], int]] = ()) -> set[Cell]:
    """The cells to hide: the small ones, then the fewest more, smallest first, until none can be worked out."""
    public = set(public)
    hideable = {cell for cell in values if cell[1] not in public}
    # A cell the published figures fix whatever else is hidden (the types of ASB of a council with no
    # applications are all 0) protects nothing by being hidden, and would be worked out itself.
    hideable -= worked_out(hideable, values, equations, inequalities)
    hidden = {cell for cell in hideable if 0 < values[cell] < below}
    sums = [set(eq) for eq in equations]
    bounds = [set(c) for c, _ in inequalities]

    def partners(cells: Iterable[Cell], links: list[set[Cell]]) -> list[Cell]:
        """Cells not yet hidden that share a relation with any of `cells`, the smallest (not 0) first."""
        near = {c for cell in cells for link in links if cell in link for c in link if c in hideable and c not in hidden}
        return sorted(near, key=lambda c: (values[c] == 0, values[c], c))

    while True:
        exposed = worked_out(hidden, values, equations, inequalities)
        if not exposed:
            return hidden
        # A partner in a sum of a worked-out cell; failing that, in a bound; failing that, of any hidden cell
        # (the leak may run through one).
        choice = next((found[0] for links in (sums, bounds) for cell in sorted(exposed)
                       if (found := partners([cell], links))), None)
        choice = choice or next(iter(partners(hidden, sums + bounds)), None)
        if choice is None:
            return hidden  # everything that could be hidden is: nothing more can be done
        hidden.add(choice)


def hidden_cells(guidance: Guidance, report: dict[str, Any]) -> set[Cell]:
    """The cells of one year's report (`year_report`: councils and total) that publishing must hide.
    Worked out once per table in a run: every council's page and the whole area's CSV show the same pattern."""
    areas = {**report["councils"], TOTAL: report["total"]}
    values = {(area, column): n for area, fig in areas.items() for column, n in cell_values(guidance, fig).items()}
    key = (guidance.monitoring["suppress_below"], tuple(sorted(values.items())))
    if key not in _WORKED:
        columns = sorted({column for _area, column in values})
        _WORKED[key] = frozenset(suppress(values, relations(list(areas), columns), key[0], public_columns(),
                                          limits(list(areas), columns)))
    return set(_WORKED[key])


_WORKED: dict[tuple, frozenset[Cell]] = {}
