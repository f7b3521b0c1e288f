"""Say in words what changed between two loaded releases of the guidance, for a committee report.

Each part of the guidance (versions, criteria, councils' contacts, forms, pages, named
bodies) has a small function returning Markdown bullet lines: "The threshold: 3 → 4",
"New question in 'About you': 'Your phone number'". The figures come from the two
releases' own YAML, never from here.
"""
from __future__ import annotations

import difflib
import re
from typing import Any, Iterable

from ..dates import longdate, months, working_days
from ..loading.sources import to_plain
from ..model import Council, Criteria, Guidance, Page, Version, questions_in_words, version_key

TIMESCALE_WORDS = {
    "acknowledge": "acknowledging an application",
    "threshold_decision": "deciding whether the threshold is met",
    "review_meeting": "holding the case review meeting",
    "outcome_letter": "sending the outcome letter",
    "appeal": "receiving an appeal",
}
FROM_WORDS = {
    "received": "the application was received",
    "review_meeting": "the case review meeting",
    "decision_letter": "the decision letter",
    "outcome_letter": "the outcome letter",
}
NOTHING = "- No changes."
COUNTS_WORDS = {"occasions": "incidents on separate occasions (one incident reported twice counts once)",
                "complaints": "each qualifying complaint, as the Act reads"}


def _hate_words(route) -> str:
    if route is None:
        return "none"
    return f"{route.incidents} qualifying complaint{'s' if route.incidents != 1 else ''} about a hate incident " \
           f"within {months(route.months)} of the complaints"


def describe_changes(old: Guidance, new: Guidance, old_name: str, new_name: str) -> str:
    """The whole page: a title, a line on what was compared, and one section per part."""
    parts = [
        f"# What changed: {old_name} → {new_name}",
        "",
        f"This page compares the guidance sources released as `{old_name}` with those released as "
        f"`{new_name}`. It was written by `ctkit diff` from the two releases' own files.",
        "",
        *_in_force_lines(old, new),
        "",
        "## Versions and approvals", "", *(_versions(old, new) or [NOTHING]), "",
        "## Threshold and timescales", "", *(_criteria(old, new) or [NOTHING]), "",
        "## Councils' contact details", "", *(_councils(old, new) or [NOTHING]), "",
        "## Forms", "", *(_forms(old, new) or [NOTHING]), "",
        "## Guidance pages", "", *(_pages(old, new) or [NOTHING]), "",
        "## Named bodies and monitoring", "", *(_settings(old, new) or [NOTHING]), "",
    ]
    return "\n".join(parts).rstrip("\n") + "\n"


# -- versions ------------------------------------------------------------------

def _status(v: Version) -> str:
    if v.is_approved and v.effective_from:
        return f"approved, in force from {longdate(v.effective_from)}"
    return "approved" if v.is_approved else "draft, not in force"


def _newest(g: Guidance, approved: bool) -> Version | None:
    pool = [v for v in g.versions if v.is_approved or not approved]
    return max(pool, key=lambda v: v.key, default=None)


def _in_force_lines(old: Guidance, new: Guidance) -> list[str]:
    lines = []
    for label, g in (("Before", old), ("After", new)):
        current, newest = _newest(g, True), _newest(g, False)
        text = f"- **{label}:** the newest approved version is {current.version} ({_status(current)})" if current \
            else f"- **{label}:** no version is approved"
        if newest is not None and (current is None or newest.key > current.key):
            text += f"; version {newest.version} is a draft"
        lines.append(text + ".")
    return lines


def _versions(old: Guidance, new: Guidance) -> list[str]:
    before = {v.version: v for v in old.versions}
    after = {v.version: v for v in new.versions}
    lines = []
    for number in sorted(after.keys() - before.keys(), key=version_key):
        v = after[number]
        lines.append(f"- Version {number} was added ({_status(v)}): {v.summary}")
        lines += [f"    - Change: {c}" for c in v.changes]
        lines += [f"    - Approved by {a.body}" + (f" on {longdate(a.on)}" if a.on else "") for a in v.approvals]
    for number in sorted(before.keys() - after.keys(), key=version_key):
        lines.append(f"- Version {number} was removed from the change history.")
    for number in sorted(before.keys() & after.keys(), key=version_key):
        lines += _version_changes(before[number], after[number])
    return lines


def _version_changes(a: Version, b: Version) -> list[str]:
    n = b.version
    lines = []
    if (a.status, a.effective_from) != (b.status, b.effective_from):
        lines.append(f"- Version {n}: {_status(a)} → {_status(b)}.")
    if a.date != b.date:
        lines.append(f"- Version {n}: date {longdate(a.date)} → {longdate(b.date)}.")
    if a.summary != b.summary:
        lines.append(f"- Version {n}: summary changed to: {b.summary}")
    lines += [f"- Version {n}: change listed: {c}" for c in b.changes if c not in a.changes]
    lines += [f"- Version {n}: change no longer listed: {c}" for c in a.changes if c not in b.changes]
    old_approvals = {(x.body, x.on) for x in a.approvals}
    for x in b.approvals:
        if (x.body, x.on) not in old_approvals:
            lines.append(f"- Version {n}: approval recorded: {x.body}" + (f" on {longdate(x.on)}" if x.on else "") + ".")
    return lines


