"""`ctkit check`: every source against its schema and against each other, as file:line sentences."""
from __future__ import annotations

import argparse

from ..errors import sorted_problems
from ..project import load_project


def run(args: argparse.Namespace) -> int:
    project = load_project(args.root)
    errors, warnings = project.errors, project.warnings
    for problem in sorted_problems(errors):
        print(problem)
    if not args.quiet:
        for problem in sorted_problems(warnings):
            print(problem)
    print(f"ctkit check: {len(errors)} error(s), {len(warnings)} warning(s) in {len(project.files)} source file(s)"
          + ("" if errors else " — clean"))
    return 1 if errors else 0
