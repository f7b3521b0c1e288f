"""The browser libraries and the font that Apply online loads, copied into every site.

The online form fills the council's PDF in the resident's browser with pdf-lib and fontkit, and draws the
answers in DejaVu Sans, the kit's own field font (generator/render/fonts/). The two libraries are vendored
in the package (generator/site/vendor/), the versions package.json pins, each beside its licence, so a
partnership's content builds its sites without node_modules or this checkout; tests/test_kit_package.py
holds each file equal to the one npm installs. They are served from the site itself (no request to any
other host), with a README.txt saying what each file is. A vendored file missing from a broken install stops
the build with one sentence, never a site whose download button fails for residents.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import Problem, Stop
from ..render.pdf_fonts import BUNDLED_DIR

VENDOR = "assets/ctkit/vendor"
VENDORED = Path(__file__).resolve().parent / "vendor"

#: Browser libraries copied into every site: npm package, the version package.json pins, the file the page
#: loads (as npm installs it, under node_modules/<package>/), and its licence files as vendored (as npm installs
#: them). pdf-lib's bundle includes pako and tslib, so their licences travel with it; fontkit ships none of its
#: own (see fontkit-LICENSE.txt).
LIBRARIES = (
    ("pdf-lib", "1.17.1", "dist/pdf-lib.min.js",
     {"pdf-lib-LICENSE.txt": "pdf-lib/LICENSE.md", "pako-LICENSE.txt": "pako/LICENSE",
      "tslib-LICENSE.txt": "tslib/LICENSE.txt"}),
    ("@pdf-lib/fontkit", "1.1.1", "dist/fontkit.umd.min.js", {"fontkit-LICENSE.txt": None}),
)
#: The field font the browser embeds, so any name shows in the filled PDF.
FONT_FILES = ("DejaVuSans.ttf", "LICENSE-DejaVu.txt")


def vendor_files(vendored: Path = VENDORED) -> dict[str, bytes]:
    """Site path -> bytes of pdf-lib, fontkit, DejaVu Sans and their licences."""
    out: dict[str, bytes] = {}
    problems: list[Problem] = []
    notes = ["Libraries and the font used by the online application form (public/apply/).",
             "They run in the resident's browser only; nothing is sent anywhere.", ""]
    for package, version, script, licences in LIBRARIES:
        names = [Path(script).name, *licences]
        try:
            files = {name: (vendored / name).read_bytes() for name in names}
        except OSError:
            problems.append(Problem("", None, f"the browser library {package} is missing from the kit's files "
                                              f"({vendored}); install the kit again (make, or pip install ctkit)"))
            continue
        out.update({f"{VENDOR}/{name}": data for name, data in files.items()})
        notes.append(f"{names[0]}: npm package {package} {version}")
        notes += [f"  licence: {name}" for name in licences]
    for name in FONT_FILES:
        out[f"{VENDOR}/{name}"] = (BUNDLED_DIR / name).read_bytes()
    notes.append(f"{FONT_FILES[0]}: DejaVu Sans, the kit's field font (generator/render/fonts/)")
    notes.append(f"  licence: {FONT_FILES[1]}")
    if problems:
        raise Stop(problems)
    out[f"{VENDOR}/README.txt"] = ("\n".join(notes) + "\n").encode("utf-8")
    return out
