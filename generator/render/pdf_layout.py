"""Drawing primitives for form PDFs: a page cursor, wrapped text, and accessible fields.

Everything is drawn on a tagged canvas (`pdf_tags`): text blocks and headings open their
own structure element, shading and rules are artifacts, and every field sits in a
`Form` element. Every field gets a tooltip and the length limit its question sets; its
value keeps full Unicode in /V, and its appearance is drawn afterwards in the embedded
field font (`pdf_fields`), so the box shows the answer as written. A printed copy draws
the same boxes with the answer as text on the page (`answer_box`, `choice_mark`).
"""
from __future__ import annotations

import io

from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfdoc import PDFString
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .answer_layout import INSET, LINE_FACTOR, PAD_X, Layout
from .pdf_fields import FIELD_SIZE
from .pdf_fonts import BOLD, ITALIC, REGULAR, drawable, register_fonts
from .pdf_tags import TaggedCanvas

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
HEADING_SIZE = 13.0           # a section's shaded heading
LINE_H = 13.0                 # one line of a multi-line field at FIELD_SIZE
BOX_H = 20.0                  # a single-line field
TICK = 12.0                   # checkbox and radio size


class FormCanvas(TaggedCanvas):
    """A tagged canvas that remembers the last annotation it added (to complete a field's entries)."""

    last_annotation = None

    def _addAnnotation(self, annotation, name=None, addtopage=1):  # noqa: N802 - reportlab hook
        self.last_annotation = annotation
        super()._addAnnotation(annotation, name, addtopage)


def new_canvas() -> tuple[FormCanvas, io.BytesIO]:
    """A canvas writing byte-identical output for identical input (invariant: fixed dates and ids)."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = FormCanvas(buffer, pagesize=A4, invariant=1, lang="en-GB", pageCompression=1, initialFontName=REGULAR)
    canvas.setViewerPreference("DisplayDocTitle", "true")
    return canvas, buffer


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of `text` that fit `width`, keeping the author's line breaks."""
    lines: list[str] = []
    text = drawable(text, font)
    for part in text.split("\n"):
        lines += simpleSplit(part, font, size, width) or [""]
    return lines


class Page:
    """A top-down cursor over the pages of one document, drawing the footer as each page ends."""

    def __init__(self, canvas: FormCanvas, footer) -> None:
        self.c = canvas
        self.tags = canvas.tags
        self.y = TOP
        self.number = 1
        self.footer = footer

    # -- pages ------------------------------------------------------------------
    def new_page(self) -> None:
        self._footer()
        self.c.showPage()
        self.number += 1
        self.y = TOP

    def _footer(self) -> None:
        with self.tags.artifact("Pagination", "Footer"):
            self.footer(self.c, self.number)

    def ensure(self, height: float) -> None:
        """Start a new page unless `height` points still fit on this one."""
        if self.y - height < BOTTOM and self.y < TOP:
            self.new_page()

    def finish(self) -> None:
        self._footer()
        self.c.showPage()

    # -- text -------------------------------------------------------------------
    def text_block(self, text: str, font: str = REGULAR, size: float = BODY_SIZE, lead: float = BODY_LEAD,
                   ink: Color = INK, x: float = MARGIN_X, width: float = CONTENT_W, after: float = 4.0,
                   role: str = "P", serves: int | None = None) -> None:
        """Wrapped text that may flow across pages, line by line, tagged as one `role` element
        (`serves`: it only serves the rows of a repeat group from that number on)."""
        with self.tags.element(role, serves=serves):
            for line in wrap(text, font, size, width):
                self.ensure(lead)
                self.c.setFont(font, size)
                self.c.setFillColor(ink)
                self.c.drawString(x, self.y - size, line)
                self.y -= lead
        self.y -= after

    def heading(self, text: str, size: float = HEADING_SIZE, keep: float = 60.0, role: str = "H2") -> None:
        """A shaded section heading, kept on the same page as the `keep` points that follow it."""
        lines = wrap(text, BOLD, size, CONTENT_W - 12)
        height = len(lines) * size * 1.25 + 8
        self.ensure(height + 8 + keep)
        with self.tags.artifact():
            self.c.setFillColor(SHADE)
            self.c.rect(MARGIN_X, self.y - height, CONTENT_W, height, stroke=0, fill=1)
        with self.tags.element(role):
            self.c.setFillColor(INK)
            self.c.setFont(BOLD, size)
            y = self.y - 4 - size
            for line in lines:
                self.c.drawString(MARGIN_X + 6, y, line)
                y -= size * 1.25
        self.y -= height + 8

    def rule(self, x0: float, y: float, x1: float) -> None:
        """A thin line between parts of the page: decoration, not content."""
        with self.tags.artifact():
            self.c.setStrokeColor(RULE_INK)
            self.c.setLineWidth(0.5)
            self.c.line(x0, y, x1, y)


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
               value: str = "", multiline: bool = False, required: bool = False, maxlength: int = 0) -> None:
    """A text field in its own `Form` element, holding `value` whole (even beyond `maxlength`, the
    most a person can type into it). Its appearance is drawn by `pdf_fields` once the page is done."""
    with c.tags.element("Form"):
        c.acroForm.textfield(
            name=name, tooltip=tooltip, x=x, y=y, width=width, height=height, value="",
            fontSize=FIELD_SIZE, borderWidth=1, borderColor=RULE_INK, fillColor=white,
            textColor=INK, fieldFlags=_flags("multiline" if multiline else "", "required" if required else ""),
            maxlen=maxlength,
        )
    annotation = c.last_annotation
    annotation.dict["V"] = PDFString(value)  # the whole answer, every character
    annotation.dict["DV"] = PDFString("")


