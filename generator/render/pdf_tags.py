"""Tagged PDF (PDF/UA-1) for everything the kit draws with reportlab.

reportlab draws but cannot tag. The kit tags in two steps:

1. **While drawing**, a `TaggedCanvas` carries a `Tagger` (`canvas.tags`). The renderer
   says what it is drawing: `with tags.element("H2"): ...draw...` opens a structure
   element and wraps whatever is drawn inside in marked content (`/H2 <</MCID n>> BDC ...
   EMC`); `with tags.artifact(): ...` marks decoration (rules, shading) and
   `tags.artifact("Pagination", "Footer")` running footers. Elements nest (`Sect` >
   `Div` > `P`) and become the structure tree in the order they were opened: the
   reading order. A widget or link annotation added while an element is open is
   attached to it (`Form` elements hold one widget each); a link added inside a `P`
   gets a `Link` element of its own. Page breaks in the middle of an element are handled
   (the element simply continues on the next page), and content that never paints
   anything leaves no empty tag behind.
2. **After drawing**, `finish(pdf_bytes, canvas.tags, info)` reopens the file with
   pikepdf (qpdf) and writes what reportlab cannot: the `/StructTreeRoot` with its
   `/ParentTree`, `/StructParents` on pages and `/StructParent` on annotations,
   `/MarkInfo`, `/Lang`, `/Tabs /S`, XMP metadata (`dc:title`, `pdfuaid:part 1`), and,
   when the document has a form, the embedded field font and field appearances
   (`pdf_fields`). The result is byte-identical for identical input.

**Tagging a new kind of PDF.** Draw on a `TaggedCanvas` (`FormCanvas` for the canvas
API, or pass `canvasmaker=TaggedCanvas` to a platypus `BaseDocTemplate`, as
`guidance_pdf` does with `tagged_flowables.TaggedDocTemplate`), wrap every piece of
content in `tags.element(role)` or `tags.artifact()`, and pass the bytes through
`finish`. Platypus stories get their tags from `tagged_flowables` (`Tagged(flowable,
"P")`, `TaggedTable`), so a typeset letter needs no drawing code of its own. Use the
standard structure types of ISO 32000-1 14.8.4 (Document, Sect, Div, H1–H6, P, L, LI,
Lbl, LBody, Table, TR, TH, TD, Form, Link, Figure, TOC, TOCI); headings must not skip
a level. `tests/test_pdf_tagging.py` and `tests/js/pdf_structure.mjs` check the result.
"""
from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import pikepdf
from reportlab.pdfbase.pdfdoc import PDFName, PDFPage
from reportlab.pdfgen.canvas import Canvas

from . import pdf_fields

#: Operators that put ink on the page; a marked-content sequence without one is left out.
_PAINTS = re.compile(r"[)>\]]\s*(?:Tj|TJ|'|\")|(?<![\w/])(?:S|s|f|F|f\*|B|B\*|b|b\*|sh|Do|BI)(?![\w*])")


@dataclass
class Mark:
    page: int
    mcid: int


@dataclass
class AnnotRef:
    page: int
    index: int          # position in the page's /Annots


@dataclass
class Element:
    role: str
    alt: str = ""
    attributes: dict[str, str] = field(default_factory=dict)   # /A entries, e.g. {"O": "Table", "Scope": "Column"}
    kids: list["Element | Mark | AnnotRef"] = field(default_factory=list)
    tooltip: str = ""   # for a widget that has no /TU of its own (a radio button's option)
    link_alt: str = ""  # what links inside this element are called (a contents entry's title)
    serves: int | None = None  # only serves rows of a repeat group from this number on (counted from 1)

    def has_content(self) -> bool:
        return any(not isinstance(k, Element) or k.has_content() for k in self.kids)


