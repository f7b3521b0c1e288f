"""The figures as text for the SPOC, and as open-data CSV rows (exact, or suppressed for publishing).

The CSV is "wide": one row per area and year, every column named in
schemas/stats.schema.json (`$defs/csv_row`), so a spreadsheet or an open-data portal can
read it without a codebook. Published copies hide breakdown counts from 1 to
`suppress_below - 1`, and any other count from which a hidden one could be worked out
(`disclosure`), all shown alike as HIDDEN; the four statutory figures always show.
"""
from __future__ import annotations

from typing import Any

from ..dates import longdate
from ..loading.schemas import load_schema
from ..model import Guidance
from ..templating import process_names
from ..text_safety import csv_text
from .disclosure import cell_values, hidden_cells
from .figures import APPEAL_RESULTS, BASES, STATUTORY, TOTAL

#: How a published page and its CSV show a count that is hidden, whatever the reason.
HIDDEN = "not shown"

#: Names for people; the Act's four figures first.
LABELS = {
    "received": "Applications received",
    "threshold_not_met": "Applications where the threshold was not met",
    "reviews": "ASB case reviews carried out",
    "reviews_with_recommendations": "Case reviews that led to recommendations",
    "threshold_met": "Applications where the threshold was met",
    "withdrawn": "Applications withdrawn",
    "pending": "Applications still awaiting a decision",
    "hate_incidents": "Applications about a hate incident",
}
BASIS_LABELS = {"victim": "the victim", "on_behalf": "someone on the victim's behalf",
                "partner_agency": "a partner agency"}
APPEAL_LABELS = {"received": "Appeals received", "upheld": "Appeals upheld",
                 "not_upheld": "Appeals not upheld", "pending": "Appeals awaiting a result"}
TIMELINESS_LABELS = {"to_decision": "threshold decision", "to_review": "case review meeting"}


def asb_label(type_id: str) -> str:
    return type_id.replace("_", " ").capitalize()


def area_name(guidance: Guidance, area: str) -> str:
    if area == TOTAL:
        return f"{guidance.partnership.area} (all councils)"
    council = guidance.councils.get(area)
    return council.name if council else area


def fewer_than(guidance: Guidance) -> str:
    return f"fewer than {guidance.monitoring['suppress_below']}"


def shown_count(guidance: Guidance, value: int, suppress: bool) -> int | str:
    """A breakdown count as published: 1 to suppress_below - 1 become 'fewer than N'."""
    if suppress and 0 < value < guidance.monitoring["suppress_below"]:
        return fewer_than(guidance)
    return value


# -- CSV ----------------------------------------------------------------------------------------

def csv_columns(guidance: Guidance) -> list[str]:
    """The CSV header, in order: schemas/stats.schema.json ($defs/csv_row) is its one source."""
    return list(load_schema(guidance.root, "stats.schema.json")["$defs"]["csv_row"]["required"])


def median_shown(guidance: Guidance, t: dict, hidden: bool) -> Any:
    """A median tells about the cases behind it: shown only when their count is shown and not small."""
    if t["median_working_days"] is None:
        return ""
    return HIDDEN if hidden or t["count"] < guidance.monitoring["suppress_below"] else t["median_working_days"]


def csv_row(guidance: Guidance, year: dict, area: str, fig: dict, hidden: set[str] | None = None) -> dict[str, Any]:
    """One area's row; `hidden` names the columns to hide (None: the SPOC's exact figures)."""
    row: dict[str, Any] = {"year": year["year"], "from": year["from"], "to": year["to"],
                           "counted_to": year["counted_to"], "area": area, "area_name": area_name(guidance, area)}
    values = cell_values(guidance, fig)
    row.update({column: HIDDEN if hidden and column in hidden else n for column, n in values.items()})
    for key in TIMELINESS_LABELS:
        t = fig[key]
        row[f"{key}_median_working_days"] = ("" if t["median_working_days"] is None else t["median_working_days"]) \
            if hidden is None else median_shown(guidance, t, f"{key}_count" in hidden)
    return row


def csv_rows(guidance: Guidance, reports: list[dict], suppress: bool = False) -> list[dict[str, Any]]:
    rows = []
    for report in reports:
        hidden = hidden_cells(guidance, report) if suppress else None
        for area, fig in [*report["councils"].items(), (TOTAL, report["total"])]:
            cols = {column for a, column in hidden if a == area} if hidden is not None else None
            rows.append(csv_row(guidance, report, area, fig, cols))
    return rows


def to_csv(guidance: Guidance, rows: list[dict[str, Any]]) -> str:
    """The figures as CSV, the columns of the stats schema, every cell spreadsheet-safe."""
    columns = csv_columns(guidance)
    return csv_text(columns, ([row.get(c, "") for c in columns] for row in rows))


# -- text ---------------------------------------------------------------------------------------

def _timeliness_line(name: str, t: dict) -> str:
    if not t["count"]:
        return f"  Working days to the {name}: none in this year"
    limits = "/".join(str(d) for d in t["timescale_working_days"]) or "?"
    return (f"  Working days to the {name}: median {t['median_working_days']}; "
            f"{t['within_timescale']} of {t['count']} within the timescale of {limits} working days")


def area_text(guidance: Guidance, area: str, fig: dict) -> list[str]:
    lines = [area_name(guidance, area)]
    width = max(len(v) for v in LABELS.values()) + 2
    for key, label in LABELS.items():
        lines.append(f"  {label:<{width}}{fig[key]:>5}")
        if key == STATUTORY[-1]:
            lines.append("  " + "-" * (width + 5))
    lines.append("  Applied by: " + ", ".join(f"{BASIS_LABELS[b]} {fig['by_basis'][b]}" for b in BASES))
    types = [f"{asb_label(t).lower()} {n}" for t, n in fig["by_asb_type"].items() if n]
    lines.append("  Types of ASB: " + (", ".join(types) if types else "none"))
    appeals = fig["appeals"]
    lines.append(f"  {APPEAL_LABELS['received']}: {appeals['received']} ("
                 + ", ".join(f"{APPEAL_LABELS[r].split(' ', 1)[1]} {appeals[r]}" for r in APPEAL_RESULTS) + ")")
    for key, name in TIMELINESS_LABELS.items():
        lines.append(_timeliness_line(name, fig[key]))
    return lines


def to_text(guidance: Guidance, report: dict) -> str:
    from datetime import date
    span = f"{longdate(date.fromisoformat(report['from']))} to {longdate(date.fromisoformat(report['to']))}"
    lines = [f"{process_names(guidance)['title']} figures for {report['year']} ({span})"]
    if report["year_to_date"]:
        lines.append(f"Year to date: the year is not over, so these count only to "
                     f"{longdate(date.fromisoformat(report['counted_to']))}.")
    lines.append("")
    areas = [*report["councils"].items()]
    if len(areas) != 1:
        areas.append((TOTAL, report["total"]))
    for area, fig in areas:
        lines += area_text(guidance, area, fig) + [""]
    lines.append("Exact counts for the SPOC: published pages show breakdowns of 1 to "
                 f"{guidance.monitoring['suppress_below'] - 1} as '{fewer_than(guidance)}'.")
    return "\n".join(lines) + "\n"
