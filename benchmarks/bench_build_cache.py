"""Build cache and start-up: what a SPOC and an editor wait for, as ratios measured in one run.

    .venv/bin/python benchmarks/bench_build_cache.py [--rounds 5]

Prints, from one run on this machine:
1. `ctkit build --all` into an empty build cache (cold: every PDF drawn), then again with nothing
   changed (warm: every PDF from the cache), then with `--no-cache`; the ratio warm / cold (aim: under
   0.25), the PDFs drawn each time, and whether the warm build's files are byte for byte the cold one's.
2. `ctkit validate` of one filled application PDF in a new process, against a bare
   `python -c "import pypdf; pypdf.PdfReader(FILE).get_fields()"`, timed alternately (median of
   --rounds), with bytecode as installed and with PYTHONDONTWRITEBYTECODE=1 (aim: at most 2.5x both).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.project import load_project  # noqa: E402
from generator.render.fill import fill_form_pdf  # noqa: E402
from bench_validate import variant  # noqa: E402  (the same invented applications)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CTKIT_DEBUG", "PYTHONDONTWRITEBYTECODE")}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    began = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv[:6])} ... failed:\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _drawn(stdout: str) -> str:
    found = re.search(r"PDFs: .*", stdout)
    return found.group(0) if found else "?"


def build_all(tmp: Path) -> dict:
    ctkit = [sys.executable, "-m", "generator.cli"]
    cache = tmp / "cache"
    cold, cold_out = _run(ctkit + ["--cache-dir", str(cache), "build", "--all", "--site-dir", str(tmp / "cold")],
                          _env())
    warm, warm_out = _run(ctkit + ["--cache-dir", str(cache), "build", "--all", "--site-dir", str(tmp / "warm")],
                          _env())
    off, off_out = _run(ctkit + ["--no-cache", "build", "--all", "--site-dir", str(tmp / "off")], _env())
    same = _tree(tmp / "cold") == _tree(tmp / "warm") == _tree(tmp / "off")
    return {"cold_s": round(cold, 2), "warm_s": round(warm, 2), "no_cache_s": round(off, 2),
            "ratio_warm_to_cold": round(warm / cold, 3), "byte_identical": same,
            "cold_pdfs": _drawn(cold_out), "warm_pdfs": _drawn(warm_out)}


def start_up(tmp: Path, rounds: int) -> dict:
    guidance = load_project(ROOT).require()
    pdf = tmp / "application.pdf"
    pdf.write_bytes(fill_form_pdf(guidance.forms["application"], variant(1), guidance, None))
    cache = str(tmp / "validate-cache")
    validate = [sys.executable, "-m", "generator.cli", "--cache-dir", cache, "validate", str(pdf)]
    bare = [sys.executable, "-c", "import sys, pypdf; pypdf.PdfReader(sys.argv[1]).get_fields()", str(pdf)]
    out = {}
    for label, env in (("bytecode", _env()), ("no_bytecode_written", _env(PYTHONDONTWRITEBYTECODE="1"))):
        _run(validate, env)   # fills the cache with the project and the calendar, as a first run does
        times = {"validate": [], "pypdf": []}
        for _ in range(rounds):
            times["validate"].append(_run(validate, env)[0])
            times["pypdf"].append(_run(bare, env)[0])
        v, p = statistics.median(times["validate"]), statistics.median(times["pypdf"])
        out[label] = {"validate_s": round(v, 3), "pypdf_s": round(p, 3), "ratio": round(v / p, 2)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "5")))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures = {"build_all": build_all(Path(tmp)), "validate_one_file": start_up(Path(tmp), args.rounds),
                   "load_average_1min": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()}
    b = figures["build_all"]
    print(f"ctkit build --all, empty cache:      {b['cold_s']:.1f} s  ({b['cold_pdfs']})")
    print(f"ctkit build --all, nothing changed:  {b['warm_s']:.1f} s  ({b['warm_pdfs']})")
    print(f"ctkit build --all --no-cache:        {b['no_cache_s']:.1f} s")
    print(f"ratio warm / cold: {b['ratio_warm_to_cold']:.2f} (aim < 0.25); byte-identical output: "
          f"{b['byte_identical']}")
    for label, v in figures["validate_one_file"].items():
        print(f"validate one file ({label}): {v['validate_s']:.2f} s vs bare pypdf {v['pypdf_s']:.2f} s: "
              f"{v['ratio']:.2f}x (aim <= 2.5)")
    print(f"load average {figures['load_average_1min']:.1f} on {figures['cpus']} cores")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "bench_build_cache.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
