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

from reportlab.lib.styles import ParagraphStyle

from . import pdf_fonts
from .markdown_pdf import Converter, html_tree, plain
from .pdf_tags import DocInfo, finish
from .paper_doc import BODY_WIDTH, HEADING, PaperDocTemplate, text_styles



def _styles() -> dict[str, ParagraphStyle]:
    pdf_fonts.register_fonts()
    return {
        **text_styles(),
        "h1": ParagraphStyle("h1", fontSize=17, leading=22, spaceBefore=0, spaceAfter=10, **HEADING),
        "h2": ParagraphStyle("h2", fontSize=13, leading=18, spaceBefore=12, spaceAfter=5, **HEADING),
        "h3": ParagraphStyle("h3", fontSize=11.5, leading=16, spaceBefore=8, spaceAfter=4, **HEADING),
        "h4": ParagraphStyle("h4", fontSize=10.5, leading=15, spaceBefore=6, spaceAfter=3, **HEADING),
    }


class _ReportDoc(PaperDocTemplate):
    """The paper document, whose footer lines may carry Markdown."""

    def footer_text(self, text: str) -> str:
        return pdf_fonts.drawable(plain(text))


def report_title(markdown: str) -> str:
    found = re.search(r"^#\s+(.+?)\s*$", markdown, re.MULTILINE)
    return found.group(1) if found else "Report"


def render_report_pdf(markdown: str, footer_line: str, *, author: str = "ctkit") -> bytes:
    """`markdown` (a report such as `ctkit diff` writes) as an A4 PDF; `footer_line` goes under the title."""
    styles = _styles()
    title = report_title(markdown)
    converter = Converter(styles, BODY_WIDTH, number="", key_prefix="report", first_level=1)
    story = converter.blocks(html_tree(markdown))
    buffer = io.BytesIO()
    doc = _ReportDoc(buffer, (title, footer_line), title=plain(title), author=author, subject=footer_line,
                     creator="ctkit", producer="ctkit (reportlab)", lang="en-GB", displayDocTitle=1, invariant=1,
                     initialFontName=pdf_fonts.REGULAR)
    doc.link_texts = converter.links
    doc.build(story)
    info = DocInfo(title=plain(title), author=author, subject=footer_line, creator="ctkit")
    return finish(buffer.getvalue(), doc.canv.tags, info)
