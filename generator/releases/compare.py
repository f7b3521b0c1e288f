"""Say in words what changed between two loaded releases of the guidance: a committee paper's appendix.

The report opens with what a committee needs first: which version each release is, whether
it is approved and in force, and the list of changes the editors wrote for the new version
(versions.yml `changes:`). Then every change the two releases' files show, part by part, in
sentences: "The threshold was 3 qualifying complaints; it is now 2." The figures come from
the releases' own YAML, never from here, and nothing is reported that did not change.
"""
from __future__ import annotations

from typing import Any, Iterable

from ..dates import longdate, months
from ..loading.sources import to_plain
from ..model import Council, Criteria, Guidance, Version, version_key
from ..model.criteria_words import (COUNTS_WORDS, TIMESCALE_WORDS, criteria_rows, hate_words, timescale_words)
from ..templating import process_names
from .form_changes import form_changes, letter_changes
from .page_changes import page_changes
from .word_diff import markdown_text

NOTHING = "- No changes."
FIELD_WORDS = {"name": "name", "short_name": "short name", "web": "web address", "phone": "phone number",
               "email": "email address", "address": "postal address", "postcode": "postcode",
               "text_number": "number to text", "text_word": "word to text", "verified": "confirmed"}
#: Editors' notes and lists of sources are context, not content; the unconfirmed facts list shows notes.
QUIET_KEYS = {"note", "sources"}


def describe_changes(old: Guidance, new: Guidance, old_name: str, new_name: str) -> str:
    """The whole appendix, in Markdown (ctkit diff renders the same text as a PDF)."""
    old_v, new_v = _newest(old, approved=False), _newest(new, approved=False)
    parts = [
        f"# {title_of(old, new)}",
        "",
        f"This appendix compares the guidance sources released as {_release(old_name, old_v)} with "
        f"{_release(new_name, new_v)}. It was written by the kit's `ctkit diff` command from the two "
        "releases' own files, so it lists every change between them and nothing else.",
        "",
        "Each changed paragraph, question or sentence is given before and after, in full. Words taken out are struck "
        "through in the text before, words put in are underlined in the text after, and “In words” says each change "
        "again for anyone who cannot see the marks.",
        "",
        "## Standing of each version", "", *_standing(old, new), "",
        "## Summary of the changes", "", *(_summary(old, new) or ["- No version was added or changed."]), "",
        "## Facts still to be confirmed", "", *(_unconfirmed(old, new) or ["- None: every new or changed fact "
                                                                          "is confirmed."]), "",
        "## Versions and approvals", "", *(_versions(old, new) or [NOTHING]), "",
        "## Threshold and timescales", "", *_criteria_table(old, new, old_v, new_v), *(_criteria(old, new) or []), "",
        "## Councils' contact and privacy details", "", *(_councils(old, new) or [NOTHING]), "",
        "## Forms", "", *(form_changes(old, new, old_v, new_v) or [NOTHING]), "",
        "## Letters", "", *(letter_changes(old, new) or [NOTHING]), "",
        "## Guidance pages", "", *(page_changes(old, new, old_v, new_v) or [NOTHING]), "",
        "## Named bodies, later law and monitoring", "", *(_settings(old, new) or [NOTHING]), "",
    ]
    return "\n".join(parts).rstrip("\n") + "\n"


def title_of(old: Guidance, new: Guidance) -> str:
    """Each release is named by its newest version, draft or not: the one its files were written for."""
    old_v, new_v = _newest(old, approved=False), _newest(new, approved=False)
    name = f"{new.partnership.area} {process_names(new)['title']} Practitioner Guidance"
    if old_v.version == new_v.version:
        return f"Changes to the {name}, version {new_v.version}"
    return f"Changes to the {name}: version {old_v.version} to version {new_v.version}"


def _release(name: str, v: Version) -> str:
    where = "the files as they are now" if name == "." else f"`{name}`"
    return f"{where} (version {v.version}, {_status(v)})"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _was_now(what: str, before: Any, after: Any) -> str:
    return f"{_sentence(what)} was {before}; it is now {after}."


# -- versions ------------------------------------------------------------------

def _status(v: Version) -> str:
    if v.is_approved and v.effective_from:
        return f"approved, in force from {longdate(v.effective_from)}"
    return "approved" if v.is_approved else "a draft, not in force"


def _newest(g: Guidance, approved: bool) -> Version | None:
    pool = [v for v in g.versions if v.is_approved or not approved]
    return max(pool, key=lambda v: v.key, default=None)


def _standing(old: Guidance, new: Guidance) -> list[str]:
    lines = []
    for label, g in (("Before", old), ("After", new)):
        current, newest = _newest(g, True), _newest(g, False)
        text = f"- **{label}:** version {current.version} is the newest approved version ({_status(current)})" \
            if current else f"- **{label}:** no version is approved"
        if newest is not None and (current is None or newest.key > current.key):
            text += f"; version {newest.version} is a draft and is not in force until it is approved"
        lines.append(text + ".")
    return lines


