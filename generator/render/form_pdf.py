"""Render a form as an accessible, fillable, tagged PDF (PDF/UA-1).

Walks the form model top to bottom: each question becomes a label, its hint, and a field
whose tooltip reads as that label plus hint. Questions given a width share a row. Repeat
groups print `rows` rows in place and the rest on a continuation sheet. Every page's
footer carries the council's SPOC contact and the guidance version, all from the model.

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

from ..dates import longdate
from ..errors import Stop
from ..model import (TEXT_TYPES, Condition, Council, Field, Form, Guidance, Question, Repeat, Section, Version,
                     field_name)
from ..templating import context_for, render_text
from .pdf_layout import (BOLD, BODY_LEAD, BODY_SIZE, BOX_H, CONTENT_W, HINT_INK, HINT_LEAD, HINT_SIZE, ITALIC,
                     LABEL_LEAD, LABEL_SIZE, LINE_H, MARGIN_X, PAGE_W, REGULAR, TICK, Page, checkbox,
                     draw_lines, new_canvas, radio, text_field, wrap)
from .pdf_tags import DocInfo, finish

GAP = 10.0          # between cells in a row
AFTER_CELL = 10.0   # below each row of questions
PAGES_FORM = "ctkitPageCount"


@dataclass
class Rendered:
    pdf: bytes
    overflow: list[str] = field(default_factory=list)  # fields whose text does not all show


def render_form_pdf(form: Form, guidance: Guidance, council: Council | None = None,
                    version: Version | str | None = None) -> bytes:
    """The blank fillable PDF of `form` for `council` (default: the county), byte-identical for identical input."""
    return render(form, guidance, council, version).pdf


def keywords(form: Form, version: Version) -> str:
    """Stored in the PDF's metadata so a returned file says which form and version it is."""
    return f"ctkit-form:{form.id}; ctkit-version:{version.version}"


def render(form: Form, guidance: Guidance, council: Council | None = None, version: Version | str | None = None,
           values: dict[str, Any] | None = None) -> Rendered:
    """The PDF with `values` (field name -> value) set."""
    if isinstance(version, str):
        version = guidance.version(version)
    version = version or guidance.current()
    council = council or guidance.county
    return _Renderer(form, guidance, council, version, values or {}).run()


