"""Apply online (public/apply/): the application form model turned into question pages.

A static site cannot receive an application, and applications hold special-category data,
so the page works in the resident's browser only: one step per section of
forms/application.yml, then "Check your answers", then the council's own application PDF
filled in the browser (pdf-lib with fontkit, copied from node_modules/ into the site) for
the resident to email or post. Where the council names its own receiver (`site.submit`), the
last step also sends both, the answers and that PDF, to it (`send_model`: the address, the part
names and the limits of receiving/contract.py, so the script never types them again), and a
reference comes back. Every question, hint, option and condition comes from the
one form model; this module only decides how each is shown and words its error messages
from the form's own labels, so the page follows the form whatever it says.

The browser gets two things from here: the HTML of every step (rendered by the Jinja
templates pages/apply*.j2, escaped there) and the same steps as JSON for the script
(assets/ctkit/apply-data.js), so names, labels and rules are never typed twice.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from ..errors import Stop
from ..model import (Condition, Council, Form, Question, Repeat, Section, date_example, dated_hint, field_name,
                     length_hint, lower_first, unnumbered)
from ..model.values import reading_export
from ..receiving.contract import HONEYPOT, JSON_PART, MAX_BODY_BYTES, MAX_DATA_BYTES, PDF_PART
from ..render.answer_layout import browser_layout
from ..render.form_footer import browser_pages
from ..templating import file_env, render_text

APPLY_PAGE = "public/apply.md"
PAGES_DIR = Path(__file__).resolve().parent / "pages"
FORM_ID = "application"
#: The generated page it follows in the navigation.
FOLLOWS = "public/how-to-apply.md"
#: The page's scripts, on every page like the checker's (each does nothing where its form is absent).
SCRIPTS = ("assets/ctkit/apply-data.js", "assets/ctkit/apply-pdf.js", "assets/ctkit/apply.js")
#: The resident's own details, which browsers may fill in for them (WCAG 1.3.5).
OWN_GROUP = "applicant"
AUTOCOMPLETE = {"name": "name", "address": "street-address", "postcode": "postal-code", "phone": "tel",
                "email": "email", "organisation": "organization", "role": "organization-title"}
INPUT_TYPES = {"email": "email", "phone": "tel"}
WIDTH_CLASSES = {1.0: "full", 0.5: "half", 2 / 3: "two-thirds"}
ROW = "__N__"     # the row number in the incident template the script copies
#: Answers typed into a box, which take a maxlength (dates are three boxes with their own).
TEXT_ANSWERS = ("text", "textarea", "email", "phone", "postcode", "time")
#: How long the page waits for the council's receiver before it says the application was not sent.
SEND_TIMEOUT_SECONDS = 60


# -- the steps ------------------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    hint: str
    name: str          # for checkboxes, each option is its own PDF field
    id: str
    self_label: str = ""   # the label for someone applying for themselves, where it differs


@dataclass(frozen=True)
class OnlineQuestion:
    """One answer as the page asks it; `name` is the PDF field's name (rows as `{n}`)."""

    name: str
    id: str
    path: tuple
    type: str
    label: str
    words: str           # how messages and "Check your answers" name it ("Date incident {n} happened")
    hint: str
    required: bool
    required_when: Condition | None
    must_be_true_when: Condition | None
    shown_when: Condition | None
    choices: tuple[Choice, ...]
    width: str
    lines: int
    autocomplete: str
    messages: dict[str, str]
    maxlength: int = 0
    # The wording for someone applying for themselves (the form's `for_self`), where it differs:
    self_label: str = ""
    self_hint: str = ""
    self_words: str = ""
    self_messages: dict[str, str] | None = None

    @property
    def optional(self) -> bool:
        return not (self.required or self.required_when or self.must_be_true_when)

    def export(self) -> dict[str, Any]:
        out = {"name": self.name, "id": self.id, "path": list(self.path), "type": self.type,
               "label": self.label, "words": self.words, "required": self.required,
               "required_when": _condition(self.required_when), "must_be_true_when": _condition(self.must_be_true_when),
               "shown_when": _condition(self.shown_when), "maxlength": self.maxlength,
               "options": [{"value": c.value, "label": c.label, "name": c.name, "id": c.id,
                            **({"self_label": c.self_label} if c.self_label else {})} for c in self.choices],
               "messages": self.messages,
               "reading": reading_export() if self.type in ("date", "time") else None}
        if self.self_label:
            out |= {"self_label": self.self_label, "self_words": self.self_words, "self_messages": self.self_messages}
        return out


