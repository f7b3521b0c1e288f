"""The form model: one typed object per forms/<id>.yml, used by every output.

The PDF, the submission schema, the reader and the validator's wording all come from
this one model (the pyxform habit), so a question is defined once. Data paths are
tuples of keys and row indexes, e.g. ("incidents", 1, "reported_on"); PDF field names
are the same path joined with ':' and rows counted from 1 ("incidents:2:reported_on"),
because a period is not allowed in a PDF field's name.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from ..errors import NOWHERE, Where
from .guidance import where_of

TEXT_TYPES = ("text", "textarea", "date", "time", "email", "phone", "postcode")
WIDTHS = {"full": 1.0, "half": 0.5, "third": 1 / 3, "two_thirds": 2 / 3}
#: The most characters an answer of each type may have, unless its question sets `maxlength`:
#: the online form and the PDF both stop there, and the hint of a long answer says so.
MAX_LENGTHS = {"text": 100, "textarea": 2000, "email": 100, "phone": 30, "postcode": 10, "date": 10, "time": 5}
#: The one example date every form gives (day, month, year).
EXAMPLE_DATE = (27, 3, 2026)


def date_example(web: bool) -> str:
    """The example date: online, where day, month and year each have a box, as GOV.UK writes it
    ("For example, 27 3 2026"); on paper, where the date is one box, with its order and slashes."""
    day, month, year = EXAMPLE_DATE
    return f"For example, {day} {month} {year}" if web else f"Day/month/year, for example {day}/{month}/{year}."


def dated_hint(hint: str, web: bool) -> str:
    """A date question's hint with the example date: after the hint online, before it on paper."""
    return " ".join(p for p in ((hint, date_example(True)) if web else (date_example(False), hint)) if p)


def length_hint(q: "Question") -> str:
    """A long answer's hint says how long it may be ("You can write up to 3,000 characters.")."""
    return f"You can write up to {q.maxlength:,} characters." if q.multiline and q.maxlength else ""


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str = ""
    self_label: str = ""      # the label when the person affected fills the form in themselves


@dataclass(frozen=True)
class Condition:
    """'Applies when the answer at `question` is one of `values`'."""

    question: tuple[str, ...]
    values: tuple[Any, ...]

    def holds(self, data: dict) -> bool:
        """True when the answer is one of `values`; for a list of ticks, when one of them is."""
        node: Any = data
        for key in self.question:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, list):
            return any(isinstance(v, (str, bool)) and v in self.values for v in node)
        return isinstance(node, (str, bool)) and node in self.values


@dataclass(frozen=True)
class Question:
    type: str
    id: str = ""
    label: str = ""
    name: str = ""            # in a repeat group: label in full words with {n}
    hint: str = ""
    text: tuple[str, ...] = ()  # for paragraphs
    required: bool = False
    required_when: Condition | None = None
    must_be_true: bool = False
    must_be_true_when: Condition | None = None
    error: str = ""           # what to say when a needed answer is blank (how to put it right)
    lines: int = 1
    width: float = 1.0
    options: tuple[Option, ...] = ()
    maxlength: int = 0        # the most characters the answer may have (0: not a text answer)
    self_label: str = ""      # `for_self`: the label and hint when the person affected fills it in
    self_hint: str = ""
    path: tuple = ()          # data path; relative to the row inside a repeat group
    where: Where = NOWHERE    # where it is defined in forms/<id>.yml

    @property
    def is_field(self) -> bool:
        return self.type != "paragraph"

    @property
    def multiline(self) -> bool:
        return self.type == "textarea"

    @property
    def always_required(self) -> bool:
        return self.required or self.must_be_true


