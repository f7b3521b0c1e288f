"""The browser libraries and the font that Apply online loads, copied into every site.

The online form fills the council's PDF in the resident's browser with pdf-lib and fontkit,
the versions pinned in package.json and installed by `npm ci` into node_modules/, and draws
the answers in DejaVu Sans, the kit's own field font (generator/render/fonts/). They are
served from the site itself (no request to any other host), each beside its licence, with a
README.txt saying what each file is. A missing or different library stops the build with
one sentence, never a site whose download button fails for residents.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import Problem, Stop
from ..render.pdf_fonts import BUNDLED_DIR

VENDOR = "assets/ctkit/vendor"
KIT_ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = KIT_ROOT / "node_modules"
LICENCES_DIR = Path(__file__).resolve().parent / "licences"

#: Browser libraries copied into every site: npm package, the file the page loads, its licence files.
#: pdf-lib's bundle includes pako and tslib, so their licences travel with it.
LIBRARIES = (
    ("pdf-lib", "dist/pdf-lib.min.js", ("pdf-lib/LICENSE.md", "pako/LICENSE", "tslib/LICENSE.txt")),
    ("@pdf-lib/fontkit", "dist/fontkit.umd.min.js", ()),   # ships no licence file: see licences/
)
#: The field font the browser embeds, so any name shows in the filled PDF.
FONT_FILES = ("DejaVuSans.ttf", "LICENSE-DejaVu.txt")


def _pinned_versions() -> dict[str, str]:
    manifest = KIT_ROOT / "package.json"
    try:
        return json.loads(manifest.read_text(encoding="utf-8")).get("dependencies", {})
    except (OSError, ValueError):
        return {}


def vendor_files(node_modules: Path = NODE_MODULES) -> dict[str, bytes]:
    """Site path -> bytes of pdf-lib, fontkit, DejaVu Sans and their licences, as pinned in package.json."""
    pinned = _pinned_versions()
    out: dict[str, bytes] = {}
    problems: list[Problem] = []
    notes = ["Libraries and the font used by the online application form (public/apply/).",
             "They run in the resident's browser only; nothing is sent anywhere.", ""]
    for package, script, licences in LIBRARIES:
        folder = node_modules / package
        try:
            installed = json.loads((folder / "package.json").read_text(encoding="utf-8")).get("version")
            data = (folder / script).read_bytes()
        except (OSError, ValueError):
            problems.append(Problem("package.json", None, f"the browser library {package} is not installed in "
                                    "node_modules/; run 'make node_modules/.installed-stamp' (npm ci) and build again"))
            continue
        if package in pinned and installed != pinned[package]:
            problems.append(Problem("package.json", None, f"node_modules/ holds {package} {installed}, but package.json "
                                    f"pins {pinned[package]}; run 'npm ci' and build again"))
            continue
        base = Path(script).name
        out[f"{VENDOR}/{base}"] = data
        notes.append(f"{base}: npm package {package} {installed}")
        for licence in licences:
            owner, file = licence.rsplit("/", 1)   # as plain text: a .md file would become a page
            target = f"{VENDOR}/{owner.split('/')[-1]}-{file.split('.')[0]}.txt"
            out[target] = (node_modules / licence).read_bytes()
            notes.append(f"  licence: {Path(target).name}")
        own = LICENCES_DIR / f"{package.split('/')[-1]}-LICENSE.txt"
        if own.exists():
            out[f"{VENDOR}/{own.name}"] = own.read_bytes()
            notes.append(f"  licence: {own.name}")
    for name in FONT_FILES:
        out[f"{VENDOR}/{name}"] = (BUNDLED_DIR / name).read_bytes()
    notes.append(f"{FONT_FILES[0]}: DejaVu Sans, the kit's field font (generator/render/fonts/)")
    notes.append(f"  licence: {FONT_FILES[1]}")
    if problems:
        raise Stop(problems)
    out[f"{VENDOR}/README.txt"] = ("\n".join(notes) + "\n").encode("utf-8")
    return out
