"""Read what people type into canonical values, one way for every reader: dates, times, ticks.

Dates are ISO (YYYY-MM-DD) or the UK order (D/M/YYYY, with `/`, `.` or `-`), times H:MM or
HH:MM, years 1900 to 2999 (ARCHITECTURE.md "Dates and times"). The JSON and YAML reader, the PDF
reader, the command line's dates and, through `reading_export`, the online form and the date
checker in the browser all read with these. PDF readers disagree about ticked boxes (/Yes,
/On, /1); `is_ticked` reads them all.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

#: The one reading of dates and times (ARCHITECTURE.md "Dates and times"): the validator, the PDF reader,
#: the online form and the date checker all read with these, and the browser gets them as data
#: (`reading_export`), never typed a second time in JavaScript. Patterns are written so that
#: Python's `re` and JavaScript's RegExp read them the same way ([0-9], not \d, which is wider in
#: Python; text is trimmed before matching, as `$` differs at a final line break).
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
ISO_DATE = r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$"
UK_DATE = r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$"
TIME = r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$"
_ISO, _UK, _TIME = re.compile(ISO_DATE), re.compile(UK_DATE), re.compile(TIME)

#: What a person is told when a date or time cannot be read (never quoting what they typed).
NOT_A_DATE = "is not a date; write it as day/month/year, for example 27/3/2026 (or as 2026-03-27)."
NOT_REAL = "is not a real date (check the day and the month)."
YEAR_RANGE = f"is not a likely date (the year must be between {EARLIEST_YEAR} and {LATEST_YEAR})."
NOT_A_TIME = "should be a 24-hour time such as 21:30."

TRUE_WORDS = {"yes", "on", "1", "true", "x", "checked", "ticked"}


@dataclass(frozen=True)
class DateReading:
    """A date as read: the day, or None with `why` in words; `uk_order` when it was written day/month/year."""

    day: dt.date | None
    why: str | None = None
    uk_order: bool = False


def read_date(value: object) -> DateReading:
    """A date from a YAML date, ISO text or UK day/month/year text, within the years people mean."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        ok = EARLIEST_YEAR <= value.year <= LATEST_YEAR
        return DateReading(value if ok else None, None if ok else YEAR_RANGE)
    if not isinstance(value, str):
        return DateReading(None, NOT_A_DATE)
    text = value.strip()
    uk = False
    if m := _ISO.match(text):
        year, month, day = (int(x) for x in m.groups())
    elif m := _UK.match(text):
        day, month, year = (int(x) for x in m.groups())
        uk = True
    else:
        return DateReading(None, NOT_A_DATE)
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return DateReading(None, YEAR_RANGE, uk)
    try:
        return DateReading(dt.date(year, month, day), None, uk)
    except ValueError:
        return DateReading(None, NOT_REAL, uk)


def read_time(value: object) -> tuple[str | None, str | None]:
    """A 24-hour time as HH:MM from H:MM or HH:MM text; otherwise None and why, in words."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return f"{value // 60:02d}:{value % 60:02d}", None  # YAML 1.1 reads an unquoted 21:30 as 1290
    if isinstance(value, str) and (m := _TIME.match(value.strip())):
        return f"{int(m[1]):02d}:{m[2]}", None
    return None, NOT_A_TIME


def reading_export() -> dict[str, object]:
    """The reading table for the browser's scripts (judge.js, checker.js, apply-data.js)."""
    return {"years": [EARLIEST_YEAR, LATEST_YEAR], "iso_date": ISO_DATE, "uk_date": UK_DATE, "time": TIME}


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
