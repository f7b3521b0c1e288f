"""The names a template text uses, and their values: all that a rendered text depends on besides itself.

A page, a form's wording or a letter names values with `{{ council.spoc.phone }}` and
`{% if guidance is at_least("2.1") %}`. What it renders to is fixed by its own text and the
values of the top-level names it uses (council, guidance, rule, …), so a cache can key a rendered
text, or a PDF drawn from such texts, on just those: a change to one council's file then redraws
that council's forms, not every council's. `names_used` errs on the side of more: every word
inside `{{ … }}` and `{% … %}` counts, an attribute (`.phone`) or a loop's own name included, so a
name the text uses is never left out of a key.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

_TEMPLATE_PART = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@lru_cache(maxsize=4096)
def names_used(text: str) -> frozenset[str]:
    """Every word inside the template parts of `text` (a superset of the top-level names it uses)."""
    return frozenset(word for part in _TEMPLATE_PART.findall(text) for word in _WORD.findall(part))


def values_used(context: Mapping[str, Any], texts: Iterable[str], always: Iterable[str] = ()) -> dict[str, Any]:
    """The context's values that `texts` name (and those named in `always`, which code reads directly),
    by name: with the texts themselves, what their renderings depend on."""
    wanted = set(always).union(*(names_used(t) for t in texts))
    return {name: context[name] for name in sorted(wanted) if name in context}
