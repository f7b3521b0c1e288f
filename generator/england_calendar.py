"""England's bank holidays, from the `holidays` package, worked out once and kept in the build cache.

`holidays` is the one source of the days (Easter, substitute days such as "Boxing Day (observed)",
one-off days such as a coronation); nothing here is written by hand. But asking it for the United
Kingdom imports its calendars of every country, about 280 modules: most of a short command's start
(`ctkit validate` of one file). So the days of England for SPAN are asked for once, stored in the
cache folder under a key of the installed `holidays` release (calendar/england-<key>.json), and
read from there by later runs, which never import the package. A year outside SPAN is asked for
when it is needed, and an upgrade of `holidays` (a new one-off bank holiday) is a new key.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib.machinery
import json
from functools import lru_cache
from pathlib import Path

from .build_cache import active
from .lazy_modules import lazy

holidays = lazy("holidays")

#: The years worked out at once, on the first run: every date a case register or an application is
#: likely to hold, and some way beyond.
SPAN = range(1990, 2061)


def _release_key() -> str:
    """The installed `holidays` release, told without importing it: its version file's size and time."""
    spec = importlib.machinery.PathFinder.find_spec("holidays")   # not importlib.util's: that would run it
    version = Path(spec.origin).with_name("version.py") if spec and spec.origin else None
    stat = version.stat() if version is not None else None
    mark = f"{spec.origin if spec else ''}:{stat.st_size if stat else ''}:{stat.st_mtime_ns if stat else ''}"
    return hashlib.sha256(mark.encode()).hexdigest()[:24]


def _ask_holidays(years: range | list[int]) -> dict[int, dict[dt.date, str]]:
    """The package's answer: each year's bank holidays in England, by day, with their names."""
    days = holidays.country_holidays("GB", subdiv="ENG", years=list(years))
    out: dict[int, dict[dt.date, str]] = {year: {} for year in years}
    for day, name in sorted(days.items()):
        out.setdefault(day.year, {})[day] = name
    return out


def _read(data: bytes) -> dict[int, dict[dt.date, str]] | None:
    try:
        stored = json.loads(data)
        return {int(year): {dt.date.fromisoformat(day): str(name) for day, name in days.items()}
                for year, days in stored["years"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None   # not a calendar this kit wrote: worked out again


def _written(years: dict[int, dict[dt.date, str]]) -> bytes:
    return json.dumps({"years": {str(year): {day.isoformat(): name for day, name in sorted(days.items())}
                                 for year, days in sorted(years.items())}}, indent=0).encode()


@lru_cache(maxsize=1)
def _calendar() -> dict[int, dict[dt.date, str]]:
    """Every year known so far (SPAN at least), from the cache when it holds them."""
    key = f"england-{_release_key()}"
    found = active().get("calendar", key, ".json")
    years = _read(found) if found is not None else None
    if years is None or not all(year in years for year in SPAN):
        years = _ask_holidays(SPAN)
        active().put("calendar", key, _written(years), ".json")
    return years


def bank_holidays(year: int) -> dict[dt.date, str]:
    """England's bank holidays in `year` (substitute days included), by day, with their names."""
    known = _calendar()
    if year not in known:   # far from today: asked for when needed, and kept for this run
        known.update(_ask_holidays([year]))
    return known[year]
