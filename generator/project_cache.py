"""A loaded project kept in the build cache, so a short command does not read and check every source again.

Reading each YAML file, checking it against its schema, building the model and running the checks is
most of the start of `ctkit validate` and the other casework commands (issue 29). The loaded
`Project` (its model and every problem and warning found) is stored in the build cache under a key of
everything it was made from: the bytes of every file under guidance/, forms/ and schemas/ and of
ctkit.yml, today's date (which version is in force, and whether a lock still applies, depend on it),
the project's folder, and the kit itself (build_cache.kit_fingerprint). A command that finds it there
uses it as it is; any change to a source is another key, so a cached project is always the one the
sources make today.

The entry is a Python pickle, so it is trusted as the installed code is (Python keeps its own compiled
code in the same way): it is read only when this user owns it and its folder and no one else may
write to either; otherwise the project is loaded from the sources as if the cache were empty.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import stat
from pathlib import Path

from .build_cache import BuildCache, active, kit_fingerprint
from .project import Project, load_project

#: Every folder a project's sources (and the schemas that check them) are read from.
SOURCE_FOLDERS = ("guidance", "forms", "schemas")
#: And the content folder's own settings (ctkit.yml: the partnership, its area and lead).
SOURCE_FILES = ("ctkit.yml",)


def project_key(root: Path) -> str:
    """Everything a loaded project is made of, in one digest (a source that is added or deleted changes it too)."""
    digest = hashlib.sha256(f"{kit_fingerprint()}\0{root}\0{dt.date.today().isoformat()}".encode())
    sources = [*(p for folder in SOURCE_FOLDERS for p in sorted((root / folder).rglob("*"))),
               *(root / name for name in SOURCE_FILES)]
    for path in sources:
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _only_mine(path: Path) -> bool:
    """Whether this user owns `path` and its folder, and nobody else may write to them."""
    try:
        for part in (path, path.parent):
            mode = part.stat()
            if mode.st_uid != os.getuid() or mode.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return False
    except OSError:
        return False
    return True


def cached_project(root: Path | str, cache: BuildCache | None = None) -> Project:
    """The project at `root`, loaded and checked: from the cache when it holds this very one, else loaded
    (and stored for the next run)."""
    root = Path(root).resolve()
    cache = cache or active()
    if cache.folder is None:
        return load_project(root)
    key = project_key(root)
    path = cache.path("project", key, ".pickle")
    found = cache.get("project", key, ".pickle") if path is not None and _only_mine(path) else None
    if found is not None:
        try:
            project = pickle.loads(found)
            if isinstance(project, Project):
                return project
        except Exception:  # noqa: BLE001 - a damaged entry (a full disk, an interrupted copy) is loaded again
            pass
    project = load_project(root)
    cache.put("project", key, pickle.dumps(project, protocol=pickle.HIGHEST_PROTOCOL), ".pickle")
    return project