@dataclass(frozen=True)
class Paragraphs:
    """Text between questions: paragraphs, and lists where the form writes "• " bullets."""

    blocks: tuple[tuple[str, Any], ...]   # ("p", text) or ("ul", (texts...))
    type: str = "paragraphs"


@dataclass(frozen=True)
class OnlineRepeat:
    key: str
    item: str            # "Incident {n}"
    label: str
    minimum: int
    capacity: int
    questions: tuple[OnlineQuestion, ...]

    def export(self) -> dict[str, Any]:
        return {"key": self.key, "item": self.item, "label": self.label, "min": self.minimum,
                "max": self.capacity, "fields": [q.export() for q in self.questions]}


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    intro: Paragraphs
    items: tuple[OnlineQuestion | Paragraphs, ...]
    when: Condition | None
    when_text: str
    repeat: OnlineRepeat | None
    self_title: str = ""

    @property
    def questions(self) -> tuple[OnlineQuestion, ...]:
        return tuple(i for i in self.items if isinstance(i, OnlineQuestion))

    @property
    def single(self) -> OnlineQuestion | None:
        """The one question of a step that asks only one: its label is then the page's heading."""
        return self.questions[0] if len(self.items) == 1 and not self.repeat and self.questions else None

    def export(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "self_title": self.self_title or None,
                "when": _condition(self.when), "fields": [q.export() for q in self.questions],
                "repeat": self.repeat.export() if self.repeat else None}


def _condition(condition: Condition | None) -> dict | None:
    return {"question": list(condition.question), "in": list(condition.values)} if condition else None


class _Words:
    """The form's wording with its template names filled in, as plain text (escaped later, once)."""

    def __init__(self, form: Form, context: dict[str, Any]):
        self.form, self.context = form, context

    def __call__(self, source: str) -> str:
        if "{" not in source:
            return source.strip()
        text, problems = render_text(source, self.context, self.form.source)
        if problems:
            raise Stop(problems)
        return html.unescape(text).strip()


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _messages(q: Question, words: str, example_postcode: str, missing: str = "") -> dict[str, str]:
    """Error messages in the GOV.UK manner: the form's own `error:` for a blank answer where it has
    one, else built from the question's label; each says how to put it right."""
    out = _label_messages(q, words, example_postcode)
    if missing:
        out["missing"] = missing
    return out


def _label_messages(q: Question, words: str, example_postcode: str) -> dict[str, str]:
    name = words.rstrip("?").strip()
    asks = words.endswith("?")
    thing = lower_first(name)
    quoted = f"“{words}”"
    if q.type in ("radio",):
        return {"missing": f"Select an answer to {quoted}"}
    if q.type == "checkboxes":
        return {"missing": f"Select at least one answer to {quoted}"}
    if q.type == "checkbox":
        return {"missing": f"Tick “{words}” to continue"}
    if q.type == "date":
        the = "the " if name.lower().startswith("date ") else ""
        example = date_example(web=True)
        return {"missing": f"Enter {the}{thing}",
                "real": f"{name} must be a real date, {example[:1].lower()}{example[1:]}",
                "part": f"{name} must include a {{parts}}",
                "future": f"{name} must be today or in the past"}
    missing = f"Enter an answer to {quoted}" if asks else f"Enter {thing}"
    out = {"missing": missing}
    if q.maxlength:
        what = f"Your answer to {quoted}" if asks else _upper_first(name)
        out["long"] = f"{what} must be {q.maxlength:,} characters or fewer"
    if q.type == "time":
        out["format"] = f"{name} must be a time on the 24-hour clock, like 21:30, or leave it empty"
    elif q.type == "email":
        out["format"] = f"Enter {thing} in the correct format, like name@example.com"
    elif q.type == "phone":
        out["format"] = f"Enter {thing} in the correct format, like 01632 960 001 or 07700 900 982"
    elif q.type == "postcode":
        out["format"] = f"Enter {thing} in the correct format, like {example_postcode}"
    return out


