"""Where a partnership's content is: the file that marks the folder, and how a command finds it.

A content folder holds one partnership's guidance, forms and councils, with `ctkit.yml` at its root (what the
partnership sets once: its name, its area, its lead body). A command works on the folder `--project DIR`
names; without it, on the working directory or the nearest folder above it that holds a `ctkit.yml`, as git
finds its repository (ARCHITECTURE.md, "The content folder").
"""
from __future__ import annotations

import os
from pathlib import Path

#: The file at the root of every content folder.
PROJECT_FILE = "ctkit.yml"


def find_content_folder(start: Path) -> Path | None:
    """`start` or the nearest folder above it that holds a ctkit.yml; None when there is none."""
    start = start.resolve()
    return next((folder for folder in (start, *start.parents) if (folder / PROJECT_FILE).is_file()), None)


def default_root() -> Path:
    """The content folder when --project does not say: $CTKIT_ROOT, else the one found from the working
    directory, else the working directory itself (loading it then says that it is not a content folder)."""
    env = os.environ.get("CTKIT_ROOT")
    if env:
        return Path(env)
    return find_content_folder(Path.cwd()) or Path.cwd()
