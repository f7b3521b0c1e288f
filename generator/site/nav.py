"""The site's navigation: home, then the residents' part, then the practitioners' part.

With Material's navigation tabs each part is a tab, residents first, and a page's menu shows
only its own part. Order comes from each page's front matter (`nav_order`, then title); the
menu shows the short `nav_title` where a page has one (the page keeps its full title as its
heading). A generated page names the page it follows, so it sits where a reader looks for it.
"""
from __future__ import annotations

from typing import Any

SECTIONS = (("public/", "For residents"), ("practitioner/", "For practitioners"))
#: How far up the site's search a page of each part comes when its front matter does not say
#: (`search: boost:`): residents' pages above the practitioners' pages on the same subject.
SEARCH_BOOST = {"practitioner/": 0.5}


def menu_title(meta: dict, path: str) -> str:
    return str(meta.get("nav_title") or meta.get("title") or path)


def build_nav(pages: dict[str, dict], after: dict[str, str | None]) -> list[Any]:
    """`pages`: src path -> front matter; `after`: generated page -> the page it follows (None: the end)."""
    def ordered(paths: list[str]) -> list[str]:
        placed = sorted((p for p in paths if p not in after),
                        key=lambda p: (not p.endswith("index.md"), pages[p].get("nav_order", 999),
                                       pages[p].get("title", p)))
        last: dict[str | None, str] = {}   # anchor -> the page placed after it most recently
        for path in (p for p in after if p in paths):   # in the order the generated pages are declared
            anchor = last.get(after[path], after[path])
            placed.insert(placed.index(anchor) + 1 if anchor in placed else len(placed), path)
            last[after[path]] = path
        return placed

    def item(path: str) -> dict[str, str]:
        return {menu_title(pages[path], path): path}

    nav: list[Any] = []
    if "index.md" in pages:
        nav.append(item("index.md"))
    taken = {"index.md"}
    for prefix, label in SECTIONS:
        inside = [p for p in pages if p.startswith(prefix)]
        taken.update(inside)
        if inside:
            nav.append({label: [item(p) for p in ordered(inside)]})
    nav += [item(p) for p in ordered([p for p in pages if p not in taken])]
    return nav
