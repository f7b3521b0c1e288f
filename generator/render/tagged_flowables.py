"""Tags for platypus stories: the same structure tree as `pdf_tags`, for typeset documents.

A platypus document is a list of flowables laid out by reportlab; this module lets each
say what it is, and `pdf_tags` does the rest:

- `Tagged(flowable, "P")` draws any flowable inside a structure element. When the
  flowable is split across pages, every part continues the same element.
- `Group([...])` stacks flowables as one (a list, a list item's body, a note); wrapped in
  `Tagged`, it gives the group its element, and it falls apart into its members when it
  does not fit, each member still inside the group's element.
- `ListItem(bullet, flowables)` draws a bullet beside its body: `LI` > `Lbl` + `LBody`.
- `TaggedTable(data, header_rows=1)` is a reportlab Table tagged `Table` > `TR` >
  `TH`/`TD`, its grid and shading artifacts, its header row repeated on a new page an
  artifact too; `TableTags.layout()` is for a table used only to draw a box.
- `TaggedDocTemplate` draws on a `TaggedCanvas` and makes each page template's
  `onPage` drawing (running footers) a pagination artifact.

Structure state lives on the canvas, which reportlab makes anew for each layout pass
of `multiBuild`, so every pass starts a fresh tree. A typeset letter, for example:

    doc = TaggedDocTemplate(buffer, pagesize=A4, lang="en-GB", displayDocTitle=1, invariant=1)
    doc.addPageTemplates([PageTemplate("letter", [frame], onPage=draw_footer)])
    doc.build([Tagged(Paragraph(title, h1), "H1"), Tagged(Paragraph(text, body), "P"),
               TaggedTable(rows, header_rows=1)])
    pdf = finish(buffer.getvalue(), doc.canv.tags, DocInfo(title=..., author=council.name))

(`tests/test_pdf_tagging.py` builds exactly this and checks the result.)
"""
from __future__ import annotations

import contextlib

from reportlab.platypus import BaseDocTemplate, Flowable, PageTemplate, Table

from .pdf_fonts import REGULAR
from .pdf_tags import Element, Tagger, TaggedCanvas


class _Holder:
    """The element a flowable and all its split parts share, for the canvas drawing them now."""

    def __init__(self) -> None:
        self.canvas = None
        self.element: Element | None = None

    def __deepcopy__(self, memo):
        return self  # copies of a flowable (reportlab makes some) still continue the same element

    @contextlib.contextmanager
    def open(self, tags: Tagger, role: str, alt: str, attributes: dict):
        if self.canvas is tags.canvas and self.element is not None:
            with tags.resume(self.element) as element:
                yield element
            return
        self.canvas = tags.canvas
        with tags.element(role, alt=alt, **attributes) as element:
            self.element = element
            yield element


def _wrap(flowable: Flowable, canv, width: float, height: float) -> tuple[float, float]:
    return flowable.wrapOn(canv, width, height) if canv is not None else flowable.wrap(width, height)


class Tagged(Flowable):
    """`inner`, drawn inside a `role` structure element (the same one for all its split parts)."""

    def __init__(self, inner: Flowable, role: str, alt: str = "", holder: _Holder | None = None, **attributes: str):
        super().__init__()
        self.inner = inner
        self.role = role
        self.alt = alt
        self.attributes = attributes
        self.holder = holder or _Holder()
        for name in ("hAlign", "vAlign"):
            if hasattr(inner, name):
                setattr(self, name, getattr(inner, name))

    def __getattr__(self, name):
        if name in ("inner", "__setstate__") or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.inner, name)

    def wrap(self, available_width, available_height):
        self.width, self.height = _wrap(self.inner, getattr(self, "canv", None), available_width, available_height)
        return self.width, self.height

    def split(self, available_width, available_height):
        canv = getattr(self, "canv", None)
        parts = (self.inner.splitOn(canv, available_width, available_height) if canv is not None
                 else self.inner.split(available_width, available_height))
        return [Tagged(p, self.role, self.alt, self.holder, **self.attributes) for p in parts]

    def draw(self):
        with self.holder.open(self.canv.tags, self.role, self.alt, self.attributes):
            self.inner.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self):  # noqa: N802 - reportlab's name
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self):  # noqa: N802 - reportlab's name
        return self.inner.getSpaceAfter()

    def getKeepWithNext(self):  # noqa: N802 - reportlab's name
        if "keepWithNext" in self.__dict__:  # the document template switches it off once it has kept the two
            return self.keepWithNext
        return self.inner.getKeepWithNext()

    def minWidth(self):  # noqa: N802 - reportlab's name
        return self.inner.minWidth()

    def identity(self, maxLen=None):  # noqa: N803 - reportlab's name
        return f"Tagged({self.role}, {self.inner.identity(maxLen)})"


