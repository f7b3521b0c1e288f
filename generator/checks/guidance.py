"""Checks across the guidance sources that no single schema can make.

Each check reads only the model (every object knows its `file:line`) and returns located
`Problem`s: versions in order and approved with dates, criteria for versions that exist and
never stricter than the Act, each council file named for its id, pages that offer forms
that exist and use only template names that exist.
"""
from __future__ import annotations

import re
from collections.abc import Collection

from ..dates import months
from ..errors import Problem
from ..html_policy import describe, located_findings
from ..loading.sources import line_at
from ..model import Guidance, Page, version_key
from ..templating import context_for, render_text

VERSIONS = "guidance/versions.yml"
WORDING = "guidance/wording.yml"



def check_versions(g: Guidance) -> list[Problem]:
    problems = []
    as_written = sorted(g.versions, key=lambda v: v.where.line or 0)
    seen: set[str] = set()
    previous = None
    for v in as_written:
        if v.version in seen:
            problems.append(v.where.problem(f"version {v.version} is listed twice", "version"))
        seen.add(v.version)
        if previous is not None and version_key(v.version) <= version_key(previous):
            problems.append(v.where.problem(f"version {v.version} comes after {previous}; list versions oldest first",
                                            "version"))
        previous = v.version
        if v.is_approved:
            for key, value in (("date", v.date), ("effective_from", v.effective_from)):
                if value is None:
                    problems.append(v.where.problem(f"version {v.version} is approved but has no '{key}'"))
        for approval in v.approvals:
            if approval.council is not None and approval.council not in g.councils:
                problems.append(approval.where.problem(
                    f"the council '{approval.council}' does not exist in guidance/councils/", "council"))
    approved = [v for v in g.versions if v.is_approved and v.effective_from]
    if not approved and g.versions:
        newest = g.current().version
        problems.append(Problem(VERSIONS, 1, f"no version is approved yet, so the sites, the forms and the validator "
                                             f"use draft {newest}, marked DRAFT, until one is (ctkit version approve)",
                                "warning"))
    for earlier, later in zip(approved, approved[1:]):
        if later.effective_from < earlier.effective_from:
            problems.append(later.where.problem(
                f"version {later.version} takes effect before version {earlier.version} does", "effective_from"))
    return problems


def check_criteria(g: Guidance) -> list[Problem]:
    """Criteria exist for every approved version and none is stricter than the Act (an error, not a warning).

    The Act's limits (s.104(4) and (11)) are written once, in organisations.yml `law.limits`."""
    problems = []
    limits = g.organisations["law"]["limits"]
    most, report, window = limits["threshold"], limits["report_within_months"], limits["application_months"]
    known = {v.version for v in g.versions}
    for number, c in g.criteria.items():
        if number not in known:
            problems.append(c.where.problem(f"criteria are given for version {number}, which is not in {VERSIONS}"))
        if c.threshold > most:
            problems.append(c.where.problem(
                f"a threshold of {c.threshold} asks for more qualifying complaints than the Act allows: the "
                f"procedures may set {most} or fewer, never more (s.104(4))", "threshold"))
        if c.period_months < window:
            problems.append(c.where.problem(
                f"an application window of {months(c.period_months)} is shorter than the Act's "
                f"{months(window)} from the complaint (s.104(11)); it may be longer, never shorter",
                "period_months"))
        if c.report_within_months < report:
            problems.append(c.where.problem(
                f"a reporting window of {months(c.report_within_months)} is shorter than the Act's "
                f"{months(report)} from the behaviour (s.104(11))", "report_within_months"))
    problems += _occasions_only_as_a_record(g)
    for v in g.versions:
        if v.is_approved and v.version not in g.criteria:
            problems.append(v.where.problem(
                f"version {v.version} is approved but guidance/criteria.yml has no criteria for it", "version"))
    return problems


