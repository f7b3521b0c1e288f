"""`ctkit init DIR --partnership NAME --area AREA`: a new partnership's content folder, ready to check and build.

It writes the starter kept inside the package (generator/starter/): ctkit.yml with the partnership's name, area
and lead; the Act's own threshold and time limits in a draft version 1.0 with its change history started; the
partnership's own file and one council file to copy; the forms, the letters; and pages for residents and
practitioners that take every name from the data. Every value a person must confirm is marked
`verified: false`, so `ctkit check` lists them. It refuses a folder that is not empty, so nothing is
overwritten.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from pathlib import Path

from ..content_folder import PROJECT_FILE
from ..errors import Stop, display_path

STARTER = Path(__file__).resolve().parent.parent / "starter"
#: Written into the starter's files: @@NAME@@, @@AREA@@ (inside double quotes in YAML), @@LEAD@@, @@TODAY@@.
LONGEST = 100
EXAMPLE_COUNCIL = "guidance/councils/example-council.yml"


def lead_id(area: str) -> str:
    """The partnership's own file and site: the area in lowercase letters and digits joined by -."""
    words = re.findall(r"[a-z0-9]+", area.lower())
    slug = "-".join(words)
    return slug if slug[:1].isalpha() else "partnership"


def _given(text: str, flag: str) -> str:
    text = " ".join(text.split())
    if not text or len(text) > LONGEST or any(not ch.isprintable() for ch in text):
        raise Stop.usage(f"{flag} should be a name of 1 to {LONGEST} characters on one line.")
    return text


def starter_files(name: str, area: str, today: dt.date) -> dict[str, str]:
    """Each file of a new partnership's content (path in the folder -> text)."""
    lead = lead_id(area)
    out = {}
    for source in sorted(STARTER.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        rel = source.relative_to(STARTER).as_posix().replace("@@LEAD@@", lead)
        text = source.read_text(encoding="utf-8")
        if source.suffix == ".yml":   # the names stand inside double quotes: written as YAML escapes them
            text = text.replace("@@NAME@@", json.dumps(name)[1:-1]).replace("@@AREA@@", json.dumps(area)[1:-1])
        out[rel] = text.replace("@@LEAD@@", lead).replace("@@TODAY@@", today.isoformat())
    return out


def run(args: argparse.Namespace) -> int:
    name, area = _given(args.partnership, "--partnership"), _given(args.area, "--area")
    folder = Path(args.folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise Stop.usage(f"{display_path(folder)} is not an empty folder; ctkit init writes a new partnership's "
                         "content only into a new or empty folder, so that nothing there is overwritten.")
    files = starter_files(name, area, dt.date.today())
    try:
        for rel, text in files.items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise Stop(f"cannot write {display_path(folder)} ({exc.strerror or exc}).") from None
    shown = display_path(folder)
    print(f"Wrote the content of {name} into {shown} ({len(files)} files, {PROJECT_FILE} at its root).")
    print("Next, in that folder:")
    print(f"  1. Copy {EXAMPLE_COUNCIL} once for each council, name each copy after its council "
          "(the file name is its id), and fill it in; then delete the example.")
    print(f"  2. Write the real names and contacts in guidance/organisations.yml and guidance/councils/{lead_id(area)}.yml.")
    print("  3. ctkit check lists every value still marked 'verified: false'; ctkit build --all builds the sites "
          "into site/; ctkit serve previews one while you edit.")
    print("  4. When the partnership approves version 1.0: ctkit version approve 1.0 --body NAME --on DATE "
          "--effective-from DATE.")
    return 0
