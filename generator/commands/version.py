"""`ctkit version new VERSION --summary TEXT` and `ctkit version approve VERSION --body --on [--effective-from]`."""
from __future__ import annotations

import argparse

from ..releases.versions_file import approve_version, new_version


def run(args: argparse.Namespace) -> int:
    if args.action == "new":
        messages = new_version(args.root, args.version, args.summary)
    else:
        messages = approve_version(args.root, args.version, args.body, args.on, args.effective_from)
    for message in messages:
        print(message)
    return 0
