"""Checks across one form definition that no JSON Schema can make.

Each returns located `Problem`s (`forms/<id>.yml:line: sentence`), collected, never raised:
an answer asked twice, a condition naming a question or option that does not exist, a row
name without its number, a template name that does not exist.
"""
from __future__ import annotations

from typing import Iterator

from ..errors import Problem, Where
from ..model import Form, Guidance, Question
from ..templating import context_for, render_text


def check_forms(guidance: Guidance) -> list[Problem]:
    """What no schema can see: ids unique, conditions naming real questions, text that renders."""
    problems: list[Problem] = []
    for form_id, form in sorted(guidance.forms.items()):
        shown = form.source
        if form.declared_id != form_id:
            problems.append(form.where.problem(f"the id '{form.declared_id}' must match the file name '{form_id}'",
                                               "id"))
        seen: dict[tuple, int | None] = {}
        section_ids: set[str] = set()
        for section in form.sections:
            if section.id in section_ids:
                problems.append(section.where.problem(f"the section id '{section.id}' is used twice", "id"))
            section_ids.add(section.id)
            if not section.questions and section.repeat is None:
                problems.append(section.where.problem(f"the section '{section.id}' has no questions"))
            if section.when is not None and not section.when_text:
                problems.append(section.where.problem(
                    "a section shown only sometimes needs 'when_text' saying when, in words", "when"))
            for q in section.questions:
                problems += _check_question(q, shown, q.where.line, in_repeat=False)
                if q.is_field:
                    if q.path in seen:
                        problems.append(q.where.problem(f"the answer '{'.'.join(q.path)}' is asked twice "
                                                        f"(first on line {seen[q.path]})", "id"))
                    seen[q.path] = q.where.line
            if section.repeat is not None:
                r = section.repeat
                if (r.key,) in seen:
                    problems.append(r.where.problem(f"the answer '{r.key}' is asked twice", "key"))
                seen[(r.key,)] = r.where.line
                if "{n}" not in r.item:
                    problems.append(r.where.problem(
                        "the row's name needs {n} where its number goes, e.g. 'incident {n}'", "item"))
                if r.min > r.capacity:
                    problems.append(r.where.problem(
                        f"at least {r.min} rows are required but the form has only {r.capacity}", "min"))
                ids: set[str] = set()
                for q in r.questions:
                    problems += _check_question(q, shown, q.where.line, in_repeat=True)
                    if q.id in ids:
                        problems.append(q.where.problem(f"the answer '{q.id}' is asked twice in one row"))
                    ids.add(q.id)
        problems += _check_references(form, seen)
        problems += _check_text_renders(form, guidance)
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


def _check_references(form: Form, seen: dict) -> list[Problem]:
    out = []
    known = set(seen)
    for section in form.sections:
        conds: list[tuple] = [(section.when, section.where.line_of("when"))]
        conds += [(c, q.where.line) for q in section.questions for c in (q.required_when, q.must_be_true_when)]
        out += _check_conditions(form, known, conds)
    if form.self_applies is not None:
        conds_self = [(form.self_applies, form.where.line_of("self_applies"))]
        out += _check_conditions(form, known, conds_self)
    for rule in form.rules:
        named = list(rule.one_of) + ([rule.chosen] if rule.chosen else []) + [p for _v, p in rule.needs]
        for path in named:
            if path not in known:
                out.append(rule.where.problem(f"the rule names '{'.'.join(path)}', which is not a question on this form"))
        if bool(rule.one_of) == bool(rule.chosen):
            out.append(rule.where.problem("a rule needs either 'one_of' (answers of which one is enough) or "
                                          "'chosen' with 'needs' (the answer each choice needs)"))
        chosen = form.question_at(rule.chosen) if rule.chosen else None
        if chosen is not None:
            values = {o.value for o in chosen.options}
            bad = [v for v, _p in rule.needs if v not in values]
            if bad:
                out.append(rule.where.problem(f"the rule's 'needs' names {', '.join(bad)}, which is not an option of "
                                              f"'{'.'.join(rule.chosen)}'"))
    return out


def _check_conditions(form: Form, known: set, conds: list[tuple]) -> list[Problem]:
    """Each condition names a question of the form, and only options that question has."""
    out = []
    for cond, line in conds:
        if cond is None:
            continue
        if cond.question not in known:
            out.append(Problem(form.source, line, f"the condition names '{'.'.join(cond.question)}', "
                                                  "which is not a question on this form"))
            continue
        target = form.question_at(cond.question)
        if target is not None and target.options:
            values = {o.value for o in target.options}
            bad = [v for v in cond.values if v not in values]
            if bad:
                out.append(Problem(form.source, line, f"the condition expects {', '.join(map(str, bad))}, which "
                                                      f"is not an option of '{'.'.join(cond.question)}'"))
    return out


def _check_text_renders(form: Form, guidance: Guidance) -> list[Problem]:
    """Every template in the form renders with the guidance names, reported at the line that holds it."""
    context = context_for(guidance)
    out: list[Problem] = []
    done: set[str] = set()
    for text, where in _all_text(form):
        if text in done or not ("{{" in text or "{%" in text):
            continue
        done.add(text)
        _, problems = render_text(text, context, form.source, where.line or 1)
        out += problems
    return out


def _all_text(form: Form) -> Iterator[tuple[str, Where]]:
    """Every piece of wording in the form, with where it is written."""
    yield form.title, form.where
    yield from ((t, form.where) for t in form.intro)
    for section in form.sections:
        yield section.title, section.where
        yield from ((t, section.where) for t in section.intro)
        if section.when_text:
            yield section.when_text, section.where
        qs = list(section.questions) + (list(section.repeat.questions) if section.repeat else [])
        for q in qs:
            yield from ((t, q.where) for t in (q.label, q.hint, q.name, q.error) if t)
            yield from ((t, q.where) for t in q.text)
            for o in q.options:
                yield o.label, q.where
                if o.hint:
                    yield o.hint, q.where
    for rule in form.rules:
        yield rule.message, rule.where
    for section in form.sections:
        if section.self_title:
            yield section.self_title, section.where
        qs = list(section.questions) + (list(section.repeat.questions) if section.repeat else [])
        for q in qs:
            yield from ((t, q.where) for t in (q.self_label, q.self_hint) if t)
            yield from ((o.self_label, q.where) for o in q.options if o.self_label)
