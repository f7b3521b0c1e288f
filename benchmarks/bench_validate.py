"""Benchmark: judging 1,000 filled application PDFs, against a bare pypdf read of the same fields.

    .venv/bin/python benchmarks/bench_validate.py [--count 1000] [--keep DIR]

Makes the PDFs with the kit's own filler (a few dozen different applications, copied to
`--count` files), warms the disk cache, then in the same run times
  1. a bare read: `pypdf.PdfReader(path).get_fields()` for every file, and
  2. (interleaved with 1, file by file) the validator: read each PDF into the canonical data and judge it (completeness,
     threshold, checks, deadlines), as `ctkit validate` does after loading the project once,
and prints files per second for both, the ratio (aim: under 1.5x), and the process's
resident memory sampled through the batch (it should stay flat). Then it times the
real command line over the whole folder, start-up included, and judges applications carrying
1,000 to 40,000 unknown answers, and applications of 1,000 and 10,000 incidents, against a bare
json.loads of the same file (the ratio must not grow with the count: the work is linear).
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import gc
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from generator.render.fill import fill_form_pdf  # noqa: E402
from generator.judge.judgement import judge_submission  # noqa: E402
from generator.judge.submissions import read_submission  # noqa: E402
from generator.project import load_project  # noqa: E402

BASE = {
    "form": "application", "form_version": "2.0", "received_on": "2026-03-02", "basis": "victim",
    "applicant": {"name": "Bench Applicant", "address": "1 Bench Street, Ilkeston", "postcode": "DE7 5RP",
                  "phone": "0115 000 0000", "preferred_contact": "phone"},
    "asb_types": ["noise"], "hate_incident": False,
    "impact": "Cannot sleep", "desired_outcome": "For it to stop",
    "declaration": {"signed_name": "Bench Applicant", "signed_on": "2026-03-01"},
}


def variant(n: int) -> dict:
    """Application n: a different mix of incidents, some late, some duplicated, some missing answers."""
    data = copy.deepcopy(BASE)
    start = dt.date(2025, 9, 10)
    incidents = []
    for i in range(1 + n % 4):
        occurred = start + dt.timedelta(days=17 * i + n)
        reported = occurred + dt.timedelta(days=(n * 7 + i * 11) % 40)
        incidents.append({"occurred_on": occurred.isoformat(), "reported_on": reported.isoformat(),
                          "reported_to": "Derbyshire Constabulary" if (n + i) % 3 else "Erewash Borough Council",
                          "description": f"Incident {i + 1} of application {n}"})
    data["incidents"] = incidents
    if n % 5 == 0:
        del data["applicant"]["postcode"]
    if n % 7 == 0:
        data["basis"] = "on_behalf"
    return data


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_pdfs(folder: Path, count: int, guidance) -> None:
    form = guidance.forms["application"]
    distinct = [fill_form_pdf(form, variant(n), guidance, None) for n in range(min(count, 30))]
    for i in range(count):
        (folder / f"app{i:04d}.pdf").write_bytes(distinct[i % len(distinct)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="make the PDFs here and keep them")
    args = parser.parse_args()

    t0 = time.perf_counter()
    guidance = load_project(ROOT).require()
    load_s = time.perf_counter() - t0
    folder = args.keep or Path(tempfile.mkdtemp(prefix="ctkit-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    make_pdfs(folder, args.count, guidance)
    make_s = time.perf_counter() - t0
    files = sorted(folder.glob("*.pdf"))
    for path in files:  # warm the disk cache so both timings read from memory
        path.read_bytes()

    # The two are interleaved file by file (alternating which goes first), so a busy machine
    # slows both alike and the ratio stays fair.
    gc.collect()
    samples = []
    decisions: dict[str, int] = {}
    bare_s = judge_s = 0.0
    clock = time.perf_counter
    for i, path in enumerate(files, start=1):
        for which in ((0, 1) if i % 2 else (1, 0)):
            t0 = clock()
            if which == 0:
                PdfReader(path).get_fields()
                bare_s += clock() - t0
            else:
                result = judge_submission(read_submission(path, guidance), guidance, path.name, None)
                judge_s += clock() - t0
                decisions[result.decision] = decisions.get(result.decision, 0) + 1
        if i in (1, len(files) // 10, len(files) // 2, len(files)) or i % 250 == 0:
            samples.append((i, rss_mb()))

    t0 = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(ROOT), "validate", str(folder),
                          "--format", "json"], capture_output=True, text=True, cwd=ROOT)
    cli_s = time.perf_counter() - t0
    cli_ok = run.returncode == 0 and len(json.loads(run.stdout)) == len(files)

    n = len(files)
    print(f"files: {n} filled application PDFs ({min(n, 30)} different applications), made in {make_s:.1f} s")
    print(f"project load (once per run): {load_s:.2f} s")
    print(f"bare pypdf read of the fields: {bare_s:.2f} s = {n / bare_s:.0f} files/s")
    print(f"validator (read + judge):      {judge_s:.2f} s = {n / judge_s:.0f} files/s")
    print(f"ratio validator / bare read:   {judge_s / bare_s:.2f}x (aim: under 1.5x)")
    print(f"ctkit validate FOLDER --format json, start-up included: {cli_s:.2f} s = {n / cli_s:.0f} files/s "
          f"({'ok' if cli_ok else 'FAILED: ' + run.stderr[-300:]})")
    print("decisions: " + ", ".join(f"{k} {v}" for k, v in sorted(decisions.items())))
    print("resident memory through the batch: " + ", ".join(f"after {i}: {mb:.0f} MB" for i, mb in samples))
    growth = samples[-1][1] - samples[1][1] if len(samples) > 1 else 0.0
    print(f"memory growth from file {samples[1][0] if len(samples) > 1 else 1} to {n}: {growth:+.1f} MB")
    hostile_keys(folder, guidance)
    many_incidents(folder, guidance)
    if not args.keep:
        shutil.rmtree(folder)
    return 0


def bare_and_judged(path: Path, guidance) -> tuple[float, float]:
    """Seconds to parse `path` with a bare json.loads, and to read and judge it as ctkit validate does."""
    t0 = time.perf_counter()
    json.loads(path.read_text(encoding="utf-8"))
    bare = time.perf_counter() - t0
    t0 = time.perf_counter()
    judge_submission(read_submission(path, guidance), guidance, path.name, None)
    return bare, time.perf_counter() - t0


def hostile_keys(folder: Path, guidance, counts=(1_000, 10_000, 40_000)) -> None:
    """Applications carrying thousands of answers the form does not ask for: the judge must stay
    linear (the first version compared every error with every other one: 10,000 keys took 53 s)."""
    for count in counts:
        data = copy.deepcopy(variant(1))
        data.update({f"unknown_{i:06d}": "x" for i in range(count)})
        path = folder / f"keys{count}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        bare, judged = bare_and_judged(path, guidance)
        print(f"{count:>6} unknown keys ({path.stat().st_size / 1000:.0f} KB): bare json.loads {bare * 1000:.1f} ms, "
              f"read + judge {judged * 1000:.1f} ms, ratio {judged / bare:.1f}x")


def many_incidents(folder: Path, guidance, counts=(1_000, 10_000)) -> None:
    """Applications listing thousands of incidents, a seventh without a date: the time per incident must
    stay flat (the judge once compared every error with every entry: 10,000 incidents took 85-97 s)."""
    for count in (100, *counts):   # the first, small one only warms the judge's caches
        data = copy.deepcopy(variant(1))
        data["incidents"] = [{"occurred_on": f"2026-01-{i % 28 + 1:02d}", "reported_on": "2026-02-01",
                              "reported_to": "Police" if i % 3 else "", "description": "x"} for i in range(count)]
        for row in data["incidents"][::7]:
            del row["occurred_on"]
        path = folder / f"incidents{count}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        bare, judged = bare_and_judged(path, guidance)
        if count == 100:
            continue
        print(f"{count:>6} incidents: read + judge {judged:.2f} s = {judged / count * 1e6:.0f} us per incident, "
              f"ratio to a bare json.loads {judged / bare:.0f}x")


if __name__ == "__main__":
    sys.exit(main())