def _summary(old: Guidance, new: Guidance) -> list[str]:
    """The editors' own list of changes for each version the new release adds or changes."""
    before = {v.version: v for v in old.versions}
    lines = []
    for v in sorted(new.versions, key=lambda v: v.key):
        was = before.get(v.version)
        if was is not None and was.changes == v.changes and was.summary == v.summary:
            continue
        lines.append(f"**Version {v.version}.** {v.summary}")
        lines.append("")
        lines += [f"{n}. {c}" for n, c in enumerate(v.changes, 1)] or ["No changes are listed for it yet."]
        lines.append("")
    return lines[:-1] if lines else lines


def _versions(old: Guidance, new: Guidance) -> list[str]:
    before = {v.version: v for v in old.versions}
    after = {v.version: v for v in new.versions}
    lines = []
    for number in sorted(after.keys() - before.keys(), key=version_key):
        v = after[number]
        lines.append(f"- Version {number} was added ({_status(v)}).")
        lines += [f"    - Approved by {a.body}" + (f" on {longdate(a.on)}" if a.on else "") + "." for a in v.approvals]
        if not v.approvals:
            lines.append("    - No approvals are recorded for it yet.")
    for number in sorted(before.keys() - after.keys(), key=version_key):
        lines.append(f"- Version {number} was removed from the change history.")
    for number in sorted(before.keys() & after.keys(), key=version_key):
        lines += _version_changes(before[number], after[number])
    return lines


def _version_changes(a: Version, b: Version) -> list[str]:
    n = b.version
    lines = []
    if (a.status, a.effective_from) != (b.status, b.effective_from):
        lines.append("- " + _was_now(f"version {n}", _status(a), _status(b)))
    if a.date != b.date:
        lines.append("- " + _was_now(f"the date of version {n}", longdate(a.date), longdate(b.date)))
    if a.summary != b.summary:
        lines.append(f"- The summary of version {n} now reads: {b.summary}")
    lines += [f"- A change is now listed for version {n}: {c}" for c in b.changes if c not in a.changes]
    lines += [f"- A change is no longer listed for version {n}: {c}" for c in a.changes if c not in b.changes]
    old_approvals = {(x.body, x.on) for x in a.approvals}
    for x in b.approvals:
        if (x.body, x.on) not in old_approvals:
            lines.append(f"- Version {n} was approved by {x.body}" + (f" on {longdate(x.on)}" if x.on else "") + ".")
    return lines


# -- criteria ------------------------------------------------------------------

def _criteria_table(old: Guidance, new: Guidance, old_v: Version, new_v: Version) -> list[str]:
    """The figures of the two releases' versions side by side, one row each, and whether each changed."""
    a, b = old.criteria.get(old_v.version), new.criteria.get(new_v.version)
    if a is None or b is None:
        return [NOTHING, ""] if a is b else []
    names = list(a.timescales) + [n for n in b.timescales if n not in a.timescales]
    if criteria_rows(a, names) == criteria_rows(b, names):
        return [NOTHING, ""]
    lines = [f"The figures of version {old_v.version} (before) and version {new_v.version} (after), one a row:", "",
             f"| Figure | Before: version {old_v.version} | After: version {new_v.version} | Changed |",
             "|---|---|---|---|"]
    for (_, label, before), (_, _, after) in zip(criteria_rows(a, names), criteria_rows(b, names)):
        lines.append(f"| {markdown_text(label)} | {markdown_text(before)} | {markdown_text(after)} | "
                     f"{'**yes**' if before != after else 'no'} |")
    said = _criteria_changes(a, b)
    return lines + ["", "In words: " + (" ".join(said) if said else "every figure is the same."), ""]


def _criteria(old: Guidance, new: Guidance) -> list[str]:
    """The figures of any other version that changed (an approved version's figures never should), or were
    added or removed."""
    compared = _newest(new, approved=False).version
    lines = []
    for number in sorted(new.criteria.keys() - {compared}, key=version_key):
        if number not in old.criteria:
            lines.append(f"- Version {number} was given figures (a threshold of {new.criteria[number].threshold} "
                         "qualifying complaints).")
            continue
        found = _criteria_changes(old.criteria[number], new.criteria[number])
        if found:
            lines.append(f"- The figures of version {number} itself changed:")
            lines += [f"    - {line}" for line in found]
    for number in sorted(old.criteria.keys() - new.criteria.keys(), key=version_key):
        lines.append(f"- The figures of version {number} were removed.")
    return (["Other versions:", ""] + lines + [""]) if lines else []


