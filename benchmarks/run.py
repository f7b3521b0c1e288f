"""Run every benchmark in this folder, one after another, and print what each reports.

Each bench_*.py measures our work against a baseline timed in the same run (our build
vs a plain `mkdocs build`, our validator vs a bare pypdf read), because shared machines
are noisy: quote the ratios, not the absolute seconds.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    status = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        status = status or result.returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
