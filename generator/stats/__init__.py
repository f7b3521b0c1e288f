"""`ctkit stats`: the statutory annual figures (and what practitioners ask next) from case registers.

The figures are exact, for the SPOC; what a site publishes goes through
`generator.stats.publish`, which suppresses small breakdowns. A register that fails its
check stops the command before any figure is printed.
"""
from __future__ import annotations

import argparse
import json
import sys

from ..project import load_project
from ..register import load_registers
from .figures import latest_complete_year, parse_year, year_report
from .output import csv_rows, to_csv, to_text


def run(args: argparse.Namespace) -> int:
    guidance = load_project(args.root).require()
    if args.year:
        year = parse_year(guidance, args.year)
        if year is None:
            print(f"ctkit stats: '{args.year}' is not a reporting year; write it like 2025-26 "
                  "(the year it starts, a dash, and the last two digits of the next year).", file=sys.stderr)
            return 2
    else:
        year = latest_complete_year(guidance)
    cases, problems = load_registers(args.registers, guidance)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        errors = sum(p.is_error for p in problems)
        print(f"ctkit stats: no figures: {errors} problem(s) in the register(s) above; "
              "fix them and run again.", file=sys.stderr)
        return 1
    report = year_report(guidance, cases, year)
    if args.format == "json":
        print(json.dumps(report, indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(to_csv(csv_rows(guidance, [report])))
    else:
        sys.stdout.write(to_text(guidance, report))
    return 0
