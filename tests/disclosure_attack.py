"""A reader who tries to work out every hidden count of the published figures, with all they know.

Written for the tests, independently of the kit's own disclosure code. The reader has every
published CSV and knows what the figures mean: the sums the table obeys (the three kinds of
applicant add up to the applications received; appeal results to the appeals received;
decisions met and not met to the decisions timed; the councils to the county total) and the
bounds it obeys (a count is 0 or more; a breakdown of the applications received is at most
their number; every application names at least one type of ASB; decisions within their
timescale are at most those timed). For each hidden cell the reader asks a linear program
whether any other whole number is possible: if the cell can be neither one less nor one more
than it is, it is worked out. Exact arithmetic (fractions), Bland's rule: slow, but certain.
"""
from __future__ import annotations

from fractions import Fraction

NOT_COUNTS = ("year", "from", "to", "counted_to", "area", "area_name")


def _columns(rows: list[dict]) -> list[str]:
    return [c for c in rows[0] if c not in NOT_COUNTS and "median" not in c]


def relations(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """(equations, inequalities) over (year, area, column) cells: each {cell: coefficient}, = 0 or >= 0."""
    equations, inequalities = [], []
    columns = _columns(rows)
    asb = [c for c in columns if c.startswith("asb_")]
    for r in rows:
        y, a = r["year"], r["area"]

        def cell(c):
            return (y, a, c)

        equations.append({**{cell(b): 1 for b in ("basis_victim", "basis_on_behalf", "basis_partner_agency")},
                          cell("received"): -1})
        equations.append({**{cell(x): 1 for x in ("appeals_upheld", "appeals_not_upheld", "appeals_pending")},
                          cell("appeals_received"): -1})
        equations.append({cell("threshold_met"): 1, cell("threshold_not_met"): 1, cell("to_decision_count"): -1})
        for c in (*asb, "hate_incidents"):
            inequalities.append({cell("received"): 1, cell(c): -1})
        inequalities.append({cell("received"): 1, cell("withdrawn"): -1, cell("pending"): -1})
        inequalities.append({**{cell(c): 1 for c in asb}, cell("received"): -1})
        for key in ("to_decision", "to_review"):
            inequalities.append({cell(f"{key}_count"): 1, cell(f"{key}_within_timescale"): -1})
    for y in sorted({r["year"] for r in rows}):
        councils = [r["area"] for r in rows if r["year"] == y and r["area"] != "total"]
        for c in columns:
            equations.append({**{(y, a, c): 1 for a in councils}, (y, "total", c): -1})
    return equations, inequalities


def _feasible(n: int, equalities: list[tuple[list[Fraction], Fraction]],
              at_least: list[tuple[list[Fraction], Fraction]]) -> bool:
    """Is there x >= 0 (n of them) with each equality a.x = b and each a.x >= b? Phase one of the simplex."""
    rows = [(list(a), b) for a, b in equalities]
    surplus = len(at_least)
    rows = [(a + [Fraction(0)] * surplus, b) for a, b in rows]
    for i, (a, b) in enumerate(at_least):
        extra = [Fraction(0)] * surplus
        extra[i] = Fraction(-1)          # a.x - s = b, s >= 0
        rows.append((list(a) + extra, b))
    width = n + surplus
    tableau = []
    for a, b in rows:
        if b < 0:
            a, b = [-v for v in a], -b
        tableau.append(a + [b])
    m = len(tableau)
    # artificial variables, one a row, make the start feasible; minimise their sum
    for i, row in enumerate(tableau):
        art = [Fraction(0)] * m
        art[i] = Fraction(1)
        tableau[i] = row[:-1] + art + [row[-1]]
    basis = [width + i for i in range(m)]
    total = width + m
    cost = [Fraction(0)] * width + [Fraction(1)] * m + [Fraction(0)]
    for i in range(m):
        cost = [c - v for c, v in zip(cost, tableau[i])]
    while True:
        entering = next((j for j in range(total) if cost[j] < 0), None)
        if entering is None:
            break
        ratios = [(tableau[i][-1] / tableau[i][entering], basis[i], i) for i in range(m) if tableau[i][entering] > 0]
        if not ratios:
            break
        _r, _b, leave = min(ratios)
        pivot = tableau[leave][entering]
        tableau[leave] = [v / pivot for v in tableau[leave]]
        for i in range(m):
            if i != leave and tableau[i][entering] != 0:
                f = tableau[i][entering]
                tableau[i] = [v - f * w for v, w in zip(tableau[i], tableau[leave])]
        f = cost[entering]
        cost = [v - f * w for v, w in zip(cost, tableau[leave])]
        basis[leave] = entering
    return -cost[-1] == 0


def worked_out(rows: list[dict], hidden_word: str, truth: dict) -> dict:
    """Every hidden cell the published rows and the known relations fix, with its value. `truth` gives each
    cell's real value (the test knows it; the reader does not need it: a cell that can be neither one less nor
    one more than its real value is one the reader finds by minimising it)."""
    known, hidden = {}, []
    for r in rows:
        for c in _columns(rows):
            key = (r["year"], r["area"], c)
            if r[c] == hidden_word:
                hidden.append(key)
            else:
                known[key] = int(str(r[c]).lstrip("'"))
    index = {cell: i for i, cell in enumerate(hidden)}
    equations, inequalities = relations(rows)

    def linear(coefficients: dict) -> tuple[list[Fraction], Fraction]:
        a = [Fraction(0)] * len(hidden)
        rest = Fraction(0)
        for cell, k in coefficients.items():
            if cell in index:
                a[index[cell]] += k
            else:
                rest -= k * known[cell]
        return a, rest

    eqs = [(a, b) for a, b in map(linear, equations) if any(a)]
    ineqs = [(a, b) for a, b in map(linear, inequalities) if any(a) or b > 0]
    if any(not any(a) for a, _b in ineqs):
        return {cell: truth[cell] for cell in hidden}     # 0 >= b > 0: nothing is possible, so everything is "fixed"
    found = {}
    for cells, part_eqs, part_ineqs in _separate(len(hidden), eqs, ineqs):
        # The relations fall apart into groups that share no hidden cell (the columns of one year, mostly): the
        # whole system is feasible exactly when each group is, and a bound on one cell touches its group only.
        # So each cell is asked about within its group, a far smaller program than the whole; same answers.
        n = len(cells)
        if not _feasible(n, part_eqs, part_ineqs):
            return {cell: truth[cell] for cell in hidden}   # as the whole program would: no bound is possible
        for i, cell in enumerate(hidden[c] for c in cells):
            unit = [Fraction(0)] * n
            unit[i] = Fraction(1)
            value = truth[cell]
            if _feasible(n, part_eqs, part_ineqs + [([-u for u in unit], Fraction(-(value - 1)))]):
                continue                              # one less is possible: not worked out
            if not _feasible(n, part_eqs, part_ineqs + [(unit, Fraction(value + 1))]):
                found[cell] = value
    return found


def _separate(n: int, eqs: list, ineqs: list) -> list[tuple[list[int], list, list]]:
    """The relations in groups joined by the hidden cells they share: (cells, equations, inequalities) each,
    every row cut down to its group's cells (in that order)."""
    parent = list(range(n))

    def top(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, _b in eqs + ineqs:
        used = [j for j, v in enumerate(a) if v]
        for j in used[1:]:
            parent[top(j)] = top(used[0])
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(top(i), []).append(i)
    out = []
    for cells in groups.values():
        member = set(cells)

        def cut(rows: list) -> list:
            return [([a[j] for j in cells], b) for a, b in rows if any(a[j] for j in member)]
        out.append((cells, cut(eqs), cut(ineqs)))
    return out
