"""Turn a rendered guidance page (Markdown) into reportlab flowables for the guidance PDF.

The page goes through python-markdown, the same parser MkDocs uses, with the same kinds of
extension (tables, admonitions), so the paper and the website say the same thing. The HTML
is read into a small tree and each element becomes a flowable: headings, paragraphs, lists,
tables and notes. Headings carry their level, number and bookmark key for the document.
Every flowable carries its structure tag (`tagged_flowables`): H1–H4, P, L > LI > Lbl +
LBody, Table > TR > TH/TD, a note as a Div, a quotation as a BlockQuote; the link text of
each web link is kept (`Converter.links`) to name its link annotation.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from xml.sax.saxutils import escape

import markdown
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Preformatted, Spacer, TableStyle

from .pdf_fonts import MONO
from .tagged_flowables import Group, ListItem, TableTags, Tagged, TaggedTable

EXTENSIONS = ["tables", "admonition", "attr_list", "def_list", "md_in_html", "sane_lists", "pymdownx.details",
              "pymdownx.superfences"]
#: Characters the bundled fonts lack, written the way a reader would say them.
SUBSTITUTES = {"→": "->", "←": "<-", "✓": "yes", "✔": "yes", "✗": "no", "\u00a0": " "}
BLOCK = {"p", "ul", "ol", "table", "div", "details", "blockquote", "pre", "hr", "dl",
         "h1", "h2", "h3", "h4", "h5", "h6"}
URL = re.compile(r"https?://[^\s<>\"()]+[^\s<>\"().,;:]")
DELETED, INSERTED = "#9b1c1c", "#1b5e20"   # both over 7:1 on white; the strike and the underline carry the meaning
NOTE_COLOURS = {"warning": "#b35900", "danger": "#b00020", "example": "#5b3a99", "tip": "#1b6e3a"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list["Node | str"] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()


class _TreeBuilder(HTMLParser):
    VOID = {"br", "hr", "img", "input", "meta", "link", "col", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def html_tree(markdown_text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(_html(markdown_text))
    builder.close()
    return builder.root


@lru_cache(maxsize=256)
def _html(markdown_text: str) -> str:
    """Markdown as HTML, once per process for the same text: ten councils' guidance PDFs read the same
    practitioner pages, which name nothing of their council."""
    return markdown.markdown(markdown_text, extensions=EXTENSIONS, output_format="html")


def plain(text: str) -> str:
    for char, instead in SUBSTITUTES.items():
        text = text.replace(char, instead)
    return text


class Heading(Paragraph):
    """A section heading the document bookmarks, numbers and lists in its contents."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str, label: str | None = None):
        super().__init__(escape(plain(text)), style)
        self.outline = (level, plain(label or text), key)


def heading(text: str, style: ParagraphStyle, level: int, key: str, label: str | None = None,
            tag_level: int | None = None) -> Tagged:
    """A Heading tagged H1–H6: `tag_level` (default: its outline level + 1) must not skip a level."""
    return Tagged(Heading(text, style, level, key, label), f"H{min(tag_level or level + 1, 6)}")


def para(markup: str, style: ParagraphStyle, role: str = "P") -> Tagged:
    return Tagged(Paragraph(markup, style), role)