def _criteria_changes(a: Criteria, b: Criteria) -> list[str]:
    lines = []
    if a.threshold != b.threshold:
        lines.append(_was_now("the threshold", f"{a.threshold} qualifying complaints", str(b.threshold)))
    if a.period_months != b.period_months:
        lines.append(_was_now("the time allowed between each complaint and the application", months(a.period_months),
                              months(b.period_months)))
    if a.report_within_months != b.report_within_months:
        lines.append(_was_now("the time allowed to report each incident", months(a.report_within_months),
                              months(b.report_within_months)))
    if a.counts != b.counts:
        lines.append(f"The threshold counted {COUNTS_WORDS[a.counts]}; it now counts {COUNTS_WORDS[b.counts]}.")
    if a.hate_route != b.hate_route:
        lines.append(_was_now("the route for hate incidents", hate_words(a.hate_route), hate_words(b.hate_route)))
    ra, rb = a.five_individuals_route, b.five_individuals_route
    if ra and not rb:
        lines.append(f"The route for {ra.individuals} separate individuals reporting related incidents was removed.")
    elif rb and not ra:
        lines.append(f"A route was added for {rb.individuals} separate individuals reporting related incidents "
                     f"within {months(rb.period_months)}.")
    elif ra and rb and ra != rb:
        lines.append(_was_now("the separate-individuals route", f"{ra.individuals} people in {months(ra.period_months)}",
                              f"{rb.individuals} people in {months(rb.period_months)}"))
    for name in list(a.timescales) + [n for n in b.timescales if n not in a.timescales]:
        words = f"the timescale for {TIMESCALE_WORDS.get(name, name.replace('_', ' '))}"
        ta, tb = a.timescales.get(name), b.timescales.get(name)
        if ta and not tb:
            lines.append(f"{_sentence(words)} was removed.")
        elif tb and not ta:
            lines.append(f"{_sentence(words)} was added: {timescale_words(tb)}.")
        elif (ta.days, ta.start) != (tb.days, tb.start):
            lines.append(_was_now(words, timescale_words(ta), timescale_words(tb)))
    return lines


# -- councils ------------------------------------------------------------------

def _contact_fields(c: Council) -> dict[str, Any]:
    s, p = c.spoc, c.privacy
    fields = {
        "the name": c.name, "the SPOC team": s.team, "the postal address": ", ".join(s.address),
        "the postcode": s.postcode, "the phone number": s.phone, "the email address": s.email or "not recorded",
        "the web page": s.web, "whether the contact details are confirmed": "yes" if s.verified else "no",
        "the version adopted": c.adopted_version,
        "the date it was adopted": longdate(c.adopted_on) if c.adopted_on else "not recorded",
        "how long case files are kept": "not recorded", "the data protection officer's email": "not recorded",
        "the data protection officer's phone number": "not recorded",
        "the data protection officer's web page": "not recorded",
    }
    if p is not None:
        if p.retention:
            fields["how long case files are kept"] = f"{p.retention.years} years after " + \
                ("the case is closed" if p.retention.after == "closed" else "the last contact")
        for key, value in (("email", p.dpo.email), ("phone number", p.dpo.phone), ("web page", p.dpo.web)):
            if value:
                fields[f"the data protection officer's {key}"] = value
    return fields


def _councils(old: Guidance, new: Guidance) -> list[str]:
    lines = []
    for cid in sorted(new.councils.keys() - old.councils.keys()):
        lines.append(f"- {new.councils[cid].name} was added.")
    for cid in sorted(old.councils.keys() - new.councils.keys()):
        lines.append(f"- {old.councils[cid].name} was removed.")
    for cid in sorted(old.councils.keys() & new.councils.keys()):
        a, b = _contact_fields(old.councils[cid]), _contact_fields(new.councils[cid])
        found = [_was_now(field, a[field], b[field]) for field in a if a[field] != b[field]]
        if found:
            lines.append(f"- {new.councils[cid].name}:")
            lines += [f"    - {line}" for line in found]
    return lines


# -- named bodies, later law, monitoring -------------------------------------------

def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(_flatten(value, f"{prefix}{key}."))
        return out
    return {prefix.rstrip("."): data}


def _show(value: Any) -> str:
    if value is None:
        return "not recorded"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _settings(old: Guidance, new: Guidance) -> list[str]:
    lines = _bodies(to_plain(old.organisations), to_plain(new.organisations))
    lines += _later_law(to_plain(old.law or {}), to_plain(new.law or {}))
    fa, fb = _flatten(to_plain(old.monitoring)), _flatten(to_plain(new.monitoring))
    for key in _ordered(fa, fb):
        if fa.get(key) != fb.get(key):
            lines.append("- " + _was_now(f"the monitoring setting {key}", _show(fa.get(key)), _show(fb.get(key))))
    return lines


