"""The practitioner guidance as one PDF document: the paper councils attach to a committee report.

Built from the same Markdown pages and YAML as the website: each page is rendered through
the kit's templating (so every figure comes from the YAML), then Markdown becomes reportlab
flowables. The document has a title page, the change history, contents with page numbers,
numbered sections, the forms as appendices, and the version, its date and its status in
every footer. It is a tagged PDF (PDF/UA-1, see `pdf_tags` and `tagged_flowables`): headings
H1–H4 in order, paragraphs, lists, tables with column headers, the contents as TOC/TOCI,
links named by their text, footers as pagination artifacts; with /Lang en-GB, a /Title
the viewer shows, and a bookmark for every heading. The same input always gives the
same bytes.
"""
from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import NextPageTemplate, PageBreak, Paragraph, Spacer, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents
from xml.sax.saxutils import escape

from ..dates import longdate
from ..errors import Stop
from ..model import Council, Guidance, Version, questions_in_words
from ..templating import context_for, process_names, render_text
from . import pdf_fonts
from .markdown_pdf import Converter, heading, html_tree, para, plain
from .pdf_tags import DocInfo, finish
from .paper_doc import BODY_WIDTH, HEADING, INK, PaperDocTemplate, text_styles
from .tagged_flowables import Group, ListItem, TableTags, Tagged, TaggedTable

FONT = pdf_fonts.REGULAR
PRACTITIONER = "practitioner/"


def register_fonts() -> str:
    """The kit's shared fonts (Bitstream Vera, bundled with reportlab): curly quotes, dashes and £ all draw."""
    pdf_fonts.register_fonts()
    return pdf_fonts.REGULAR


def _styles(font: str) -> dict[str, ParagraphStyle]:
    styles = text_styles(font)
    body = styles["body"]
    return {
        **styles,
        "h1": ParagraphStyle("h1", fontSize=19, leading=24, spaceBefore=0, spaceAfter=12, **HEADING),
        "h2": ParagraphStyle("h2", fontSize=14, leading=19, spaceBefore=12, spaceAfter=6, **HEADING),
        "h3": ParagraphStyle("h3", fontSize=12, leading=16, spaceBefore=9, spaceAfter=4, **HEADING),
        "h4": ParagraphStyle("h4", fontSize=10.5, leading=15, spaceBefore=6, spaceAfter=3, **HEADING),
        "title": ParagraphStyle("title", fontName=pdf_fonts.BOLD, fontSize=26, leading=32, textColor=INK,
                                spaceAfter=10),
        "subtitle": ParagraphStyle("subtitle", fontName=font, fontSize=16, leading=22, textColor=INK, spaceAfter=24),
        "status": ParagraphStyle("status", parent=body, fontName=pdf_fonts.BOLD, fontSize=12, leading=17),
        "draft": ParagraphStyle("draft", parent=body, fontName=pdf_fonts.BOLD, fontSize=14, leading=20,
                                textColor=colors.HexColor("#b00020"), alignment=TA_CENTER, borderColor=colors.HexColor("#b00020"),
                                borderWidth=1.5, borderPadding=8, spaceBefore=12, spaceAfter=18),
        "toc0": ParagraphStyle("toc0", fontName=pdf_fonts.BOLD, fontSize=10, leading=14, leftIndent=0,
                               firstLineIndent=0, spaceBefore=5),
        "toc1": ParagraphStyle("toc1", fontName=font, fontSize=9.5, leading=12.5, leftIndent=18, firstLineIndent=0),
    }


def status_words(version: Version) -> str:
    """How a version's standing reads on paper: drafts say plainly that they are not in force."""
    if version.is_approved and version.effective_from:
        return f"Approved, in force from {longdate(version.effective_from)}"
    if version.is_approved:
        return "Approved"
    return "DRAFT: not approved and not in force"


def document_title(guidance: Guidance) -> str:
    home = next((p for p in guidance.pages if p.rel == "index.md"), None)
    name = home.title if home else process_names(guidance)["title"]
    return f"{guidance.partnership.area} {name}: practitioner guidance"


class _GuidanceDoc(PaperDocTemplate):
    """The paper document with a title page, whose level 0 and 1 headings feed the contents."""

    page_templates = ("title", "body")

    def heading_closed(self, level: int) -> bool:
        return level >= 1

    def heading_placed(self, flowable, level: int, text: str, key: str) -> None:
        if level <= 1 and getattr(flowable, "in_contents", True):
            self.notify("TOCEntry", (level, text, self.page, key))


