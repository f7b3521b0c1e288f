"""Drawing primitives for form PDFs: a page cursor, wrapped text, and accessible fields.

reportlab's canvas is wrapped so every page gets `/Tabs /S` (tab order follows the
page), every field gets a tooltip and no length limit, and field values keep full
Unicode in /V while their drawn appearance uses the Latin-1 the standard fonts know.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObjectReference, PDFPage, PDFString, xObjectName
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .pdf_fonts import BOLD, FIELD_FONT, ITALIC, REGULAR, appearance_safe, drawable, register_fonts

PAGE_W, PAGE_H = A4
MARGIN_X = 50.0
TOP = PAGE_H - 48.0
BOTTOM = 96.0                 # the footer lives below this
CONTENT_W = PAGE_W - 2 * MARGIN_X

INK = black
HINT_INK = Color(0.27, 0.27, 0.27)     # 9.7:1 on white
RULE_INK = Color(0.35, 0.35, 0.35)
SHADE = Color(0.93, 0.94, 0.96)

LABEL_SIZE, LABEL_LEAD = 10.0, 12.5
HINT_SIZE, HINT_LEAD = 9.0, 11.2
BODY_SIZE, BODY_LEAD = 10.0, 13.0
FIELD_SIZE = 10.0
MIN_FIELD_SIZE = 6.0
LINE_H = 13.0                 # one line of a multi-line field at FIELD_SIZE
BOX_H = 20.0                  # a single-line field
TICK = 12.0                   # checkbox and radio size


class FormCanvas(Canvas):
    """A canvas whose pages carry /Tabs /S and which remembers the last annotation it added."""

    last_annotation = None

    def _addAnnotation(self, annotation, name=None, addtopage=1):  # noqa: N802 - reportlab hook
        self.last_annotation = annotation
        super()._addAnnotation(annotation, name, addtopage)

    def _setAnnotations(self, page):  # noqa: N802 - reportlab hook
        super()._setAnnotations(page)
        if not isinstance(page, PDFPage):
            return  # a form XObject (field appearance, page count), not a page
        page.__NoDefault__ = list(PDFPage.__NoDefault__) + ["Tabs"]
        page.Tabs = PDFName("S")


def new_canvas() -> tuple[FormCanvas, io.BytesIO]:
    """A canvas writing byte-identical output for identical input (invariant: fixed dates and ids)."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = FormCanvas(buffer, pagesize=A4, invariant=1, lang="en-GB", pageCompression=1)
    canvas.setViewerPreference("DisplayDocTitle", "true")
    return canvas, buffer


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of `text` that fit `width`, keeping the author's line breaks."""
    lines: list[str] = []
    text = drawable(text, font)
    for part in text.split("\n"):
        lines += simpleSplit(part, font, size, width) or [""]
    return lines


@dataclass
class Fit:
    lines: list[str]
    size: float
    fits: bool


def fit_value(value: str, width: float, height: float, multiline: bool, font: str = FIELD_FONT) -> Fit:
    """The largest font size (down to MIN_FIELD_SIZE) at which `value` shows whole in the box."""
    safe = appearance_safe(value) if font == FIELD_FONT else drawable(value, font)
    inner_w = width - 6
    size = FIELD_SIZE
    while True:
        if multiline:
            lines = wrap(safe, font, size, inner_w)
            fits = len(lines) * size * 1.15 <= height - 4
        else:
            lines = [safe.replace("\n", " ")]
            fits = stringWidth(lines[0], font, size) <= inner_w
        if fits or size <= MIN_FIELD_SIZE:
            return Fit(lines, size, fits)
        size -= 0.5


class Page:
    """A top-down cursor over the pages of one document, drawing the footer as each page ends."""

    def __init__(self, canvas: FormCanvas, footer) -> None:
        self.c = canvas
        self.y = TOP
        self.number = 1
        self.footer = footer

    # -- pages ------------------------------------------------------------------
    def new_page(self) -> None:
        self.footer(self.c, self.number)
        self.c.showPage()
        self.number += 1
        self.y = TOP

    def ensure(self, height: float) -> None:
        """Start a new page unless `height` points still fit on this one."""
        if self.y - height < BOTTOM and self.y < TOP:
            self.new_page()

    def finish(self) -> None:
        self.footer(self.c, self.number)
        self.c.showPage()

    # -- text -------------------------------------------------------------------
    def text_block(self, text: str, font: str = REGULAR, size: float = BODY_SIZE, lead: float = BODY_LEAD,
                   ink: Color = INK, x: float = MARGIN_X, width: float = CONTENT_W, after: float = 4.0) -> None:
        """Wrapped text that may flow across pages, line by line."""
        for line in wrap(text, font, size, width):
            self.ensure(lead)
            self.c.setFont(font, size)
            self.c.setFillColor(ink)
            self.c.drawString(x, self.y - size, line)
            self.y -= lead
        self.y -= after

    def heading(self, text: str, size: float = 13.0, keep: float = 60.0) -> None:
        """A shaded section heading, kept on the same page as the `keep` points that follow it."""
        lines = wrap(text, BOLD, size, CONTENT_W - 12)
        height = len(lines) * size * 1.25 + 8
        self.ensure(height + 8 + keep)
        self.c.setFillColor(SHADE)
        self.c.rect(MARGIN_X, self.y - height, CONTENT_W, height, stroke=0, fill=1)
        self.c.setFillColor(INK)
        self.c.setFont(BOLD, size)
        y = self.y - 4 - size
        for line in lines:
            self.c.drawString(MARGIN_X + 6, y, line)
            y -= size * 1.25
        self.y -= height + 8


