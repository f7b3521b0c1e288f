"""A letter as a PDF on the council's letterhead (reportlab platypus).

Every letter goes through `letter_document`, the one place a letter's PDF document is made.
It is tagged (PDF/UA-1) like the kit's other PDFs (`pdf_tags`, `tagged_flowables`): the
subject line is the H1, the letter's own headings H2, paragraphs P, bullet lists L > LI,
the letterhead a Div whose rule is an artifact, the page footer a pagination artifact.
Same input, same bytes: the document is invariant, its dates fixed by the letter itself.
"""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Frame, KeepTogether, PageTemplate, Paragraph, Spacer, TableStyle

from . import pdf_fonts
from .letter_document import LetterDocument
from .markdown_pdf import URL
from .pdf_tags import DocInfo, finish
from .tagged_flowables import Group, ListItem, TableTags, Tagged, TaggedDocTemplate, TaggedTable

MARGIN = 2.2 * cm
WIDTH = A4[0] - 2 * MARGIN
INK = colors.HexColor("#1a1a1a")
FLAG = colors.HexColor("#9a0000")     # 7.6:1 on white


def _styles() -> dict[str, ParagraphStyle]:
    pdf_fonts.register_fonts()
    body = ParagraphStyle("body", fontName=pdf_fonts.REGULAR, fontSize=11, leading=15.5, textColor=INK, spaceAfter=8)
    return {
        "body": body,
        "sender": ParagraphStyle("sender", parent=body, fontName=pdf_fonts.BOLD, fontSize=15, leading=19, spaceAfter=2),
        "sender_line": ParagraphStyle("sender_line", parent=body, fontSize=9.5, leading=12.5, spaceAfter=0),
        "flag": ParagraphStyle("flag", parent=body, fontName=pdf_fonts.BOLD, fontSize=9.5, leading=12.5,
                               textColor=FLAG, spaceBefore=4, spaceAfter=0),
        "address": ParagraphStyle("address", parent=body, spaceAfter=0),
        "subject": ParagraphStyle("subject", parent=body, fontName=pdf_fonts.BOLD, fontSize=12, leading=16,
                                  spaceBefore=6, spaceAfter=10),
        "heading": ParagraphStyle("heading", parent=body, fontName=pdf_fonts.BOLD, fontSize=11.5, leading=15.5,
                                  spaceBefore=6, spaceAfter=4, keepWithNext=1),
        "bullet": ParagraphStyle("bullet", parent=body, spaceAfter=3),
        "footer": ParagraphStyle("footer", parent=body, fontSize=8.5, leading=10),
    }


def _p(text: str, style: ParagraphStyle, role: str = "P") -> Tagged:
    """A paragraph of the letter; a web address in it is a link too (in a screen reader or on screen)."""
    markup = URL.sub(lambda m: f'<link href="{m.group(0)}">{m.group(0)}</link>',
                     escape(pdf_fonts.drawable(text, style.fontName)))
    return Tagged(Paragraph(markup, style), role)


def letter_document(buffer: io.BytesIO, letter: LetterDocument) -> TaggedDocTemplate:
    """The one document every letter PDF is built in: A4, en-GB, its subject as the window title."""
    styles = _styles()

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(pdf_fonts.REGULAR, 8.5)
        canvas.setFillColor(INK)
        canvas.drawString(MARGIN, MARGIN - 0.9 * cm, pdf_fonts.drawable(letter.footer))
        canvas.drawRightString(A4[0] - MARGIN, MARGIN - 0.9 * cm, f"Page {doc.page}")
        canvas.restoreState()

    doc = TaggedDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=1.6 * cm,
                            bottomMargin=MARGIN, title=letter.title, author=letter.sender, subject=letter.title,
                            creator="ctkit", producer="ctkit (reportlab)", lang="en-GB", displayDocTitle=1,
                            invariant=1, initialFontName=pdf_fonts.REGULAR)
    frame = Frame(MARGIN, MARGIN, WIDTH, A4[1] - MARGIN - 1.6 * cm, id="letter", leftPadding=0, rightPadding=0)
    doc.addPageTemplates([PageTemplate("letter", [frame], onPage=footer)])
    doc.styles = styles
    return doc


def _letterhead(letter: LetterDocument, styles: dict) -> list:
    right = [_p(line, styles["sender_line"]) for line in letter.sender_lines]
    table = TaggedTable([[_p(letter.sender, styles["sender"]), right]], colWidths=[WIDTH * 0.56, WIDTH * 0.44],
                        renderCB=TableTags.layout())
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (0, 0), 14),
                               ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#5a5a5a")),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    out: list = [Tagged(table, "Div")]
    out += [_p(warning, styles["flag"]) for warning in letter.warnings]
    return out


def story(letter: LetterDocument, styles: dict) -> list:
    out = _letterhead(letter, styles) + [Spacer(1, 0.7 * cm)]
    out += [_p(line, styles["address"]) for line in letter.recipient]
    out += [Spacer(1, 0.5 * cm), _p(letter.date, styles["address"]), _p(letter.reference, styles["address"]),
            Spacer(1, 0.4 * cm), _p(letter.title, styles["subject"], "H1"), _p(letter.salutation, styles["body"])]
    for block in letter.blocks:
        if block.kind == "heading":
            out.append(_p(block.text, styles["heading"], "H2"))
        elif block.kind == "bullets":
            bullet = ParagraphStyle("bullet_mark", parent=styles["bullet"])
            items = [Tagged(ListItem(Paragraph("•", bullet), _p(item, styles["bullet"]), indent=14), "LI")
                     for item in block.items]
            out += [Tagged(Group(items), "L", O="List", ListNumbering="Disc"), Spacer(1, 5)]
        else:
            out.append(_p(block.text, styles["body"]))
    signature = [_p(letter.closing, styles["body"]), Spacer(1, 0.9 * cm)]
    signature += [_p(line, styles["address"]) for line in letter.signature]
    out.append(KeepTogether(signature))
    return out


def letter_pdf(letter: LetterDocument) -> bytes:
    letter = letter.printable()   # no glyph for a control character: a pasted one must not stop the letter
    buffer = io.BytesIO()
    doc = letter_document(buffer, letter)
    doc.build(story(letter, doc.styles))
    return finish(buffer.getvalue(), doc.canv.tags,
                  DocInfo(title=letter.title, author=letter.sender, subject=letter.title, creator="ctkit"))
