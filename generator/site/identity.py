"""A council's identity on its site: its colours as CSS, and its logo, from its own YAML file.

The colours were checked for AA contrast when the project was loaded
(generator/checks/site_look.py); this module only turns them into the stylesheet every page
loads after ctkit.css, and copies the logo beside it. A council without colours gets the
neutral look of guidance/site.yml; one without a logo shows no logo at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..logo_policy import clean_logo
from ..model import Council, Guidance
from ..templating import file_env

PAGES_DIR = Path(__file__).resolve().parent / "pages"
ASSETS = "assets/ctkit"
STYLESHEET = f"{ASSETS}/council.css"


@dataclass(frozen=True)
class Identity:
    stylesheet: str              # the CSS text of assets/ctkit/council.css
    logo_path: str | None        # inside the site, e.g. assets/ctkit/logo.svg
    logo_data: bytes | None
    logo_alt: str | None


def identity_of(guidance: Guidance, council: Council) -> Identity:
    colours = guidance.colours_of(council)
    logo = council.logo
    cleaned = None
    if logo is not None:   # served as `clean_logo` leaves it; a refused one (`ctkit check` says why) is not shown
        cleaned = clean_logo(logo.file, (guidance.root / "guidance" / "councils" / logo.file).read_bytes())
    shown = logo if cleaned is not None and cleaned.data is not None else None
    css = file_env(PAGES_DIR, trim=True, markdown=False).get_template("council.css.j2").render(
        colours=colours, has_logo=shown is not None, council=council)
    if shown is None:
        return Identity(css, None, None, None)
    return Identity(css, f"{ASSETS}/logo{Path(shown.file).suffix.lower()}", cleaned.data, shown.alt)