def answer_box(c: FormCanvas, x: float, y: float, width: float, height: float, layout: Layout,
               multiline: bool) -> None:
    """A printed answer: the box as decoration, the answer in it as text, laid out as a field shows it."""
    with c.tags.artifact():
        c.setStrokeColor(RULE_INK)
        c.setLineWidth(1)
        c.rect(x + 0.5, y + 0.5, width - 1, height - 1, stroke=1, fill=0)
    if not layout.lines:
        return
    with c.tags.element("P"):
        c.setFont(REGULAR, layout.size)
        c.setFillColor(INK)
        top = y + height - INSET - layout.size if multiline else y + (height - layout.size) / 2 + 0.22 * layout.size
        for i, line in enumerate(layout.lines):
            c.drawString(x + PAD_X, top - i * layout.size * LINE_FACTOR, drawable(line))


def choice_mark(c: FormCanvas, x: float, y: float, on: bool, radio: bool) -> None:
    """A printed tick box or radio button: a tick or a dot, named for screen readers, when chosen."""
    def frame() -> None:
        c.setStrokeColor(RULE_INK)
        c.setLineWidth(1)
        if radio:
            c.circle(x + TICK / 2, y + TICK / 2, TICK / 2 - 0.5, stroke=1, fill=0)
        else:
            c.rect(x + 0.5, y + 0.5, TICK - 1, TICK - 1, stroke=1, fill=0)
    if not on:
        with c.tags.artifact():
            frame()
        return
    with c.tags.element("Figure", alt="Chosen" if radio else "Ticked"):
        frame()
        c.setFillColor(INK)
        c.setStrokeColor(INK)
        if radio:
            c.circle(x + TICK / 2, y + TICK / 2, TICK * 0.22, stroke=0, fill=1)
        else:
            c.setLineWidth(1.6)
            path = c.beginPath()
            path.moveTo(x + TICK * 0.22, y + TICK * 0.52)
            path.lineTo(x + TICK * 0.42, y + TICK * 0.27)
            path.lineTo(x + TICK * 0.8, y + TICK * 0.76)
            c.drawPath(path, stroke=1, fill=0)


def checkbox(c: FormCanvas, name: str, tooltip: str, x: float, y: float, checked: bool = False,
             required: bool = False) -> None:
    with c.tags.element("Form"):
        c.acroForm.checkbox(name=name, tooltip=tooltip, x=x, y=y, size=TICK, checked=checked, buttonStyle="check",
                            borderWidth=1, borderColor=RULE_INK, fillColor=white, textColor=INK,
                            fieldFlags="required" if required else "")


def radio(c: FormCanvas, name: str, tooltip: str, value: str, x: float, y: float, selected: bool = False,
          required: bool = False, option_tooltip: str = "") -> None:
    """One radio button of the group `name`; `option_tooltip` names this option for screen readers."""
    with c.tags.element("Form", alt=option_tooltip, tooltip=option_tooltip):
        c.acroForm.radio(name=name, tooltip=tooltip, value=value, x=x, y=y, size=TICK, selected=selected,
                         buttonStyle="circle", shape="circle", borderWidth=1, borderColor=RULE_INK,
                         fillColor=white, textColor=INK,
                         fieldFlags=_flags("noToggleToOff", "required" if required else "", "radio"))


__all__ = ["BOLD", "ITALIC", "REGULAR", "FormCanvas", "Page", "new_canvas", "wrap", "text_field", "answer_box",
           "choice_mark", "checkbox", "radio", "draw_lines", "stringWidth"]