class _Renderer:
    def __init__(self, form: Form, guidance: Guidance, council: Council, version: Version, values: dict) -> None:
        self.form, self.council, self.version, self.values = form, council, version, values
        self.context = context_for(guidance, council, version)
        self._text_cache: dict[str, str] = {}
        self.canvas, self.buffer = new_canvas()
        self.page = Page(self.canvas, self.footer)
        self.tags = self.canvas.tags
        self.overflow: list[str] = []

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
            if section.new_page and self.page.y < 700:
                self.page.new_page()
            with self.tags.element("Sect"):
                self.section(section, continuation)
            self.page.y -= 6
        for repeat, where in continuation:
            self.page.new_page()
            with self.tags.element("Sect"):
                self.page.heading(f"Continuation sheet: {repeat.label or where}")
                self.page.text_block(f"Use these rows if you ran out of room in “{where}”.")
                self.repeat_rows(repeat, range(repeat.rows, repeat.capacity))
        self.page.finish()
        self.page_count_form()
        c.save()
        return Rendered(finish(self.buffer.getvalue(), c.tags, info), self.overflow)

    def section(self, section: Section, continuation: list[tuple[Repeat, str]]) -> None:
        self.page.heading(self.t(section.title), keep=self.first_block_height(section))
        if section.office_use:
            self.page.text_block("Leave this section blank: the council fills it in.", ITALIC, HINT_SIZE,
                                 HINT_LEAD, HINT_INK)
        if section.when_text:
            self.page.text_block(self.t(section.when_text), ITALIC, BODY_SIZE, BODY_LEAD)
        for paragraph in section.intro:
            self.page.text_block(self.t(paragraph))
        self.questions(section.questions)
        if section.repeat is not None:
            self.repeat_rows(section.repeat, range(section.repeat.rows))
            if section.repeat.more_rows:
                self.page.text_block(f"More rows are on the continuation sheet at the end of this form "
                                     f"({section.repeat.more_rows} more).", ITALIC, HINT_SIZE, HINT_LEAD, HINT_INK)
                continuation.append((section.repeat, self.t(section.title)))

    def masthead(self, title: str) -> None:
        p = self.page
        p.text_block(f"{self.council.name} · Derbyshire {self.called()}", BOLD, 9.5, 12, HINT_INK, after=2)
        p.text_block(title, BOLD, 18, 22, after=6, role="H1")
        for paragraph in self.form.intro:
            p.text_block(self.t(paragraph))
        p.y -= 4

    def footer(self, c, number: int) -> None:
        s = self.council.spoc
        contact = f"{self.council.name}, {s.team}, {', '.join(s.address)}, {s.postcode}. Phone {s.phone}"
        if s.email:
            contact += f", email {s.email}"
        if not s.verified:
            contact += " (contact details not yet confirmed)"
        v = self.version
        edition = f"Derbyshire {self.called()} guidance version {v.version}, {longdate(v.date)}"
        if not v.is_approved:
            edition += " (DRAFT: not approved)"
        self.page.rule(MARGIN_X, 86, PAGE_W - MARGIN_X)
        y = draw_lines(c, wrap(contact, REGULAR, 8, CONTENT_W), MARGIN_X, 82, REGULAR, 8, 10, HINT_INK)
        draw_lines(c, wrap(f"{self.title()} · {edition}", REGULAR, 8, CONTENT_W - 70), MARGIN_X, y, REGULAR, 8, 10,
                   HINT_INK)
        c.setFont(REGULAR, 8)
        label = f"Page {number} of "
        c.drawRightString(PAGE_W - MARGIN_X - 12, y - 8, label)
        c.saveState()
        c.translate(PAGE_W - MARGIN_X - 12, y - 8)
        c.doForm(PAGES_FORM)
        c.restoreState()

    def page_count_form(self) -> None:
        """'Page n of N': N is drawn once, after the last page, into a form every footer uses."""
        c = self.canvas
        c.beginForm(PAGES_FORM, lowerx=0, lowery=-2, upperx=12, uppery=9)
        c.setFont(REGULAR, 8)
        c.setFillColor(HINT_INK)
        c.drawString(0, 0, str(self.page.number))
        c.endForm()

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
        if q.hint:
            parts.append(self.t(q.hint))
        if q.always_required and not self._required(q, f.repeat, f.row):
            parts.append(f"Required if you fill in {f.repeat.item_name(f.row).lower()}")
        for condition in (q.required_when, q.must_be_true_when):
            if condition is not None and not q.always_required:
                parts.append(self._when(condition))
        return " ".join(p if p.endswith((".", "?", ":")) else p + "." for p in parts)

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
                fits = text_field(c, f.name, self._tooltip(f), x, top - head_h - _box_height(q), w, _box_height(q),
                                  value=value if isinstance(value, str) else str(value), multiline=q.multiline,
                                  required=self._required(q, repeat, row))
            if not fits:
                self.overflow.append(f.name)
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
            hint = wrap(self.t(q.hint), REGULAR, HINT_SIZE, w) if q.hint else []
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
            hint = wrap(self.t(q.hint), REGULAR, HINT_SIZE, CONTENT_W - TICK - 8) if q.hint else []
            height = len(label) * LABEL_LEAD + len(hint) * HINT_LEAD
            p.ensure(height + AFTER_CELL)
            top = p.y
            with tags.element("P"):
                y = draw_lines(c, label, MARGIN_X + TICK + 8, top, BOLD, LABEL_SIZE, LABEL_LEAD)
            with tags.element("P"):
                draw_lines(c, hint, MARGIN_X + TICK + 8, y, REGULAR, HINT_SIZE, HINT_LEAD, HINT_INK)
            checkbox(c, f.name, self._tooltip(f), MARGIN_X, top - TICK, checked=self.values.get(f.name) is True,
                     required=required)
            p.y = top - max(height, TICK) - AFTER_CELL
            return
        label = wrap(self._label(q, repeat, row), BOLD, LABEL_SIZE, CONTENT_W)
        hint = wrap(self.t(q.hint), REGULAR, HINT_SIZE, CONTENT_W) if q.hint else []
        p.ensure(len(label) * LABEL_LEAD + len(hint) * HINT_LEAD + 2 * (TICK + 6))
        with tags.element("P"):
            y = draw_lines(c, label, MARGIN_X, p.y, BOLD, LABEL_SIZE, LABEL_LEAD)
        with tags.element("P"):
            p.y = draw_lines(c, hint, MARGIN_X, y, REGULAR, HINT_SIZE, HINT_LEAD, HINT_INK) - 4
        columns = 2 if q.type == "checkboxes" and len(q.options) > 4 else 1
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
                    if q.type == "radio":
                        radio(c, f.name, self._tooltip(f), o.value, x, top - TICK - 0.5, selected=chosen == o.value,
                              required=required, option_tooltip=self._tooltip(f, self.t(o.label)))
                    else:
                        name = field_name(f.path + (o.value,))
                        checkbox(c, name, self._tooltip(f, self.t(o.label)), x, top - TICK - 0.5,
                                 checked=self.values.get(name) is True)
            p.y = top - height - 6
        p.y -= AFTER_CELL - 6

    def repeat_rows(self, repeat: Repeat, rows: range) -> None:
        for row in rows:
            self.page.ensure(self.repeat_height(repeat))
            with self.tags.element("Sect"):
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


__all__ = ["render_form_pdf", "render", "Rendered", "keywords"]