def _bodies(a: dict, b: dict) -> list[str]:
    lines = []
    for key in _ordered(a, b):
        if key == "law":
            fa, fb = _flatten(a.get(key, {})), _flatten(b.get(key, {}))
            lines += ["- " + _was_now(f"the law's {k.replace('.', ' ').replace('_', ' ')}", _show(fa.get(k)),
                                      _show(fb.get(k))) for k in _ordered(fa, fb) if fa.get(k) != fb.get(k)]
            continue
        ba, bb = a.get(key) or {}, b.get(key) or {}
        name = bb.get("name") or ba.get("name") or key
        if not ba:
            lines.append(f"- {name} was added to the named bodies.")
            continue
        if not bb:
            lines.append(f"- {name} was removed from the named bodies.")
            continue
        found = [_field_change(f, ba.get(f), bb.get(f)) for f in _ordered(ba, bb)
                 if f not in QUIET_KEYS and ba.get(f) != bb.get(f)]
        if found:
            lines.append(f"- {name}:")
            lines += [f"    - {line}" for line in found]
    return lines


def _field_change(field: str, before: Any, after: Any) -> str:
    if field == "verified":   # absent means confirmed
        return "Its details are now confirmed." if after is not False else \
            "Its details are now marked unconfirmed (see “Facts still to be confirmed”)."
    return _was_now(f"the {FIELD_WORDS.get(field, field.replace('_', ' '))}", _show(before), _show(after))


def _in_force_words(p: dict) -> str:
    start = p.get("in_force_from")
    when = f"in force from {longdate(start)}" if start else "not known to be in force"
    return when + (" (not confirmed)" if p.get("verified") is False else "")


def _later_law(a: dict, b: dict) -> list[str]:
    if not b:
        return []
    act = (b.get("act") or {}).get("name", "later law")
    lines = []
    if not a:
        lines.append(f"- The {act} is described for the first time:")
        lines += [f"    - {p['title']}: {p['summary']}; {_in_force_words(p)}."
                  for p in (b.get("provisions") or {}).values()]
        return lines
    pa, pb = a.get("provisions") or {}, b.get("provisions") or {}
    for key in _ordered(pa, pb):
        x, y = pa.get(key), pb.get(key)
        if y and not x:
            lines.append(f"- {act}: {y['title']} is described for the first time: {y['summary']}; "
                         f"{_in_force_words(y)}.")
        elif x and not y:
            lines.append(f"- {act}: {x['title']} is no longer described.")
        elif _in_force_words(x) != _in_force_words(y) or x.get("summary") != y.get("summary"):
            lines.append(f"- {act}: {y['title']} was {_in_force_words(x)}; it is now {_in_force_words(y)}.")
    return lines


def _ordered(a: dict, b: dict) -> Iterable[str]:
    return list(a) + [k for k in b if k not in a]


# -- what is still unconfirmed ---------------------------------------------------

def _unconfirmed_in(data: Any, label: str) -> list[tuple[str, str]]:
    """(label, note) of every mapping marked `verified: false` in `data`, with the nearest name as label."""
    found: list[tuple[str, str]] = []
    if isinstance(data, dict):
        here = str(data.get("title") or data.get("name") or label)
        if data.get("verified") is False:
            found.append((here, str(data.get("note") or "not yet confirmed")))
        for key, value in data.items():
            if isinstance(value, (dict, list)):
                found += _unconfirmed_in(value, here)
    elif isinstance(data, list):
        for item in data:
            found += _unconfirmed_in(item, label)
    return found


def _sources_of(g: Guidance) -> dict[str, Any]:
    return {
        "organisations": to_plain(g.organisations),
        "law": to_plain(g.law or {}),
        "councils": {cid: {"name": c.name, "privacy": {"name": f"{c.name}: privacy notice",
                                                       "verified": c.privacy.verified, "note": c.privacy.note}
                           if c.privacy else {}}
                     for cid, c in g.councils.items()},
    }


def _unconfirmed(old: Guidance, new: Guidance) -> list[str]:
    """Facts the new release adds or changes that are still marked unconfirmed, with why."""
    before = set(_unconfirmed_in(_sources_of(old), ""))
    lines = []
    for label, note in _unconfirmed_in(_sources_of(new), ""):
        if (label, note) not in before:
            lines.append(f"- **{label}.** {note}")
    for number in sorted(new.criteria.keys() - old.criteria.keys(), key=version_key):
        loose = [TIMESCALE_WORDS.get(t.name, t.name) for t in new.criteria[number].timescales.values()
                 if not t.verified]
        if loose:
            lines.append(f"- **Version {number} timescales.** The working days for {', '.join(loose)} are not "
                         f"confirmed for {new.partnership.area}.")
    return lines
