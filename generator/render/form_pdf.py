"""Render a form as an accessible, fillable, tagged PDF (PDF/UA-1), blank, filled, or printed.

Walks the form model top to bottom: each question becomes a label, its hint, and a field
whose tooltip reads as that label plus hint. Questions given a width share a row. Repeat
groups print `rows` rows in place and the rest on a continuation sheet. Every page's
footer carries the council's SPOC contact and the guidance version, all from the model.

A filled answer that does not fit its box at 9 pt continues on a page added at the end
("Continued from “What happened in incident 2” on page 3"; see `answer_layout`); the box
says on which page. Where that page falls is known only once it is drawn, so a form with
such answers is drawn twice, the second time with the pages known. The printed copy
(`printed=True`, for `ctkit print`) draws every answer as text on the page instead of in a
field: nothing to fill, nothing a PDF reader can redraw or cut off, and only the rows of a
repeat group that hold answers.

The structure tree follows the same walk (see `pdf_tags`): the title is the H1, each
section a `Sect` with an H2, each row of a repeat group a `Sect` with an H3, each
question a `Div` holding its label, hint and `Form` element(s). Only what the model
says is required is flagged and labelled "(required)": rows of a repeat group beyond
its `min` are optional, and a question required only for some answers says when.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from ..errors import Stop
from ..model import (TEXT_TYPES, Condition, Council, Field, Form, Guidance, Question, Repeat, Section, Version,
                     dated_hint, field_name, length_hint, parse_field_name)
from ..templating import context_for, render_text
from .answer_layout import CONTINUED_FROM, CONTINUED_INTRO, CONTINUED_TITLE
from .form_footer import FOOTER_RULE_Y, draw_footer, draw_page_count, footer_lines
from .pdf_fields import fit_value
from .pdf_layout import (BOLD, BODY_LEAD, BODY_SIZE, BOX_H, CONTENT_W, HINT_INK, HINT_LEAD, HINT_SIZE, ITALIC,
                         LABEL_LEAD, LABEL_SIZE, LINE_H, MARGIN_X, PAGE_W, REGULAR, TICK, Page, answer_box, checkbox,
                         choice_mark, draw_lines, new_canvas, radio, text_field, wrap)
from .pdf_tags import DocInfo, finish

GAP = 10.0          # between cells in a row
AFTER_CELL = 10.0   # below each row of questions
PRINTED_NOTE = ("A printed copy of a returned form: every answer as the form holds it, in full. An answer too long "
                "for its box continues at the end.")


@dataclass
class Continued:
    """An answer that goes on beyond its box."""

    name: str           # its field
    label: str          # the question in words ("What happened in incident 2")
    page: int           # the page its box is on
    rest: str           # what goes on the continuation page


@dataclass
class Rendered:
    pdf: bytes
    continued: list[Continued] = field(default_factory=list)   # answers that continue at the end


def render_form_pdf(form: Form, guidance: Guidance, council: Council | None = None,
                    version: Version | str | None = None) -> bytes:
    """The blank fillable PDF of `form` for `council` (default: the lead's), byte-identical for identical input."""
    return render(form, guidance, council, version).pdf


def keywords(form: Form, version: Version) -> str:
    """Stored in the PDF's metadata so a returned file says which form and version it is."""
    return f"ctkit-form:{form.id}; ctkit-version:{version.version}"


def render(form: Form, guidance: Guidance, council: Council | None = None, version: Version | str | None = None,
           values: dict[str, Any] | None = None, printed: bool = False) -> Rendered:
    """The PDF with `values` (field name -> value) set; `printed`: the printed copy, with no fields."""
    if isinstance(version, str):
        version = guidance.version(version)
    version = version or guidance.current()
    council = council or guidance.lead
    first = _Renderer(form, guidance, council, version, values or {}, printed)
    rendered = first.run()
    if not rendered.continued:
        return rendered
    # Drawn again now that the pages the answers continue on are known; the layout is the same.
    return _Renderer(form, guidance, council, version, values or {}, printed, first.rest_pages).run()


class _Renderer:
    def __init__(self, form: Form, guidance: Guidance, council: Council, version: Version, values: dict,
                 printed: bool = False, rest_pages: dict[str, int] | None = None) -> None:
        self.form, self.council, self.version, self.values = form, council, version, values
        self.printed = printed
        self.context = context_for(guidance, council, version)
        self._text_cache: dict[str, str] = {}
        self.canvas, self.buffer = new_canvas()
        self.page = Page(self.canvas, self.footer)
        self.tags = self.canvas.tags
        self.continued: list[Continued] = []
        self.known_pages = rest_pages or {}       # field name -> the page its answer continues on
        self.rest_pages: dict[str, int] = {}      # the same, as found while drawing

    # -- words ------------------------------------------------------------------
    def t(self, source: str) -> str:
        """Template text rendered with the guidance names (plain text: the HTML escaping undone)."""
        if "{" not in source:
            return source
        if source not in self._text_cache:
            text, problems = render_text(source, self.context, self.form.source)
            if problems:
                raise Stop(problems)
            self._text_cache[source] = html.unescape(text).strip()
        return self._text_cache[source]

    def title(self) -> str:
        return self.t(self.form.title)

    def called(self) -> str:
        """What the forms call the process (guidance/wording.yml: called.title)."""
        return html.unescape(str(self.context["called"]["title"]))

    @property
    def area(self) -> str:
        """Whose guidance it is, on the masthead and in the footer: the partnership's area (ctkit.yml)."""
        return self.context["partnership"].area

    # -- document -----------------------------------------------------------------
    def run(self) -> Rendered:
        c = self.canvas
        title = self.title()
        info = DocInfo(title=f"{title} – {self.council.name}", author=self.council.name,
                       subject=self.t(self.form.summary) if self.form.summary else title,
                       keywords=keywords(self.form, self.version))
        c.setTitle(info.title)
        c.setAuthor(info.author)
        c.setSubject(info.subject)
        c.setCreator(info.creator)
        c.setKeywords(info.keywords)
        self.masthead(title)
        continuation: list[tuple[Repeat, str]] = []
        for section in self.form.sections:
            if self.printed and (section.office_use or section.when) and not self.answered(section):
                continue   # a printed copy leaves out the office's part, and a part that did not apply, when blank
            if section.new_page and self.page.y < 700:
                self.page.new_page()
            with self.tags.element("Sect"):
                self.section(section, continuation)
            self.page.y -= 6
        for repeat, where in continuation:
            self.page.new_page()
            with self.tags.element("Sect", serves=repeat.rows + 1):
                self.page.heading(f"Continuation sheet: {repeat.label or where}")
                self.page.text_block(f"Use these rows if you ran out of room in “{where}”.")
                self.repeat_rows(repeat, range(repeat.rows, repeat.capacity))
        if self.continued:
            self.continued_answers()
        self.page.finish()
        self.page_count_form()
        c.save()
        return Rendered(finish(self.buffer.getvalue(), c.tags, info, self.known_pages), self.continued)

    def continued_answers(self) -> None:
        """The answers that did not fit their boxes, each whole or from where its box stops."""
        self.page.new_page()
        with self.tags.element("Sect"):
            self.page.heading(CONTINUED_TITLE, keep=3 * BODY_LEAD)
            self.page.text_block(CONTINUED_INTRO, ITALIC, BODY_SIZE, BODY_LEAD, after=8)
            for entry in self.continued:
                with self.tags.element("Div"):
                    self.page.ensure(LABEL_LEAD + 3 * BODY_LEAD)
                    self.rest_pages[entry.name] = self.page.number
                    self.page.text_block(CONTINUED_FROM.format(label=entry.label, page=entry.page), BOLD, LABEL_SIZE,
                                         LABEL_LEAD, role="H3", after=2)
                    self.page.text_block(entry.rest, after=10)

    def answered(self, section: Section) -> bool:
        return any(self.values.get(field_name(q.path)) not in (None, "", False) for q in section.questions
                   if q.is_field)

    def rows_answered(self, repeat: Repeat) -> int:
        """How many rows of a repeat group hold an answer (up to the last that does)."""
        rows = [parse_field_name(name)[1] for name, value in self.values.items()
                if name.startswith(f"{repeat.key}:") and value not in (None, "", False)]
        return max(rows, default=-1) + 1

    def section(self, section: Section, continuation: list[tuple[Repeat, str]]) -> None:
        self.page.heading(self.t(section.title), keep=self.first_block_height(section))
        if section.office_use and not self.printed:
            self.page.text_block("Leave this section blank: the council fills it in.", ITALIC, HINT_SIZE,
                                 HINT_LEAD, HINT_INK)
        if section.when_text:
            self.page.text_block(self.t(section.when_text), ITALIC, BODY_SIZE, BODY_LEAD)
        for paragraph in section.intro:
            self.page.text_block(self.t(paragraph))
        self.questions(section.questions)
        repeat = section.repeat
        if repeat is not None and self.printed:   # the rows that hold answers, all in place
            self.repeat_rows(repeat, range(max(self.rows_answered(repeat), 1)))
        elif repeat is not None:   # the section's intro says where the rows beyond these are
            self.repeat_rows(repeat, range(repeat.rows))
            if repeat.more_rows:
                continuation.append((repeat, self.t(section.title)))

    def masthead(self, title: str) -> None:
        p = self.page
        p.text_block(f"{self.council.name} · {self.area} {self.called()}", BOLD, 9.5, 12, HINT_INK, after=2)
        p.text_block(title, BOLD, 18, 22, after=6, role="H1")
        if self.printed:
            p.text_block(PRINTED_NOTE, ITALIC, BODY_SIZE, BODY_LEAD, after=6)
        for paragraph in self.form.intro:
            p.text_block(self.t(paragraph))
        p.y -= 4

    def footer(self, c, number: int) -> None:
        self.page.rule(MARGIN_X, FOOTER_RULE_Y, PAGE_W - MARGIN_X)
        draw_footer(c, footer_lines(self.title(), self.council, self.version, self.called(), self.area), number)

    def page_count_form(self) -> None:
        draw_page_count(self.canvas, self.page.number)

    # -- questions ---------------------------------------------------------------
    def questions(self, questions: tuple[Question, ...], repeat: Repeat | None = None, row: int | None = None) -> None:
        for cells in _rows(questions):
            if cells[0].type == "paragraph":
                for paragraph in cells[0].text:
                    self.page.text_block(self.t(paragraph))
                continue
            self.row(cells, repeat, row)

    def _field(self, q: Question, repeat: Repeat | None, row: int | None) -> Field:
        path = (repeat.key, row) + q.path if repeat is not None else q.path
        return Field(field_name(path), q, path, row, repeat)

    @staticmethod
    def _required(q: Question, repeat: Repeat | None = None, row: int | None = None) -> bool:
        """Required in the blank form: always, and in a repeat group only in its first `min` rows."""
        return q.always_required and (repeat is None or row is None or row < repeat.min)

    def _label(self, q: Question, repeat: Repeat | None = None, row: int | None = None) -> str:
        label = self.t(q.label)
        return f"{label} (required)" if self._required(q, repeat, row) else label

    def _tooltip(self, f: Field, option_label: str | None = None) -> str:
        q = f.question
        label = self._label(q, f.repeat, f.row)
        if f.repeat is not None:
            label = f"{f.repeat.item_name(f.row)}: {label}"
        parts = [option_label, label] if option_label else [label]
        hint = self.hint(q)
        if hint:
            parts.append(hint)
        if q.always_required and not self._required(q, f.repeat, f.row):
            parts.append(f"Required if you fill in {f.repeat.item_name(f.row).lower()}")
        for condition in (q.required_when, q.must_be_true_when):
            if condition is not None and not q.always_required:
                parts.append(self._when(condition))
        return " ".join(p if p.endswith((".", "?", ":")) else p + "." for p in parts)

    def hint(self, q: Question) -> str:
        """The question's hint as paper shows it: with the date format, or how long an answer may be."""
        hint = self.t(q.hint) if q.hint else ""
        if q.type == "date":
            hint = dated_hint(hint, web=False)
        return " ".join(p for p in (hint, length_hint(q)) if p)

    def _when(self, condition: Condition) -> str:
        """'Required if the answer to “<question>” is “<option>” or “<option>”', worded from the form model."""
        asked = self.form.question_at(condition.question)
        if asked is None:
            return "Required in some cases"
        chosen = [self.t(o.label) for o in asked.options if o.value in condition.values]
        answers = " or ".join(f"“{a}”" for a in chosen) or "one of some answers"
        return f"Required if the answer to “{self.t(asked.label)}” is {answers}"

    def row(self, cells: list[Question], repeat: Repeat | None, row: int | None) -> None:
        """Questions side by side: labels on top, boxes aligned below them."""
        if len(cells) == 1 and cells[0].type in ("radio", "checkboxes", "checkbox"):
            return self.choice_question(cells[0], repeat, row)
        widths, heads, head_h, box_h = self._measure(cells, repeat, row)
        self.page.ensure(head_h + box_h + AFTER_CELL)
        top = self.page.y
        x = MARGIN_X
        c = self.canvas
        for q, w, (label, hint) in zip(cells, widths, heads):
            f = self._field(q, repeat, row)
            with self.tags.element("Div"):
                with self.tags.element("P"):
                    y = draw_lines(c, label, x, top, BOLD, LABEL_SIZE, LABEL_LEAD)
                with self.tags.element("P"):
                    draw_lines(c, hint, x, y, REGULAR, HINT_SIZE, HINT_LEAD, HINT_INK)
                value = self.values.get(f.name, "")
                value = value if isinstance(value, str) else str(value)
                box_y, box_h = top - head_h - _box_height(q), _box_height(q)
                layout = fit_value(value, w, box_h, q.multiline, self.known_pages.get(f.name, "?"))
                if not layout.whole:
                    self.continued.append(Continued(f.name, self.t(self.form.label_for(f.path)), self.page.number,
                                                    layout.rest))
                if self.printed:
                    answer_box(c, x, box_y, w, box_h, layout, q.multiline)
                else:
                    text_field(c, f.name, self._tooltip(f), x, box_y, w, box_h, value=value, multiline=q.multiline,
                               required=self._required(q, repeat, row), maxlength=q.maxlength)
            x += w + GAP
        self.page.y = top - head_h - box_h - AFTER_CELL

    def _measure(self, cells: list[Question], repeat: Repeat | None = None, row: int | None = None
                 ) -> tuple[list[float], list[tuple[list[str], list[str]]], float, float]:
        """Column widths, wrapped labels and hints, and the heights of a row of text questions."""
        share = GAP * (len(cells) - 1) / len(cells)
        widths = [CONTENT_W * q.width - share for q in cells]
        heads = []
        for q, w in zip(cells, widths):
            label = wrap(self._label(q, repeat, row), BOLD, LABEL_SIZE, w)
            hint = wrap(self.hint(q), REGULAR, HINT_SIZE, w) if self.hint(q) else []
            heads.append((label, hint))
        head_h = max(len(lbl) * LABEL_LEAD + len(h) * HINT_LEAD for lbl, h in heads) + 3
        return widths, heads, head_h, max(_box_height(q) for q in cells)

    def first_block_height(self, section: Section) -> float:
        """Height of what follows a section's heading first, so the heading never stands alone."""
        if section.intro or section.when_text or section.office_use:
            return 3 * BODY_LEAD
        rows = _rows(section.questions)
        if rows and rows[0][0].type in TEXT_TYPES:
            _, _, head_h, box_h = self._measure(rows[0])
            return head_h + box_h
        if rows:
            return 4 * BODY_LEAD
        return self.repeat_height(section.repeat) if section.repeat is not None else BODY_LEAD

    def repeat_height(self, repeat: Repeat) -> float:
        """Height of one row of a repeat group, so a row is never split across pages."""
        total = 16.0
        for cells in _rows(repeat.questions):
            _, _, head_h, box_h = self._measure(cells)
            total += head_h + box_h + AFTER_CELL
        return total + 6

    def choice_question(self, q: Question, repeat: Repeat | None, row: int | None) -> None:
        with self.tags.element("Div"):
            self._choice_question(q, repeat, row)

    def _choice_question(self, q: Question, repeat: Repeat | None, row: int | None) -> None:
        c, p, tags = self.canvas, self.page, self.tags
        f = self._field(q, repeat, row)
        required = self._required(q, repeat, row)
        if q.type == "checkbox":
            label = wrap(self._label(q, repeat, row), BOLD, LABEL_SIZE, CONTENT_W - TICK - 8)
            hint = wrap(self.hint(q), REGULAR, HINT_SIZE, CONTENT_W - TICK - 8) if q.hint else []
            height = len(label) * LABEL_LEAD + len(hint) * HINT_LEAD
            p.ensure(height + AFTER_CELL)
            top = p.y
            with tags.element("P"):
                y = draw_lines(c, label, MARGIN_X + TICK + 8, top, BOLD, LABEL_SIZE, LABEL_LEAD)
            with tags.element("P"):
                draw_lines(c, hint, MARGIN_X + TICK + 8, y, REGULAR, HINT_SIZE, HINT_LEAD, HINT_INK)
            if self.printed:
                choice_mark(c, MARGIN_X, top - TICK, self.values.get(f.name) is True, radio=False)
            else:
                checkbox(c, f.name, self._tooltip(f), MARGIN_X, top - TICK, checked=self.values.get(f.name) is True,
                         required=required)
            p.y = top - max(height, TICK) - AFTER_CELL
            return
        label = wrap(self._label(q, repeat, row), BOLD, LABEL_SIZE, CONTENT_W)
        hint = wrap(self.hint(q), REGULAR, HINT_SIZE, CONTENT_W) if q.hint else []
        columns = 2 if q.type == "checkboxes" and len(q.options) > 4 else 1
        together = -(-len(q.options) // columns) if len(q.options) <= 6 else 2   # a short list is kept whole
        p.ensure(len(label) * LABEL_LEAD + len(hint) * HINT_LEAD + together * (TICK + 6))
        with tags.element("P"):
            y = draw_lines(c, label, MARGIN_X, p.y, BOLD, LABEL_SIZE, LABEL_LEAD)
        with tags.element("P"):
            p.y = draw_lines(c, hint, MARGIN_X, y, REGULAR, HINT_SIZE, HINT_LEAD, HINT_INK) - 4
        col_w = (CONTENT_W - GAP) / columns if columns > 1 else CONTENT_W
        chosen = self.values.get(f.name)
        for start in range(0, len(q.options), columns):
            cells = q.options[start:start + columns]
            texts = [(wrap(self.t(o.label), REGULAR, BODY_SIZE, col_w - TICK - 8),
                      wrap(self.t(o.hint), REGULAR, HINT_SIZE, col_w - TICK - 8) if o.hint else []) for o in cells]
            height = max(max(TICK, len(lb) * BODY_LEAD + len(h) * HINT_LEAD) for lb, h in texts)
            p.ensure(height + 6)
            top = p.y
            for i, (o, (lb, h)) in enumerate(zip(cells, texts)):
                x = MARGIN_X + i * (col_w + GAP)
                with tags.element("Div"):
                    with tags.element("P"):
                        y = draw_lines(c, lb, x + TICK + 8, top, REGULAR, BODY_SIZE, BODY_LEAD)
                    with tags.element("P"):
                        draw_lines(c, h, x + TICK + 8, y, REGULAR, HINT_SIZE, HINT_LEAD, HINT_INK)
                    name = field_name(f.path + (o.value,))
                    if self.printed:
                        on = chosen == o.value if q.type == "radio" else self.values.get(name) is True
                        choice_mark(c, x, top - TICK - 0.5, on, radio=q.type == "radio")
                    elif q.type == "radio":
                        radio(c, f.name, self._tooltip(f), o.value, x, top - TICK - 0.5, selected=chosen == o.value,
                              required=required, option_tooltip=self._tooltip(f, self.t(o.label)))
                    else:
                        checkbox(c, name, self._tooltip(f, self.t(o.label)), x, top - TICK - 0.5,
                                 checked=self.values.get(name) is True)
            p.y = top - height - 6
        p.y -= AFTER_CELL - 6

    def repeat_rows(self, repeat: Repeat, rows: range) -> None:
        for row in rows:
            self.page.ensure(self.repeat_height(repeat))
            with self.tags.element("Sect", serves=row + 1 if row >= max(repeat.min, 1) else None):
                self.page.text_block(repeat.item_name(row), BOLD, 11, 14, after=2, role="H3")
                self.questions(repeat.questions, repeat, row)
            self.page.rule(MARGIN_X, self.page.y + 4, MARGIN_X + CONTENT_W)
            self.page.y -= 6


def _box_height(q: Question) -> float:
    return q.lines * LINE_H + 7 if q.multiline else BOX_H


def _rows(questions: tuple[Question, ...]) -> list[list[Question]]:
    """Consecutive narrow text questions share a row while their widths add up to a whole."""
    rows: list[list[Question]] = []
    for q in questions:
        narrow = q.type in ("text", "textarea", "date", "time", "email", "phone", "postcode") and q.width < 0.99
        if narrow and rows and rows[-1][0].width < 0.99 and rows[-1][0].type != "paragraph" \
                and rows[-1][0].type not in ("radio", "checkboxes", "checkbox") \
                and sum(x.width for x in rows[-1]) + q.width <= 1.001:
            rows[-1].append(q)
        else:
            rows.append([q])
    return rows


__all__ = ["render_form_pdf", "render", "Rendered", "Continued", "keywords"]