class Tagger:
    """Keeps the structure tree while a canvas draws, and writes the marked-content operators."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.root = Element("Document")
        self.stack = [self.root]
        self.page = 0
        self.next_mcid = 0
        self.open: tuple[Element, int, list, int] | None = None   # element, mcid, code list, start
        self.artifact_op: str | None = None
        self.artifact_depth = 0
        self.annotations: dict[int, list[Element]] = {}
        self.link_texts: dict[str, str] = {}

    # -- structure ---------------------------------------------------------------
    @contextlib.contextmanager
    def element(self, role: str, alt: str = "", tooltip: str = "", link_alt: str = "", serves: int | None = None,
                **attributes: str):
        """Everything drawn inside belongs to a new `role` element, a child of the one open now.

        `serves=n` says the element only serves rows n and later of a repeat group (a row, or the
        sheet that holds the extra rows), so a filler may drop a page that holds nothing else once
        fewer rows are answered (`_mark_pages_of_rows`)."""
        if self.artifact_depth:
            raise RuntimeError(f"a {role} element cannot sit inside an artifact")
        el = Element(role, alt, dict(attributes), tooltip=tooltip, link_alt=link_alt, serves=serves)
        self._close_mark()   # what was drawn before belongs to the parent, ahead of the new element
        self.stack[-1].kids.append(el)
        with self.resume(el):
            yield el

    @contextlib.contextmanager
    def resume(self, el: Element):
        """Draw more of an element opened before (a table or paragraph continued on the next page)."""
        self._close_mark()
        self.stack.append(el)
        self._open_mark()
        try:
            yield el
        finally:
            self._close_mark()
            self.stack.pop()
            self._open_mark()

    @contextlib.contextmanager
    def artifact(self, kind: str = "", subtype: str = ""):
        """What is drawn inside is decoration or pagination, not content."""
        if self.artifact_depth:
            self.artifact_depth += 1
            try:
                yield
            finally:
                self.artifact_depth -= 1
            return
        self._close_mark()
        props = f"/Type /{kind}" + (f" /Subtype /{subtype}" if subtype else "") if kind else ""
        self.artifact_op = f"/Artifact <<{props}>> BDC" if props else "/Artifact BMC"
        self.canvas._code.append(self.artifact_op)
        self.artifact_depth = 1
        try:
            yield
        finally:
            self.canvas._code.append("EMC")
            self.artifact_depth = 0
            self.artifact_op = None
            self._open_mark()

    def current(self) -> Element:
        return self.stack[-1]

    # -- marked content --------------------------------------------------------------
    def _open_mark(self) -> None:
        el = self.stack[-1]
        if self.open is not None or self.artifact_depth or el is self.root:
            return
        code = self.canvas._code
        code.append(f"/{el.role} <</MCID {self.next_mcid}>> BDC")
        self.open = (el, self.next_mcid, code, len(code))
        self.next_mcid += 1

    def _close_mark(self) -> None:
        if self.open is None:
            return
        el, mcid, code, start = self.open
        self.open = None
        if code is self.canvas._code and _PAINTS.search(" ".join(code[start:])):
            code.append("EMC")
            el.kids.append(Mark(self.page, mcid))
        else:  # nothing painted: drop the BDC, keep any state operators
            del code[start - 1]
            self.next_mcid = mcid

    # -- pages and annotations (called by TaggedCanvas) ----------------------------------
    def end_page(self) -> bool:
        """Close what is open before the page ends; True when it must continue on the next."""
        continued = self.open is not None
        self._close_mark()
        if self.artifact_depth:
            self.canvas._code.append("EMC")
        return continued

    def start_page(self, continued: bool) -> None:
        self.page += 1
        self.next_mcid = 0
        if self.artifact_depth:
            self.canvas._code.append(self.artifact_op)
        elif continued:
            self._open_mark()

    def annotation(self, annotation) -> None:
        """Attach an annotation just added to the page to the element open now."""
        el = self.stack[-1]
        if el.role not in ("Form", "Link", "Annot"):
            if _subtype(annotation) == "Widget":   # a field added outside a Form element gets one of its own
                own = Element("Form")
            else:
                named = next((e.link_alt for e in reversed(self.stack) if e.link_alt), "")
                own = Element("Link", alt=named or self._link_text(annotation))
            el.kids.append(own)
            el = own
        on_page = self.annotations.setdefault(self.page, [])
        el.kids.append(AnnotRef(self.page, len(on_page)))
        on_page.append(el)

    def _link_text(self, annotation) -> str:
        try:
            uri = annotation["A"]["URI"]
        except (KeyError, TypeError, AttributeError):
            return "Link"
        target = str(getattr(uri, "s", uri))   # reportlab's PDFString keeps the text in .s
        return self.link_texts.get(target, target) or "Link"


def _subtype(annotation) -> str:
    entries = getattr(annotation, "dict", None)
    return str(entries.get("Subtype", "")).lstrip("/") if isinstance(entries, dict) else ""


class TaggedCanvas(Canvas):
    """A reportlab canvas with a `Tagger` (`self.tags`) and structure tab order on every page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tags = Tagger(self)

    def showPage(self):  # noqa: N802 - reportlab's name
        continued = self.tags.end_page()
        super().showPage()
        self.tags.start_page(continued)

    def _addAnnotation(self, annotation, name=None, addtopage=1):  # noqa: N802 - reportlab hook
        super()._addAnnotation(annotation, name, addtopage)
        if addtopage:
            self.tags.annotation(annotation)

    def _setAnnotations(self, page):  # noqa: N802 - reportlab hook
        super()._setAnnotations(page)
        if isinstance(page, PDFPage):  # not a form XObject (field appearance, page count)
            page.__NoDefault__ = list(PDFPage.__NoDefault__) + ["Tabs"]
            page.Tabs = PDFName("S")


