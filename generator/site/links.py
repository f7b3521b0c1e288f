"""Phone numbers that a phone can dial: the model's numbers, wherever they appear as plain text.

Pages written for the site link their numbers themselves (`[{{ n }}]({{ n | tel }})`); the form
pages quote the forms' own wording, written for paper, so their numbers are linked here. Only
numbers the model knows are linked, and never inside a link, a tag or code that is already there.
"""
from __future__ import annotations

import re

from ..model import Guidance
from ..templating import tel

#: What must be left alone: a Markdown link, an HTML link with its text, an HTML tag, inline code.
_SKIP = re.compile(r"\[[^\]\n]*\]\([^)\n]*\)|<a\b[^>\n]*>[^<\n]*</a>|<[^>\n]*>|`[^`\n]*`")


def known_numbers(guidance: Guidance) -> list[str]:
    """Every phone number in the councils' files and organisations.yml, longest first."""
    numbers = {c.spoc.phone for c in guidance.councils.values()}
    numbers |= {c.accessibility_contact.phone for c in guidance.councils.values()
                if c.accessibility_contact and c.accessibility_contact.phone}
    numbers |= {str(o["phone"]) for o in guidance.organisations.values() if isinstance(o, dict) and o.get("phone")}
    return sorted(numbers, key=len, reverse=True)


def link_phone_numbers(markdown: str, numbers: list[str]) -> str:
    if not numbers:
        return markdown
    number = re.compile(r"(?<![\d+])(" + "|".join(re.escape(n) for n in numbers) + r")(?!\d)")
    out, last = [], 0
    for skip in _SKIP.finditer(markdown):
        out.append(number.sub(lambda m: f"[{m[1]}]({tel(m[1])})", markdown[last:skip.start()]))
        out.append(skip.group(0))
        last = skip.end()
    out.append(number.sub(lambda m: f"[{m[1]}]({tel(m[1])})", markdown[last:]))
    return "".join(out)
