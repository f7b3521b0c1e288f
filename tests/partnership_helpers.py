"""A partnership other than Derbyshire, started as its officer would: `ctkit init`, then each body's file.

Shared by the second-partnership test (built whole, slow) and the rule and command tests that run on both
partnerships (not a test module itself). `start_partnership` runs the real `ctkit init`, writes one file per
body from the example council's file, and lets the caller set the partnership's own criteria.
"""
from __future__ import annotations

import re
from pathlib import Path

from conftest import run_ctkit

NAME, AREA = "Northvale Community Safety Partnership", "Northvale"
#: (file id, name, short name, the lines that differ from the example council's file)
BODIES = (
    ("east-northvale", "East Northvale District Council", "East Northvale", "kind: district"),
    ("west-northvale", "West Northvale Council", "West Northvale", "kind: unitary"),
    ("northvale-police", "Northvale Police", "Northvale Police", None),   # the police take applications too
)


def body_file(example: str, cid: str, name: str, short: str, kind: str | None) -> str:
    text = example.replace("id: example-council", f"id: {cid}")
    text = text.replace("name: Example District Council", f"name: {name}")
    text = text.replace("short_name: Example", f"short_name: {short}")
    if kind is None:   # not a council: the police, with no kind of council
        text = re.sub(r"^kind: .*\n", "", text, flags=re.M).replace("role: council", "role: police")
    else:
        text = re.sub(r"^kind: \S+", kind, text, flags=re.M)
    return text


def start_partnership(folder: Path, bodies=BODIES, criteria: dict[str, str] | None = None) -> Path:
    """`ctkit init folder`, one file per body in place of the example, and each `old: new` line of
    criteria.yml replaced (each must be found once), as an officer edits the files."""
    made = run_ctkit("init", str(folder), "--partnership", NAME, "--area", AREA, cwd=folder.parent)
    assert made.returncode == 0, made.stderr
    councils = folder / "guidance" / "councils"
    example = (councils / "example-council.yml").read_text(encoding="utf-8")
    for cid, name, short, kind in bodies:
        (councils / f"{cid}.yml").write_text(body_file(example, cid, name, short, kind), encoding="utf-8")
    (councils / "example-council.yml").unlink()
    path = folder / "guidance" / "criteria.yml"
    text = path.read_text(encoding="utf-8")
    for old, new in (criteria or {}).items():
        assert text.count(old) == 1, f"criteria.yml of `ctkit init` no longer has {old!r} once"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return folder
