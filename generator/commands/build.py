"""`ctkit build [--council ID | --all] [--drafts | --publish]`: council websites and their PDFs.

The project is loaded and checked once; each council's site is built by MkDocs through the
ctkit plugin (generator.site.build), and each finished site is reported as it lands. Live
sites go into site/<id>/; a draft preview into site-drafts/<id>/, so it never overwrites a
live one. `--publish` refuses while any value the sites show is still marked
`verified: false`, listing each with its file and line.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import Problem, Stop, sorted_problems
from ..project import load_project
from ..site.build import build_sites, write_index

LIVE_FOLDER = "site"
DRAFTS_FOLDER = "site-drafts"


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
    project = load_project(root)
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
    for n, built in enumerate(build_sites(guidance, ids, site_root, drafts=args.drafts, registers=registers), 1):
        name = guidance.councils[built.council_id].name
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
    return 0
