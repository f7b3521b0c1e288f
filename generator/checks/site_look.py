"""A council site's look: colours that everyone can read, and a logo file that is really there.

Text must reach WCAG 2.2 AA contrast (1.4.3: at least 4.5:1). The header's text and the tabs
sit on the header colour; links, the active menu item and buttons use the link colour, on
the white page or with white text on it, which is the same ratio. Checked here rather than
left to the browser tests, so `ctkit check`, `ctkit build` and `mkdocs serve` all refuse a
colour nobody tried in a browser, naming the line to change.
"""
from __future__ import annotations

from ..errors import Problem
from ..lazy_modules import lazy
from ..logo_policy import clean_logo
from ..model import Colours, Guidance

coloraide = lazy("coloraide")   # commands that judge or keep cases never check a colour (issue 29)

#: WCAG 2.2 success criterion 1.4.3 (Contrast, minimum), for text of normal size.
AA_TEXT = 4.5
PAGE_BACKGROUND = "#ffffff"   # Material's default page background, under every link
LOGO_MAX_BYTES = 200_000      # a header logo; anything bigger slows every page on a phone


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two opaque colours (1 to 21)."""
    return coloraide.Color(foreground).contrast(background, method="wcag21")


def colour_problems(colours: Colours) -> list[Problem]:
    """Each pair of the site's colours that falls below AA, located at the key to change."""
    where = colours.where
    out = []
    pairs = (("header_text" if "header_text" in where.keys else "header", colours.header_text, colours.header,
              f"the header text ({colours.header_text}) on the header colour ({colours.header})",
              "choose a header colour and text colour further apart"),
             ("link", colours.link, PAGE_BACKGROUND, f"the link colour ({colours.link}) on the white page",
              "choose a darker link colour"))
    for key, fg, bg, what, fix in pairs:
        ratio = contrast(fg, bg)
        if ratio < AA_TEXT:
            out.append(where.problem(f"{what} has a contrast of {ratio:.1f}:1; WCAG 2.2 AA needs at least "
                                     f"{AA_TEXT}:1 for text: {fix}", key))
    return out


def check_site_look(g: Guidance) -> list[Problem]:
    problems = colour_problems(g.default_colours) if g.default_colours else []
    folder = g.root / "guidance" / "councils"
    for council in g.councils.values():
        if council.colours:
            problems += colour_problems(council.colours)
        logo = council.logo
        if logo is None:
            continue
        path = folder / logo.file
        if not path.resolve().is_relative_to(folder.resolve()):
            problems.append(logo.where.problem(f"the logo {logo.file} is outside guidance/councils/; "
                                               "put the file in guidance/councils/logos/", "file"))
        elif not path.is_file():
            problems.append(logo.where.problem(f"the logo file guidance/councils/{logo.file} does not exist", "file"))
        elif path.stat().st_size > LOGO_MAX_BYTES:
            problems.append(logo.where.problem(f"the logo file guidance/councils/{logo.file} is "
                                               f"{path.stat().st_size // 1000} KB; keep it under "
                                               f"{LOGO_MAX_BYTES // 1000} KB so pages load quickly on a phone", "file"))
        else:
            problems += _logo_content(logo, path.read_bytes())
    return problems


def _logo_content(logo, data: bytes) -> list[Problem]:
    """A PNG, or an SVG of shapes and text: what the site leaves out of an SVG is said, so the editor knows."""
    cleaned = clean_logo(logo.file, data)
    if cleaned.refused:
        return [logo.where.problem(f"the logo file guidance/councils/{logo.file} {cleaned.refused}", "file")]
    if cleaned.left_out:
        what = "; ".join(dict.fromkeys(cleaned.left_out))
        return [logo.where.problem(f"the logo file guidance/councils/{logo.file} carries {what}: the site serves "
                                   "the drawing without them (a logo is shapes and text only)", "file",
                                   severity="warning")]
    return []
