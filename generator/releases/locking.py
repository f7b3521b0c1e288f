"""Locks, errata and releases: the commands that record what a committee approved.

- `take_first_lock` (`ctkit version lock 2.0`) writes the lock of a version approved before the kit
  kept locks, from its text as it is today, and says so in the lock. It may be taken again, after a
  merge for instance, until a release holds it; from then on only an erratum changes it.
- `approve_erratum` (`ctkit version erratum 2.0 --reason TEXT`) accepts the changed paragraphs of an
  approved version as a correction: the lock takes the new text, and versions.yml records the
  erratum, which the change history shows.
- `release` (`ctkit version release 2.1`) checks the sources, writes the version's lock, commits the
  version's files and tags that commit guidance-v2.1, so the tag names the files it was made for.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..checks import cross_check
from ..checks.approved_text import differences, lock_of
from ..dates import longdate
from ..errors import Problem, Stop
from ..model import LOCKS_FOLDER, Guidance, Lock, Version, format_lock, lock_path
from ..project import load_project
from . import git
from .versions_file import CRITERIA, VERSIONS, record_erratum, refused

TAG_PREFIX = "guidance-v"


def _approved(g: Guidance, number: str) -> Version:
    version = g.version(number)
    if not version.is_approved:
        raise refused(f"version {number} is a draft; only an approved version has approved text to lock or release "
                      f"(record its approvals with 'ctkit version approve {number} ...').")
    return version


def _what_it_says(number: str) -> str:
    return (f"The lock of version {number}: a fingerprint of each paragraph it approved, one a line, "
            "which ctkit check compares with the text.")


def _write(root: Path, lock: Lock) -> None:
    path = root / lock_path(lock.version)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(format_lock(lock), encoding="utf-8", newline="\n")
    tmp.replace(path)


def _loaded(root: Path, *, retaking: bool = False) -> Guidance:
    """The project, refusing while any source has an error (a lock of broken text would be no record). The
    comparison with the locks is left out: recording a change to them is what the caller is for; `retaking`
    also passes over a lock file that cannot be read, since it is about to be written again."""
    project = load_project(root, with_checks=False)
    errors = [p for p in project.errors if not (retaking and p.path.startswith(LOCKS_FOLDER + "/"))]
    if project.guidance is not None and not errors:
        errors = [p for p in cross_check(project.guidance, locks=False) if p.is_error]
    if errors or project.guidance is None:
        raise Stop(errors + [Problem("", None, "the sources have errors, so nothing was recorded; put them right "
                                               "first (ctkit check lists them).")])
    return project.guidance


def _rendered_lock(g: Guidance, version: Version, header: tuple[str, ...]) -> Lock:
    lock, problems = lock_of(g, version, header)
    if problems:
        raise Stop(problems + [Problem("", None, f"version {version.version}'s text cannot be rendered, so it "
                                                 "cannot be locked.")])
    return lock


def _released_in(root: Path, number: str) -> list[str]:
    return git.tags_holding(root, lock_path(number)) if git.is_repository(root) else []


def take_first_lock(root: Path, number: str, today: dt.date | None = None) -> list[str]:
    """Write (or write again) the first lock of an approved version from its text as it is now."""
    today = today or dt.date.today()
    g = _loaded(root, retaking=True)
    version = _approved(g, number)
    held = _released_in(root, number)
    if held:
        raise refused(f"the lock of version {number} is part of the release {held[0]}, so it records what was "
                      f"released; a change to version {number}'s words is an erratum: ctkit version erratum {number} "
                      "--reason TEXT.")
    approved_on = f" in {version.date.year}" if version.date else ""
    header = (
        _what_it_says(number),
        f"The first lock, taken on {longdate(today)} by 'ctkit version lock {number}' from the text as it was that "
        f"day: version {number} was approved{approved_on}, before the kit kept locks, so this records that day's "
        "text, not the papers the committee saw.",
        f"Until a release holds this file, 'ctkit version lock {number}' takes it again (after a merge, say); "
        f"after that, version {number}'s words change only by 'ctkit version erratum {number} --reason TEXT'.",
    )
    lock = _rendered_lock(g, version, header)
    before = g.locks.get(number)
    if before is not None and before.entries == lock.entries:
        return [f"The lock of version {number} ({lock_path(number)}) already matches its text; it was left as it is."]
    _write(root, lock)
    verb = "Took again" if before is not None else "Took"
    return [f"{verb} the first lock of version {number}: {len(lock.entries)} paragraphs, figures and questions, "
            f"in {lock_path(number)}. Commit it with the text it records."]


def approve_erratum(root: Path, number: str, reason: str, on: dt.date | None = None) -> list[str]:
    """Accept the changed paragraphs of an approved version as a correction, recorded in the change history."""
    reason = " ".join(reason.split())
    if not reason:
        raise refused("the reason is empty; say in a sentence what was wrong and who agreed the correction.")
    on = on or dt.date.today()
    g = _loaded(root)
    version = _approved(g, number)
    lock = g.locks.get(number)
    if lock is None:
        raise refused(f"version {number} has no lock ({lock_path(number)}), so there is nothing to correct; "
                      f"take it with 'ctkit version lock {number}'.")
    found, problems = differences(g, lock)
    if problems:
        raise Stop(problems)
    if not found:
        raise refused(f"version {number}'s text is as it was approved, so there is no erratum to record.")
    header = tuple(lock.header) + (f"Erratum of {longdate(on)}: {reason}",)
    _write(root, _rendered_lock(g, version, header))
    record_erratum(root, number, on, reason)
    return [f"Recorded an erratum to version {number} ({len(found)} paragraph{'s' if len(found) != 1 else ''}) "
            f"in {VERSIONS}, and its lock ({lock_path(number)}) now holds the corrected text. The change history "
            "lists the erratum."]


def release(root: Path, number: str) -> list[str]:
    """Check, lock, commit and tag an approved version."""
    if not git.is_repository(root):
        raise refused(f"{root} is not in a git repository, so there is nothing to tag; releases are git tags.")
    tag = f"{TAG_PREFIX}{number}"
    if tag in git.release_tags(root):
        raise refused(f"version {number} is already released as {tag}; a correction to it is an erratum.")
    own = [VERSIONS, CRITERIA, lock_path(number)]
    others = [path for path in git.uncommitted(root) if path not in own]
    if others:
        shown = ", ".join(others[:8]) + (f" and {len(others) - 8} more" if len(others) > 8 else "")
        raise refused(f"these files have changes that are not committed: {shown}. A release records committed "
                      "files only; commit them (or put them back) first, then release.")
    project = load_project(root)
    g = project.guidance
    if project.errors or g is None:
        raise Stop(project.errors + [Problem("", None, f"ctkit check finds errors, so version {number} was not "
                                                       "released; put them right first.")])
    version = _approved(g, number)
    if version.effective_from is None:
        raise refused(f"version {number} has no date it takes effect; approve it with --effective-from first.")
    if number not in g.locks:
        header = (_what_it_says(number),
                  f"Taken at its release as {tag}, on {longdate(dt.date.today())}, by 'ctkit version release {number}'.",
                  f"Version {number}'s words change only by 'ctkit version erratum {number} --reason TEXT'.")
        _write(root, _rendered_lock(g, version, header))
    approvals = "; ".join(f"{a.body}" + (f", {longdate(a.on)}" if a.on else "") for a in version.approvals)
    message = (f"Release guidance version {number}, in force from {longdate(version.effective_from)}"
               + (f"\n\nApproved by: {approvals}." if approvals else ""))
    commit = git.commit_and_tag(root, own, message, tag, message)
    return [f"Released version {number} as {tag} (commit {commit}): the tag holds its files and its lock "
            f"({lock_path(number)}).",
            f"A later draft is compared with it by: ctkit diff {tag} . -o changes.pdf"]
