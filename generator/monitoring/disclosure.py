"""Disclosure control for published figures: no hidden count can be worked out from what is shown.

Breakdown counts from 1 to `suppress_below - 1` are hidden (primary suppression). Hiding them
alone is not enough: a council's applications by the victim are its applications received
(always published) less the other two bases, and a council's count is the county total less
the other councils'. So more cells are hidden (secondary suppression) until no hidden cell is
fixed by the published figures: for each reporting year, every linear relation the table
obeys is written down, and a hidden cell is "worked out" when the relations fix its value
(exact rational elimination over the hidden cells, the attacker's best linear attack).

Every hidden cell is shown the same way, so a reader cannot tell which are small. One
pattern is worked out for the whole county table and each council page shows its own row
of it, so putting the council pages beside the county CSV gives nothing away either.
"""
from __future__ import annotations

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
    """Every equation the table obeys, as {cell: coefficient} summing to a published constant (or 0).

    Within an area: the three bases add up to `received`; the three appeal results to the
    appeals received; decisions to the count of decisions timed (`threshold_met` plus the
    published `threshold_not_met`). Across areas: the councils add up to the county total.
    """
    out: list[dict[Cell, int]] = []
    for area in areas:
        out.append({(area, f"basis_{b}"): 1 for b in BASES})
        out.append({**{(area, f"appeals_{r}"): 1 for r in APPEAL_RESULTS}, (area, "appeals_received"): -1})
        out.append({(area, "threshold_met"): 1, (area, "to_decision_count"): -1})
    councils = [a for a in areas if a != TOTAL]
    if TOTAL in areas and councils:
        for column in columns:
            out.append({**{(c, column): 1 for c in councils}, (TOTAL, column): -1})
    return out


def determined(hidden: set[Cell], equations: list[dict[Cell, int]]) -> set[Cell]:
    """The hidden cells whose value the equations fix: x_i is fixed when e_i lies in their row space,
    that is, when its column in the reduced row echelon form is a pivot whose row has no other entry."""
    order = sorted(hidden)
    index = {cell: i for i, cell in enumerate(order)}
    rows = [[Fraction(0)] * len(order) for _ in equations]
    for r, equation in enumerate(equations):
        for cell, coefficient in equation.items():
            if cell in index:
                rows[r][index[cell]] = Fraction(coefficient)
    rows = [row for row in rows if any(row)]
    pivots: list[tuple[int, int]] = []
    lead = 0
    for col in range(len(order)):
        pivot = next((r for r in range(lead, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[lead], rows[pivot] = rows[pivot], rows[lead]
        scale = rows[lead][col]
        rows[lead] = [v / scale for v in rows[lead]]
        for r in range(len(rows)):
            if r != lead and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[lead])]
        pivots.append((lead, col))
        lead += 1
    return {order[col] for r, col in pivots if sum(1 for v in rows[r] if v != 0) == 1}


def suppress(values: dict[Cell, int], equations: list[dict[Cell, int]], below: int,
             public: Iterable[str]) -> set[Cell]:
    """The cells to hide: the small ones, then the fewest more, smallest first, until none can be worked out."""
    public = set(public)
    hideable = {cell for cell in values if cell[1] not in public}
    hidden = {cell for cell in hideable if 0 < values[cell] < below}
    def partners(cells: Iterable[Cell]) -> list[Cell]:
        """Cells not yet hidden that share an equation with any of `cells`, the smallest (not 0) first."""
        near = {c for cell in cells for eq in equations if cell in eq for c in eq if c in hideable and c not in hidden}
        return sorted(near, key=lambda c: (values[c] == 0, values[c], c))

    while True:
        exposed = determined(hidden, equations)
        if not exposed:
            return hidden
        # A partner of a worked-out cell; failing that, of any hidden cell (the leak may run through one).
        choice = next((found[0] for cell in sorted(exposed) if (found := partners([cell]))), None)
        choice = choice or next(iter(partners(hidden)), None)
        if choice is None:
            return hidden  # everything that could be hidden is: nothing more can be done
        hidden.add(choice)


def hidden_cells(guidance: Guidance, report: dict[str, Any]) -> set[Cell]:
    """The cells of one year's report (`year_report`: councils and total) that publishing must hide."""
    areas = {**report["councils"], TOTAL: report["total"]}
    values = {(area, column): n for area, fig in areas.items() for column, n in cell_values(guidance, fig).items()}
    columns = sorted({column for _area, column in values})
    return suppress(values, relations(list(areas), columns), guidance.monitoring["suppress_below"], public_columns())
