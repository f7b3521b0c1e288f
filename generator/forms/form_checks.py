"""Checks across one form definition that no JSON Schema can make.

Each returns located `Problem`s (`forms/<id>.yml:line: sentence`), collected, never raised:
an answer asked twice, a condition naming a question or option that does not exist, a row
name without its number, a template name that does not exist.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from ..errors import Problem
from ..sources import LineDict, LineList, line_at
from .model import Form, Question

if TYPE_CHECKING:
    from ..project import Project

def check_forms(project: "Project") -> list[Problem]:
    """What no schema can see: ids unique, conditions naming real questions, text that renders."""
    problems: list[Problem] = []
    guidance = project.guidance
    for form_id, form in sorted(guidance.forms.items()):
        shown = form.source
        raw = project.raw.get(shown)

        def at(*path: Any) -> int | None:
            return line_at(raw, list(path)) if raw is not None else None

        if raw is not None and raw.get("id") != form_id:
            problems.append(Problem(shown, at("id"), f"the id '{raw.get('id')}' must match the file name '{form_id}'"))
        seen: dict[tuple, int | None] = {}
        section_ids: set[str] = set()
        for si, section in enumerate(form.sections):
            if section.id in section_ids:
                problems.append(Problem(shown, at("sections", si, "id"), f"the section id '{section.id}' is used twice"))
            section_ids.add(section.id)
            if not section.questions and section.repeat is None:
                problems.append(Problem(shown, at("sections", si), f"the section '{section.id}' has no questions"))
            if section.when is not None and not section.when_text:
                problems.append(Problem(shown, at("sections", si, "when"),
                                        "a section shown only sometimes needs 'when_text' saying when, in words"))
            for qi, q in enumerate(section.questions):
                problems += _check_question(q, shown, at("sections", si, "questions", qi), in_repeat=False)
                if q.is_field:
                    if q.path in seen:
                        problems.append(Problem(shown, at("sections", si, "questions", qi, "id"),
                                                f"the answer '{'.'.join(q.path)}' is asked twice "
                                                f"(first on line {seen[q.path]})"))
                    seen[q.path] = at("sections", si, "questions", qi)
            if section.repeat is not None:
                r = section.repeat
                if (r.key,) in seen:
                    problems.append(Problem(shown, at("sections", si, "repeat", "key"), f"the answer '{r.key}' is asked twice"))
                seen[(r.key,)] = at("sections", si, "repeat")
                if "{n}" not in r.item:
                    problems.append(Problem(shown, at("sections", si, "repeat", "item"),
                                            "the row's name needs {n} where its number goes, e.g. 'incident {n}'"))
                if r.min > r.capacity:
                    problems.append(Problem(shown, at("sections", si, "repeat", "min"),
                                            f"at least {r.min} rows are required but the form has only {r.capacity}"))
                ids: set[str] = set()
                for qi, q in enumerate(r.questions):
                    where = at("sections", si, "repeat", "questions", qi)
                    problems += _check_question(q, shown, where, in_repeat=True)
                    if q.id in ids:
                        problems.append(Problem(shown, where, f"the answer '{q.id}' is asked twice in one row"))
                    ids.add(q.id)
        problems += _check_references(form, seen, shown, at)
        problems += _check_text_renders(form, guidance, shown, raw)
    return problems


def _check_question(q: Question, shown: str, line: int | None, in_repeat: bool) -> list[Problem]:
    out = []
    if q.is_field and not q.id:
        out.append(Problem(shown, line, f"a {q.type} question needs an 'id': the key its answer is stored under"))
    if q.is_field and not q.label:
        out.append(Problem(shown, line, f"the question '{q.id}' needs a 'label' a person can read"))
    if q.type == "paragraph" and not q.text:
        out.append(Problem(shown, line, "a paragraph needs 'text'"))
    if q.type in ("radio", "checkboxes") and not q.options:
        out.append(Problem(shown, line, f"the question '{q.id}' is a {q.type} list but has no 'options'"))
    if q.options and q.type not in ("radio", "checkboxes"):
        out.append(Problem(shown, line, f"the question '{q.id}' has options but is a {q.type} question"))
    if q.options and len({o.value for o in q.options}) != len(q.options):
        out.append(Problem(shown, line, f"the question '{q.id}' has two options with the same value"))
    if (q.must_be_true or q.must_be_true_when) and q.type != "checkbox":
        out.append(Problem(shown, line, f"'must_be_true' only applies to a checkbox, not to '{q.id}'"))
    if in_repeat and q.is_field and "{n}" not in (q.name or "{n}"):
        out.append(Problem(shown, line, f"the name of '{q.id}' needs {{n}} where the row number goes"))
    return out


def _check_references(form: Form, seen: dict, shown: str, at) -> list[Problem]:
    out = []
    known = set(seen)
    for si, section in enumerate(form.sections):
        conds = [(section.when, at("sections", si, "when"))]
        conds += [(c, at("sections", si, "questions", qi)) for qi, q in enumerate(section.questions)
                  for c in (q.required_when, q.must_be_true_when)]
        for cond, line in conds:
            if cond is None:
                continue
            if cond.question not in known:
                out.append(Problem(shown, line, f"the condition names '{'.'.join(cond.question)}', "
                                                "which is not a question on this form"))
                continue
            target = form.question_at(cond.question)
            if target is not None and target.options:
                values = {o.value for o in target.options}
                bad = [v for v in cond.values if v not in values]
                if bad:
                    out.append(Problem(shown, line, f"the condition expects {', '.join(map(str, bad))}, which is not "
                                                    f"an option of '{'.'.join(cond.question)}'"))
    for ri, rule in enumerate(form.rules):
        for path in rule.one_of:
            if path not in known:
                out.append(Problem(shown, at("rules", ri), f"the rule names '{'.'.join(path)}', "
                                                           "which is not a question on this form"))
    return out


def _check_text_renders(form: Form, guidance: Any, shown: str, raw: Any) -> list[Problem]:
    """Every template in the form renders with the guidance names (reported at the form's file)."""
    from ..templating import context_for, render_text
    context = context_for(guidance)
    out: list[Problem] = []
    for text in sorted(set(_all_text(form))):
        if "{{" in text or "{%" in text:
            _, problems = render_text(text, context, shown, _line_of_text(raw, text) or 1)
            out += problems
    return out


def _all_text(form: Form) -> Iterator[str]:
    yield form.title
    yield from form.intro
    for section in form.sections:
        yield section.title
        yield from section.intro
        qs = list(section.questions) + (list(section.repeat.questions) if section.repeat else [])
        for q in qs:
            yield from (t for t in (q.label, q.hint, q.name) if t)
            yield from q.text
            for o in q.options:
                yield o.label
                if o.hint:
                    yield o.hint


def _line_of_text(raw: Any, text: str) -> int | None:
    """The line of the YAML value equal to `text`, for locating a template error."""
    if isinstance(raw, LineDict):
        for key, value in raw.items():
            if value == text:
                return raw.line_of(key)
            found = _line_of_text(value, text)
            if found:
                return found
    elif isinstance(raw, LineList):
        for i, value in enumerate(raw):
            if value == text:
                return raw.line_of(i)
            found = _line_of_text(value, text)
            if found:
                return found
    return None