# -- after drawing ----------------------------------------------------------------------

@dataclass(frozen=True)
class DocInfo:
    title: str
    lang: str = "en-GB"
    subject: str = ""
    author: str = ""
    creator: str = "Community Trigger kit (ctkit)"
    keywords: str = ""


def finish(pdf_bytes: bytes, tags: Tagger, info: DocInfo, continued: dict[str, int] | None = None) -> bytes:
    """The drawn PDF with its structure tree, metadata and (for forms) field font and appearances;
    `continued` names the fields whose answers continue on a later page, and that page."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        widgets = _write_structure(pdf, tags)
        _mark_pages_of_rows(pdf, tags)
        root = pdf.Root
        root.MarkInfo = pikepdf.Dictionary(Marked=True)
        root.Lang = pikepdf.String(info.lang)
        root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        root.Metadata = pdf.make_stream(_xmp(info, pdf.docinfo))
        root.Metadata.Type, root.Metadata.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
        if "/AcroForm" in root:
            pdf_fields.finish_fields(pdf, widgets, continued)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 force_version="1.7")
        return out.getvalue()


def _write_structure(pdf: pikepdf.Pdf, tags: Tagger) -> dict[int, Element]:
    """Build the structure tree in `pdf`; returns each widget's object number -> its Form element."""
    pages = list(pdf.pages)
    tree = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    by_page: dict[int, dict[int, pikepdf.Object]] = {}
    annotation_parents: list[pikepdf.Object] = []   # key len(pages) + i -> the element holding annotation i
    widgets: dict[int, Element] = {}

    def annotation_at(ref: AnnotRef) -> pikepdf.Object:
        annots = pages[ref.page].obj.get("/Annots")
        if annots is None or ref.index >= len(annots):
            raise RuntimeError(f"page {ref.page + 1} lost annotation {ref.index + 1} between drawing and tagging")
        return annots[ref.index]

    def build(el: Element, parent: pikepdf.Object) -> pikepdf.Object | None:
        if not el.has_content():
            return None  # nothing drawn: no empty element in the tree
        node = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + el.role),
                                                    P=parent))
        if el.alt:
            node.Alt = pikepdf.String(el.alt)
        if el.attributes:
            node.A = pikepdf.Dictionary({"/" + k: pikepdf.Name("/" + v) for k, v in el.attributes.items()})
        first_page = next((k.page for k in el.kids if isinstance(k, (Mark, AnnotRef))), None)
        starts_on = first_page if first_page is not None else _first_page(el)
        if starts_on is not None:
            node.Pg = pages[starts_on].obj  # also for elements that only hold others: where they start
        kids = []
        for kid in el.kids:
            if isinstance(kid, Element):
                built = build(kid, node)
                if built is not None:
                    kids.append(built)
            elif isinstance(kid, Mark):
                by_page.setdefault(kid.page, {})[kid.mcid] = node
                kids.append(kid.mcid if kid.page == first_page else
                            pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=pages[kid.page].obj, MCID=kid.mcid))
            else:
                annot = annotation_at(kid)
                annot.StructParent = len(pages) + len(annotation_parents)
                annotation_parents.append(node)
                kids.append(pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annot, Pg=pages[kid.page].obj))
                if annot.get("/Subtype") == pikepdf.Name.Widget:
                    widgets[annot.objgen[0]] = el
                else:
                    annot.F = int(annot.get("/F", 0)) | 4   # printed, like the text it covers
                    if el.alt and not str(annot.get("/Contents", "")):
                        annot.Contents = pikepdf.String(el.alt)
        node.K = kids[0] if len(kids) == 1 else pikepdf.Array(kids)  # a lone kid stands alone, as most writers do
        return node

    document = build(tags.root, tree)
    tree.K = pikepdf.Array([document] if document is not None else [])
    nums: list = []
    for page_index in sorted(by_page):
        marks = by_page[page_index]
        pages[page_index].obj.StructParents = page_index
        nums += [page_index, pdf.make_indirect(pikepdf.Array([marks[m] for m in range(max(marks) + 1)]))]
    for i, node in enumerate(annotation_parents):
        nums += [len(pages) + i, node]
    tree.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
    tree.ParentTreeNextKey = len(pages) + len(annotation_parents)
    pdf.Root.StructTreeRoot = tree
    for page in pages:
        page.obj.Tabs = pikepdf.Name.S
    return widgets