# -- criteria ------------------------------------------------------------------

def _base_for(number: str, old: Guidance) -> Criteria | None:
    earlier = [k for k in old.criteria if version_key(k) <= version_key(number)]
    return old.criteria[max(earlier, key=version_key)] if earlier else None


def _criteria(old: Guidance, new: Guidance) -> list[str]:
    lines = []
    for number in sorted(new.criteria, key=version_key):
        c = new.criteria[number]
        if number in old.criteria:
            found = _criteria_changes(old.criteria[number], c)
            lines += [f"- Version {number}: {line}" for line in found]
            continue
        base = _base_for(number, old)
        if base is None:
            lines.append(f"- Version {number}: criteria added (threshold {c.threshold}).")
            continue
        found = _criteria_changes(base, c)
        if found:
            lines.append(f"- Version {number} (new), compared with version {base.version}:")
            lines += [f"    - {line}" for line in found]
        else:
            lines.append(f"- Version {number} (new) keeps the threshold and timescales of version {base.version}.")
    for number in sorted(old.criteria.keys() - new.criteria.keys(), key=version_key):
        lines.append(f"- The criteria for version {number} were removed.")
    return lines


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _criteria_changes(a: Criteria, b: Criteria) -> list[str]:
    lines = []
    if a.threshold != b.threshold:
        lines.append(f"threshold {a.threshold} → {b.threshold} (qualifying complaints needed for a case review).")
    if a.period_months != b.period_months:
        lines.append(f"time from the complaints within which the application must arrive {months(a.period_months)} → "
                     f"{months(b.period_months)}.")
    if a.report_within_months != b.report_within_months:
        lines.append(f"time allowed to report each incident {months(a.report_within_months)} → "
                     f"{months(b.report_within_months)}.")
    if a.counts != b.counts:
        lines.append(f"what the threshold counts: {COUNTS_WORDS[a.counts]} → {COUNTS_WORDS[b.counts]}.")
    ha, hb = a.hate_route, b.hate_route
    if ha != hb:
        lines.append(f"route for hate incidents: {_hate_words(ha)} → {_hate_words(hb)}.")
    ra, rb = a.five_individuals_route, b.five_individuals_route
    if ra and not rb:
        lines.append(f"the route for {ra.individuals} separate individuals reporting related incidents was removed.")
    elif rb and not ra:
        lines.append(f"a route for {rb.individuals} separate individuals reporting related incidents "
                     f"within {months(rb.period_months)} was added.")
    elif ra and rb and ra != rb:
        lines.append(f"the separate-individuals route: {ra.individuals} people in {months(ra.period_months)} → "
                     f"{rb.individuals} people in {months(rb.period_months)}.")
    for name in list(a.timescales) + [n for n in b.timescales if n not in a.timescales]:
        words = TIMESCALE_WORDS.get(name, name.replace("_", " "))
        ta, tb = a.timescales.get(name), b.timescales.get(name)
        if ta and not tb:
            lines.append(f"the timescale for {words} was removed.")
        elif tb and not ta:
            lines.append(f"a timescale for {words} was added: {working_days(tb.days)} from "
                         f"{FROM_WORDS.get(tb.start, tb.start)}.")
        elif (ta.days, ta.start) != (tb.days, tb.start):
            lines.append(f"timescale for {words}: {working_days(ta.days)} from {FROM_WORDS.get(ta.start, ta.start)}"
                         f" → {working_days(tb.days)} from {FROM_WORDS.get(tb.start, tb.start)}.")
    return lines


# -- councils ------------------------------------------------------------------

def _contact_fields(c: Council) -> dict[str, Any]:
    s = c.spoc
    return {
        "name": c.name, "SPOC team": s.team, "address": ", ".join(s.address), "postcode": s.postcode,
        "phone": s.phone, "email": s.email or "(none)", "web page": s.web,
        "contact details confirmed": _yes_no(s.verified), "version adopted": c.adopted_version,
        "date adopted": longdate(c.adopted_on) if c.adopted_on else "(not recorded)",
    }


def _councils(old: Guidance, new: Guidance) -> list[str]:
    lines = []
    for cid in sorted(new.councils.keys() - old.councils.keys()):
        lines.append(f"- {new.councils[cid].name} was added.")
    for cid in sorted(old.councils.keys() - new.councils.keys()):
        lines.append(f"- {old.councils[cid].name} was removed.")
    for cid in sorted(old.councils.keys() & new.councils.keys()):
        a, b = _contact_fields(old.councils[cid]), _contact_fields(new.councils[cid])
        for field in a:
            if a[field] != b[field]:
                lines.append(f"- {new.councils[cid].name}: {field} {a[field]} → {b[field]}.")
    return lines


# -- forms ---------------------------------------------------------------------

def _form_title(form: Any, form_id: str) -> str:
    return str(getattr(form, "title", "") or form_id)


