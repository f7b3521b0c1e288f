"""`ctkit version new|approve|adopt|lock|erratum|release`: a guidance version from draft to release.

new and approve edit guidance/versions.yml (and criteria.yml); adopt records a council's adoption in
its own file; lock, erratum and release keep the record of what a committee approved
(guidance/releases/X.Y.lock) and make the release a git tag (releases/locking.py).
"""
from __future__ import annotations

import argparse
import sys

from ..releases.locking import approve_erratum, release, take_first_lock
from ..releases.versions_file import adopt_version, approve_version, new_version, parse_date


def run(args: argparse.Namespace) -> int:
    if args.action == "new":
        messages = new_version(args.root, args.version, args.summary)
    elif args.action == "approve":
        messages = approve_version(args.root, args.version, args.body, args.on, args.effective_from)
    elif args.action == "adopt":
        messages = adopt_version(args.root, args.version, args.council, args.on)
    elif args.action == "lock":
        messages = take_first_lock(args.root, args.version)
    elif args.action == "erratum":
        on = parse_date(args.on, "--on") if args.on else None
        messages = approve_erratum(args.root, args.version, args.reason, on)
    else:
        messages = release(args.root, args.version)
    for message in messages:
        print(message, file=sys.stderr if message.startswith("Warning:") else sys.stdout)
    return 0
