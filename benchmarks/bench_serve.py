"""The preview as an editor waits for it: from saving a page to the served page showing the change.

    .venv/bin/python benchmarks/bench_serve.py [--saves 10]

Starts `ctkit serve --council erewash` on a copy of the sources, and then, as the baseline, plain `mkdocs
serve` of the same folder for the same council (MkDocs' own preview, which builds the whole site through the
ctkit plugin after every save: what `ctkit serve` did before it built only what a save reaches). Both use
one build cache folder, which the first fills. For each: saves a Markdown page --saves times, timing until
the served HTML holds the new words; then saves the council's YAML three times, ten seconds apart (a new
phone number each time), timing until the contacts page shows it. Prints the medians and the ratios ctkit
serve / mkdocs serve (the issue aims at 0.5 s for a page and 1 s for a council's YAML). Every server it
starts is stopped; each one's log goes to benchmarks/out/.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = Path("guidance/public/support.md")
#: Saves of the council's YAML (each a new phone number), and the pause before each.
COUNCIL_SAVES = 3
PDF_PAUSE = 10
COUNCIL = Path("guidance/councils/erewash.yml")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _until(url: str, words: str, limit: float = 120) -> float:
    began = time.perf_counter()
    while time.perf_counter() - began < limit:
        if words in _get(url):
            return time.perf_counter() - began
        time.sleep(0.05)
    sys.exit(f"the preview did not show {words!r} at {url} within {limit} s")


def _session(root: Path, command: list[str], env: dict[str, str], saves: int, log: Path) -> dict:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log.parent.mkdir(exist_ok=True)
    server = subprocess.Popen([*command, "--dev-addr", f"127.0.0.1:{port}"], cwd=root, env=env,
                              stdout=subprocess.DEVNULL, stderr=log.open("w"), start_new_session=True)
    try:
        _until(f"{base}/public/support/", "<html", limit=300)
        time.sleep(2)   # let the first build settle before the first save
        page = root / PAGE
        original = page.read_text(encoding="utf-8")
        page_times = []
        for n in range(saves):
            words = f"Benchmark sentence {n} {time.time_ns()}."
            page.write_text(original + f"\n{words}\n", encoding="utf-8")
            page_times.append(_until(f"{base}/public/support/", words))
        council = root / COUNCIL
        text = council.read_text(encoding="utf-8")
        yaml_times = []
        for n in range(COUNCIL_SAVES):
            time.sleep(PDF_PAUSE)   # the PDFs the last save altered are drawn meanwhile, as while an editor reads
            phone = f"0115 {time.time_ns() % 1000:03d} {n}{saves:03d}"
            council.write_text(re.sub(r'(?m)^  phone: "[^"]*"', f'  phone: "{phone}"', text, count=1),
                               encoding="utf-8")
            yaml_times.append(_until(f"{base}/public/contacts/", phone))
        page.write_text(original, encoding="utf-8")
        council.write_text(text, encoding="utf-8")
        return {"page_median_s": round(statistics.median(page_times), 2), "page_s": [round(t, 2) for t in page_times],
                "council_yaml_s": round(statistics.median(yaml_times), 2),
                "council_yaml_each_s": [round(t, 2) for t in yaml_times]}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        for name in ("guidance", "forms", "schemas"):
            shutil.copytree(ROOT / name, root / name)
        for name in ("ctkit.yml", "mkdocs.yml"):
            shutil.copy2(ROOT / name, root / name)
        out = ROOT / "benchmarks" / "out"
        cache = Path(tmp) / "xdg"
        env = {k: v for k, v in os.environ.items() if not k.startswith("CTKIT_")} | {
            "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache), "NO_MKDOCS_2_WARNING": "1"}
        ours = _session(root, [sys.executable, "-m", "generator.cli", "--root", str(root), "--cache-dir",
                               str(cache / "ctkit"), "serve", "--council", "erewash"], env, args.saves,
                        out / "bench_serve.ctkit.log")
        plain = _session(root, [sys.executable, "-m", "mkdocs", "serve", "-f", str(root / "mkdocs.yml")],
                         env | {"CTKIT_COUNCIL": "erewash"}, args.saves, out / "bench_serve.mkdocs.log")
    figures = {"ctkit_serve": ours, "mkdocs_serve": plain,
               "ratio_page": round(ours["page_median_s"] / plain["page_median_s"], 2),
               "ratio_council_yaml": round(ours["council_yaml_s"] / plain["council_yaml_s"], 2),
               "load_average_1min": round(os.getloadavg()[0], 2)}
    print(f"save a page -> served:      ctkit serve {ours['page_median_s']:.2f} s, mkdocs serve "
          f"{plain['page_median_s']:.2f} s: {figures['ratio_page']:.2f}x (aim: 0.5 s)")
    print(f"save erewash.yml -> served: ctkit serve {ours['council_yaml_s']:.2f} s, mkdocs serve "
          f"{plain['council_yaml_s']:.2f} s: {figures['ratio_council_yaml']:.2f}x (aim: 1 s)")
    print(f"load average {figures['load_average_1min']:.1f}")
    (out / "bench_serve.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
