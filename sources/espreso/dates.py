"""Kyiv wall-clock dates as the site prints them, turned into exact UTC instants."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from sources.months import ENGLISH, UKRAINIAN_GENITIVE

KYIV = ZoneInfo("Europe/Kyiv")

# English (global.espreso.tv) and Ukrainian genitive (espreso.tv), lowercase.
MONTHS: dict[str, int] = {
    name.lower(): number
    for names in (ENGLISH, UKRAINIAN_GENITIVE)
    for number, name in enumerate(names, start=1)
}

_DAY_MONTH = re.compile(r"(\d{1,2})\s+([^\W\d_]+)", re.UNICODE)
_YEAR = re.compile(r"(\d{4})")
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def parse_day_month(text: str) -> tuple[int, int] | None:
    """`14 грудня` / `27 October` (anywhere in the text) → (day, month), or None."""
    for match in _DAY_MONTH.finditer(text):
        month = MONTHS.get(match.group(2).lower())
        if month is not None:
            return int(match.group(1)), month
    return None


def parse_year(text: str) -> int | None:
    """The first four-digit year in `2025, Monday` or `27 October, 2025 Monday`."""
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def parse_date_line(text: str) -> date | None:
    """An article date line, `27 October, 2025 Monday` or `14 грудня, 2025 неділя`."""
    day_month = parse_day_month(text)
    year = parse_year(text)
    if day_month is None or year is None:
        return None
    try:
        return date(year, day_month[1], day_month[0])
    except ValueError:
        return None


# A feed row's clock and instant are read again on every page that lists the row: parse them once.
@lru_cache(maxsize=4096)
def parse_clock(text: str) -> time | None:
    """`00:25` → time(0, 25); anything else → None."""
    match = _TIME.match(text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


@lru_cache(maxsize=4096)
def kyiv_to_utc(day: date, clock: time) -> datetime:
    """Kyiv wall-clock → aware UTC instant.

    An ambiguous autumn hour (03:00-03:59 on the last Sunday of October) is read as the first
    occurrence (summer time, fold=0); a skipped spring hour is read with the pre-change offset,
    which is what `zoneinfo` does for fold=0.
    """
    return datetime.combine(day, clock, tzinfo=KYIV).astimezone(UTC)
