"""`ctkit clean [--cache-dir DIR]`: delete what builds made, so the next build starts from nothing.

It deletes the build output (site/ and site-drafts/ in the project; both are written only by
`ctkit build`) and the build cache (build_cache.py): only the folders the kit writes inside it
(pdf/, project/, calendar/), never anything else a folder given with --cache-dir holds, and the
cache folder itself once it is empty. Sources are never touched. It says what it deleted and how
much room that freed.
"""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from ..build_cache import KINDS, default_cache_dir
from ..errors import Stop, display_path
from .common import DRAFTS_FOLDER, LIVE_FOLDER


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _in_words(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{max(1, round(size / 1000))} KB"


def _delete(folder: Path) -> int:
    """Delete one folder the kit wrote; the room it took, or Stop with a sentence if it cannot be deleted."""
    size = _size(folder)
    try:
        shutil.rmtree(folder)
    except OSError as exc:
        raise Stop(f"cannot delete {display_path(folder)} ({exc.strerror or exc}); nothing else was deleted "
                   "after it.") from None
    return size


def run(args: argparse.Namespace) -> int:
    root = Path(args.root)
    cache = (getattr(args, "cache_dir", None) or default_cache_dir()).expanduser().resolve()
    said = []
    for name in (LIVE_FOLDER, DRAFTS_FOLDER):
        folder = root / name
        if folder.is_dir() and not folder.is_symlink():
            said.append(f"{display_path(folder, root)}/ ({_in_words(_delete(folder))})")
    freed = sum(_delete(cache / kind) for kind in KINDS if (cache / kind).is_dir() and not (cache / kind).is_symlink())
    if cache.is_dir() and not any(cache.iterdir()):
        cache.rmdir()
    if freed:
        said.append(f"the build cache in {cache} ({_in_words(freed)})")
    print(("Deleted " + "; ".join(said) + ".") if said else "Nothing to delete: no site was built and the build "
          f"cache ({cache}) is empty.")
    return 0
