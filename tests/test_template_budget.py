"""Templates that never end (issue 26): a budget on one page's work, refused on the page's real line.

The sandbox capped one `range()`, not two loops inside each other, nor `7**(10**9)`: `ctkit
check`, `build` and `serve` ran for minutes. Each payload here goes into a page of a copy of the
sources, on a known line below some ordinary text, and `ctkit check` runs in its own process
with a time limit: it must come back in seconds, naming each page and line in words.
"""
from __future__ import annotations

import time

import pytest

from conftest import run_ctkit
from generator.templating import render_text

#: page name -> (the payload, words the sentence must have)
PAYLOADS = {
    "nested-loops": ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
                     "repeats too much work"),
    "loops-over-text": ("{% for i in 'x' * 100000 %}{% for j in 'y' * 100000 %}{% endfor %}{% endfor %}",
                        "repeats too much work"),
    "huge-power": ("{{ 7 ** (10 ** 9) }}", "a number with more than 15 digits"),
    "huge-repeat": ("{{ 'x' * 10 ** 9 }}", "longer than 200,000 characters"),
    "doubling": ("{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
                 "longer than 200,000 characters"),
    "huge-width": ("{{ 'x' | center(10 ** 9) }}", "size of 1,000,000,000"),
    "macro-calls-itself": ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "calls itself without end"),
    "reaches-into-python": ("{{ cycler.__init__.__globals__ }}", "reach inside Python"),
}
PAYLOAD_LINE = 9   # front matter (3 lines), a blank line, four lines of words, then the payload


def _page(name: str, payload: str) -> str:
    return (f"---\ntitle: {name}\n---\n\nOrdinary words.\n\nMore ordinary words,\nand more.\n{payload}\n\n"
            "The end.\n")


@pytest.mark.slow
def test_every_costly_template_is_refused_in_seconds_on_its_own_line(tmp_root):
    for name, (payload, _) in PAYLOADS.items():
        (tmp_root / "guidance" / "public" / f"{name}.md").write_text(_page(name, payload), encoding="utf-8")
    began = time.monotonic()
    run = run_ctkit("check", "--quiet", root=tmp_root, in_process=False, timeout=300)
    took = time.monotonic() - began
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    for name, (_, words) in PAYLOADS.items():
        found = [line for line in run.stdout.splitlines() if line.startswith(f"guidance/public/{name}.md:")]
        assert found, (name, run.stdout)
        assert all(line.startswith(f"guidance/public/{name}.md:{PAYLOAD_LINE}: template error: ") for line in found), \
            found
        assert any(words in line for line in found), (name, found)
    assert took < 120, f"check took {took:.0f} s"


class _Huge:
    """A value whose text cannot be made: what a page meets when the machine runs out of memory."""

    def __html__(self):
        raise MemoryError

    __str__ = __html__


def test_running_out_of_memory_is_said_in_words_on_the_real_line():
    text, problems = render_text("One.\nTwo.\n{{ huge }}\nFour.\n", {"huge": _Huge()}, "guidance/public/x.md", 5)
    assert text is None
    assert [str(p) for p in problems] == [
        "guidance/public/x.md:7: template error: this template makes something too large to hold in memory; "
        "look for text or a list that keeps growing"]


def test_a_filter_given_the_wrong_kind_of_value_is_located_on_its_line():
    text, problems = render_text("One.\n\n{{ 'soon' | longdate }}\n", {}, "guidance/public/x.md", 5)
    assert text is None and len(problems) == 1
    assert problems[0].line == 7 and "could not be rendered" in problems[0].message
