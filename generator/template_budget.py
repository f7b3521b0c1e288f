"""A budget on the work one template may do: loop steps, the size of what it makes, and time.

Jinja's sandbox stops a template reaching into Python, but not one that never ends: it caps a
single `range()`, not two loops inside each other, and `{{ 7**(10**9) }}` or a string doubled
forty times runs until the machine gives up. Pages are written by editors, so `ctkit check`,
`build` and `serve` must come back with a sentence instead. Each render gets a fresh `Budget`:

- every step of every `{% for %}` loop, every call and every filter counts against one limit
  for the whole page, however the loops are nested;
- a number may not grow past `MAX_DIGITS` digits, nor text or a list past `MAX_ITEMS`
  characters or items; sizes are worked out *before* `*` and `**` run, so nothing huge is
  ever built;
- the whole render has `MAX_SECONDS`.

Going over raises `TemplateTooCostly`; `template_errors` turns it into a sentence on the
page's real line. The kit's own templates (site pages, charts) run under the same budget,
far inside it.
"""
from __future__ import annotations

import contextvars
import re
import time
from typing import Any, Callable

from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_STEPS = 100_000          # loop steps, calls and filters in one render (real pages use a few hundred)
MAX_ITEMS = 200_000          # characters in a piece of text, or items in a list (the largest made is 18,000)
MAX_DIGITS = 15              # digits in a whole number (counts and days need three)
MAX_SECONDS = 5.0            # a page renders in milliseconds; a busy machine is still far inside this
_MAX_NUMBER = 10 ** MAX_DIGITS

#: Filters the kit adds to every template's parse tree (see BudgetedSandbox._parse).
STEPS_FILTER = "ctkit_loop_steps"
SIZE_FILTER = "ctkit_size"


class TemplateTooCostly(Exception):
    """A template went over its budget; the message says how, in an editor's words."""


class Budget:
    """What one render has used so far."""

    def __init__(self) -> None:
        self.steps = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TemplateTooCostly(f"this template repeats too much work (more than {MAX_STEPS:,} loop steps, "
                                    "calls and filters in one page; are two loops nested inside each other?)")
        if time.monotonic() > self.deadline:
            raise TemplateTooCostly(f"this template takes too long (more than {MAX_SECONDS:g} seconds for one "
                                    "page); look for a loop that never ends")


_CURRENT: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("ctkit_template_budget", default=None)


def current() -> Budget:
    """The budget of the render under way (a fresh one when code renders outside `render`)."""
    return _CURRENT.get() or Budget()


def _too_big_number() -> TemplateTooCostly:
    return TemplateTooCostly(f"this template makes a number with more than {MAX_DIGITS} digits; the numbers in "
                             "guidance are counts, days and years")


def _too_long() -> TemplateTooCostly:
    return TemplateTooCostly(f"this template makes text or a list longer than {MAX_ITEMS:,} characters or items")


def check_size(value: Any) -> Any:
    """`value` if it is within the limits; raise TemplateTooCostly otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) >= _MAX_NUMBER:
        raise _too_big_number()
    if isinstance(value, (str, bytes, list, tuple, dict, set)) and len(value) > MAX_ITEMS:
        raise _too_long()
    return value


def _check_arguments(args: tuple, kwargs: dict) -> None:
    """A width, a count or a repeat given to a call or filter must be a size text can have."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ITEMS:
            raise TemplateTooCostly(f"this template asks for a size of {value:,}, more than the {MAX_ITEMS:,} "
                                    "characters or items any page needs")


_WIDE_FORMAT = re.compile(r"\d{7,}")   # a width or precision of a million characters or more


def _joined_size(items: Any, separator: Any = "") -> int:
    if not isinstance(items, (list, tuple, str)):
        return 0
    return sum(len(x) if isinstance(x, str) else 24 for x in items) + len(str(separator)) * len(items)


def _replaced_size(text: Any, old: Any, new: Any) -> int:
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return 0
    return len(text) + (text.count(old) if old else len(text) + 1) * max(len(new) - len(old), 0)


