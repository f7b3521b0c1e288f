"""A council's identity on its site: its colours as CSS, and its logo, from its own YAML file.

The colours were checked for AA contrast when the project was loaded
(generator/checks/site_look.py); this module only turns them into the stylesheet every page
loads after ctkit.css, and copies the logo beside it. A council without colours gets the
neutral look of guidance/site.yml; one without a logo shows no logo at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
    css = file_env(PAGES_DIR, trim=True).get_template("council.css.j2").render(
        colours=colours, has_logo=logo is not None, council=council)
    if logo is None:
        return Identity(css, None, None, None)
    source = guidance.root / "guidance" / "councils" / logo.file
    return Identity(css, f"{ASSETS}/logo{source.suffix.lower()}", source.read_bytes(), logo.alt)
