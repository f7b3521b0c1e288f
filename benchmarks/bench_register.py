"""Benchmark: reading, checking and listing a big case register, against a bare csv.DictReader of the same file.

    .venv/bin/python benchmarks/bench_register.py [--rows 194000] [--keep DIR]

Writes a register of `--rows` rows (about 100 bytes each, so 194,000 rows is the 19.5 MB of
issue 26: one case in ten still open, some of them for years, the rest closed), then in the same run
times
  1. the baseline: `list(csv.DictReader(file))`, which only splits the text;
  2. `load_registers`: the one check every command makes (each cell, the rules across columns,
     duplicates), as `case due`, `stats` and every write do;
  3. `case due`'s list (`due_list`) over the checked cases;
  4. `case acknowledge` of one case (`change_register`: read, check, write one row, under the lock);
and prints each as a ratio to the baseline, for the full size and for a quarter of it (the
ratios must not grow with the size: the work is linear). Before issue 26's fix `case due` on
this file took minutes, counting working days one by one and validating each row through
jsonschema.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.casework import stages  # noqa: E402
from generator.casework.due import due_list  # noqa: E402
from generator.monitoring.register import columns, load_registers  # noqa: E402
from generator.monitoring.register_write import change_register  # noqa: E402
from generator.project import load_project  # noqa: E402

TODAY = dt.date(2026, 12, 1)
START = dt.date(2021, 1, 4)


def write_register(path: Path, rows: int, header: list[str]) -> None:
    """Rows of three kinds: (one in ten) still open, some of them for years; not met and closed; met and reviewed.
    The open ones are the shortest rows, so the closed ones make the file's size."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for n in range(rows):
            received = START + dt.timedelta(days=n % 2100)
            decided = received + dt.timedelta(days=7)
            cells = {"case_ref": f"E{n}", "council": "erewash", "received_on": received.isoformat(),
                     "basis": "victim", "asb_types": "noise", "hate_incident": ""}
            if n % 10 == 0:
                cells.update(assessment="incomplete", decision="pending")
            elif n % 10 < 6:   # kept before the kit recorded the letters
                cells.update(assessment="threshold_not_met", decision="threshold_not_met",
                             decision_on=decided.isoformat())
            elif n % 10 < 9:
                cells.update(assessment="threshold_not_met", decision="threshold_not_met",
                             decision_on=decided.isoformat(), decision_letter_on=decided.isoformat(),
                             acknowledged_on=(received + dt.timedelta(days=1)).isoformat())
            else:
                cells.update(assessment="threshold_met", decision="threshold_met", decision_on=decided.isoformat(),
                             decision_letter_on=decided.isoformat(), review_on=(decided + dt.timedelta(days=9)).isoformat(),
                             recommendations="no", acknowledged_on=(received + dt.timedelta(days=1)).isoformat(),
                             outcome_letter_on=(decided + dt.timedelta(days=12)).isoformat())
            writer.writerow([cells.get(h, "") for h in header])


def timed(work) -> tuple[float, object]:
    """CPU seconds (the machine is shared: wall time measures the neighbours too) and the result."""
    started = time.process_time()
    result = work()
    return time.process_time() - started, result


def measure(guidance, path: Path) -> dict[str, float]:
    def bare():
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    timed(bare)                                           # warm the disk cache
    base, _ = timed(bare)
    check, (cases, problems) = timed(lambda: load_registers([path], guidance, today=TODAY))
    assert problems == [], problems[:3]
    due, items = timed(lambda: due_list(guidance, cases, TODAY))

    def acknowledge():
        def change(register):
            case, found = register.case(cases[0].case_ref)
            return found or stages.acknowledge(case, case.received_on + dt.timedelta(days=2))
        return change_register(path, guidance, change, TODAY, verb="acknowledged")

    write, (_done, problems) = timed(acknowledge)
    assert problems == [], problems[:3]
    print(f"  {len(cases)} rows, CPU: csv {base:.2f} s, check {check:.2f} s, due {due:.2f} s, write {write:.2f} s",
          file=sys.stderr)
    return {"rows": len(cases), "MB": path.stat().st_size / 1e6, "baseline s": base, "check": check / base,
            "due": due / base, "write": write / base, "items": len(items)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=194_000)
    parser.add_argument("--keep", type=Path, help="keep the registers in this folder")
    args = parser.parse_args()
    guidance = load_project(ROOT).require()
    folder = Path(tempfile.mkdtemp(prefix="ctkit-bench-register-"))
    try:
        results = []
        for rows in (args.rows // 4, args.rows):
            path = folder / f"erewash-{rows}.csv"
            write_register(path, rows, list(columns(guidance))[:17])
            results.append(measure(guidance, path))
        print(f"{'rows':>8} {'MB':>6} {'csv s':>7} {'check x':>8} {'due x':>7} {'write x':>8} {'items':>7}")
        for r in results:
            print(f"{r['rows']:>8} {r['MB']:>6.1f} {r['baseline s']:>7.2f} {r['check']:>8.1f} {r['due']:>7.1f} "
                  f"{r['write']:>8.1f} {r['items']:>7}")
        growth = results[1]["check"] / results[0]["check"]
        print(f"check ratio at full size / at a quarter: {growth:.2f} (linear work keeps this near 1)")
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for path in folder.glob("*.csv"):
                shutil.copy(path, args.keep / path.name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