class Group(Flowable):
    """Flowables stacked top to bottom as one; split, the members that fit and the rest."""

    #: Like reportlab's own containers (a ListFlowable), a group is never pulled into a
    #: KeepTogether with the heading before it, which would push a whole list to the next page.
    #: reportlab reads this flag only for that decision.
    locChanger = 1

    def __init__(self, flowables: list[Flowable], space_after: float = 0.0):
        super().__init__()
        self.flowables = list(flowables)
        self.space_after = space_after
        self._sizes: list[tuple[float, float, float]] = []

    def _gap(self, f: Flowable, previous: Flowable | None) -> float:
        return max(f.getSpaceBefore(), previous.getSpaceAfter()) if previous is not None else 0.0

    def wrap(self, available_width, available_height):
        canv = getattr(self, "canv", None)
        self._sizes, total, previous = [], 0.0, None
        for f in self.flowables:
            w, h = _wrap(f, canv, available_width, available_height)
            gap = self._gap(f, previous)
            self._sizes.append((w, h, gap))
            total += gap + h
            previous = f
        self.width, self.height = available_width, total
        return self.width, self.height

    def split(self, available_width, available_height):
        canv = getattr(self, "canv", None)
        first: list[Flowable] = []
        used, previous = 0.0, None
        for i, f in enumerate(self.flowables):
            gap = self._gap(f, previous)
            _, h = _wrap(f, canv, available_width, available_height)
            if used + gap + h <= available_height + 1e-6:
                first.append(f)
                used += gap + h
                previous = f
                continue
            room = available_height - used - gap
            parts = (f.splitOn(canv, available_width, room) if canv is not None else f.split(available_width, room)
                     ) if room > 0 else []
            if parts:
                first.append(parts[0])
                rest = list(parts[1:]) + self.flowables[i + 1:]
            else:
                rest = self.flowables[i:]
            break
        else:
            return [self]
        if not first:
            return []
        return [Group(first), Group(rest, self.space_after)]

    def getSpaceBefore(self):  # noqa: N802 - reportlab's name
        return self.flowables[0].getSpaceBefore() if self.flowables else 0

    def getSpaceAfter(self):  # noqa: N802 - reportlab's name
        return max(self.space_after, self.flowables[-1].getSpaceAfter() if self.flowables else 0)

    def draw(self):
        y = self.height
        for f, (w, h, gap) in zip(self.flowables, self._sizes):
            y -= gap + h
            f.drawOn(self.canv, 0, y, _sW=self.width - w)


class ListItem(Flowable):
    """A bullet or number (`Lbl`) beside the item's body (`LBody`), the body indented by `indent`."""

    def __init__(self, label: Flowable, body: Flowable, indent: float, first: bool = True,
                 holders: tuple[_Holder, _Holder] | None = None):
        super().__init__()
        self.label, self.body, self.indent, self.first = label, body, indent, first
        self.holders = holders or (_Holder(), _Holder())

    def wrap(self, available_width, available_height):
        canv = getattr(self, "canv", None)
        _wrap(self.label, canv, self.indent, available_height)
        w, h = _wrap(self.body, canv, available_width - self.indent, available_height)
        self.width, self.height = available_width, h
        return self.width, h

    def split(self, available_width, available_height):
        parts = self.body.split(available_width - self.indent, available_height)
        return [ListItem(self.label, p, self.indent, first=i == 0 and self.first, holders=self.holders)
                for i, p in enumerate(parts)]

    def getSpaceBefore(self):  # noqa: N802 - reportlab's name
        return self.body.getSpaceBefore()

    def getSpaceAfter(self):  # noqa: N802 - reportlab's name
        return self.body.getSpaceAfter()

    def draw(self):
        tags = self.canv.tags
        if self.first:
            with self.holders[0].open(tags, "Lbl", "", {}):
                _, label_h = self.label.wrapOn(self.canv, self.indent, self.height)
                self.label.drawOn(self.canv, 0, self.height - label_h)
        with self.holders[1].open(tags, "LBody", "", {}):
            self.body.drawOn(self.canv, self.indent, 0)