def _field_id(name: str) -> str:
    return "ct-f-" + name.replace(":", "-").replace("{n}", ROW)


def _hint(q: Question, text: str) -> str:
    """A hint as the web shows it: with the example date, and how long a long answer may be."""
    if q.type == "date":
        text = dated_hint(text, web=True)
    return " ".join(p for p in (text, length_hint(q)) if p)


def _question(q: Question, t: _Words, example_postcode: str, repeat: Repeat | None = None) -> OnlineQuestion:
    missing = t(q.error) if q.error else ""
    if repeat is not None:
        name = field_name((repeat.key, 0) + q.path).replace(f"{repeat.key}:1:", f"{repeat.key}:{{n}}:", 1)
        words = t(q.name) if q.name else f"{t(q.label)} ({repeat.item})"
        if missing and "{n}" not in missing:   # in the error summary, say which incident
            missing = f"{repeat.item[:1].upper()}{repeat.item[1:]}: {missing[:1].lower()}{missing[1:]}"
    else:
        name = field_name(q.path)
        words = t(q.label)
    fid = _field_id(name)
    own = repeat is None and q.path[:1] == (OWN_GROUP,)
    choices = tuple(Choice(o.value, t(o.label), t(o.hint), f"{name}:{o.value}" if q.type == "checkboxes" else name,
                           f"{fid}-{o.value}", t(o.self_label) if o.self_label else "") for o in q.options)
    # A question needed only in some cases (on someone's behalf, a partner agency) is asked only then.
    conditional = q.required_when or q.must_be_true_when
    self_label = t(q.self_label) if q.self_label else ""
    return OnlineQuestion(
        name=name, id=fid, path=q.path, type=q.type, label=t(q.label), words=words, hint=_hint(q, t(q.hint)),
        required=q.always_required, required_when=q.required_when, must_be_true_when=q.must_be_true_when,
        shown_when=conditional if conditional and not q.always_required else None, choices=choices,
        width=WIDTH_CLASSES.get(q.width, "third") if q.type not in ("date", "radio", "checkboxes", "checkbox") else "full",
        lines=q.lines, autocomplete=AUTOCOMPLETE.get(q.id, "off") if own else "off",
        messages=_messages(q, words, example_postcode, missing), maxlength=q.maxlength if q.type in TEXT_ANSWERS else 0,
        self_label=self_label, self_hint=_hint(q, t(q.self_hint)) if q.self_hint else "",
        self_words=self_label, self_messages=_messages(q, self_label, example_postcode, missing) if self_label else None)


def _paragraphs(texts: tuple[str, ...], t: _Words) -> Paragraphs:
    blocks: list[tuple[str, Any]] = []
    for text in (t(p) for p in texts):
        if text.startswith("•"):
            item = text.lstrip("•").strip()
            if blocks and blocks[-1][0] == "ul":
                blocks[-1] = ("ul", blocks[-1][1] + (item,))
            else:
                blocks.append(("ul", (item,)))
        elif text:
            blocks.append(("p", text))
    return Paragraphs(tuple(blocks))


def _step(section: Section, t: _Words, example_postcode: str) -> Step:
    items: list[OnlineQuestion | Paragraphs] = []
    for q in section.questions:
        items.append(_paragraphs(q.text, t) if q.type == "paragraph" else _question(q, t, example_postcode))
    repeat = None
    if section.repeat is not None:
        r = section.repeat
        repeat = OnlineRepeat(r.key, r.item[:1].upper() + r.item[1:], t(r.label), max(r.min, 1), r.capacity,
                              tuple(_question(q, t, example_postcode, r) for q in r.questions))
    return Step(section.id, t(section.plain_title), _paragraphs(section.intro, t), tuple(items), section.when,
                t(section.when_text), repeat, self_title=t(unnumbered(section.self_title)) if section.self_title else "")


