"""Website build speed: all ten council sites with PDFs, and what the plugin costs.

Prints, from one run on this machine:
- the wall time of `ctkit build --all --no-cache` (ten sites, every PDF drawn, a fresh process, as a first
  `make site`; bench_build_cache.py times the build cache);
- one council's build through the plugin, with and without its PDFs, against a plain
  `mkdocs build` of the same Markdown with the plugin off, timed alternately in the same process
  (median of several rounds) so a busy machine weighs on both sides alike;
- and against a plain `mkdocs build` of every page the plugin's site has, each as the Markdown the plugin
  hands MkDocs (the hand-written pages rendered for the council, and the nine pages the kit adds: the date
  checker, forms, contacts, monitoring, the form pages, apply online...): what the plugin's own work costs,
  apart from the pages it adds.
Targets from the issue: ten sites under 10 s on 2 cores; one council / plain at most 1.3.
"""
from __future__ import annotations

import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

from generator.project import load_project  # noqa: E402
from generator.site.build import build_site, mkdocs_settings  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def time_all_sites(out: Path) -> tuple[float, float, str]:
    """Wall time, and CPU time of the build and its workers (what an idle 2-core machine would need)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "generator.cli", "--no-cache", "build", "--all",
                             "--site-dir", str(out)],
                            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    seconds = time.monotonic() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"ctkit build --all failed:\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, result.stdout


def plain_build(guidance, out: Path) -> None:
    """The same Markdown through MkDocs and Material, plugin off (templating left as text)."""
    build_site(guidance, "", out, plugin=False)


def pages_as_built(guidance, council: str, out: Path) -> Path:
    """A docs folder holding every page of `council`'s site (no PDFs) as the Markdown the plugin hands MkDocs."""
    config = load_config(**mkdocs_settings(guidance.root), site_dir=str(out / "site"))
    plugin = config.plugins["ctkit"]
    plugin.preload(guidance, council=council, pdfs=False)
    build(config)
    docs = out / "docs"
    for src in plugin.site.rendered:
        page = docs / src
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(plugin.site.markdown_for(src, ""), encoding="utf-8")
    return docs


def plain_build_of(guidance, docs: Path, out: Path) -> None:
    """A plain MkDocs build (search only, plugin off) of the folder `docs`, with the kit's settings."""
    build_site(guidance, "", out, plugin=False, docs_dir=docs)


def timed(fn) -> float:
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def main() -> int:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        all_seconds, all_cpu, progress = time_all_sites(tmp / "all")

        guidance = load_project(ROOT).require()
        one = lambda pdfs: lambda: build_site(guidance, "erewash", tmp / "one", pdfs=pdfs)  # noqa: E731
        runs = {"plain": [], "plain_same_pages": [], "plugin_with_pdfs": [], "plugin_site_only": []}
        plain_build(guidance, tmp / "plain")          # warm-up: imports, theme templates, fonts
        one(True)()
        same_pages = pages_as_built(guidance, "erewash", tmp / "as-built")
        plain_build_of(guidance, same_pages, tmp / "plain-same")
        for _ in range(ROUNDS):
            runs["plain"].append(timed(lambda: plain_build(guidance, tmp / "plain")))
            runs["plain_same_pages"].append(timed(lambda: plain_build_of(guidance, same_pages, tmp / "plain-same")))
            runs["plugin_with_pdfs"].append(timed(one(True)))
            runs["plugin_site_only"].append(timed(one(False)))

    median = {k: statistics.median(v) for k, v in runs.items()}
    figures = {
        "all_ten_sites_with_pdfs_s": round(all_seconds, 2),
        "all_ten_sites_cpu_s": round(all_cpu, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "one_council_with_pdfs_s": round(median["plugin_with_pdfs"], 2),
        "one_council_site_only_s": round(median["plugin_site_only"], 2),
        "plain_mkdocs_s": round(median["plain"], 2),
        "plain_mkdocs_same_pages_s": round(median["plain_same_pages"], 2),
        "ratio_site_only_to_same_pages": round(median["plugin_site_only"] / median["plain_same_pages"], 2),
        "ratio_with_pdfs": round(median["plugin_with_pdfs"] / median["plain"], 2),
        "ratio_site_only": round(median["plugin_site_only"] / median["plain"], 2),
        "rounds": ROUNDS,
        "cpus": os.cpu_count(),
    }
    print(progress.rstrip())
    print(f"ten council sites with PDFs (ctkit build --all): {figures['all_ten_sites_with_pdfs_s']:.1f} s "
          f"(target < 10 s); CPU {figures['all_ten_sites_cpu_s']:.1f} s over {os.cpu_count()} cores, "
          f"load average {figures['load_average_1min']:.1f}")
    print(f"one council, plugin on, with PDFs:    {figures['one_council_with_pdfs_s']:.2f} s")
    print(f"one council, plugin on, no PDFs:      {figures['one_council_site_only_s']:.2f} s")
    print(f"plain mkdocs build, plugin off:       {figures['plain_mkdocs_s']:.2f} s")
    print(f"ratio one council / plain: {figures['ratio_with_pdfs']:.2f} with PDFs, "
          f"{figures['ratio_site_only']:.2f} site only (target <= 1.3)")
    print(f"plain mkdocs build of the same pages as built (the kit's pages too): "
          f"{figures['plain_mkdocs_same_pages_s']:.2f} s; one council, no PDFs / that: "
          f"{figures['ratio_site_only_to_same_pages']:.2f}")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "bench_build.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