def _history_table(guidance: Guidance, version: Version, styles) -> TaggedTable:
    cell, head = styles["cell"], styles["cell_head"]
    rows = [[Paragraph(t, head) for t in ("Version", "Date", "Status", "What changed and who approved it")]]
    for v in guidance.versions:
        if v.key > version.key:
            continue
        what = [escape(plain(v.summary))]
        what += [f"• {escape(plain(c))}" for c in v.changes]
        approvals = [escape(plain(a.body)) + (f" ({longdate(a.on)})" if a.on else "") for a in v.approvals]
        if approvals:
            what.append("<i>Approved by:</i> " + "; ".join(approvals))
        rows.append([Paragraph(v.version, cell), Paragraph(longdate(v.date) if v.date else "not recorded", cell),
                     Paragraph(escape(status_words(v) if v.is_approved else "Draft"), cell),
                     Paragraph("<br/>".join(what), cell)])
    table = TaggedTable(rows, colWidths=[1.9 * cm, 2.8 * cm, 3.4 * cm, BODY_WIDTH - 8.1 * cm], repeatRows=1,
                        hAlign="LEFT", header_rows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#8a8a8a")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
    ]))
    return table


def _title_page(guidance: Guidance, council: Council, version: Version, styles) -> list:
    title = document_title(guidance)
    main, _, sub = title.partition(": ")
    story = [Spacer(1, 3 * cm), para(escape(main), styles["title"], "H1"),
             para(escape(sub[:1].upper() + sub[1:]), styles["subtitle"]),
             para(f"Version {escape(version.version)}", styles["status"]),
             para(escape(status_words(version)), styles["status"]),
             para(f"Dated {longdate(version.date)}" if version.date else "Not yet dated", styles["body"])]
    if not version.is_approved:
        story.append(para("Draft for consultation and approval. Applications are judged by the version "
                          "in force, not by this draft.", styles["draft"]))
    story += [Spacer(1, 0.6 * cm), para(f"Published by {escape(council.name)}", styles["body"])]
    approvals = [escape(a.body) + (f", {longdate(a.on)}" if a.on else "") for a in version.approvals]
    if approvals:
        story.append(para("Approved by: " + "; ".join(approvals) + ".", styles["body"]))
    return story


def _appendices(guidance: Guidance, styles) -> list:
    story: list = []
    # Forms before letters, the resident's forms first: the order a case meets them.
    ordered = sorted(guidance.forms.items(), key=lambda item: (item[1].kind != "form", item[1].audience != "resident",
                                                              item[1].title))
    for index, (form_id, form) in enumerate(ordered):
        letter = chr(ord("A") + index) if index < 26 else str(index + 1)
        name = str(getattr(form, "title", None) or form_id)
        story += [PageBreak(), heading(f"Appendix {letter}: {name}", styles["h1"], 0, f"appendix-{form_id}")]
        if form.summary:
            story.append(para(escape(plain(form.summary)), styles["body"]))
        kind = escape(form.kind or "form")
        story.append(para(f"What this {kind} asks for, in order. The {kind} itself is published as a "
                          f"PDF (<i>{escape(form_id)}.pdf</i>).", styles["body"]))
        sections: dict[str, list] = {}
        for question in questions_in_words(form).values():
            need = f" ({question['required']})" if question["required"] != "optional" else ""
            sections.setdefault(question["section"] or "", []).append(
                f"{escape(plain(question['label']))}{need}")
        for section, labels in sections.items():
            story.append(para(escape(plain(section)), styles["h4"], "H2"))
            story.append(_bullets(labels, styles["cell"]))
    return story


def _bullets(items: list[str], style: ParagraphStyle) -> Tagged:
    """A bulleted list (L > LI > Lbl + LBody) of paragraphs already in reportlab markup."""
    bullet = ParagraphStyle("bullet", parent=style)
    return Tagged(Group([Tagged(ListItem(Paragraph("•", bullet), para(item, style), indent=10), "LI")
                         for item in items]), "L", O="List", ListNumbering="Disc")


def _pages_story(guidance: Guidance, context: dict, styles, links: dict[str, str]) -> list:
    pages = sorted((p for p in guidance.pages if p.rel.startswith(PRACTITIONER)),
                   key=lambda p: (p.meta.get("nav_order", 999), p.rel))
    story: list = []
    problems = []
    for number, page in enumerate(pages, start=1):
        text, found = render_text(page.body, context, page.path, page.body_line)
        problems += found
        if text is None:
            continue
        key = "section-" + page.rel[len(PRACTITIONER):].removesuffix(".md").replace("/", "-")
        story += [PageBreak(), heading(f"{number}  {page.title}", styles["h1"], 0, key, f"{number}  {page.title}")]
        converter = Converter(styles, BODY_WIDTH, str(number), key)
        story += converter.blocks(html_tree(text))
        for href, words in converter.links.items():
            links.setdefault(href, words)
    if problems:
        raise Stop(problems)
    return story


