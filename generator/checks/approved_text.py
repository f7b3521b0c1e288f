"""What an approved version approved stays approved: its text is compared with its lock.

A committee approves the practitioner guidance, its threshold and timescales, and its forms'
questions. `approved_text(g, version)` is that text as the version renders it now, paragraph by
paragraph; `guidance/releases/X.Y.lock` holds the fingerprints it was approved with
(model/approved.py). `check_locks` names every paragraph that differs, with the way to make the
change for a later version only, or to approve it as an erratum.

Not counted, on purpose: the resident pages and the site's own pages (they may improve
freely, and the tests check they agree with the version in force); the change history (it is
the record of versions and errata itself); layout (theme, CSS, Markdown markup, line breaks);
and the names and contact details of councils and bodies (a team's name, a phone number, an
address, whether a fact is confirmed), which are facts kept up to date, not words a committee
approved. They are rendered as "[name or contact detail]" when fingerprinting, so confirming the
OPCC's phone number, or a body's new name, is not an erratum. The law's own names stay.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import html
import re
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..model import Fingerprint, Guidance, Lock, Version, fingerprint, form_wording, lock_path, version_key
from ..model.approved import opening, sentences_of
from ..model.criteria_words import criteria_rows
from ..model.paragraphs import blocks, plain_words
from ..templating import context_for, render_text

APPROVED_PAGES = "practitioner/"
#: The change history is the record of versions and errata, so it changes when they do.
NOT_APPROVED_TEXT = {"practitioner/change-history.md"}
CRITERIA = "guidance/criteria.yml"
ABOUT_FACTS = {"verified", "note", "sources"}
PLACEHOLDER = "[name or contact detail]"
NOTE_PLACEHOLDER = "[editors' note]"


@dataclass(frozen=True)
class Approved:
    """One paragraph (or figure, or question) of an approved version's text as it reads now."""

    part: str            # the file it is written in, as editors see it; the lock groups by it
    text: str            # its plain words
    line: int | None     # where it is written, as near as can be told
    kind: str = "paragraph"

    def fingerprint(self) -> Fingerprint:
        return fingerprint(self.part, self.text)


@dataclass(frozen=True)
class Difference:
    """A paragraph that is not as approved: changed (both), new (only `now`) or gone (only `was`)."""

    part: str
    was: Fingerprint | None
    now: Approved | None
    line: int | None


# -- the text a version approved ---------------------------------------------------

def _facts_left_out(data: Any, *, words_too: bool) -> Any:
    """Details as the lock reads them: whether a fact is confirmed, and editors' notes and sources, left out (a
    note shown on a page reads as a placeholder); with `words_too`, every name, number and address too (a named
    body's details are facts kept up to date)."""
    if isinstance(data, dict):
        out = {key: _facts_left_out(value, words_too=words_too) for key, value in data.items()
               if key not in ABOUT_FACTS}
        if "name" in data or "title" in data:
            out["note"] = NOTE_PLACEHOLDER
        return out
    if isinstance(data, list):
        return [_facts_left_out(v, words_too=words_too) for v in data]
    return PLACEHOLDER if words_too and isinstance(data, str) else data


def _council_left_out(council):
    contact = dataclasses.replace(council.spoc, team=PLACEHOLDER, address=(PLACEHOLDER,), postcode=PLACEHOLDER,
                                  phone=PLACEHOLDER, web=PLACEHOLDER, email=PLACEHOLDER, verified=True, note=None)
    return dataclasses.replace(council, name=PLACEHOLDER, short_name=PLACEHOLDER, spoc=contact, adopted_on=None,
                               signatory=None, accessibility_contact=None)


def fixed_context(g: Guidance, version: Version) -> dict[str, Any]:
    """The names pages use, with the facts that are kept up to date (names and contact details) held still."""
    bodies = {key: value if key == "law" else _facts_left_out(value, words_too=True)
              for key, value in g.organisations.items()}
    # Whether a version's own dates are confirmed is a fact about the record, not approved text: a note
    # shown while they are not must not read as a change when an editor confirms them.
    versions = [dataclasses.replace(v, verified=True, note=None) for v in g.versions]
    partnership = dataclasses.replace(g.partnership, name=PLACEHOLDER, short_name=PLACEHOLDER)
    fixed = dataclasses.replace(g, organisations=bodies, law=_facts_left_out(g.law, words_too=False),
                                partnership=partnership,
                                councils={cid: _council_left_out(c) for cid, c in g.councils.items()},
                                versions=versions)
    return context_for(fixed, None, next(v for v in versions if v.version == version.version))


def approved_pages(g: Guidance) -> list:
    return [p for p in sorted(g.pages, key=lambda p: p.rel) if is_approved_text(p)]


