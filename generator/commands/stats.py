"""`ctkit stats`: the statutory annual figures (and what practitioners ask next) from case registers.

The figures are exact, for the SPOC; what a site publishes goes through
`generator.monitoring.publish`, which suppresses small breakdowns. A register that fails
its check stops the command before any figure is printed.
"""
from __future__ import annotations

import argparse
import json
import sys

from ..errors import Problem, Stop
from ..monitoring.figures import latest_complete_year, parse_year, year_report
from ..monitoring.figures_output import csv_rows, to_csv, to_text
from ..monitoring.register import load_registers
from .common import load_guidance


def run(args: argparse.Namespace) -> int:
    guidance = load_guidance(args.root)
    if args.year:
        year = parse_year(guidance, args.year)
        if year is None:
            raise Stop.usage(f"'{args.year[:20]}' is not a reporting year; write it like 2025-26 (the year it "
                             "starts, a dash, and the last two digits of the next year).")
    else:
        year = latest_complete_year(guidance)
    cases, problems = load_registers(args.registers, guidance)
    if problems:
        errors = sum(p.is_error for p in problems)
        raise Stop(problems + [Problem("", None, f"no figures: {errors} problem(s) in the register(s) above; "
                                                 "fix them and run again.")])
    report = year_report(guidance, cases, year)
    if args.format == "json":
        print(json.dumps(report, indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(to_csv(guidance, csv_rows(guidance, [report])))
    else:
        sys.stdout.write(to_text(guidance, report))
    return 0
