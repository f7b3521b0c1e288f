"""Read the guidance sources as they were at a git revision (a release tag such as guidance-v2.0).

Releases are git tags, so "what changed between two releases" starts by unpacking each
tag's sources into a temporary folder and loading them like any other project. Nothing in
the working tree is touched; git is only asked to read.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from pathlib import Path

from ..errors import Stop

#: What a project's sources are; the rest of a release (code, tests) is not compared.
SOURCE_PARTS = ("guidance/", "forms/", "schemas/", "mkdocs.yml", "ctkit.yml")
MAX_ARCHIVE_BYTES = 50_000_000


def _git(root: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    git = shutil.which("git")
    if git is None:
        raise Stop("git is not installed, so 'ctkit diff' cannot read released versions.")
    return subprocess.run([git, "-C", str(root), *args], capture_output=True, text=not binary, timeout=120)


def repository_prefix(root: Path) -> str:
    """Where the project sits inside its git repository ('' at the top)."""
    result = _git(root, "rev-parse", "--show-prefix")
    if result.returncode != 0:
        raise Stop(f"{root} is not inside a git repository, so there are no released versions to compare.")
    return result.stdout.strip()


def resolve(root: Path, revision: str) -> str:
    """The commit a tag or revision names, or a sentence saying it does not exist."""
    if not revision or revision.startswith("-"):
        raise Stop(f"'{revision}' is not a release name; give a tag such as guidance-v2.0.")
    result = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if result.returncode != 0:
        tags = _git(root, "tag", "--list", "guidance-v*").stdout.split()
        hint = f" The releases are: {', '.join(tags)}." if tags else " No release tags (guidance-v…) exist yet."
        raise Stop(f"there is no release or revision called '{revision}' in this repository.{hint}")
    return result.stdout.strip()


def unpack_sources(root: Path, revision: str, dest: Path) -> str:
    """Write the sources at `revision` into `dest`; return the commit id."""
    prefix = repository_prefix(root)
    commit = resolve(root, revision)
    tree = f"{commit}:{prefix.rstrip('/')}" if prefix else commit
    result = _git(root, "archive", "--format=tar", tree, binary=True)
    if result.returncode != 0:
        raise Stop(f"the sources at '{revision}' could not be read from git.")
    if len(result.stdout) > MAX_ARCHIVE_BYTES:
        raise Stop(f"the release '{revision}' is too large to compare.")
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
        members = [m for m in archive.getmembers()
                   if (m.isfile() or m.isdir()) and m.name.startswith(SOURCE_PARTS)]
        archive.extractall(dest, members=members, filter="data")
    if not (dest / "guidance" / "versions.yml").exists():
        raise Stop(f"the release '{revision}' has no guidance/versions.yml, so it is not a guidance release.")
    return commit


# -- making a release ------------------------------------------------------------------
# `ctkit version release` is the one command that writes to git: it commits the version's files and
# tags that commit, so a tag never names files older than the ones it was made for.

def is_repository(root: Path) -> bool:
    return shutil.which("git") is not None and _git(root, "rev-parse", "--show-prefix").returncode == 0


def _said(result: subprocess.CompletedProcess) -> str:
    """git's own complaint, first line, for a sentence."""
    text = (result.stderr or result.stdout or "").strip().splitlines()
    return text[0] if text else f"git stopped with status {result.returncode}"


def uncommitted(root: Path) -> list[str]:
    """Files under the project (relative to it) that differ from the last commit or are new and not ignored."""
    prefix = repository_prefix(root)
    result = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", ".")
    if result.returncode != 0:
        raise Stop(f"git could not say which files have changed: {_said(result)}.")
    paths = []
    entries = result.stdout.split("\0")
    skip = False
    for entry in entries:
        if skip or not entry:
            skip = False
            continue
        status, path = entry[:2], entry[3:]
        skip = "R" in status or "C" in status   # a rename is followed by its old name
        paths.append(path[len(prefix):] if prefix and path.startswith(prefix) else path)
    return sorted(paths)


def release_tags(root: Path) -> list[str]:
    result = _git(root, "tag", "--list", "guidance-v*")
    return result.stdout.split() if result.returncode == 0 else []


def tags_holding(root: Path, rel: str) -> list[str]:
    """The release tags whose files include `rel` (a path in the project)."""
    prefix = repository_prefix(root)
    return [tag for tag in release_tags(root)
            if _git(root, "cat-file", "-e", f"{tag}^{{commit}}:{prefix}{rel}").returncode == 0]


def commit_and_tag(root: Path, files: list[str], message: str, tag: str, tag_message: str) -> str:
    """Commit `files` (those that changed) and tag the commit; return the commit's short id."""
    changed = [f for f in files if f in uncommitted(root)]
    if changed:
        for args in (("add", "--", *changed), ("commit", "-q", "-m", message, "--", *changed)):
            result = _git(root, *args)
            if result.returncode != 0:
                raise Stop(f"git could not commit the release ({_said(result)}); nothing was tagged. If git asks "
                           "who you are, set your name and email with git config user.name and user.email.")
    result = _git(root, "tag", "-a", tag, "-m", tag_message)
    if result.returncode != 0:
        raise Stop(f"git could not make the tag {tag} ({_said(result)}).")
    return _git(root, "rev-parse", "--short", f"{tag}^{{commit}}").stdout.strip()
