"""Each generated page's own publication minute, as Kyiv's wall clock shows it.

The minutes are every minute of 2022-01-01 to 2025-10-26 except 03:00-03:59, the hour a clock
change skips or repeats, so each wall-clock time names exactly one instant. Page i takes slot
`offset + i * STRIDE` (the offset drawn from the seed; STRIDE a prime, so consecutive pages land far
apart and no two share a minute), except pages 0-3, which take the last minute before and the first
after the autumn 2024 and spring 2025 clock changes.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from datetime import time as clock
from functools import cache
from zoneinfo import ZoneInfo

KYIV = ZoneInfo("Europe/Kyiv")
FIRST_DAY = date(2022, 1, 1)
DAYS = (date(2025, 10, 27) - FIRST_DAY).days
MINUTES_A_DAY = 23 * 60
SLOTS = DAYS * MINUTES_A_DAY
STRIDE = 1_000_003
DST_PAGES = (
    datetime(2024, 10, 27, 2, 59),  # EEST, +03:00
    datetime(2024, 10, 27, 4, 0),  # EET, +02:00
    datetime(2025, 3, 30, 2, 59),  # EET, +02:00
    datetime(2025, 3, 30, 4, 0),  # EEST, +03:00
)


def _slot_of(wall: datetime) -> int:
    minute = wall.hour * 60 + wall.minute
    return (wall.date() - FIRST_DAY).days * MINUTES_A_DAY + (
        minute - 60 if minute >= 240 else minute
    )


def _wall_of(slot: int) -> datetime:
    day, minute = divmod(slot, MINUTES_A_DAY)
    minute += 60 if minute >= 180 else 0
    return datetime.combine(FIRST_DAY + timedelta(days=day), clock(minute // 60, minute % 60))


@cache
def _offset(seed: int) -> int:
    return random.Random(f"bench minutes {seed}").randrange(SLOTS)


@cache
def _slot_overrides(seed: int) -> dict[int, int]:
    """Pages whose minute differs from the plain stride: the DST pages, and the pages the stride
    would have given those minutes (they take the DST pages' own), so every page keeps its own."""
    offset = _offset(seed)
    inverse = pow(STRIDE, -1, SLOTS)
    fixed = {page: _slot_of(wall) for page, wall in enumerate(DST_PAGES)}
    freed = [s for p in fixed if (s := (offset + p * STRIDE) % SLOTS) not in fixed.values()]
    displaced = sorted(
        page
        for slot in fixed.values()
        if (page := (slot - offset) * inverse % SLOTS) >= len(DST_PAGES)
    )
    return fixed | dict(zip(displaced, freed, strict=True))


def kyiv_wall_clock(index: int, seed: int = 0) -> datetime:
    """Page `index`'s publication time as its date line shows it (naive Kyiv wall clock)."""
    slot = _slot_overrides(seed).get(index)
    if slot is None:
        slot = (_offset(seed) + index * STRIDE) % SLOTS
    return _wall_of(slot)
