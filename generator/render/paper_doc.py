"""The A4 document the guidance PDF and the reports share: margins, bookmarks and the footer.

Every heading flowable that carries `outline = (level, text, key)` becomes a bookmark (a level is
never skipped, as PDF viewers require); every page has a rule and two footer lines beside the page
number, each shrunk to fit. The footer is drawn as a pagination artifact by TaggedDocTemplate.
"""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Frame, PageTemplate

from . import pdf_fonts
from .tagged_flowables import TaggedDocTemplate

MARGIN = 2.2 * cm
BODY_WIDTH = A4[0] - 2 * MARGIN
INK = colors.HexColor("#1a1a1a")
RULE = colors.HexColor("#8a8a8a")


def text_styles(font: str = pdf_fonts.REGULAR) -> dict[str, ParagraphStyle]:
    """Body text, table cells and code, the same in every paper document; each adds its own headings."""
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, textColor=INK, spaceAfter=6)
    return {
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=13, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=pdf_fonts.BOLD, fontSize=9.5, leading=13,
                                    spaceAfter=0),
        "code": ParagraphStyle("code", parent=body, fontName=pdf_fonts.MONO, fontSize=9, leading=12),
    }


#: What every heading style shares.
HEADING = dict(fontName=pdf_fonts.BOLD, textColor=INK, keepWithNext=1)


class PaperDocTemplate(TaggedDocTemplate):
    """A4 pages with one body frame; `page_templates` names the templates a document switches between."""

    page_templates: tuple[str, ...] = ("body",)

    def __init__(self, buffer, footer: tuple[str, str], **kwargs):
        super().__init__(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN, **kwargs)
        self.footer = footer
        frame = Frame(MARGIN, MARGIN, BODY_WIDTH, A4[1] - 2 * MARGIN, id="body", leftPadding=0, rightPadding=0)
        self.addPageTemplates([PageTemplate(name, [frame], onPage=self._draw_footer) for name in self.page_templates])
        self._last_level = -1
        self.link_texts: dict[str, str] = {}

    def beforeDocument(self):
        self._last_level = -1
        self.canv.showOutline()
        self.canv.tags.link_texts = self.link_texts

    def footer_text(self, text: str) -> str:
        """A footer line as drawn; a report's lines may carry Markdown."""
        return text

    def _draw_footer(self, canvas, doc):
        """Two lines: the document's name and page number, then the line the document gives."""
        font = pdf_fonts.REGULAR
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, MARGIN - 0.55 * cm, A4[0] - MARGIN, MARGIN - 0.55 * cm)
        page = f"Page {doc.page}"
        canvas.setFont(font, 8.5)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN - 0.95 * cm, page)
        room = BODY_WIDTH - pdfmetrics.stringWidth(page, font, 8.5) - 12
        for text, y in zip(self.footer, (MARGIN - 0.95 * cm, MARGIN - 1.35 * cm)):
            text = self.footer_text(text)
            size = 8.5
            while size > 5 and pdfmetrics.stringWidth(text, font, size) > room:
                size -= 0.5
            canvas.setFont(font, size)
            canvas.drawString(MARGIN, y, text)
        canvas.restoreState()

    def heading_closed(self, level: int) -> bool:
        """Whether a heading's bookmark starts folded."""
        return False

    def heading_placed(self, flowable, level: int, text: str, key: str) -> None:
        """Called for each heading once it is on a page (the guidance PDF feeds its contents from it)."""

    def afterFlowable(self, flowable):
        outline = getattr(flowable, "outline", None) or getattr(getattr(flowable, "flowable", None), "outline", None)
        if not outline:
            return
        level, text, key = outline
        level = min(level, self._last_level + 1)   # an outline may not skip a level
        self._last_level = level
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=self.heading_closed(level))
        self.heading_placed(flowable, level, text, key)