def draw_lines(c: Canvas, lines: list[str], x: float, top: float, font: str, size: float, lead: float,
               ink: Color = INK) -> float:
    """Draw already-wrapped lines from `top` down; returns the y below them."""
    c.setFont(font, size)
    c.setFillColor(ink)
    y = top
    for line in lines:
        c.drawString(x, y - size, line)
        y -= lead
    return y


# -- fields -------------------------------------------------------------------------

def _flags(*names: str) -> str:
    return " ".join(n for n in names if n)


def text_field(c: FormCanvas, name: str, tooltip: str, x: float, y: float, width: float, height: float,
               value: str = "", multiline: bool = False, required: bool = False) -> bool:
    """A text field; returns False when `value` cannot all be shown in the box (the field still holds it)."""
    fit = fit_value(value, width, height, multiline) if value else Fit([""], FIELD_SIZE, True)
    c.acroForm.textfield(
        name=name, tooltip=tooltip, x=x, y=y, width=width, height=height, value="\n".join(fit.lines),
        fontName=FIELD_FONT, fontSize=fit.size, borderWidth=1, borderColor=RULE_INK, fillColor=white,
        textColor=INK, fieldFlags=_flags("multiline" if multiline else "", "required" if required else ""),
        maxlen=0,
    )
    annotation = c.last_annotation
    annotation.dict["V"] = PDFString(value)  # the whole answer, every character
    annotation.dict["DV"] = PDFString("")
    if value and appearance_safe(value) != value:
        # Beyond Latin-1 (Łukasik, Şahin): draw the appearance in the kit's own font, so the
        # printed letter shows the name as written, not the standard font's look-alike.
        fit = fit_value(value, width, height, multiline, REGULAR)
        annotation.dict["AP"] = PDFDictionary({"N": _unicode_appearance(c, name, fit, width, height, multiline)})
    return fit.fits


def _unicode_appearance(c: FormCanvas, name: str, fit: Fit, width: float, height: float, multiline: bool):
    form = "ctkitAP_" + re.sub(r"[^A-Za-z0-9]", "_", name)
    c.beginForm(form, lowerx=0, lowery=0, upperx=width, uppery=height)
    c.setFillColor(white)
    c.setStrokeColor(RULE_INK)
    c.setLineWidth(1)
    c.rect(0.5, 0.5, width - 1, height - 1, stroke=1, fill=1)
    c.setFillColor(INK)
    c.setFont(REGULAR, fit.size)
    lead = fit.size * 1.15
    y = height - 2 - fit.size if multiline else (height - fit.size) / 2 + 0.22 * fit.size
    for line in fit.lines:
        c.drawString(3, y, line)
        y -= lead
    c.endForm()
    return PDFObjectReference(xObjectName(form))


def checkbox(c: FormCanvas, name: str, tooltip: str, x: float, y: float, checked: bool = False,
             required: bool = False) -> None:
    c.acroForm.checkbox(name=name, tooltip=tooltip, x=x, y=y, size=TICK, checked=checked, buttonStyle="check",
                        borderWidth=1, borderColor=RULE_INK, fillColor=white, textColor=INK,
                        fieldFlags="required" if required else "")


def radio(c: FormCanvas, name: str, tooltip: str, value: str, x: float, y: float, selected: bool = False,
          required: bool = False) -> None:
    c.acroForm.radio(name=name, tooltip=tooltip, value=value, x=x, y=y, size=TICK, selected=selected,
                     buttonStyle="circle", shape="circle", borderWidth=1, borderColor=RULE_INK, fillColor=white,
                     textColor=INK, fieldFlags=_flags("noToggleToOff", "required" if required else "", "radio"))


__all__ = ["BOLD", "ITALIC", "REGULAR", "FormCanvas", "Page", "new_canvas", "wrap", "text_field", "checkbox",
           "radio", "draw_lines", "stringWidth"]
