"""Kyiv wall-clock → UTC, on both sides of both DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from sources.espreso.dates import kyiv_to_utc, parse_clock, parse_date_line


@pytest.mark.parametrize(
    ("day", "clock", "utc"),
    [
        # Spring 2025: 30 March 03:00 +02:00 → 04:00 +03:00.
        (date(2025, 3, 30), time(2, 59), datetime(2025, 3, 30, 0, 59, tzinfo=UTC)),
        (date(2025, 3, 30), time(4, 0), datetime(2025, 3, 30, 1, 0, tzinfo=UTC)),
        (date(2025, 3, 29), time(23, 30), datetime(2025, 3, 29, 21, 30, tzinfo=UTC)),
        # Autumn 2025: 26 October 04:00 +03:00 → 03:00 +02:00.
        (date(2025, 10, 26), time(2, 30), datetime(2025, 10, 25, 23, 30, tzinfo=UTC)),
        (date(2025, 10, 26), time(4, 0), datetime(2025, 10, 26, 2, 0, tzinfo=UTC)),
        (date(2025, 10, 27), time(0, 0), datetime(2025, 10, 26, 22, 0, tzinfo=UTC)),
        # The ambiguous hour is read as its first (summer) occurrence.
        (date(2025, 10, 26), time(3, 30), datetime(2025, 10, 26, 0, 30, tzinfo=UTC)),
        # The real captures.
        (date(2025, 12, 14), time(0, 25), datetime(2025, 12, 13, 22, 25, tzinfo=UTC)),
        (date(2025, 9, 14), time(6, 9), datetime(2025, 9, 14, 3, 9, tzinfo=UTC)),
    ],
)
def test_kyiv_to_utc(day: date, clock: time, utc: datetime) -> None:
    assert kyiv_to_utc(day, clock) == utc


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (" 14 грудня, 2025 неділя ", date(2025, 12, 14)),
        (" 14 вересня, 2025 неділя ", date(2025, 9, 14)),
        ("30 January, 2026 Friday", date(2026, 1, 30)),
        (" 27 October, 2025 Monday ", date(2025, 10, 27)),
        ("31 February, 2025 Friday", None),
        ("Monday", None),
        ("", None),
    ],
)
def test_parse_date_line(line: str, expected: date | None) -> None:
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [(" 00:25 ", time(0, 25)), ("19:51", time(19, 51)), ("24:00", None), ("7", None)],
)
def test_parse_clock(text: str, expected: time | None) -> None:
    assert parse_clock(text) == expected
