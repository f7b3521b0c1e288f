"""Build council websites with MkDocs from a project loaded and checked once.

Each council's site is a normal MkDocs build whose `ctkit` plugin is handed the loaded
model (`preload`), so ten sites never mean ten readings of the sources. Two councils build
at a time on two cores (forked workers share the loaded model). The command that calls
this (`ctkit build`) reports progress; this module only builds.
"""
from __future__ import annotations

import html
import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from ..build_cache import NO_CACHE, BuildCache
from ..model import Guidance
from ..templating import context_for


class _Once(logging.Filter):
    """Show each plugin note once, not once per council."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.levelno < logging.WARNING and message in self.seen:
            return False
        self.seen.add(message)
        return True


def _quiet_mkdocs() -> logging.Handler:
    """MkDocs' own chatter off; warnings, errors and the plugin's notes on, as plain lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(_Once())
    handler.addFilter(lambda r: r.levelno >= logging.WARNING or r.name.startswith("mkdocs.plugins.ctkit"))
    mk = logging.getLogger("mkdocs")
    mk.addHandler(handler)
    mk.setLevel(logging.INFO)
    mk.propagate = False
    return handler


_THEME_ENVS: dict[tuple, Any] = {}


def reuse_theme_env(config: Any) -> None:
    """Compile the theme's templates once per process, not once per council, and list the theme's files once:
    Material ships some 14,000 icons, which MkDocs lists and filters again for every build."""
    theme = config.theme
    fresh = theme.get_env

    def cached() -> Any:
        key = (tuple(theme.dirs), str(theme.locale))
        if key not in _THEME_ENVS:
            _THEME_ENVS[key] = _listed_once(fresh())
        return _THEME_ENVS[key]

    theme.get_env = cached


def forget_theme_envs() -> None:
    """Compile the theme's templates again at the next build (the preview, after the kit's own theme changed)."""
    _THEME_ENVS.clear()


def _listed_once(env: Any) -> Any:
    """`env.list_templates` answering each question (which extensions, which filter, by its name) once."""
    listed: dict[tuple, list[str]] = {}
    every = env.list_templates

    def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
        key = (tuple(extensions or ()), getattr(filter_func, "__qualname__", None))
        if key not in listed:
            listed[key] = every(extensions, filter_func)
        return list(listed[key])

    env.list_templates = list_templates
    return env


#: The kit's MkDocs settings, for a content folder without an mkdocs.yml of its own.
KIT_MKDOCS = Path(__file__).resolve().parent / "mkdocs.yml"


def mkdocs_settings(root: Path) -> dict[str, str]:
    """The config file MkDocs reads for the content folder `root`, and its pages folder: the folder's own
    mkdocs.yml if it has one (this repository does, for plain `mkdocs serve`), else the kit's."""
    own = root / "mkdocs.yml"
    if own.is_file():
        return {"config_file": str(own)}
    return {"config_file": str(KIT_MKDOCS), "docs_dir": str(root / "guidance")}


def build_site(guidance: Guidance, council_id: str, site_dir: Path, *, drafts: bool = False,
               registers: Path | None = None, pdfs: bool = True, plugin: bool = True,
               cache: BuildCache = NO_CACHE, docs_dir: Path | None = None) -> None:
    """Build one council's site into `site_dir` with MkDocs, reusing the loaded model; its PDFs come through
    `cache` (none by default: a caller that wants the user's cache says so). `plugin=False` is a plain MkDocs
    build of the same Markdown, or of the pages in `docs_dir`, for comparison (benchmarks/)."""
    settings = mkdocs_settings(guidance.root)
    if not plugin:
        if docs_dir is not None:
            settings = {**settings, "docs_dir": str(docs_dir)}
        config = load_config(**settings, site_dir=str(site_dir), plugins=["search"], strict=False)
    else:
        config = load_config(**settings, site_dir=str(site_dir))
        config.plugins["ctkit"].preload(guidance, council=council_id, drafts=drafts, registers=registers, pdfs=pdfs,
                                        cache=cache)
    reuse_theme_env(config)
    build(config)


#: Set in the parent before the worker processes fork, so they share the loaded model.
_JOB: dict[str, Any] = {}


@dataclass(frozen=True)
class Built:
    council_id: str
    seconds: float
    ok: bool
    drawn: int = 0     # PDFs drawn for this site
    reused: int = 0    # PDFs the build cache held


def _build_one(cid: str) -> Built:
    began = time.monotonic()
    cache = BuildCache(_JOB["cache"].folder)   # this site's own counts, in whichever process builds it
    try:
        build_site(_JOB["guidance"], cid, _JOB["site_root"] / cid, drafts=_JOB["drafts"],
                   registers=_JOB["registers"], cache=cache)
    except Abort:
        return Built(cid, time.monotonic() - began, False, cache.made, cache.reused)
    return Built(cid, time.monotonic() - began, True, cache.made, cache.reused)


def _cores() -> int:
    """The cores this process may use (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:   # not on Linux
        return os.cpu_count() or 1


def _workers(count: int) -> int:
    """As many councils at a time as there are cores (at most 4); one where fork is missing."""
    if count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(count, _cores(), 4))


def build_sites(guidance: Guidance, ids: list[str], site_root: Path, *, drafts: bool = False,
                registers: Path | None = None, cache: BuildCache = NO_CACHE) -> Iterator[Built]:
    """Build each council's site into site_root/<id>/, yielding each as it finishes."""
    handler = _quiet_mkdocs()
    _JOB.update(guidance=guidance, site_root=site_root, drafts=drafts, registers=registers, cache=cache)
    try:
        if _workers(len(ids)) == 1:
            yield from map(_build_one, ids)
            return
        with multiprocessing.get_context("fork").Pool(_workers(len(ids))) as pool:
            yield from pool.imap_unordered(_build_one, ids)
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)


def write_index(site_root: Path, guidance: Guidance) -> None:
    """site/index.html: a plain list of the council sites that exist, for whoever hosts them all."""
    called = context_for(guidance)["called"]["title"]   # already escaped for HTML
    items = []
    for council in guidance.sites:
        if (site_root / council.id / "index.html").exists():
            items.append(f'<li><a href="{html.escape(council.id)}/">{html.escape(council.name)}</a></li>')
    page = (
        '<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{called}: council websites</title>\n"
        "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.5;color:#1a1a1a}a{color:#1d3a8a}a:focus{outline:3px solid #b35900;outline-offset:2px}</style>\n"
        f"</head>\n<body>\n<main>\n<h1>{called}: council websites</h1>\n"
        f"<p>Each council in {html.escape(guidance.partnership.area)} publishes the {called} guidance and forms "
        "with its own contact "
        "details. Choose a council.</p>\n<ul>\n" + "\n".join(items) + "\n</ul>\n</main>\n</body>\n</html>\n")
    (site_root / "index.html").write_text(page, encoding="utf-8")
