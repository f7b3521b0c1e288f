"""Jinja2 templating of guidance text: one environment, one context, located errors.

Pages, PDFs and letters all take their figures from `context_for(...)`, so a number
typed once in YAML appears everywhere. Values are HTML-escaped (autoescape) because the
rendered Markdown becomes HTML.
"""
from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import jinja2
from jinja2 import nodes

from .errors import Problem
from .model import Council, Guidance, Version

TEMPLATE_NAME = "<guidance page>"


def months(n: int) -> str:
    """6 → '6 months'; 1 → '1 month'."""
    return f"{n} month" if n == 1 else f"{n} months"


def working_days(n: int) -> str:
    """5 → '5 working days'."""
    return f"{n} working day" if n == 1 else f"{n} working days"


def longdate(value: dt.date | None) -> str:
    """2020-09-24 → '24 September 2020' (GOV.UK style); None → 'date not recorded'."""
    if value is None:
        return "date not recorded"
    return f"{value.day} {value:%B %Y}"


def make_env(undefined: type[jinja2.Undefined] = jinja2.StrictUndefined) -> jinja2.Environment:
    # No trim_blocks/lstrip_blocks: a tag ending a line must keep its line break, and a tag
    # opening an indented admonition line must keep its indent. Blank lines are harmless in Markdown.
    env = jinja2.Environment(autoescape=True, undefined=undefined, keep_trailing_newline=True)
    env.filters.update(months=months, working_days=working_days, longdate=longdate)
    return env


def context_for(guidance: Guidance, council: Council | None = None, version: Version | None = None) -> dict[str, Any]:
    """The names every template may use (documented in CONTRIBUTING.md)."""
    version = version or guidance.current()
    council = council or guidance.county
    return {
        "guidance": version,
        "versions": guidance.versions,
        "criteria": guidance.criteria_for(version),
        "all_criteria": guidance.criteria,
        "council": council,
        "councils": guidance.spoc_councils,
        "county": guidance.county,
        "org": guidance.organisations,
        "monitoring": guidance.monitoring,
        "forms": guidance.forms,
    }


class _RecordingUndefined(jinja2.ChainableUndefined):
    """Collects each undefined name with its template line instead of failing at the first."""

    found: list[tuple[int, str]] = []
    template: jinja2.Template | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename != TEMPLATE_NAME:
            frame = frame.f_back
        line = 0
        if frame is not None and self.template is not None:
            line = self.template.get_corresponding_lineno(frame.f_lineno)
        if self._undefined_name is not None:
            type(self).found.append((line, str(self._undefined_name)))


def _dotted_names(source: str, env: jinja2.Environment) -> dict[tuple[int, str], str]:
    """Map (line, last name) to the full dotted expression, for readable messages."""
    out: dict[tuple[int, str], str] = {}

    def dotted(node: nodes.Node) -> str | None:
        if isinstance(node, nodes.Name):
            return node.name
        if isinstance(node, nodes.Getattr):
            base = dotted(node.node)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            base = dotted(node.node)
            return f"{base}[{node.arg.value!r}]" if base else None
        return None

    for node in env.parse(source).find_all((nodes.Name, nodes.Getattr, nodes.Getitem)):
        name = dotted(node)
        if not name:
            continue
        last = node.name if isinstance(node, nodes.Name) else (
            node.attr if isinstance(node, nodes.Getattr) else str(getattr(node.arg, "value", "")))
        out.setdefault((node.lineno, last), name)
    return out


def render_text(source: str, context: dict[str, Any], shown: str, first_line: int = 1) -> tuple[str | None, list[Problem]]:
    """Render template text; on failure return every problem located at its file line."""
    env = make_env()

    def at(line: int | None) -> int:
        return first_line + (line or 1) - 1

    try:
        template = env.from_string(source)
        template.filename = TEMPLATE_NAME
        return template.render(context), []
    except jinja2.TemplateSyntaxError as exc:
        return None, [Problem(shown, at(exc.lineno), f"template error: {exc.message}")]
    except jinja2.UndefinedError:
        pass  # find them all, with lines, below
    except Exception as exc:  # a filter given the wrong kind of value, and the like
        return None, [Problem(shown, first_line, f"template error: {exc}")]

    problems = _undefined_names(source, context, shown, at)
    return None, problems or [Problem(shown, first_line, "template error: a name used here does not exist")]


def _undefined_names(source: str, context: dict[str, Any], shown: str, at) -> list[Problem]:
    class Recorder(_RecordingUndefined):
        found: list[tuple[int, str]] = []

    env = make_env(Recorder)
    code = env.compile(source, filename=TEMPLATE_NAME)
    template = env.template_class.from_code(env, code, env.make_globals(None), None)
    Recorder.template = template
    try:
        template.render(context)
    except Exception:  # noqa: BLE001 - a later error after an undefined one; the names found so far stand
        pass
    names = _dotted_names(source, env)
    problems = []
    for line, name in dict.fromkeys(Recorder.found):
        full = names.get((line, name), name)
        problems.append(Problem(shown, at(line),
                                f"the template variable '{full}' does not exist; see CONTRIBUTING.md for the names you can use"))
    return problems
