"""A letter as an editable Word document (python-docx), with the same words as its PDF.

Officers edit letters before they send them, so the .docx is plain and well structured:
real headings (a screen reader lists them), a bulleted list as a list, the letterhead as
ordinary text the officer can correct, and the document's title and language set.
"""
from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from .letter_document import LetterDocument

FONT = "Arial"


def _language(doc, tag: str) -> None:
    """Spell-check and screen readers use the document's language: en-GB, set on the default style."""
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def letter_docx(letter: LetterDocument, letter_date: dt.date) -> bytes:
    letter = letter.printable()   # XML takes no control characters: a pasted one must not stop the letter
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    for name in ("Heading 1", "Heading 2"):
        style = doc.styles[name]
        style.font.name, style.font.color.rgb = FONT, RGBColor(0x1A, 0x1A, 0x1A)
    _language(doc, "en-GB")
    props = doc.core_properties
    props.title, props.author, props.subject, props.language = letter.title, letter.sender, letter.title, "en-GB"
    stamp = dt.datetime.combine(letter_date, dt.time(9, 0))
    props.created = props.modified = stamp
    props.last_modified_by = letter.sender

    head = doc.add_paragraph()
    run = head.add_run(letter.sender)
    run.bold, run.font.size = True, Pt(15)
    for line in letter.sender_lines:
        p = doc.add_paragraph(line)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.space_after = Pt(0)
    for warning in letter.warnings:
        flag = doc.add_paragraph().add_run(warning)
        flag.bold, flag.font.color.rgb = True, RGBColor(0x9A, 0, 0)
    doc.add_paragraph()
    for line in letter.recipient:
        doc.add_paragraph(line).paragraph_format.space_after = Pt(0)
    doc.add_paragraph()
    for line in (letter.date, letter.reference):
        doc.add_paragraph(line).paragraph_format.space_after = Pt(0)
    doc.add_heading(letter.title, level=1)
    doc.add_paragraph(letter.salutation)
    for block in letter.blocks:
        if block.kind == "heading":
            doc.add_heading(block.text, level=2)
        elif block.kind == "bullets":
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        else:
            doc.add_paragraph(block.text)
    doc.add_paragraph(letter.closing)
    doc.add_paragraph()
    for line in letter.signature:
        doc.add_paragraph(line).paragraph_format.space_after = Pt(0)
    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = letter.footer
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