def _forms(old: Guidance, new: Guidance) -> list[str]:
    lines = []
    for fid in sorted(new.forms.keys() - old.forms.keys()):
        lines.append(f"- New form: {_form_title(new.forms[fid], fid)}.")
    for fid in sorted(old.forms.keys() - new.forms.keys()):
        lines.append(f"- Form removed: {_form_title(old.forms[fid], fid)}.")
    for fid in sorted(old.forms.keys() & new.forms.keys()):
        a_form, b_form = old.forms[fid], new.forms[fid]
        name = _form_title(b_form, fid)
        found = []
        if _form_title(a_form, fid) != name:
            found.append(f"title '{_form_title(a_form, fid)}' → '{name}'.")
        found += _question_changes(questions_in_words(a_form), questions_in_words(b_form))
        if found:
            lines.append(f"- {name}:")
            lines += [f"    - {line}" for line in found]
    return lines


def _question_changes(a: dict, b: dict) -> list[str]:
    lines = []
    for qid in b.keys() - a.keys():
        q = b[qid]
        where = f" in '{q['section']}'" if q["section"] else ""
        lines.append(f"new question{where}: '{q['label']}' ({q['required']}).")
    for qid in a.keys() - b.keys():
        lines.append(f"question removed: '{a[qid]['label']}'.")
    for qid in a.keys() & b.keys():
        qa, qb = a[qid], b[qid]
        if qa["label"] != qb["label"]:
            lines.append(f"question reworded: '{qa['label']}' → '{qb['label']}'.")
        if qa["required"] != qb["required"]:
            lines.append(f"'{qb['label']}': {qa['required']} → {qb['required']}.")
        added = [o for o in qb["options"] if o not in qa["options"]]
        removed = [o for o in qa["options"] if o not in qb["options"]]
        if added:
            lines.append(f"'{qb['label']}': new choice(s) {', '.join(added)}.")
        if removed:
            lines.append(f"'{qb['label']}': choice(s) removed: {', '.join(removed)}.")
    order = list(b) + [k for k in a if k not in b]
    return sorted(lines, key=lambda line: _order_of(line, a, b, order))


def _order_of(line: str, a: dict, b: dict, order: list[str]) -> int:
    for i, qid in enumerate(order):
        q = b.get(qid) or a.get(qid)
        if f"'{q['label']}'" in line:
            return i
    return len(order)


# -- pages ---------------------------------------------------------------------

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def _headings(page: Page) -> list[str]:
    return [m.group(2) for m in map(_HEADING.match, page.body.splitlines()) if m]


def _paragraphs(page: Page) -> list[str]:
    blocks = re.split(r"\n\s*\n", page.body)
    return [" ".join(b.split()) for b in blocks if b.strip() and not _HEADING.match(b.strip())]


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _pages(old: Guidance, new: Guidance) -> list[str]:
    before = {p.rel: p for p in old.pages}
    after = {p.rel: p for p in new.pages}
    lines = []
    for rel in sorted(after.keys() - before.keys()):
        lines.append(f"- New page: {after[rel].title} (`guidance/{rel}`).")
    for rel in sorted(before.keys() - after.keys()):
        lines.append(f"- Page removed: {before[rel].title} (`guidance/{rel}`).")
    for rel in sorted(before.keys() & after.keys()):
        found = _page_changes(before[rel], after[rel])
        if found:
            lines.append(f"- {after[rel].title} (`guidance/{rel}`): " + "; ".join(found) + ".")
    return lines


def _page_changes(a: Page, b: Page) -> list[str]:
    found = []
    if a.title != b.title:
        found.append(f"title '{a.title}' → '{b.title}'")
    ha, hb = _headings(a), _headings(b)
    found += [f"new section '{h}'" for h in hb if h not in ha]
    found += [f"section '{h}' removed" for h in ha if h not in hb]
    added = removed = changed = 0
    matcher = difflib.SequenceMatcher(a=_paragraphs(a), b=_paragraphs(b), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            common = min(i2 - i1, j2 - j1)
            changed += common
            added += (j2 - j1) - common
            removed += (i2 - i1) - common
        elif tag == "insert":
            added += j2 - j1
        elif tag == "delete":
            removed += i2 - i1
    if changed:
        found.append(f"{_count(changed, 'paragraph')} changed")
    if added:
        found.append(f"{_count(added, 'paragraph')} added")
    if removed:
        found.append(f"{_count(removed, 'paragraph')} removed")
    return found


# -- other settings ------------------------------------------------------------

def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(_flatten(value, f"{prefix}{key}."))
        return out
    return {prefix.rstrip("."): data}


def _settings(old: Guidance, new: Guidance) -> list[str]:
    lines = []
    for name, a, b in (("guidance/organisations.yml", old.organisations, new.organisations),
                       ("guidance/monitoring.yml", old.monitoring, new.monitoring)):
        fa, fb = _flatten(to_plain(a)), _flatten(to_plain(b))
        for key in _ordered(fa, fb):
            if fa.get(key) != fb.get(key):
                lines.append(f"- `{name}` {key}: {_show(fa.get(key))} → {_show(fb.get(key))}.")
    return lines


def _ordered(a: dict, b: dict) -> Iterable[str]:
    return list(a) + [k for k in b if k not in a]


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