def _expected_contents(story: list) -> list[tuple]:
    """The contents entries the layout will produce, with a stand-in page number.

    multiBuild lays the document out until the contents stop changing: an empty contents
    on the first pass, so the pages all move on the second, and a third to confirm. Seeded
    with the right entries (page numbers aside) the contents take their final space on
    the first pass, and the second pass, with real page numbers, is normally the last.
    Should a number's width change a line break, multiBuild simply runs another pass.
    """
    entries, last_level = [], -1
    for flowable in story:
        outline = getattr(flowable, "outline", None)
        if not outline:
            continue
        level, text, key = outline
        level = min(level, last_level + 1)   # as _GuidanceDoc.afterFlowable clamps it
        last_level = level
        if level <= 1 and getattr(flowable, "in_contents", True):
            entries.append((level, text, 99, key))
    return entries


def render_guidance_pdf(guidance: Guidance, council: Council | None = None, version: Version | None = None) -> bytes:
    """The practitioner guidance of `version` (default: the one a build publishes) for `council`."""
    font = register_fonts()
    version = version or guidance.current()
    council = council or guidance.lead
    styles = _styles(font)
    context = context_for(guidance, council, version)
    title = f"{document_title(guidance)}, version {version.version}"
    standing = "approved" if version.is_approved else "DRAFT, not in force"
    dated = f", {longdate(version.date)}" if version.date else ""
    footer = (document_title(guidance), f"Guidance version {version.version}{dated} · {standing}")

    toc = _Contents(levelStyles=[styles["toc0"], styles["toc1"]], dotsMinLevel=0,
                          tableStyle=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT)] + [
                              (side, (0, 0), (-1, -1), 0) for side in
                              ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]))
    story: list = [NextPageTemplate("body")]
    story += _title_page(guidance, council, version, styles)
    story += [PageBreak(), heading("Change history", styles["h1"], 0, "change-history"),
              _history_table(guidance, version, styles)]
    contents = heading("Contents", styles["h1"], 0, "contents")
    contents.in_contents = False
    story += [PageBreak(), contents, toc]
    links: dict[str, str] = {}
    story += _pages_story(guidance, context, styles, links)
    story += _appendices(guidance, styles)

    headings = _expected_contents(story)
    # The contents as the last draw of the same headings laid them out (ten councils' copies differ only on
    # the title page), else as expected: see _expected_contents.
    toc._entries = list(_LAID_OUT.get(tuple(headings), headings))
    buffer = io.BytesIO()
    info = DocInfo(title=title, author=council.name, subject=status_words(version), creator="ctkit")
    doc = _GuidanceDoc(buffer, footer, title=title, author=council.name, subject=status_words(version),
                       creator="ctkit", producer="ctkit (reportlab)", lang="en-GB", displayDocTitle=1,
                       invariant=1, initialFontName=FONT)
    doc.link_texts = links
    doc.multiBuild(story)
    _LAID_OUT[tuple(headings)] = list(toc._entries)
    return finish(buffer.getvalue(), doc.canv.tags, info)


#: The contents (with their page numbers) of the last guidance PDF drawn in this process, by its headings.
#: Seeded with them, a copy of the same guidance for the next council is laid out in one pass, not two:
#: multiBuild stops once the contents do not change, so a seed that is right changes nothing but the time,
#: and one that is wrong costs a pass, as before.
_LAID_OUT: dict[tuple, list[tuple]] = {}


class _Contents(TableOfContents):
    """The contents, tagged TOC > TOCI, each entry's links named by the entry's title."""

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        size = super().wrap(availWidth, availHeight)
        if not hasattr(self, "_tags"):
            self._tags = TableTags(mode="toc", row_alt=_entry_title)
        self._table._renderCB = self._tags
        return size


def _entry_title(table, row: int) -> str:
    cell = table._cellvalues[row][0]
    items = cell if isinstance(cell, (list, tuple)) else [cell]   # reportlab keeps a cell's flowables in a tuple
    return " ".join(" ".join(p.getPlainText().split()) for p in items if isinstance(p, Paragraph))
