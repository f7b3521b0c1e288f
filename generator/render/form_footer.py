"""What the foot of every page of a form says, and how a form's pages look to the browser's filler.

The footer (the SPOC's contact, the form, the guidance version, "Page n of N") is drawn by
`form_pdf` on every page. The online form's filler adds continuation pages in the browser
(site/theme/assets/ctkit/apply-pdf.js); `browser_pages` gives it these same words and the
page's figures, so its pages look like the kit's own. N in "Page n of N" is one form XObject
(`PAGES_FORM`) every footer shows, drawn once the page count is known, so the browser can
draw the new count into it after adding or leaving out pages.
"""
from __future__ import annotations

from ..dates import longdate
from ..model import Council, Version
from .pdf_layout import (BODY_LEAD, BODY_SIZE, BOTTOM, CONTENT_W, HEADING_SIZE, HINT_INK, LABEL_LEAD, LABEL_SIZE, MARGIN_X,
                         PAGE_W, REGULAR, TOP, draw_lines, wrap)

PAGES_FORM = "ctkitPageCount"
FOOTER_SIZE, FOOTER_LEAD = 9.0, 11.0
FOOTER_RULE_Y, FOOTER_TOP = 86.0, 82.0


def footer_lines(title: str, council: Council, version: Version, called: str, area: str) -> tuple[str, str, str]:
    """What every page's footer says: the SPOC's contact, the form, and the guidance version (`area`'s guidance)."""
    s = council.spoc
    contact = f"{council.name}, {s.team}, {', '.join(s.address)}, {s.postcode}. Phone {s.phone}"
    if s.email:
        contact += f", email {s.email}"
    if not s.verified:
        contact += " (contact details not yet confirmed)"
    edition = f"{area} {called} guidance version {version.version}, {longdate(version.date)}"
    if not version.is_approved:
        edition += " (DRAFT: not approved)"
    return contact, title, edition


def draw_footer(c, lines: tuple[str, str, str], number: int) -> None:
    """The footer's words under the rule, and "Page n of " beside the last line, N drawn by `draw_page_count`."""
    contact, title, edition = lines
    y = draw_lines(c, wrap(contact, REGULAR, FOOTER_SIZE, CONTENT_W), MARGIN_X, FOOTER_TOP, REGULAR, FOOTER_SIZE,
                   FOOTER_LEAD, HINT_INK)
    below = wrap(title, REGULAR, FOOTER_SIZE, CONTENT_W) + wrap(edition, REGULAR, FOOTER_SIZE, CONTENT_W - 80)
    y = draw_lines(c, below, MARGIN_X, y, REGULAR, FOOTER_SIZE, FOOTER_LEAD, HINT_INK) + FOOTER_LEAD
    c.setFont(REGULAR, FOOTER_SIZE)
    c.drawRightString(PAGE_W - MARGIN_X - 14, y - FOOTER_SIZE, f"Page {number} of ")
    c.saveState()
    c.translate(PAGE_W - MARGIN_X - 14, y - FOOTER_SIZE)
    c.doForm(PAGES_FORM)
    c.restoreState()


def draw_page_count(c, count: int) -> None:
    """N of "Page n of N", drawn once, after the last page, into the form every footer shows."""
    c.beginForm(PAGES_FORM, lowerx=0, lowery=-3, upperx=14, uppery=10)
    c.setFont(REGULAR, FOOTER_SIZE)
    c.setFillColor(HINT_INK)
    c.drawString(0, 0, str(count))
    c.endForm()


def browser_pages(title: str, council: Council, version: Version, called: str, area: str) -> dict:
    """How a form's pages look, for the browser's filler to add continuation pages like the kit's own
    (with `answer_layout.browser_layout`, in the online form's model)."""
    return {
        "page": {"page_width": PAGE_W, "margin_x": MARGIN_X, "content_width": CONTENT_W, "top": TOP,
                 "bottom": BOTTOM, "body": [BODY_SIZE, BODY_LEAD], "label": [LABEL_SIZE, LABEL_LEAD],
                 "heading": [HEADING_SIZE, HEADING_SIZE * 1.25]},
        "footer": {"lines": list(footer_lines(title, council, version, called, area)), "size": FOOTER_SIZE, "lead": FOOTER_LEAD,
                   "rule_y": FOOTER_RULE_Y, "top": FOOTER_TOP, "page_count_form": PAGES_FORM},
    }


__all__ = ["PAGES_FORM", "FOOTER_SIZE", "FOOTER_LEAD", "FOOTER_RULE_Y", "FOOTER_TOP", "footer_lines", "draw_footer",
           "draw_page_count", "browser_pages"]
