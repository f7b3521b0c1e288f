"""The site's navigation: home, then the residents' section, then the practitioners' section.

Order comes from each page's front matter (`nav_order`, then title); a generated page
names the page it follows, so it sits where a reader looks for it.
"""
from __future__ import annotations

from typing import Any

SECTIONS = (("public/", "For residents"), ("practitioner/", "For practitioners"))


def build_nav(pages: dict[str, dict], after: dict[str, str]) -> list[Any]:
    """`pages`: src path -> front matter; `after`: generated page -> the page it follows (None: the end)."""
    def ordered(paths: list[str]) -> list[str]:
        placed = sorted((p for p in paths if p not in after),
                        key=lambda p: (not p.endswith("index.md"), pages[p].get("nav_order", 999),
                                       pages[p].get("title", p)))
        for path in (p for p in after if p in paths):   # in the order the generated pages are declared
            anchor = after[path]
            placed.insert(placed.index(anchor) + 1 if anchor in placed else len(placed), path)
        return placed

    def item(path: str) -> dict[str, str]:
        return {pages[path].get("title", path): path}

    nav: list[Any] = []
    if "index.md" in pages:
        nav.append("index.md")   # titled by its front matter, so the page keeps its own heading
    taken = {"index.md"}
    for prefix, label in SECTIONS:
        inside = [p for p in pages if p.startswith(prefix)]
        taken.update(inside)
        if inside:
            nav.append({label: [item(p) for p in ordered(inside)]})
    nav += [item(p) for p in ordered([p for p in pages if p not in taken])]
    return nav
