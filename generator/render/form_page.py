"""A web page for each residents' form: every question in plain HTML, from the same form model.

Not everyone can use a fillable PDF. The page lists each section and question with its
hint, whether it is required and its choices, so a resident can prepare their answers,
read the form with a screen reader, or give them to the team by phone or email.
"""
from __future__ import annotations

import html
from typing import Any

import jinja2
from markupsafe import Markup

from ..errors import Stop
from ..model import Question, dated_hint, length_hint
from ..templating import markdown_text, render_text


def form_page_path(form_id: str) -> str:
    return f"public/form-{form_id}.md"


def render_form_page(env: jinja2.Environment, form: Any, context: dict, download: Any | None) -> str:
    """The Markdown of one form's page; the form's own templated wording rendered with `context`."""
    def words(source: str) -> Markup:
        """Form wording with its template names filled in, escaped once for the page (as Markdown text)."""
        if "{" not in source:
            return markdown_text(source)
        text, problems = render_text(source, context, form.source)
        if problems:
            raise Stop(problems)
        return markdown_text(html.unescape(text).strip())

    def hint(q: Question) -> Markup:
        """A question's hint as the web gives it: a date's with the web's example date, a long answer's
        with how long it may be."""
        text = html.unescape(str(words(q.hint))) if q.hint else ""
        if q.type == "date":
            text = dated_hint(text, web=True)
        return markdown_text(" ".join(p for p in (text, length_hint(q)) if p))

    sections = [s for s in form.sections if not s.office_use]
    return env.get_template("form-page.md.j2").render(
        {**context, "form": form, "sections": sections, "download": download, "t": words, "hint": hint})