def is_approved_text(page) -> bool:
    """Whether a page's words are approved text, which the locks hold."""
    return page.rel.startswith(APPROVED_PAGES) and page.rel not in NOT_APPROVED_TEXT


def _page_text(page, context: dict) -> tuple[list[Approved], list[Problem]]:
    rendered, problems = render_text(page.body, context, page.path, page.body_line)
    if rendered is None:
        return [], problems
    return [Approved(page.path, plain_words(block), None) for block in blocks(rendered)], []


def _criteria_text(g: Guidance, version: Version) -> list[Approved]:
    criteria = g.criteria.get(version.version)
    if criteria is None:
        return []
    where = criteria.where
    return [Approved(CRITERIA, f"{label}: {words}", where.line_of(key.split(".")[0]), "figure")
            for key, label, words in criteria_rows(criteria)]


def _form_text(g: Guidance, context: dict) -> tuple[list[Approved], list[Problem]]:
    out: list[Approved] = []
    problems: list[Problem] = []
    for form_id in sorted(g.forms):
        form = g.forms[form_id]
        if form.kind == "letter":   # letters are compared by ctkit diff, not locked
            continue
        for item in form_wording(form):
            rendered = []
            for source in item.sources:
                text, found = render_text(source, context, form.source, item.line or 1) if source else ("", [])
                problems += found
                rendered.append(html.unescape(text or ""))
            out.append(Approved(form.source, item.compose(rendered), item.line, item.kind))
    return out, problems


def approved_text(g: Guidance, version: Version) -> tuple[list[Approved], list[Problem]]:
    """Everything `version` approved, as it renders now, in the lock's order (pages, criteria, forms)."""
    context = fixed_context(g, version)
    out: list[Approved] = []
    problems: list[Problem] = []
    for page in approved_pages(g):
        found, page_problems = _page_text(page, context)
        out += found
        problems += page_problems
    out += _criteria_text(g, version)
    forms, form_problems = _form_text(g, context)
    return out + forms, problems + form_problems


def lock_of(g: Guidance, version: Version, header: tuple[str, ...]) -> tuple[Lock, list[Problem]]:
    """A new lock of `version`'s text as it is now."""
    text, problems = approved_text(g, version)
    return Lock(version.version, header, tuple(a.fingerprint() for a in text), lock_path(version.version)), problems


# -- comparing with the lock ---------------------------------------------------------

def differences(g: Guidance, lock: Lock) -> tuple[list[Difference], list[Problem]]:
    """Every paragraph of the locked version that is not as it was approved, part by part."""
    version = g.version(lock.version)
    now, problems = approved_text(g, version)
    unreadable = {p.path for p in problems}   # a page that does not render is reported as that, not as changed
    by_part: dict[str, list[Approved]] = {}
    for item in now:
        by_part.setdefault(item.part, []).append(item)
    was_by_part = lock.by_part()
    found: list[Difference] = []
    for part in list(was_by_part) + [p for p in by_part if p not in was_by_part]:
        if part not in unreadable:
            found += _part_differences(g, part, was_by_part.get(part, []), by_part.get(part, []))
    return found, problems


def _part_differences(g: Guidance, part: str, was: list[Fingerprint], now: list[Approved]) -> list[Difference]:
    a = [f.digest for f in was]
    b = [item.fingerprint().digest for item in now]
    lines = _SourceLines(g, part)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        for k in range(max(i2 - i1, j2 - j1)):   # side by side: changed while both have one, then added or gone
            before = was[i1 + k] if k < i2 - i1 else None
            after = now[j1 + k] if k < j2 - j1 else None
            anchor = after or (now[j1] if j1 < len(now) else (now[-1] if now else None))   # a gone one: where it was
            out.append(Difference(part, before, after, lines.of(anchor)))
    return out


class _SourceLines:
    """Where in its file a rendered paragraph was written, as near as its words tell."""

    _CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")

    def __init__(self, g: Guidance, part: str) -> None:
        self.page = next((p for p in g.pages if p.path == part), None)
        self._words: list[set[str]] | None = None

    @property
    def words(self) -> list[set[str]]:
        """The words of each line of the page, worked out only for a page that has a difference to place."""
        if self._words is None:
            self._words = [set(_words(plain_words(self._CODE.sub(" ", line))))
                           for line in (self.page.body.splitlines() if self.page is not None else [])]
        return self._words

    def of(self, item: Approved | None) -> int | None:
        if item is None:
            return self.page.body_line if self.page else None
        if self.page is None:
            return item.line
        wanted = _words(item.text)[:20]
        scores = [len(set(wanted) & words) for words in self.words]
        best = max(range(len(scores)), key=lambda i: (scores[i], -i), default=None)
        if best is None or scores[best] == 0:
            return self.page.body_line
        return self.page.body_line + best