class Converter:
    """Walks the HTML tree of one page; numbers headings below the page's own section number."""

    def __init__(self, styles: dict[str, ParagraphStyle], width: float, number: str, key_prefix: str,
                 first_level: int = 1):
        self.styles = styles
        self.width = width
        self.number = number
        self.counters = [0, 0, 0]
        self.key_prefix = key_prefix
        self.first_level = first_level
        self.keys = 0
        self.links: dict[str, str] = {}   # web address -> the words that link to it

    # -- blocks ----------------------------------------------------------------
    def blocks(self, node: Node) -> list[Flowable]:
        out: list[Flowable] = []
        loose: list[Node | str] = []
        for child in node.children:
            if isinstance(child, Node) and child.tag in BLOCK:
                if loose:
                    out += self._loose(loose)
                    loose = []
                out += self.block(child)
            else:
                loose.append(child)
        return out + self._loose(loose)

    def _loose(self, items: list[Node | str]) -> list[Flowable]:
        markup = "".join(self.inline(i) for i in items).strip()
        return [para(markup, self.styles["body"])] if markup else []

    def block(self, node: Node) -> list[Flowable]:
        tag = node.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return [self.heading(node)]
        if tag == "p":
            markup = self.inline_children(node).strip()
            return [para(markup, self.styles["body"])] if markup else []
        if tag in ("ul", "ol"):
            return [self.listing(node)]
        if tag == "table":
            return [self.table(node), Spacer(1, 8)]
        if tag in ("div", "details") and ("admonition" in node.classes or tag == "details"):
            return [self.note(node), Spacer(1, 8)]
        if tag == "blockquote":
            return [self.boxed(self.blocks(node), "#777777", "BlockQuote"), Spacer(1, 8)]
        if tag == "pre":
            return [Tagged(Preformatted(plain(node.text()).rstrip("\n"), self.styles["code"]), "P")]
        if tag == "hr":
            return [Spacer(1, 6)]
        if tag == "dl":
            return self.definitions(node)
        return self.blocks(node)

    def heading(self, node: Node) -> Tagged:
        depth = int(node.tag[1]) - 1  # h2 -> 1: the first level below the page title
        text = " ".join(node.text().split())
        self.keys += 1
        key = f"{self.key_prefix}-{self.keys}"
        level = self.first_level + depth - 1
        if 1 <= depth <= 2 and self.number:
            self.counters[depth] += 1
            for deeper in range(depth + 1, len(self.counters)):
                self.counters[deeper] = 0
            label = ".".join([self.number] + [str(c) for c in self.counters[1:depth + 1]])
            text = f"{label}  {text}"
        style = self.styles[f"h{min(depth + 1, 4)}"]
        return heading(text, style, level, key, tag_level=depth + 1)

    def listing(self, node: Node) -> Tagged:
        """L > LI > Lbl (the bullet or number) + LBody (the item's blocks)."""
        ordered = node.tag == "ol"
        body = self.styles["body"]
        label_style = ParagraphStyle("bullet", parent=body, spaceAfter=0, spaceBefore=0)
        items = []
        for number, li in enumerate((c for c in node.children if isinstance(c, Node) and c.tag == "li"), start=1):
            label = Paragraph(f"{number}." if ordered else "•", label_style)
            blocks = self.blocks(li) or [para("", body)]
            items.append(Tagged(ListItem(label, Group(blocks), indent=16), "LI"))
        return Tagged(Group(items, space_after=body.spaceAfter), "L", O="List",
                      ListNumbering="Decimal" if ordered else "Disc")

    def table(self, node: Node) -> TaggedTable:
        rows: list[list[Paragraph]] = []
        header_rows = 0
        for tr in _descendants(node, "tr"):
            cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")]
            if cells and all(c.tag == "th" for c in cells) and len(rows) == header_rows:
                header_rows += 1
            style = self.styles["cell_head" if cells and cells[0].tag == "th" and header_rows > len(rows) else "cell"]
            rows.append([Paragraph(self.inline_children(c).strip(), style) for c in cells])
        width = max((len(r) for r in rows), default=1)
        rows = [r + [Paragraph("", self.styles["cell"])] * (width - len(r)) for r in rows]
        table = TaggedTable(rows or [[""]], repeatRows=header_rows, hAlign="LEFT", header_rows=header_rows,
                            colWidths=[self.width / width] * width)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#8a8a8a")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e8edf3")) if header_rows
            else ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]))
        return table

    def note(self, node: Node) -> Tagged:
        kind = next((c for c in node.classes if c != "admonition"), "note")
        inner: list[Flowable] = []
        rest = Node("div")
        for child in node.children:
            if isinstance(child, Node) and ("admonition-title" in child.classes or child.tag == "summary"):
                inner.append(para(f"<b>{self.inline_children(child).strip()}</b>", self.styles["body"]))
            else:
                rest.children.append(child)
        return self.boxed(inner + self.blocks(rest), NOTE_COLOURS.get(kind, "#1d4f91"))

    def boxed(self, flowables: list[Flowable], colour: str, role: str = "Div") -> Tagged:
        """A shaded box with a coloured rule at its left: the box is drawing, its contents a `role` element."""
        box = TaggedTable([[flowables or [Spacer(1, 1)]]], colWidths=[self.width - 6], hAlign="LEFT",
                          renderCB=TableTags.layout())
        box.setStyle(TableStyle([
            ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(colour)),
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f4f5f7")),
            ("LEFTPADDING", (0, 0), (-1, -1), 10), ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]))
        return Tagged(box, role)

    def definitions(self, node: Node) -> list[Flowable]:
        out: list[Flowable] = []
        for child in node.children:
            if isinstance(child, Node) and child.tag == "dt":
                out.append(para(f"<b>{self.inline_children(child).strip()}</b>", self.styles["body"]))
            elif isinstance(child, Node) and child.tag == "dd":
                out.append(self.boxed(self.blocks(child), "#ffffff"))
        return out

    def _autolink(self, match: re.Match) -> str:
        """A web address written out in the text becomes a link to itself."""
        href = match.group(0)
        self.links.setdefault(html.unescape(href), html.unescape(href))
        return f'<link href="{href}" color="#1d4f91"><u>{href}</u></link>'

    # -- inline ----------------------------------------------------------------
    def inline_children(self, node: Node) -> str:
        return "".join(self.inline(c) for c in node.children)

    def inline(self, item: Node | str, in_link: bool = False) -> str:
        if isinstance(item, str):
            text = escape(plain(" ".join(item.split("\n"))))
            return text if in_link else URL.sub(self._autolink, text)
        tag = item.tag
        inner = "".join(self.inline(c, in_link or tag == "a") for c in item.children)
        if tag in ("strong", "b"):
            return f"<b>{inner}</b>"
        if tag in ("em", "i"):
            return f"<i>{inner}</i>"
        if tag == "code":
            return f'<font name="{MONO}">{inner}</font>'
        if tag == "br":
            return "<br/>"
        if tag == "a":
            href = item.attrs.get("href", "")
            if href.startswith(("http://", "https://", "mailto:", "tel:")):
                self.links.setdefault(href, " ".join(item.text().split()) or href)
                return f'<link href="{escape(href, {chr(34): "&quot;"})}" color="#1d4f91"><u>{inner}</u></link>'
            return inner  # a link to another page of the guidance: its words are enough on paper
        if tag in ("sup", "sub"):
            return f"<{tag}>{inner}</{tag}>"
        if tag in ("del", "s"):   # words taken out (ctkit diff): struck through, and in a colour as well
            return f'<font color="{DELETED}"><strike>{inner}</strike></font>'
        if tag in ("ins", "u"):   # words put in: underlined, in another colour, so they are not read as a link
            return f'<font color="{INSERTED}"><u>{inner}</u></font>'
        return inner


def _descendants(node: Node, tag: str) -> list[Node]:
    found = []
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                found.append(child)
            else:
                found += _descendants(child, tag)
    return found
