"""Built council pages for the guidance tests: one site per guidance version, built once per run.

`built_site(tmp_path_factory, "2.0")` runs the real `ctkit build --council erewash` (with
`--drafts` for the newest draft) into a folder every pytest-xdist worker shares: the first
worker to ask builds it, the others wait for it, so a run builds each version once.

`readable_text(html)` is what a reader of a page's main text reads, one sentence or item per
line, as the reading-age test measures it: the article only (no menus, headers or footers),
each paragraph, list item, table cell, heading and line break its own sentence, web and email
addresses left out (nobody reads them as words).
"""
from __future__ import annotations

import os
import re
import time
from html.parser import HTMLParser
from pathlib import Path

from conftest import run_ctkit

COUNCIL = "erewash"
WAIT_SECONDS = 600

_BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "summary", "caption",
           "figcaption", "label", "legend", "button", "option", "blockquote", "pre"}
_SKIPPED = {"script", "style", "nav", "svg", "noscript", "template"}
_ADDRESS = re.compile(r"(https?://\S+|www\.\S+|mailto:\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)")


def built_site(tmp_path_factory, version: str, *, drafts: bool = False) -> Path:
    """The erewash site as `ctkit build` writes it for `version` (a draft needs `drafts=True`)."""
    shared = tmp_path_factory.getbasetemp().parent if os.environ.get("PYTEST_XDIST_WORKER") \
        else tmp_path_factory.getbasetemp()
    folder = shared / f"ctkit-guidance-site-{version}"
    done = folder / "BUILT"
    try:
        folder.mkdir()          # the lock: only one worker gets to build
    except FileExistsError:
        deadline = time.monotonic() + WAIT_SECONDS
        while not done.exists():
            failed = folder / "FAILED"
            if failed.exists():
                raise AssertionError(failed.read_text(encoding="utf-8"))
            if time.monotonic() > deadline:
                raise AssertionError(f"the {version} site was not built within {WAIT_SECONDS} s")
            time.sleep(0.5)
        return folder / COUNCIL
    args = ["build", "--council", COUNCIL, "--site-dir", str(folder)] + (["--drafts"] if drafts else [])
    result = run_ctkit(*args)
    if result.returncode != 0:
        (folder / "FAILED").write_text(result.stdout + result.stderr, encoding="utf-8")
        raise AssertionError(result.stdout + result.stderr)
    done.write_text("ok", encoding="utf-8")
    return folder / COUNCIL


def page_html(site: Path, page: str) -> str:
    """`page` is the site path without index.html: '' for home, 'public/privacy' and so on."""
    return (site / page / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    """The main text of a built page, without the theme's menus, header and footer."""
    inner = html.split("<article", 1)[1]
    return inner.split(">", 1)[1].split("</article>", 1)[0]


class _Sentences(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.skipping = 0
        self.pieces: list[list[str]] = [[]]

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "br":
            self.pieces.append([])
            return
        if tag in ("input", "img", "hr", "meta", "link", "wbr"):
            return
        if tag in _SKIPPED or "headerlink" in classes:
            self.skipping += 1
            self.stack.append("skip")
            return
        self.stack.append("block" if tag in _BLOCKS else "inline")
        if tag in _BLOCKS:
            self.pieces.append([])

    def handle_endtag(self, tag):
        if tag in ("br", "input", "img", "hr", "meta", "link", "wbr") or not self.stack:
            return
        kind = self.stack.pop()
        if kind == "skip":
            self.skipping -= 1
        elif kind == "block":
            self.pieces.append([])

    def handle_data(self, data):
        if not self.skipping:
            self.pieces[-1].append(data)


def sentences(html_fragment: str) -> list[str]:
    """Each paragraph, item, cell, heading or line of the fragment as one sentence."""
    parser = _Sentences()
    parser.feed(html_fragment)
    parser.close()
    out = []
    for piece in parser.pieces:
        text = _ADDRESS.sub("", " ".join("".join(piece).split())).strip(" :;,–-")
        text = re.sub(r"\s+([.,;:])", r"\1", text)
        if not re.search(r"[A-Za-z]", text):
            continue
        out.append(text if text.endswith((".", "!", "?")) else text + ".")
    return out


def readable_text(html: str, *, stop_at: str | None = None) -> str:
    """The article's sentences as one text; `stop_at` (a heading id) ends it before that heading."""
    main = article(html)
    if stop_at:
        cut = re.search(rf'<h[1-6][^>]*\bid="{re.escape(stop_at)}"', main)
        main = main[:cut.start()] if cut else main
    return " ".join(sentences(main))
