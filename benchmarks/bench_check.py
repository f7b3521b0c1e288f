"""Benchmark: what the template budget and the approved-text lock add to `ctkit check`.

    .venv/bin/python benchmarks/bench_check.py [--rounds 5]

In the same run, interleaved round by round, times
  1. rendering every page for the version in force in Jinja's plain immutable sandbox (the baseline)
     and in the kit's budgeted sandbox (template_budget.py), with the same filters, tests and context;
  2. the checks across sources without the comparison with the locks (the baseline) and with it
     (checks/approved_text.py: rendering the approved text again and matching it with the lock),
and prints the median of each and the ratios: the budget should cost little (aim: under 1.5x), the
lock comparison a fraction of the checks.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jinja2  # noqa: E402
from jinja2.sandbox import ImmutableSandboxedEnvironment  # noqa: E402

from generator.checks import cross_check  # noqa: E402
from generator.checks.approved_text import check_locks  # noqa: E402
from generator.project import load_project  # noqa: E402
from generator.templating import FILTERS, TESTS, context_for, make_env  # noqa: E402


def _plain_env() -> jinja2.Environment:
    env = ImmutableSandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    env.tests.update(TESTS)
    return env


def _render_all(env: jinja2.Environment, templates: list, context: dict) -> float:
    began = time.perf_counter()
    for source in templates:
        env.from_string(source).render(context)
    return time.perf_counter() - began


def _timed(work) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    guidance = load_project(ROOT).require()
    context = context_for(guidance)
    pages = [p.body for p in guidance.pages]
    plain, budgeted = _plain_env(), make_env()
    times: dict[str, list[float]] = {"plain sandbox": [], "budgeted sandbox": [], "checks": [], "checks + locks": []}
    for _ in range(args.rounds):
        times["plain sandbox"].append(_render_all(plain, pages, context))
        times["budgeted sandbox"].append(_render_all(budgeted, pages, context))
        times["checks"].append(_timed(lambda: cross_check(guidance, locks=False)))
        times["checks + locks"].append(_timed(lambda: (cross_check(guidance, locks=False), check_locks(guidance))))
    median = {k: statistics.median(v) for k, v in times.items()}
    for name, seconds in median.items():
        print(f"{name:>18}: {seconds * 1000:8.1f} ms (median of {args.rounds})")
    print(f"budgeted / plain sandbox, rendering {len(pages)} pages (compile included): "
          f"{median['budgeted sandbox'] / median['plain sandbox']:.2f}x")
    print(f"checks with the lock comparison / without: {median['checks + locks'] / median['checks']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