def online_steps(form: Form, context: dict[str, Any]) -> list[Step]:
    """One step per section the resident fills in; the office-use section is not shown."""
    t = _Words(form, {**context, "online": True})   # the form's words for paper say so with {% if not online %}
    postcode = context["council"].spoc.postcode
    return [_step(s, t, postcode) for s in form.sections if not s.office_use]


def _rule(form: Form, rule, names: dict[tuple, str], t: _Words) -> dict[str, Any]:
    if rule.one_of:
        return {"one_of": [names.get(p, field_name(p)) for p in rule.one_of], "message": t(rule.message)}
    return {"chosen": names.get(rule.chosen, field_name(rule.chosen)),
            "needs": {value: names.get(path, field_name(path)) for value, path in rule.needs},
            "messages": {value: t(form.needs_message(rule, value)) for value, _path in rule.needs}}


def browser_model(form: Form, steps: list[Step], version: str, context: dict[str, Any] | None = None
                  ) -> dict[str, Any]:
    """What the script needs: every step, field, condition and rule, from the one form model, and how the
    PDF's answers and pages are laid out (the kit's own figures, so both draw the same boxes)."""
    names = {q.path: q.name for s in steps for q in s.questions}
    t = _Words(form, {**(context or {}), "online": True})
    model = {
        "form": form.id,
        "form_version": version,
        "steps": [s.export() for s in steps],
        "rules": [_rule(form, rule, names, t) for rule in form.rules],
        "self_applies": _condition(form.self_applies),
    }
    if context is not None:
        model["send"] = send_model(context["council"])
        called = html.unescape(str(context["called"]["title"]))
        model["pdf"] = browser_layout() | browser_pages(t(form.title), context["council"], context["guidance"], called,
                                                         context["partnership"].area)
    return model


def send_model(council: Council) -> dict[str, Any] | None:
    """Where and how "Send your application" posts (README, "The contract"), or None: without `site.submit`
    the page offers the download only. A body that takes no applications (`applications: false`) receives none
    (`ctkit check`)."""
    submit = council.submit
    if submit is None or not council.takes_applications:
        return None
    return {"url": submit.url, "json_part": JSON_PART, "pdf_part": PDF_PART, "honeypot": HONEYPOT,
            "max_bytes": MAX_BODY_BYTES, "max_json_bytes": MAX_DATA_BYTES, "timeout_seconds": SEND_TIMEOUT_SECONDS}


def receiver_host(council: Council) -> str:
    """The receiver's host when it is not the site's own, to name it where the page says where answers go."""
    if council.submit is None:
        return ""
    host, site = urlsplit(council.submit.url).hostname or "", urlsplit(council.site_url).hostname or ""
    return "" if host == site else host


# -- the page ---------------------------------------------------------------------------

def render_apply_page(form: Form, context: dict[str, Any], download: Any | None) -> str:
    """The Markdown of public/apply.md: the no-script help, every step's HTML and the model as JSON."""
    steps = online_steps(form, context)
    names = {**context, "form": form, "steps": steps, "download": download, "row": ROW, "input_types": INPUT_TYPES,
             "send": send_model(context["council"]), "receiver_host": receiver_host(context["council"])}
    steps_html = file_env(PAGES_DIR, trim=True).get_template("apply-steps.html.j2").render(names)
    # One raw HTML block for Markdown: a blank line would end it.
    steps_html = "\n".join(line for line in steps_html.splitlines() if line.strip())
    return file_env(PAGES_DIR).get_template("apply.md.j2").render(
        {**names, "steps_html": Markup(steps_html),   # rendered above by the autoescaping environment
         "model": browser_model(form, steps, context["guidance"].version, context)})