def _occasions_only_as_a_record(g: Guidance) -> list[Problem]:
    """`counts: occasions` stays only in approved versions from before any version counted complaints:
    the record of what they said. In a draft, or a version after one that counts complaints, it is
    stricter than the Act (s.104(4)) and refused. (The judge counts complaints in every version.)"""
    problems, counted_complaints = [], False
    for v in g.versions:
        c = g.criteria.get(v.version)
        if c is None:
            continue
        if c.counts_occasions and (not v.is_approved or counted_complaints):
            why = "is a draft" if not v.is_approved else "comes after a version that counts every complaint"
            problems.append(c.where.problem(
                f"counts: occasions is stricter than the Act: version {v.version} {why}, and s.104(4) counts "
                "every qualifying complaint, so one incident reported to two organisations is two complaints; "
                "write counts: complaints", "counts"))
        counted_complaints = counted_complaints or not c.counts_occasions
    return problems


def check_councils(g: Guidance) -> list[Problem]:
    problems = []
    known_versions = {v.version for v in g.versions}
    for cid, council in g.councils.items():
        if council.id != cid:
            problems.append(council.where.problem(
                f"the id '{council.id}' does not match the file name '{cid}.yml'", "id"))
        if council.adopted_version not in known_versions:
            problems.append(council.where.problem(f"version {council.adopted_version} is not in {VERSIONS}",
                                                  "adopted"))
    if not has_lead(g):
        problems.append(g.partnership.where.problem(
            f"lead: there is no guidance/councils/{g.partnership.lead}.yml; name the body that publishes the site for "
            f"the whole area (one of: {', '.join(sorted(g.councils)) or 'none yet'})", "lead"))
    if not g.spoc_councils:
        problems.append(Problem("guidance/councils", None, "no body takes applications: every file in "
                                                           "guidance/councils/ says applications: false"))
    return problems


def has_lead(g: Guidance) -> bool:
    """Whether the lead named in ctkit.yml exists: pages cannot be rendered for the whole area without it."""
    return g.partnership.lead in g.councils


def check_wording(g: Guidance) -> list[Problem]:
    """Every sentence of guidance/wording.yml renders with every version's figures."""
    problems: list[Problem] = []
    if not has_lead(g):
        return problems
    for version in (v for v in g.versions if v.version in g.criteria):
        context = context_for(g, version=version)
        for group, items in g.wording.items():
            for key, source in items.items():
                _, found = render_text(source, context, WORDING, line_at(g.wording, [group, key]) or 1)
                problems += [p for p in found if p not in problems]
    return problems


def refused_html(page_path: str, rendered: str, first_line: int) -> list[Problem]:
    """What the site's allow-list (html_policy) would take out of a page, each at its line: the editor
    learns it here instead of losing the text without a word."""
    return [Problem(page_path, first_line + found.line - 1, describe(found.what))
            for found in located_findings(rendered)]


def check_pages(g: Guidance, only: Collection[str] | None = None) -> list[Problem]:
    """Every page renders for the lead's site: all template names exist, all forms named exist. Each problem is
    at its page; `only`: the pages (as shown, `guidance/...`) to check, when the others have not changed."""
    problems: list[Problem] = []
    if not has_lead(g):
        return problems  # check_councils reports it; pages cannot be rendered without the lead
    context = context_for(g)
    for page in g.pages:
        if only is not None and page.path not in only:
            continue
        for i, form_id in enumerate(page.meta.get("forms") or []):
            if form_id not in g.forms:
                problems.append(Problem(page.path, line_at(page.meta, ["forms", i]),
                                        f"the form '{form_id}' does not exist in forms/"))
        rendered, found = render_text(page.body, context, page.path, page.body_line)
        problems += found
        if rendered is not None:
            problems += refused_html(page.path, rendered, page.body_line)
        problems += _markup_in_front_matter(page)
    return problems


def _markup_in_front_matter(page: Page) -> list[Problem]:
    """Titles and descriptions are plain text: the theme prints some of them as they are, unescaped."""
    return [Problem(page.path, line_at(page.meta, [key]), f"the page's {key} has '<' or '>', but it is plain "
                    "text, not HTML: write the words only")
            for key in ("title", "nav_title", "description")
            if isinstance(page.meta.get(key), str) and re.search(r"[<>]", page.meta[key])]
