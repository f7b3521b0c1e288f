"""`ctkit build`: one website per council, from sources read and checked once.

The project is loaded once; each council's site is then a normal MkDocs build whose
`ctkit` plugin is handed the loaded project (`preload`), so ten sites never mean ten
readings of the sources. Output: site/<council-id>/ and an index at site/index.html.
"""
from __future__ import annotations

import html
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..model import UnknownCouncil
from ..project import load_project


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


def _reuse_theme_env(config: Any) -> None:
    """Compile the theme's templates once per process, not once per council."""
    theme = config.theme
    fresh = theme.get_env

    def cached() -> Any:
        key = (tuple(theme.dirs), str(theme.locale))
        if key not in _THEME_ENVS:
            _THEME_ENVS[key] = fresh()
        return _THEME_ENVS[key]

    theme.get_env = cached


def build_site(root: Path, project: Any, council_id: str, site_dir: Path, *, drafts: bool = False,
               registers: Path | None = None, pdfs: bool = True, plugin: bool = True) -> None:
    """Build one council's site into `site_dir` with MkDocs, reusing the loaded project."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    if not plugin:   # a plain MkDocs build of the same Markdown, for comparison (benchmarks/)
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir),
                             plugins=["search"], strict=False)
    else:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir))
        config.plugins["ctkit"].preload(project, council=council_id, drafts=drafts, registers=registers, pdfs=pdfs)
    _reuse_theme_env(config)
    build(config)


#: Set in the parent before the worker processes fork, so they share the loaded project.
_JOB: dict[str, Any] = {}


def _build_one(cid: str) -> tuple[str, float, bool]:
    from mkdocs.exceptions import Abort

    began = time.monotonic()
    try:
        build_site(_JOB["root"], _JOB["project"], cid, _JOB["site_root"] / cid,
                   drafts=_JOB["drafts"], registers=_JOB["registers"])
    except Abort:
        return cid, time.monotonic() - began, False
    return cid, time.monotonic() - began, True


def _workers(count: int) -> int:
    """Two councils at a time on a machine with two cores or more; one where fork is missing."""
    import multiprocessing
    if count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(count, os.cpu_count() or 1, 4))


def write_index(site_root: Path, guidance: Any) -> None:
    """site/index.html: a plain list of the council sites that exist, for whoever hosts them all."""
    items = []
    for council in [guidance.county, *guidance.spoc_councils]:
        if (site_root / council.id / "index.html").exists():
            items.append(f'<li><a href="{html.escape(council.id)}/">{html.escape(council.name)}</a></li>')
    page = (
        '<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Community Trigger: council websites</title>\n"
        "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.5;color:#1a1a1a}a{color:#1d3a8a}a:focus{outline:3px solid #b35900;outline-offset:2px}</style>\n"
        "</head>\n<body>\n<main>\n<h1>Community Trigger: council websites</h1>\n"
        "<p>Each council in Derbyshire publishes the Community Trigger guidance and forms with its own contact "
        "details. Choose a council.</p>\n<ul>\n" + "\n".join(items) + "\n</ul>\n</main>\n</body>\n</html>\n")
    (site_root / "index.html").write_text(page, encoding="utf-8")


def run(args: Any) -> int:
    root = Path(args.root)
    site_root = (args.site_dir or root / "site").resolve()
    project = load_project(root)
    if project.errors:
        raise SourceError(project.errors)
    guidance = project.require()
    if args.all:
        ids = [guidance.county.id] + [c.id for c in guidance.spoc_councils]
    else:
        ids = [args.council or guidance.county.id]
    try:
        for cid in ids:
            guidance.council(cid)
    except UnknownCouncil as exc:
        print(f"ctkit build: {exc.sentence}", file=sys.stderr)
        return 2
    registers = getattr(args, "registers", None)
    if registers is not None and not Path(registers).is_dir():
        print(f"ctkit build: the registers folder {registers} does not exist.", file=sys.stderr)
        return 2

    handler = _quiet_mkdocs()
    _JOB.update(root=root, project=project, site_root=site_root, drafts=args.drafts, registers=registers)
    started = time.monotonic()
    workers = _workers(len(ids))
    failed: list[str] = []
    try:
        if workers == 1:
            results = map(_build_one, ids)
            pool = None
        else:
            import multiprocessing
            pool = multiprocessing.get_context("fork").Pool(workers)
            results = pool.imap_unordered(_build_one, ids)
        for n, (cid, seconds, ok) in enumerate(results, start=1):
            name = guidance.councils[cid].name
            if ok:
                print(f"[{n}/{len(ids)}] {name} … {seconds:.1f} s", flush=True)
            else:
                failed.append(name)
                print(f"[{n}/{len(ids)}] {name}: not built (the reasons are above)", flush=True)
        if pool is not None:
            pool.close()
            pool.join()
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    if failed:
        print(f"ctkit build: {len(failed)} site{'s were' if len(failed) > 1 else ' was'} not built: "
              f"{', '.join(failed)}.", file=sys.stderr)
        return 1
    write_index(site_root, guidance)
    where = site_root / ids[0] if len(ids) == 1 else site_root
    print(f"Built {len(ids)} site{'s' if len(ids) > 1 else ''} in {time.monotonic() - started:.1f} s: {where}")
    return 0