@dataclass(frozen=True)
class Repeat:
    key: str
    item: str                 # 'incident {n}'
    rows: int
    more_rows: int
    min: int
    questions: tuple[Question, ...]
    label: str = ""
    where: Where = NOWHERE

    @property
    def capacity(self) -> int:
        return self.rows + self.more_rows

    def item_name(self, index: int) -> str:
        """Row `index` (from 0) in words, capitalised: 'Incident 2'."""
        words = self.item.replace("{n}", str(index + 1))
        return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: tuple[str, ...] = ()
    questions: tuple[Question, ...] = ()
    repeat: Repeat | None = None
    when: Condition | None = None
    when_text: str = ""
    office_use: bool = False
    new_page: bool = False
    self_title: str = ""      # `for_self`: the title when the person affected fills the form in
    where: Where = NOWHERE

    @property
    def plain_title(self) -> str:
        """The title without the number paper gives it ("5. The incidents" → "The incidents")."""
        return unnumbered(self.title)


def lower_first(text: str) -> str:
    """'Your full name' → 'your full name' inside a sentence; 'MP' and other capitals stay as they are."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def unnumbered(title: str) -> str:
    head, dot, rest = title.partition(". ")
    return rest if dot and head.isdigit() else title


@dataclass(frozen=True)
class Rule:
    """A rule across answers. `one_of`: at least one of these answers is given. `chosen` with
    `needs`: the answer each choice of the `chosen` question needs (the way to contact someone
    needs its detail); its message may say {choice} (the option's label) and {detail} (the
    needed question's label, starting in lower case)."""

    message: str
    one_of: tuple[tuple[str, ...], ...] = ()
    chosen: tuple[str, ...] = ()
    needs: tuple[tuple[str, tuple[str, ...]], ...] = ()   # (option value, path of the answer it needs)
    where: Where = NOWHERE

    def needed(self, choice: Any) -> tuple[str, ...] | None:
        """The path of the answer that `choice` needs, or None."""
        return next((path for value, path in self.needs if value == choice), None)


@dataclass(frozen=True)
class Field:
    """One widget group in the PDF: its name, the question behind it, and its data path."""

    name: str
    question: Question
    path: tuple
    row: int | None = None            # index within the repeat group
    repeat: Repeat | None = None

    @property
    def tooltip_label(self) -> str:
        label = self.question.label
        return f"{self.repeat.item_name(self.row)}: {label}" if self.repeat is not None else label


@dataclass
class Form:
    id: str
    title: str
    kind: str
    audience: str
    summary: str
    intro: tuple[str, ...]
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...] = ()
    self_applies: Condition | None = None   # when questions speak to the person affected as "you"
    minutes: int = 0          # about how long filling it in takes, said before starting online
    source: str = ""
    declared_id: str = ""     # the `id:` written in the file (must match the file name)
    where: Where = NOWHERE

    # -- walking the questions -------------------------------------------------
    def questions(self) -> Iterator[Question]:
        """Every answerable question outside repeat groups."""
        for section in self.sections:
            yield from (q for q in section.questions if q.is_field)

    def repeats(self) -> Iterator[Repeat]:
        yield from (s.repeat for s in self.sections if s.repeat is not None)

    def fields(self) -> list[Field]:
        """Every PDF field in page order; repeat groups give `capacity` rows."""
        out: list[Field] = []
        for section in self.sections:
            for q in section.questions:
                if q.type == "checkboxes":
                    out += [Field(field_name(q.path + (o.value,)), q, q.path + (o.value,)) for o in q.options]
                elif q.is_field:
                    out.append(Field(field_name(q.path), q, q.path))
            if section.repeat is not None:
                r = section.repeat
                for row in range(r.capacity):
                    for q in r.questions:
                        path = (r.key, row) + q.path
                        out.append(Field(field_name(path), q, path, row, r))
        return out

    def question_at(self, path: tuple) -> Question | None:
        for q in self.questions():
            if q.path == tuple(path):
                return q
        return None

    # -- words for the validator -------------------------------------------------
    def label_for(self, path: tuple | list) -> str:
        """The plain-words label of a data path, as the form shows it."""
        path = tuple(path)
        for r in self.repeats():
            if path[:1] == (r.key,):
                if len(path) == 1:
                    return r.label or r.key.replace("_", " ").capitalize()
                row = path[1] if isinstance(path[1], int) else 0
                if len(path) == 2:
                    return r.item_name(row)
                for q in r.questions:
                    if q.path == path[2:]:
                        words = (q.name or f"{q.label} ({r.item})").replace("{n}", str(row + 1))
                        return words
                return f"{r.item_name(row)}: {path[-1]}".replace("_", " ")
        q = self.question_at(path)
        if q is not None:
            return q.label
        if len(path) == 2:  # an option of a checkbox list
            parent = self.question_at(path[:1])
            if parent is not None:
                return parent.label
        sections = {s.id: s for s in self.sections}
        if len(path) == 1 and path[0] in sections:
            return sections[path[0]].title.split(". ", 1)[-1]
        return " ".join(str(p) for p in path).replace("_", " ")

    def needs_message(self, rule: Rule, choice: Any) -> str:
        """A `chosen` rule's message for one choice, with the option's and the needed answer's words."""
        asked = self.question_at(rule.chosen)
        option = next((o for o in asked.options if o.value == choice), None) if asked else None
        needed = self.question_at(rule.needed(choice) or ())
        detail = lower_first(needed.label) if needed else ""
        return rule.message.replace("{choice}", option.label if option else str(choice)).replace("{detail}", detail)

    def required_now(self, q: Question, data: dict) -> bool:
        """Whether `q` must be answered, given the rest of the answers."""
        return q.always_required or any(c is not None and c.holds(data)
                                        for c in (q.required_when, q.must_be_true_when))


