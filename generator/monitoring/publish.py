"""The published monitoring page: the four statutory figures for every year on record.

The website build calls `monitoring_page` for each council site (its own register) and
for the lead's site, which covers the whole area (every register). The four figures the Act requires are always
shown; breakdowns from 1 to `suppress_below - 1` are shown as "fewer than N" so no one
can be identified. A register that fails its check publishes nothing: the problems go
back to the build as a Stop, located at `file:line`.
"""
from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path
from typing import Any

from ..errors import Stop
from ..model import Council, Guidance
from ..templating import process_names
from .chart import chart_svg, render
from .figures import APPEAL_RESULTS, BASES, STATUTORY, TOTAL, year_report, years_on_record
from .disclosure import cell_values, hidden_cells
from .figures_output import (APPEAL_LABELS, BASIS_LABELS, HIDDEN, LABELS, TIMELINESS_LABELS, area_name, asb_label,
                             csv_rows, median_shown, to_csv)
from .register import asb_types, load_registers

SHORT_LABELS = {
    "received": "Applications received",
    "threshold_not_met": "Threshold not met",
    "reviews": "Case reviews carried out",
    "reviews_with_recommendations": "Reviews with recommendations",
}


def _area(council: Council | str | None, guidance: Guidance) -> Council | None:
    if isinstance(council, str):
        return guidance.councils[council]
    return None if council is None or council.id == guidance.lead.id else council


def _breakdown(guidance: Guidance, figures: list[dict], hidden: list[set[str]]) -> list[tuple[str, list[tuple[str, list[Any]]]]]:
    """The detail tables in reading order: (caption, [(row label, values per year)])."""
    groups: dict[str, list[tuple[str, list[Any]]]] = {}
    for group, label, values in _breakdown_rows(guidance, figures, hidden):
        groups.setdefault(group, []).append((label, values))
    return list(groups.items())


def _breakdown_rows(guidance: Guidance, figures: list[dict], hidden: list[set[str]]) -> list[tuple[str, str, list[Any]]]:
    """(group, label, values per year) for the detail tables; `hidden` names each year's hidden columns."""
    values = [cell_values(guidance, f) for f in figures]

    def counts(column: str) -> list[Any]:
        return [HIDDEN if column in h else v[column] for v, h in zip(values, hidden)]

    rows: list[tuple[str, str, list[Any]]] = []
    for key in ("threshold_met", "withdrawn", "pending", "hate_incidents"):
        rows.append(("Applications", LABELS[key], counts(key)))
    for basis in BASES:
        rows.append(("Who applied", f"Applications made by {BASIS_LABELS[basis]}", counts(f"basis_{basis}")))
    for asb in asb_types(guidance):
        if any(f["by_asb_type"][asb] for f in figures):
            rows.append(("Type of anti-social behaviour", asb_label(asb), counts(f"asb_{asb}")))
    for key in ("received", *APPEAL_RESULTS):
        rows.append(("Appeals", APPEAL_LABELS[key], counts(f"appeals_{key}")))
    for key, name in TIMELINESS_LABELS.items():
        medians = [("none" if not f[key]["count"] else median_shown(guidance, f[key], f"{key}_count" in h))
                   for f, h in zip(figures, hidden)]
        rows.append(("Timeliness", f"Median working days from receipt to the {name}", medians))
        rows.append(("Timeliness", f"Within the timescale for the {name}", counts(f"{key}_within_timescale")))
    return rows


def year_shown(report: dict) -> str:
    """'2025-26', or '2026-27 (year to date)' while the year is not over: never read as a whole year."""
    return f"{report['year']} (year to date)" if report["year_to_date"] else report["year"]


def _day_and_month(day: dt.date) -> str:
    return f"{day.day} {calendar.month_name[day.month]}"


def _year_span(guidance: Guidance) -> tuple[str, str]:
    """('1 April', '31 March') for the configured reporting year."""
    start = guidance.monitoring["reporting_year_start"]
    first = dt.date(2001, start["month"], start["day"])
    return _day_and_month(first), _day_and_month(first - dt.timedelta(days=1))


def _published_on(guidance: Guidance, council: Council | None) -> list[str]:
    names = {"council": council.name if council else "the councils",
             **{key: org.get("short_name") or org["name"] for key, org in guidance.organisations.items()
                if key in ("partnership", "opcc")}}
    return [names[where] for where in guidance.monitoring["published_on"] if where in names]


def slug(text: str) -> str:
    """'Community Trigger' -> 'community-trigger': a name as part of a file name."""
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split()) or "figures"


def monitoring_page(guidance: Guidance, council: Council | str | None,
                    registers: list[Path]) -> tuple[str, dict[str, bytes]]:
    """Markdown for the monitoring page, and the files it links to (CSV name → bytes).

    `council` None (or the lead) means the page for the whole area, over every register.
    """
    area = _area(council, guidance)
    cases, problems = load_registers(registers, guidance)
    if problems:
        raise Stop(problems)
    area_id = area.id if area else TOTAL
    years = years_on_record(guidance, [c for c in cases if area is None or c.council == area.id])
    # Every council's figures, so that each page hides the same cells as the whole area's CSV.
    councils = sorted({c.council for c in cases})
    reports = [year_report(guidance, cases, y, councils) for y in years]
    hidden = [{column for a, column in hidden_cells(guidance, r) if a == area_id} for r in reports]
    figures = [r["councils"][area_id] if area else r["total"] for r in reports]
    name = area.name if area else area_name(guidance, TOTAL)

    files: dict[str, bytes] = {}
    called = process_names(guidance)["title"]
    csv_name = f"{slug(called)}-figures-{area.id if area else guidance.lead.id}.csv"
    if reports:
        rows = csv_rows(guidance, reports, suppress=True)
        if area is not None:
            rows = [r for r in rows if r["area"] == area.id]
        files[csv_name] = to_csv(guidance, rows).encode("utf-8")

    labels = [SHORT_LABELS[k] for k in STATUTORY]
    shown_years = [year_shown(r) for r in reports]
    series = [(y, [f[k] for k in STATUTORY]) for y, f in zip(shown_years, figures)]
    chart = None
    if reports:
        summary = "; ".join(f"{year}: " + ", ".join(f"{label.lower()} {v}" for label, v in zip(labels, values))
                            for year, values in series)
        chart = chart_svg(f"ctkit-monitoring-{area_id}", f"{called} figures by year, {name}",
                          summary, labels, series)
    latest = reports[-1] if reports else None
    by_council = []
    if area is None and latest is not None:
        by_council = [(area_name(guidance, cid), [f[k] for k in STATUTORY]) for cid, f in latest["councils"].items()]
    markdown = render(
        "figures-page.md.j2", called=called, name=name, area=area, years=shown_years, series=series,
        unfinished=next(({"year": r["year"], "counted_to": dt.date.fromisoformat(r["counted_to"]),
                          "to": dt.date.fromisoformat(r["to"])} for r in reports if r["year_to_date"]), None),
        latest_shown=year_shown(latest) if latest else "",
        labels=labels, long_labels=[LABELS[k] for k in STATUTORY], chart=chart, csv_name=csv_name if files else None,
        breakdown=_breakdown(guidance, figures, hidden) if figures else [], latest=latest, by_council=by_council,
        hidden_word=HIDDEN, below=guidance.monitoring["suppress_below"],
        year_span=_year_span(guidance), published_on=_published_on(guidance, area),
        law=guidance.organisations["law"])
    return markdown, files
