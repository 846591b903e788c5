"""`official_losses`: one row per day and category; `daily` only across two consecutive days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import polars as pl
from polars.testing import assert_frame_equal

from transforms.official_losses import CATEGORY_FIELDS, official_losses
from transforms.schemas import OFFICIAL_LOSSES

KYIV_SUMMER = timezone(timedelta(hours=3))
LOADED = datetime(2025, 7, 1, 9, 30, tzinfo=KYIV_SUMMER)  # 06:30 UTC
SOURCE = "petro-ivaniuk/2022-ukraine-russia-war-dataset"


def _expected(rows: list[tuple[date, str, int, int | None]], loaded: datetime) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "day": d,
                "category": c,
                "cumulative": n,
                "daily": k,
                "source": SOURCE,
                "loaded_at": loaded,
            }
            for d, c, n, k in rows
        ],
        schema=OFFICIAL_LOSSES,
    )


def test_daily_is_the_difference_from_the_day_before_and_null_across_a_gap() -> None:
    personnel = [
        {"date": "2022-02-25", "personnel": 2800},
        {"date": "2022-02-26", "personnel": 3000},
        # 2022-02-27 is missing: the 28th's difference would span two days.
        {"date": "2022-02-28", "personnel": 4500},
        {"date": "2022-03-01", "personnel": 5300},
    ]
    got = official_losses(personnel, [], SOURCE, LOADED)
    expected = _expected(
        [
            (date(2022, 2, 25), "personnel", 2800, None),
            (date(2022, 2, 26), "personnel", 3000, 200),
            (date(2022, 2, 28), "personnel", 4500, None),
            (date(2022, 3, 1), "personnel", 5300, 800),
        ],
        datetime(2025, 7, 1, 6, 30, tzinfo=UTC),
    )
    assert_frame_equal(got, expected)
    assert got.schema == OFFICIAL_LOSSES


def test_a_gap_is_per_category_and_the_files_join_by_day_in_any_order() -> None:
    personnel = [
        {"date": "2022-03-02", "personnel": 6000},
        {"date": "2022-03-01", "personnel": 5710},
    ]
    equipment = [
        {"date": "2022-03-01", "tank": 198, "drone": 7},
        # No drone figure this day: drone's next day has no difference, tank's has.
        {"date": "2022-03-02", "tank": 211, "drone": None},
        {"date": "2022-03-03", "tank": 217, "drone": 11},
    ]
    winter = datetime(2025, 1, 15, 8, 0, tzinfo=timezone(timedelta(hours=2)))  # Kyiv EET
    got = official_losses(personnel, equipment, SOURCE, winter)
    expected = _expected(
        [
            (date(2022, 3, 1), "drone", 7, None),
            (date(2022, 3, 3), "drone", 11, None),
            (date(2022, 3, 1), "personnel", 5710, None),
            (date(2022, 3, 2), "personnel", 6000, 290),
            (date(2022, 3, 1), "tank", 198, None),
            (date(2022, 3, 2), "tank", 211, 13),
            (date(2022, 3, 3), "tank", 217, 6),
        ],
        datetime(2025, 1, 15, 6, 0, tzinfo=UTC),
    )
    assert_frame_equal(got, expected)


def test_a_split_figure_is_summed_and_only_whole_numbers_count() -> None:
    equipment = [
        # Early days: army trucks and fuel tankers apart; later, one figure.
        {"date": "2022-02-25", "military auto": 100, "fuel tank": 60},
        {"date": "2022-02-26", "vehicles and fuel tanks": 200, "military auto": 1, "fuel tank": 1},
        {"date": "2022-02-27", "military auto": 130},  # half of a split figure: none
        {"date": "2022-02-28", "tank": True, "APC": "706", "MRL": 2.0, "aircraft": 29},
    ]
    got = official_losses([], equipment, SOURCE, LOADED)
    expected = _expected(
        [
            (date(2022, 2, 28), "aircraft", 29, None),
            (date(2022, 2, 25), "vehicle", 160, None),
            (date(2022, 2, 26), "vehicle", 200, 40),
        ],
        datetime(2025, 7, 1, 6, 30, tzinfo=UTC),
    )
    assert_frame_equal(got, expected)


def test_no_figures_give_an_empty_frame_of_the_contract() -> None:
    got = official_losses([{"date": "2022-02-25"}], [], SOURCE, LOADED)
    assert_frame_equal(got, pl.DataFrame(schema=OFFICIAL_LOSSES))


def test_every_category_reads_its_own_field() -> None:
    fields = {choices[0][0]: category for category, choices in CATEGORY_FIELDS.items()}
    day = {"date": "2024-10-27", **{field: i for i, field in enumerate(fields, start=1)}}
    got = official_losses([], [day], SOURCE, LOADED)
    assert dict(zip(got["category"], got["cumulative"], strict=True)) == {
        category: i for i, category in enumerate(fields.values(), start=1)
    }
    assert got.height == 16
