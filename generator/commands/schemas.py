"""`ctkit schemas`: write each form's submitted-data JSON Schema from its definition.

The schemas in schemas/submission-*.schema.json are generated, never edited; `--check`
only says which are out of date (exit 1), as the test suite does.
"""
from __future__ import annotations

import argparse

from ..render.schema_export import stale_schemas, write_schemas
from .common import load_guidance


def run(args: argparse.Namespace) -> int:
    guidance = load_guidance(args.root)
    if args.check:
        stale = stale_schemas(args.root, guidance.forms)
        for form_id in stale:
            print(f"schemas/submission-{form_id}.schema.json is out of date; run 'ctkit schemas'")
        return 1 if stale else 0
    written = write_schemas(args.root, guidance.forms)
    for path in written:
        print(f"wrote {path.relative_to(args.root)}")
    if not written:
        print("ctkit schemas: every submission schema is up to date")
    return 0