class TableTags:
    """Tags a reportlab Table as it draws (its `renderCB`): one per logical table, shared by its split parts."""

    def __init__(self, header_rows: int = 0, mode: str = "table", row_alt=None):
        self.header_rows = header_rows
        self.mode = mode            # "table": Table/TR/TH/TD; "toc": TOC/TOCI; "layout": only the drawing is an artifact
        self.row_alt = row_alt      # row -> the words that name links in it (a contents entry)
        self.canvas = None
        self.parts = 0
        self.element: Element | None = None
        self._open: list = []

    @classmethod
    def layout(cls) -> "TableTags":
        return cls(mode="layout")

    def __call__(self, table: Table, event: str, *args):
        tags: Tagger = table.canv.tags
        if self.canvas is not table.canv:
            self.canvas, self.parts, self.element = table.canv, 0, None
        if event in ("startBG", "startLines"):
            self._enter(tags.artifact())
        elif event in ("endBG", "endLines"):
            self._exit()
        elif self.mode == "layout":
            return
        elif event == "startTable":
            self.parts += 1
            if self.element is None:
                self._enter(tags.element("TOC" if self.mode == "toc" else "Table"))
                self.element = tags.current()
            else:  # the rest of the table on a new page: the same Table element
                self._enter(tags.resume(self.element))
        elif event == "endTable":
            self._exit()
        elif self.mode == "toc":
            if event == "startRow":
                self._enter(tags.element("TOCI", link_alt=self.row_alt(table, args[0]) if self.row_alt else ""))
            elif event == "endRow":
                self._exit()
        elif event == "startRow":
            # Header rows repeated at the top of a continued table are read again, as headers:
            # a reader arriving on that page needs them too.
            row = args[0]
            self._enter(tags.element("TR"))
            self._header = row < (self.header_rows if self.parts == 1 else (table.repeatRows or 0))
        elif event == "endRow":
            self._exit()
        elif event == "startCell":
            if self._header:
                self._enter(tags.element("TH", O="Table", Scope="Column"))
            else:
                self._enter(tags.element("TD"))
        elif event == "endCell":
            self._exit()

    def _enter(self, context) -> None:
        context.__enter__()
        self._open.append(context)

    def _exit(self) -> None:
        self._open.pop().__exit__(None, None, None)


class TaggedTable(Table):
    """A data table whose first `header_rows` rows are column headers (TH with /Scope /Column).

    Its cells' font is the kit's embedded one: reportlab's default would put an unembedded
    Helvetica into the page resources even where no cell draws with it.
    """

    def __init__(self, data, *args, header_rows: int = 0, renderCB=None, **kwargs):  # noqa: N803
        if renderCB is None:
            renderCB = TableTags(header_rows)
        super().__init__(data, *args, renderCB=renderCB, **kwargs)
        self.setStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR)])


class TaggedDocTemplate(BaseDocTemplate):
    """A document drawn on a TaggedCanvas whose page templates' onPage drawing is a running artifact."""

    #: What the page templates' onPage drawing is: a running footer, for the kit's documents.
    page_artifact = ("Pagination", "Footer")

    def handle_pageBegin(self):  # noqa: N802 - reportlab's name
        with self.canv.tags.artifact(*self.page_artifact):
            super().handle_pageBegin()

    def build(self, flowables, filename=None, canvasmaker=TaggedCanvas):
        super().build(flowables, filename, canvasmaker)


__all__ = ["Tagged", "Group", "ListItem", "TableTags", "TaggedTable", "TaggedDocTemplate", "PageTemplate"]