def _mark_pages_of_rows(pdf: pikepdf.Pdf, tags: Tagger) -> None:
    """`/CtkitRows n` on each page that holds only rows n and later of a repeat group (and what serves
    them): the online form's filler leaves such a page out when fewer than n rows are answered."""
    lowest: dict[int, int | None] = {}

    def walk(el: Element, serves: int | None) -> None:
        serves = el.serves if el.serves is not None else serves
        for kid in el.kids:
            if isinstance(kid, Element):
                walk(kid, serves)
                continue
            held = lowest.get(kid.page, 0)
            if held is None or serves is None:
                lowest[kid.page] = None
            else:
                lowest[kid.page] = serves if held == 0 else min(held, serves)

    walk(tags.root, None)
    pages = list(pdf.pages)
    for page, first in sorted(lowest.items()):
        if first:
            pages[page].obj.CtkitRows = first


def _first_page(el: Element) -> int | None:
    for kid in el.kids:
        page = _first_page(kid) if isinstance(kid, Element) else kid.page
        if page is not None:
            return page
    return None


def _xmp(info: DocInfo, docinfo) -> bytes:
    """XMP that names the document and claims PDF/UA-1; no dates but reportlab's fixed one."""
    def text(value: str) -> str:
        return escape(value, {'"': "&quot;"})

    created = str(docinfo.get("/CreationDate", "D:20000101000000+00'00'"))
    iso = f"{created[2:6]}-{created[6:8]}-{created[8:10]}T{created[10:12]}:{created[12:14]}:{created[14:16]}Z"
    producer = str(docinfo.get("/Producer", "ReportLab"))
    description = (f"<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{text(info.subject)}</rdf:li>"
                   "</rdf:Alt></dc:description>") if info.subject else ""
    creator = f"<dc:creator><rdf:Seq><rdf:li>{text(info.author)}</rdf:li></rdf:Seq></dc:creator>" if info.author else ""
    keywords = f"<pdf:Keywords>{text(info.keywords)}</pdf:Keywords>" if info.keywords else ""
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text(info.title)}</rdf:li></rdf:Alt></dc:title>
{creator}{description}<dc:language><rdf:Bag><rdf:li>{text(info.lang)}</rdf:li></rdf:Bag></dc:language>
<pdf:Producer>{text(producer)}</pdf:Producer>{keywords}
<xmp:CreatorTool>{text(info.creator)}</xmp:CreatorTool>
<xmp:CreateDate>{iso}</xmp:CreateDate>
<xmp:ModifyDate>{iso}</xmp:ModifyDate>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")


__all__ = ["Tagger", "TaggedCanvas", "Element", "DocInfo", "finish"]
