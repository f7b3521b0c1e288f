"""`ctkit build [--council ID | --all]`: council websites and their PDFs into site/<id>/.

The project is loaded and checked once; each council's site is built by MkDocs through the
ctkit plugin (generator.site.build), and each finished site is reported as it lands.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..errors import Stop
from ..project import load_project
from ..site.build import build_sites, write_index


def run(args: argparse.Namespace) -> int:
    root = Path(args.root)
    site_root = (args.site_dir or root / "site").resolve()
    project = load_project(root)
    guidance = project.require()
    ids = [guidance.county.id] + [c.id for c in guidance.spoc_councils] if args.all \
        else [args.council or guidance.county.id]
    for cid in ids:
        guidance.council(cid)
    registers = args.registers
    if registers is not None and not Path(registers).is_dir():
        raise Stop.usage(f"the registers folder {registers} does not exist.")

    started = time.monotonic()
    failed: list[str] = []
    for n, built in enumerate(build_sites(guidance, ids, site_root, drafts=args.drafts, registers=registers), 1):
        name = guidance.councils[built.council_id].name
        if built.ok:
            print(f"[{n}/{len(ids)}] {name} … {built.seconds:.1f} s", flush=True)
        else:
            failed.append(name)
            print(f"[{n}/{len(ids)}] {name}: not built (the reasons are above)", flush=True)
    if failed:
        raise Stop(f"{len(failed)} site{'s were' if len(failed) > 1 else ' was'} not built: {', '.join(failed)}.")
    write_index(site_root, guidance)
    where = site_root / ids[0] if len(ids) == 1 else site_root
    print(f"Built {len(ids)} site{'s' if len(ids) > 1 else ''} in {time.monotonic() - started:.1f} s: {where}")
    return 0