def field_name(path: tuple) -> str:
    return ":".join(str(p + 1) if isinstance(p, int) else str(p) for p in path)


def parse_field_name(name: str) -> tuple:
    return tuple(int(p) - 1 if p.isdigit() else p for p in name.split(":"))


# -- building ----------------------------------------------------------------

def _paragraphs(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _condition(raw: dict | None) -> Condition | None:
    if not raw:
        return None
    return Condition(tuple(raw["question"].split(".")), tuple(raw["in"]))


def _question(raw: dict, group: str | None, shown: str) -> Question:
    qtype = raw["type"]
    qgroup = raw.get("group", group)
    qid = raw.get("id", "")
    path = ((qgroup,) if qgroup else ()) + ((qid,) if qid else ())
    lines = raw.get("lines", 4 if qtype == "textarea" else 1)
    own = raw.get("for_self") or {}
    return Question(
        type=qtype, id=qid, label=raw.get("label", ""), name=raw.get("name", ""), hint=raw.get("hint", ""),
        text=_paragraphs(raw.get("text")), required=bool(raw.get("required", False)),
        required_when=_condition(raw.get("required_when")), must_be_true=bool(raw.get("must_be_true", False)),
        must_be_true_when=_condition(raw.get("must_be_true_when")), error=raw.get("error", ""), lines=lines,
        width=WIDTHS[raw.get("width", "full")],
        options=tuple(Option(o["value"], o["label"], o.get("hint", ""), o.get("for_self", ""))
                      for o in raw.get("options") or ()),
        maxlength=int(raw.get("maxlength", MAX_LENGTHS.get(qtype, 0))), self_label=own.get("label", ""),
        self_hint=own.get("hint", ""), path=path, where=where_of(raw, shown),
    )


def build_form(form_id: str, raw: dict, shown: str) -> Form:
    """The typed form from its checked YAML (the schema has already passed)."""
    sections = []
    for s in raw["sections"]:
        group = s.get("group")
        repeat = None
        if s.get("repeat"):
            r = s["repeat"]
            repeat = Repeat(key=r["key"], item=r["item"], rows=r["rows"], more_rows=r.get("more_rows", 0),
                            min=r.get("min", 0), label=r.get("label", ""),
                            questions=tuple(_question(q, None, shown) for q in r["questions"]),
                            where=where_of(r, shown))
        sections.append(Section(
            id=s["id"], title=s["title"], intro=_paragraphs(s.get("intro")),
            questions=tuple(_question(q, group, shown) for q in s.get("questions") or ()), repeat=repeat,
            when=_condition(s.get("when")), when_text=s.get("when_text", ""),
            office_use=bool(s.get("office_use", False)), new_page=bool(s.get("new_page", False)),
            self_title=(s.get("for_self") or {}).get("title", ""), where=where_of(s, shown),
        ))
    return Form(id=form_id, title=raw["title"], kind=raw["kind"], audience=raw.get("audience", "resident"),
                summary=raw.get("summary", ""), intro=_paragraphs(raw.get("intro")), sections=tuple(sections),
                rules=tuple(_rule(r, shown) for r in raw.get("rules") or ()),
                self_applies=_condition(raw.get("self_applies")), minutes=int(raw.get("minutes", 0)),
                source=shown, declared_id=str(raw.get("id", "")), where=where_of(raw, shown))


def _rule(raw: dict, shown: str) -> Rule:
    def path(dotted: str) -> tuple[str, ...]:
        return tuple(dotted.split("."))
    return Rule(raw["message"], one_of=tuple(path(p) for p in raw.get("one_of") or ()),
                chosen=path(raw["chosen"]) if raw.get("chosen") else (),
                needs=tuple((str(value), path(p)) for value, p in (raw.get("needs") or {}).items()),
                where=where_of(raw, shown))


def _required_word(question: Question) -> str:
    if question.always_required:
        return "required"
    return "required in some cases" if question.required_when or question.must_be_true_when else "optional"


def questions_in_words(form: Form) -> dict[str, dict[str, Any]]:
    """Every answerable question of a form, in order: key -> its label, section, hint, need and options."""
    found: dict[str, dict[str, Any]] = {}
    for section in form.sections:
        groups = [("", section.questions)]
        if section.repeat is not None:
            groups.append((f"{section.repeat.key}.", section.repeat.questions))
        for prefix, questions in groups:
            for q in questions:
                if not q.is_field:
                    continue
                key = prefix + ".".join(str(p) for p in (q.path or (q.id,)))
                found[key] = {"label": q.label or q.id, "section": section.title, "hint": q.hint,
                              "required": _required_word(q), "options": tuple(o.label for o in q.options)}
    return found


@dataclass(frozen=True)
class FormText:
    """One piece of a form's wording, in reading order: what a committee approves of a form.

    `key` names what has a name (the title, a section, a question) so a reworded question is
    matched with itself; paragraphs have none and are matched by their words. `sources` are the
    template texts it is made of (a question's label, hint and choices); `required` is said after."""

    kind: str                  # "title", "introduction", "section", "question" or "paragraph"
    key: str | None
    sources: tuple[str, ...]
    required: str = ""
    line: int | None = None

    def compose(self, rendered: list[str]) -> str:
        """The words, from the rendered `sources`: 'Label. Hint. Choices: a; b. (required)'."""
        if self.kind != "question":
            return " ".join(" ".join(rendered).split())
        label, hint, *options = rendered + [""] * (2 - len(rendered))
        text = _then(label.strip(), hint.strip())
        if options:
            text = _then(text, "Choices: " + "; ".join(o.strip() for o in options))
        return " ".join(f"{text} ({self.required})".split())


def _then(text: str, more: str) -> str:
    """`text`, ended as a sentence, then `more` (nothing added when `more` is empty)."""
    if not more:
        return text
    return f"{text}{'' if text.endswith(('.', '?', '!', ':')) else '.'} {more}"


def form_wording(form: Form) -> list[FormText]:
    """Every piece of a form's wording a resident reads, in order."""
    out = [FormText("title", "title", (form.title,), line=form.where.line)]
    out += [FormText("introduction", None, (t,), line=form.where.line) for t in form.intro]
    for section in form.sections:
        if section.office_use:
            continue
        out.append(FormText("section", f"section:{section.id}", (section.title,), line=section.where.line))
        out += [FormText("introduction", None, (t,), line=section.where.line) for t in section.intro]
        groups = [("", section.questions)] + ([(f"{section.repeat.key}.", section.repeat.questions)]
                                              if section.repeat is not None else [])
        for prefix, questions in groups:
            for q in questions:
                if not q.is_field:
                    out += [FormText("paragraph", None, (t,), line=q.where.line) for t in q.text]
                    continue
                key = "question:" + prefix + ".".join(str(p) for p in (q.path or (q.id,)))
                sources = (q.label or q.id, q.hint) + tuple(o.label for o in q.options)
                out.append(FormText("question", key, sources, _required_word(q), q.where.line))
    return out
