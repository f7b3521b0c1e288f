"""A short Markdown report as a PDF: the kit's Markdown-to-PDF renderer, for papers such as `ctkit diff`.

The report's Markdown goes through the same converter as the guidance PDF (`markdown_pdf`),
so headings, lists and notes look the same on paper, and it is tagged the same way (PDF/UA:
headings, paragraphs, lists and tables in the structure tree, the footer as a pagination
artifact). Its first `#` heading is the document's title (shown as the viewer's window
title); every page has a footer with the title, a line the caller gives (for a committee
paper: which releases are compared) and the page number. /Lang is en-GB and the same input
always gives the same bytes.
"""
from __future__ import annotations

import io
import re

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Frame, PageTemplate

from . import pdf_fonts
from .markdown_pdf import Converter, html_tree, plain
from .pdf_tags import DocInfo, finish
from .tagged_flowables import TaggedDocTemplate

MARGIN = 2.2 * cm
WIDTH = A4[0] - 2 * MARGIN
INK = colors.HexColor("#1a1a1a")


def _styles() -> dict[str, ParagraphStyle]:
    pdf_fonts.register_fonts()
    body = ParagraphStyle("body", fontName=pdf_fonts.REGULAR, fontSize=10.5, leading=15, textColor=INK,
                          spaceAfter=6)
    heading = dict(fontName=pdf_fonts.BOLD, textColor=INK, keepWithNext=1)
    return {
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=13, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=pdf_fonts.BOLD, fontSize=9.5, leading=13,
                                    spaceAfter=0),
        "code": ParagraphStyle("code", parent=body, fontName="Courier", fontSize=9, leading=12),
        "h1": ParagraphStyle("h1", fontSize=17, leading=22, spaceBefore=0, spaceAfter=10, **heading),
        "h2": ParagraphStyle("h2", fontSize=13, leading=18, spaceBefore=12, spaceAfter=5, **heading),
        "h3": ParagraphStyle("h3", fontSize=11.5, leading=16, spaceBefore=8, spaceAfter=4, **heading),
        "h4": ParagraphStyle("h4", fontSize=10.5, leading=15, spaceBefore=6, spaceAfter=3, **heading),
    }


class _ReportDoc(TaggedDocTemplate):
    """Bookmarks each heading and draws the footer on every page."""

    def __init__(self, buffer, footer: tuple[str, str], **kwargs):
        super().__init__(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN, **kwargs)
        self.footer = footer
        frame = Frame(MARGIN, MARGIN, WIDTH, A4[1] - 2 * MARGIN, id="body", leftPadding=0, rightPadding=0)
        self.addPageTemplates([PageTemplate("body", [frame], onPage=self._draw_footer)])
        self._last_level = -1
        self.link_texts: dict[str, str] = {}

    def beforeDocument(self):
        self._last_level = -1
        self.canv.showOutline()
        self.canv.tags.link_texts = self.link_texts

    def _draw_footer(self, canvas, doc):
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setStrokeColor(colors.HexColor("#8a8a8a"))
        canvas.line(MARGIN, MARGIN - 0.55 * cm, A4[0] - MARGIN, MARGIN - 0.55 * cm)
        page = f"Page {doc.page}"
        canvas.setFont(pdf_fonts.REGULAR, 8.5)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN - 0.95 * cm, page)
        room = WIDTH - pdfmetrics.stringWidth(page, pdf_fonts.REGULAR, 8.5) - 12
        for text, y in zip(self.footer, (MARGIN - 0.95 * cm, MARGIN - 1.35 * cm)):
            text = pdf_fonts.drawable(plain(text))
            size = 8.5
            while size > 5 and pdfmetrics.stringWidth(text, pdf_fonts.REGULAR, size) > room:
                size -= 0.5
            canvas.setFont(pdf_fonts.REGULAR, size)
            canvas.drawString(MARGIN, y, text)
        canvas.restoreState()

    def afterFlowable(self, flowable):
        outline = getattr(flowable, "outline", None) or getattr(getattr(flowable, "flowable", None), "outline", None)
        if not outline:
            return
        level, text, key = outline
        level = min(level, self._last_level + 1)   # an outline may not skip a level
        self._last_level = level
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=False)


def report_title(markdown: str) -> str:
    found = re.search(r"^#\s+(.+?)\s*$", markdown, re.MULTILINE)
    return found.group(1) if found else "Report"


def render_report_pdf(markdown: str, footer_line: str, *, author: str = "ctkit") -> bytes:
    """`markdown` (a report such as `ctkit diff` writes) as an A4 PDF; `footer_line` goes under the title."""
    styles = _styles()
    title = report_title(markdown)
    converter = Converter(styles, WIDTH, number="", key_prefix="report", first_level=1)
    story = converter.blocks(html_tree(markdown))
    buffer = io.BytesIO()
    doc = _ReportDoc(buffer, (title, footer_line), title=plain(title), author=author, subject=footer_line,
                     creator="ctkit", producer="ctkit (reportlab)", lang="en-GB", displayDocTitle=1, invariant=1,
                     initialFontName=pdf_fonts.REGULAR)
    doc.link_texts = converter.links
    doc.build(story)
    info = DocInfo(title=plain(title), author=author, subject=footer_line, creator="ctkit")
    return finish(buffer.getvalue(), doc.canv.tags, info)
