"""Dates as the guidance counts them: calendar months, working days, and dates in words.

Calendar months clamp the month end (31 August minus six months is 28/29 February;
31 January plus one month is 28/29 February). A working day is Monday to Friday and not an
England bank holiday (the `holidays` package, so Easter and substitute days such as
"Boxing Day (observed)" are right for any year; england_calendar keeps its answer in the
build cache). One place, so the validator, the letters, the register's due dates and the
statistics count the same way.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice

from dateutil.relativedelta import relativedelta

from .england_calendar import bank_holidays


def months_before(day: dt.date, months: int) -> dt.date:
    """`day` minus calendar months, clamping the month end (31 Aug - 6 → 28/29 Feb); at worst the first date."""
    try:
        return day - relativedelta(months=months)
    except (OverflowError, ValueError):
        return dt.date.min


def months_after(day: dt.date, months: int) -> dt.date:
    """`day` plus calendar months, clamping the month end (31 Jan + 1 → 28/29 Feb); at worst the last date."""
    try:
        return day + relativedelta(months=months)
    except (OverflowError, ValueError):
        return dt.date.max


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _weekday_holiday_set(day.year)


def bank_holiday_name(day: dt.date) -> str | None:
    return bank_holidays(day.year).get(day)


def working_days_after(start: dt.date) -> Iterator[dt.date]:
    """The working days after `start`, in order (start itself never counts)."""
    day = start
    while day < dt.date.max:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            yield day


@lru_cache(maxsize=65536)
def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start`; `start` itself for 0 days."""
    return next(islice(working_days_after(start), days - 1, None)) if days > 0 else start


@lru_cache(maxsize=None)
def _weekday_holidays(year: int) -> tuple[dt.date, ...]:
    """The England bank holidays of a year that fall on a weekday (substitute days included)."""
    return tuple(sorted(d for d in bank_holidays(year) if d.weekday() < 5))


@lru_cache(maxsize=None)
def _weekday_holiday_set(year: int) -> frozenset[dt.date]:
    return frozenset(_weekday_holidays(year))


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is earlier.

    Counted by whole weeks and each year's bank holidays, not day by day: a register of old
    cases asks this for spans of years, once per case."""
    if end < start:
        return -working_days_between(end, start)
    weeks, rest = divmod((end - start).days, 7)
    weekdays = weeks * 5 + sum(1 for n in range(1, rest + 1) if (start + dt.timedelta(days=n)).weekday() < 5)
    off = sum(1 for year in range(start.year, end.year + 1) for d in _weekday_holidays(year) if start < d <= end)
    return weekdays - off


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


def weekday_date(value: dt.date | None) -> str:
    """2026-12-01 → 'Tuesday 1 December 2026'."""
    return "date not known" if value is None else f"{value:%A} {longdate(value)}"
