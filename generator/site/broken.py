"""The page `ctkit serve` shows while a source is broken: every problem as `path:line: sentence`.

A preview that stops, or waits for ever, leaves an editor guessing; this page tells them what
to fix, in the browser they are already looking at, and the next save that fixes it brings the
site back (the page reloads by itself). A real build still refuses broken sources.
"""
from __future__ import annotations

import html

from ..errors import Problem, sorted_problems

PATH = "index.md"
TITLE = "The preview cannot be built: the sources have errors"


def broken_page(problems: list[Problem]) -> str:
    """The Markdown of the error page; each problem escaped, since it quotes what an editor typed."""
    items = "\n".join(f"<li><code>{html.escape(_where(p))}</code> {html.escape(p.message)}</li>"
                      for p in sorted_problems(problems))
    return (f"# {TITLE}\n\n"
            "Fix each problem below and save the file. This page reloads by itself when the sources are right "
            "again; `ctkit check` lists the same problems.\n\n"
            f'<ul class="ct-source-errors">\n{items}\n</ul>\n')


def _where(problem: Problem) -> str:
    if not problem.path:
        return "ctkit:"
    return f"{problem.path}:{problem.line}:" if problem.line else f"{problem.path}:"