def _words(text: str) -> list[str]:
    return re.findall(r"[\w’']+", text.lower())


# -- ctkit check ---------------------------------------------------------------------

def _still_published(g: Guidance, version: Version, today: dt.date) -> bool:
    """The version in force today, or an approved one still to come; a superseded version is history
    (its release tag keeps it), and its pages may lose its words."""
    later = [v for v in g.versions if v.is_approved and v.key > version.key and v.effective_from
             and v.effective_from <= today]
    return not later


def next_version_hint(g: Guidance, version: Version) -> str:
    """The version a change should be written for: the newest draft after `version`, else the next number."""
    drafts = [v for v in g.versions if not v.is_approved and v.key > version.key]
    if drafts:
        return max(drafts, key=lambda v: v.key).version
    major, minor = version.key[:2]
    return f"{major}.{minor + 1}"


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def _ordinal(n: int) -> str:
    return ORDINALS[n] if n < len(ORDINALS) else f"number {n + 1}"


def _which_sentence(was: Fingerprint, now: Approved) -> str:
    """What changed in a paragraph, as near as the lock can say: the first sentence that is not as approved."""
    new = fingerprint("", now.text)
    sentences = sentences_of(" ".join(now.text.split()))
    if len(sentences) == 1 and len(was.sentences) == 1:
        return f"it now reads “{opening(sentences[0], 16)}”"
    for i, digest in enumerate(new.sentences):
        if i >= len(was.sentences) or was.sentences[i] != digest:
            added = " (a sentence it did not have)" if len(new.sentences) > len(was.sentences) and \
                was.sentences[i:] == new.sentences[i + 1:] else ""
            return f"its {_ordinal(i)} sentence now reads “{opening(sentences[i], 16)}”{added}"
    return f"its {_ordinal(len(new.sentences))} sentence, which was approved, is gone"


def _sentence(d: Difference, version: str) -> str:
    if d.was is not None and d.now is not None:
        return (f"approved text changed: the {_what(d.now)} that version {version} approved as “{d.was.words}” is not "
                f"as approved: {_which_sentence(d.was, d.now)}")
    if d.now is not None:
        return (f"approved text changed: this {_what(d.now)} (“{opening(d.now.text)}”) is new in version "
                f"{version}, which was approved without it")
    return f"approved text changed: “{d.was.words}”, which version {version} approved, is gone from here"


def _what(item: Approved) -> str:
    return {"figure": "figure", "question": "question", "title": "title", "section": "section heading"}.get(
        item.kind, "paragraph")


def check_locks(g: Guidance, today: dt.date | None = None) -> list[Problem]:
    """Each locked, still-published version's text as approved; every difference named, with what to do."""
    today = today or dt.date.today()
    problems: list[Problem] = []
    known = {v.version: v for v in g.versions}
    for version in g.versions:
        if version.is_approved and version.version not in g.locks and _still_published(g, version, today):
            problems.append(version.where.problem(
                f"version {version.version} is approved but its text has no lock ({lock_path(version.version)}), so "
                f"a change to it would go unnoticed; release it with 'ctkit version release {version.version}' (for "
                f"a version approved before the kit kept locks: 'ctkit version lock {version.version}')",
                "version", severity="warning"))
    for number in sorted(g.locks, key=version_key):
        lock = g.locks[number]
        version = known.get(number)
        if version is None or not version.is_approved:
            problems.append(Problem(lock.path, None, f"this is the lock of version {number}, which is "
                                                     f"{'not in guidance/versions.yml' if version is None else 'a draft'};"
                                                     " only an approved version has a lock"))
            continue
        if not _still_published(g, version, today):
            continue
        found, _ = differences(g, lock)   # templates that do not render are reported by check_pages and check_forms
        if not found:
            continue
        problems += [Problem(d.part, d.line, _sentence(d, number)) for d in found]
        later = next_version_hint(g, version)
        problems.append(Problem(
            lock.path, None,
            f"{len(found)} paragraph{'s' if len(found) != 1 else ''} of version {number} differ from what was approved "
            f"(listed above). A committee approved version {number}'s words, so they change only with its approval: "
            f"for a later version, write the new words inside {{% if guidance is at_least(\"{later}\") %}} … "
            f"{{% else %}} … the approved words … {{% endif %}} (a new figure goes in version {later}'s block of "
            f"{CRITERIA}); or, if the change corrects a mistake in version {number}, approve it as an erratum with "
            f"ctkit version erratum {number} --reason \"what was wrong and who agreed\""))
    return problems