def _check_making(kind: str, subject: Any, args: tuple) -> None:
    """Text that one step could make huge (a join, a replace, a format width): measured before it is made."""
    if kind == "join":
        size = _joined_size(subject, args[0] if args else "")
    elif kind == "replace" and len(args) >= 2:
        size = _replaced_size(subject, args[0], args[1])
    elif kind in ("format", "format_map", "%") and isinstance(subject, str) and _WIDE_FORMAT.search(subject):
        size = MAX_ITEMS + 1
    elif kind in ("indent", "expandtabs") and isinstance(subject, str):
        width = next((a for a in args if isinstance(a, int)), 8 if kind == "expandtabs" else 4)
        size = len(subject) + width * (subject.count("\t" if kind == "expandtabs" else "\n") + 1)
    elif kind == "sum" and isinstance(subject, (list, tuple)):
        size = sum(len(x) for x in subject if isinstance(x, (list, tuple, str)))
    else:
        return
    if size > MAX_ITEMS:
        raise _too_long()


def _sized(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


def _check_before(operator: str, left: Any, right: Any) -> None:
    """Refuse `*` and `**` whose result would be too big, before Python builds it."""
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right))
    if operator == "**" and ints and right > 0 and abs(left) > 1:
        if right * (abs(left).bit_length() - 1) > _MAX_NUMBER.bit_length():
            raise _too_big_number()
    if operator == "*":
        if ints and abs(left).bit_length() + abs(right).bit_length() > _MAX_NUMBER.bit_length() + 1:
            raise _too_big_number()
        for seq, times in ((left, right), (right, left)):
            size = _sized(seq)
            if size is not None and isinstance(times, int) and size * max(times, 0) > MAX_ITEMS:
                raise _too_long()


def _loop_steps(iterable: Any):
    """Every `{% for %}` iterates through this: each step counts against the page's budget."""
    budget = current()
    for item in iterable:
        budget.step()
        yield item


def _guarded(name: str, function: Callable) -> Callable:
    """A filter that counts as a step, refuses huge sizes asked of it, and checks what it makes."""
    if name in (STEPS_FILTER, SIZE_FILTER):
        return function

    skip = 2 if getattr(function, "jinja_pass_arg", None) is not None else 1   # the context, then the value

    def guarded(*args: Any, **kwargs: Any) -> Any:
        current().step()
        _check_arguments(args[skip:], kwargs)
        if len(args) >= skip:
            _check_making(name, args[skip - 1], args[skip:])
        return check_size(function(*args, **kwargs))

    guarded.__dict__.update(getattr(function, "__dict__", {}))   # keeps Jinja's pass_context / pass_eval_context marks
    guarded.__name__ = getattr(function, "__name__", name)
    return guarded


def _filtered(node: nodes.Expr, name: str) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


class _GuardedFilters(dict):
    """The environment's filters; each is looked up through the budget (at render time, as Jinja does)."""

    def __getitem__(self, name: str) -> Callable:
        return _guarded(name, dict.__getitem__(self, name))

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in self else default


class BudgetedTemplate(ImmutableSandboxedEnvironment.template_class):
    """A template whose every render starts a fresh budget."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        token = _CURRENT.set(Budget())
        try:
            return super().render(*args, **kwargs)
        finally:
            _CURRENT.reset(token)


class BudgetedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with a budget on the work a template may do."""

    intercepted_binops = frozenset({"*", "**", "+", "-", "%", "//"})
    template_class = BudgetedTemplate

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = _GuardedFilters(self.filters)
        self.filters[STEPS_FILTER] = _loop_steps
        self.filters[SIZE_FILTER] = check_size

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The parse tree, with every loop's items counted and every `~` join measured."""
        tree = super()._parse(source, name, filename)
        for loop in list(tree.find_all(nodes.For)):
            loop.iter = _filtered(loop.iter, STEPS_FILTER)
        for parent in [tree, *tree.find_all(nodes.Node)]:
            for field, value in parent.iter_fields():
                if isinstance(value, nodes.Concat):
                    setattr(parent, field, _filtered(value, SIZE_FILTER))
                elif isinstance(value, list) and any(isinstance(v, nodes.Concat) for v in value):
                    value[:] = [_filtered(v, SIZE_FILTER) if isinstance(v, nodes.Concat) else v for v in value]
        tree.set_environment(self)
        return tree

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's names
        current().step()
        _check_arguments(args, {k: v for k, v in kwargs.items() if not k.startswith("_")})
        method = getattr(__obj, "__wrapped__", __obj)   # the sandbox wraps str.format
        text = getattr(method, "__self__", None)
        if isinstance(text, str):   # a method of text: 'x'.join(…), .replace(…), .format(…)
            name = getattr(method, "__name__", "")
            _check_making(name, args[0] if name == "join" and args else text, (text,) if name == "join" else args)
        return check_size(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        current().step()
        _check_before(operator, left, right)
        if operator == "%":
            _check_making("%", left, ())
        return check_size(super().call_binop(context, operator, left, right))
