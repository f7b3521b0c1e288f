"""Checks across files that no single schema can make.

Each check returns located `Problem`s: a version named in criteria.yml exists, every
approved version has criteria, each council file is named for its id, pages offer
forms that exist and use only template variables that exist, and so on.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import Problem
from .model import version_key
from .templating import context_for, render_text

if TYPE_CHECKING:
    from .project import Project

VERSIONS = "guidance/versions.yml"
CRITERIA = "guidance/criteria.yml"

#: The Act's ceiling: a local threshold may not ask for more complaints, nor a shorter period.
ACT_MAX_THRESHOLD = 3
ACT_MIN_PERIOD_MONTHS = 6


def cross_check(project: "Project") -> list[Problem]:
    problems: list[Problem] = []
    for check in (check_versions, check_criteria, check_councils, check_pages, check_forms):
        problems += check(project)
    return problems


def _line(project: "Project", shown: str, *path) -> int | None:
    from .project import raw_line
    return raw_line(project, shown, *path)


def check_versions(project: "Project") -> list[Problem]:
    g = project.guidance
    problems = []
    raw = project.raw[VERSIONS]["versions"]
    seen: set[str] = set()
    previous = None
    for i, entry in enumerate(raw):
        number = entry["version"]
        if number in seen:
            problems.append(Problem(VERSIONS, _line(project, VERSIONS, "versions", i, "version"),
                                    f"version {number} is listed twice"))
        seen.add(number)
        if previous is not None and version_key(number) <= version_key(previous):
            problems.append(Problem(VERSIONS, _line(project, VERSIONS, "versions", i, "version"),
                                    f"version {number} comes after {previous}; list versions oldest first"))
        previous = number
        if entry["status"] == "approved":
            for key in ("date", "effective_from"):
                if key not in entry:
                    problems.append(Problem(VERSIONS, _line(project, VERSIONS, "versions", i),
                                            f"version {number} is approved but has no '{key}'"))
        for j, approval in enumerate(entry["approvals"]):
            if "council" in approval and approval["council"] not in g.councils:
                problems.append(Problem(VERSIONS, _line(project, VERSIONS, "versions", i, "approvals", j, "council"),
                                        f"the council '{approval['council']}' does not exist in guidance/councils/"))
    approved = [v for v in g.versions if v.is_approved and v.effective_from]
    if not approved:
        problems.append(Problem(VERSIONS, 1, "no version is approved, so no guidance is in force"))
    for earlier, later in zip(approved, approved[1:]):
        if later.effective_from < earlier.effective_from:
            i = next(i for i, e in enumerate(raw) if e["version"] == later.version)
            problems.append(Problem(VERSIONS, _line(project, VERSIONS, "versions", i, "effective_from"),
                                    f"version {later.version} takes effect before version {earlier.version} does"))
    return problems


def check_criteria(project: "Project") -> list[Problem]:
    g = project.guidance
    problems = []
    known = {v.version for v in g.versions}
    for number, c in g.criteria.items():
        line = _line(project, CRITERIA, "versions", number)
        if number not in known:
            problems.append(Problem(CRITERIA, line, f"criteria are given for version {number}, "
                                                    f"which is not in {VERSIONS}"))
        if c.threshold > ACT_MAX_THRESHOLD:
            problems.append(Problem(CRITERIA, _line(project, CRITERIA, "versions", number, "threshold"),
                                    f"a threshold of {c.threshold} asks for more complaints than the Act allows "
                                    f"({ACT_MAX_THRESHOLD})", "warning"))
        if c.period_months < ACT_MIN_PERIOD_MONTHS:
            problems.append(Problem(CRITERIA, _line(project, CRITERIA, "versions", number, "period_months"),
                                    f"a period of {c.period_months} months is shorter than the Act's "
                                    f"{ACT_MIN_PERIOD_MONTHS}", "warning"))
    for v in g.versions:
        if v.is_approved and v.version not in g.criteria:
            i = [e["version"] for e in project.raw[VERSIONS]["versions"]].index(v.version)
            problems.append(Problem(VERSIONS, _line(project, VERSIONS, "versions", i, "version"),
                                    f"version {v.version} is approved but {CRITERIA} has no criteria for it"))
    return problems


def check_councils(project: "Project") -> list[Problem]:
    g = project.guidance
    problems = []
    known_versions = {v.version for v in g.versions}
    for cid, council in g.councils.items():
        shown = f"guidance/councils/{cid}.yml"
        if council.id != cid:
            problems.append(Problem(shown, _line(project, shown, "id"),
                                    f"the id '{council.id}' does not match the file name '{cid}.yml'"))
        if council.adopted_version not in known_versions:
            problems.append(Problem(shown, _line(project, shown, "adopted", "version"),
                                    f"version {council.adopted_version} is not in {VERSIONS}"))
    counties = [c for c in g.councils.values() if c.is_county]
    if len(counties) != 1:
        problems.append(Problem("guidance/councils", None,
                                f"exactly one council must have role: county (found {len(counties)})"))
    if not g.spoc_councils:
        problems.append(Problem("guidance/councils", None, "no council is a single point of contact (role: spoc)"))
    return problems


def check_pages(project: "Project") -> list[Problem]:
    """Every page renders for the county build: all template variables exist, all forms named exist."""
    g = project.guidance
    problems: list[Problem] = []
    if len([c for c in g.councils.values() if c.is_county]) != 1:
        return problems  # check_councils reports it; pages cannot be rendered without the county
    context = context_for(g)
    for page in g.pages:
        for i, form_id in enumerate(page.meta.get("forms") or []):
            if g.forms and form_id not in g.forms:
                problems.append(Problem(page.path, _line(project, page.path, "forms", i),
                                        f"the form '{form_id}' does not exist in forms/"))
        _, found = render_text(page.body, context, page.path, page.body_line)
        problems += found
    return problems


def check_forms(project: "Project") -> list[Problem]:
    """Form-level checks (duplicate question ids, conditions naming real questions) live with the forms."""
    if not project.guidance.forms:
        return []
    from .forms.model import check_forms as forms_check
    return forms_check(project)
