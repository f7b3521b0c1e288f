"""Turn what people type into canonical values: UK dates to ISO, times to HH:MM, ticks to booleans.

PDF readers disagree about ticked boxes (/Yes, /On, /1) and people type dates many ways
(3/1/26, 03-01-2026, 3 January 2026); the validator needs one form of each. A date that
cannot exist (31/02/2026) is returned as typed, so the validator can say what is wrong.
"""
from __future__ import annotations

import datetime as dt
import re

_MONTHS = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")], start=1) for name in names}

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})\s*[-/.\s]\s*(\d{1,2})\s*[-/.\s]\s*(\d{4}|\d{2})$")
_DAY_MONTH = re.compile(r"^(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+([a-z]+)\.?,?\s+(\d{4}|\d{2})$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_TIME = re.compile(r"^(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
_TIME_4 = re.compile(r"^(\d{2})(\d{2})$")

TRUE_WORDS = {"yes", "on", "1", "true", "x", "checked", "ticked"}


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def parse_date(text: str) -> str:
    """An ISO date for a UK day-first date; the text as typed when it is not a real date."""
    typed = text.strip()
    s = re.sub(r"\s+", " ", typed.lower())
    parts: tuple[int, int, int] | None = None
    if m := _ISO.match(s):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    elif m := _NUMERIC.match(s):
        parts = (_year(m[3]), int(m[2]), int(m[1]))
    elif (m := _DAY_MONTH.match(s)) and m[2] in _MONTHS:
        parts = (_year(m[3]), _MONTHS[m[2]], int(m[1]))
    elif (m := _MONTH_DAY.match(s)) and m[1] in _MONTHS:
        parts = (int(m[3]), _MONTHS[m[1]], int(m[2]))
    if parts is None:
        return typed
    try:
        return dt.date(*parts).isoformat()
    except ValueError:
        return typed


def parse_time(text: str) -> str:
    """'9.30pm' → '21:30', '0930' → '09:30'; the text as typed when it is not a time."""
    typed = text.strip()
    s = typed.lower().replace(" ", "")
    if m := _TIME_4.match(s):
        hour, minute, half = int(m[1]), int(m[2]), None
    elif m := _TIME.match(s):
        hour, minute, half = int(m[1]), int(m[2] or 0), (m[3] or "").replace(".", "") or None
        if m[2] is None and half is None:
            return typed  # a bare number is not clearly a time
    else:
        return typed
    if half:
        if not 1 <= hour <= 12:
            return typed
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return typed
    return f"{hour:02d}:{minute:02d}"


def uk_date(value: object) -> str:
    """A date for a field: ISO text or a date becomes day/month/year; anything else stays as it is."""
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    text = str(value)
    if m := re.match(r"^(\d{4})-(\d{2})-(\d{2})$", text):
        try:
            dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return text
        return f"{m[3]}/{m[2]}/{m[1]}"
    return text


def is_ticked(value: object, on_states: set[str] = frozenset()) -> bool:
    """Whether a checkbox value means ticked: /Yes, /On, /1, the field's own on-state; /Off or nothing is not."""
    if value is None:
        return False
    name = str(value).lstrip("/").strip()
    return name.lower() in TRUE_WORDS or (name in on_states and name.lower() != "off")
