"""`ctkit build [--council ID | --all] [--drafts | --publish]`: council websites and their PDFs.

The project is loaded and checked once (or taken from the build cache when no source changed);
each council's site is built by MkDocs through the ctkit plugin (generator.site.build), councils
side by side on as many cores as there are, and each finished site is reported as it lands. Every
PDF comes through the build cache (build_cache.py): drawn only when something that makes it changed,
never with --no-cache; the last line says how many were drawn. Live
sites go into site/<id>/; a draft preview into site-drafts/<id>/, so it never overwrites a
live one. `--publish` refuses while any value the sites show is still marked
`verified: false`, listing each with its file and line.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path
from urllib.parse import urlsplit

from ..build_cache import active
from ..errors import Problem, Stop, sorted_problems
from ..project_cache import cached_project
from ..site.build import build_sites, write_index
from .common import DRAFTS_FOLDER, LIVE_FOLDER, pdfs_in_words


def unconfirmed_for_publishing(unconfirmed: list[Problem]) -> list[Problem]:
    """Each unconfirmed value as an error that stops publishing, then one sentence saying what to do."""
    if not unconfirmed:
        return []
    listed = [Problem(p.path, p.line, p.message) for p in sorted_problems(unconfirmed)]
    return listed + [Problem("", None, f"not published: {len(listed)} value{'s' if len(listed) > 1 else ''} shown "
                                       "on the sites {} still marked 'verified: false'. Confirm each one, then delete its "
                                       "'verified: false' line (see CONTRIBUTING.md); build without --publish to "
                                       "preview.".format("are" if len(listed) > 1 else "is"))]


def where_to_publish(site_url: str, folder: Path) -> str:
    """The one place a built site works whole: its pages' links, styles and 404 page point to the folder
    of its `site.url`, so served from anywhere else the page-not-found page shows unstyled."""
    path = urlsplit(site_url).path or "/"
    return (f"publish {folder} at {site_url} (the path {path}): its page-not-found page, 404.html, works only "
            "there")


def run(args: argparse.Namespace) -> int:
    root = Path(args.root)
    default_root = root / (DRAFTS_FOLDER if args.drafts else LIVE_FOLDER)
    site_root = (args.site_dir or default_root).resolve()
    cache = active()
    project = cached_project(root, cache=cache)
    guidance = project.require()
    ids = [c.id for c in guidance.sites] if args.all else [args.council or guidance.lead.id]
    for cid in ids:
        guidance.council(cid)
    registers = args.registers
    if registers is not None and not Path(registers).is_dir():
        raise Stop.usage(f"the registers folder {registers} does not exist.")
    if args.publish and project.unconfirmed:
        raise Stop(unconfirmed_for_publishing(project.unconfirmed))
    if args.publish and guidance.nothing_approved:
        raise Stop(f"not published: no version of the guidance is approved yet, so the sites would publish draft "
                   f"{guidance.current().version}. Record its approval first (ctkit version approve, see "
                   "CONTRIBUTING.md); build without --publish to preview it.")

    started = time.monotonic()
    failed: list[str] = []
    drawn = reused = 0
    for n, built in enumerate(build_sites(guidance, ids, site_root, drafts=args.drafts, registers=registers,
                                          cache=cache), 1):
        name = guidance.councils[built.council_id].name
        drawn, reused = drawn + built.drawn, reused + built.reused
        if built.ok:
            print(f"[{n}/{len(ids)}] {name} … {built.seconds:.1f} s", flush=True)
            print(f"    {where_to_publish(guidance.councils[built.council_id].site_url, site_root / built.council_id)}",
                  flush=True)
        else:
            failed.append(name)
            print(f"[{n}/{len(ids)}] {name}: not built (the reasons are above)", flush=True)
    if failed:
        raise Stop(f"{len(failed)} site{'s were' if len(failed) > 1 else ' was'} not built: {', '.join(failed)}.")
    write_index(site_root, guidance)
    where = site_root / ids[0] if len(ids) == 1 else site_root
    kind = "draft " if args.drafts else ""
    print(f"Built {len(ids)} {kind}site{'s' if len(ids) > 1 else ''} in {time.monotonic() - started:.1f} s: {where}")
    print(pdfs_in_words(drawn, reused, cache.folder))
    return 0

