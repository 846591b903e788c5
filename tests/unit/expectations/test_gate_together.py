"""Runs checked together (`Gate.run_together`): the parameters they share, and the facts about the
suites that make a run that passes together pass alone."""

from __future__ import annotations

from datetime import UTC, datetime

from expectations.gate import (
    PER_RUN_BOUND,
    PER_RUN_ROW_COUNT,
    ROW_COUNT,
    SUITES,
    gate_parameters,
    joint_groups,
    joint_parameters,
    most_rows,
    row_counts_hold,
    suite_json,
)

SITE = "https://global.espreso.tv"


def _uses(name: str) -> list[tuple[str, str, str]]:
    """(table, expectation type, argument) of every use of a `$PARAMETER` in the suites."""
    return [
        (table, expectation["type"], key)
        for table in SUITES
        for expectation in suite_json(table)["expectations"]
        for key, value in expectation.get("kwargs", {}).items()
        if value == {"$PARAMETER": name}
    ]


def test_the_per_run_parameters_are_an_upper_bound_and_a_least_row_count() -> None:
    # A stricter upper bound names every row the run's own names: the joint check may name more,
    # never fewer (those runs are checked again alone).
    assert {(kind, key) for _, kind, key in _uses(PER_RUN_BOUND)} == {
        ("expect_column_values_to_be_between", "max_value")
    }
    # The least row count is checked run by run (`row_counts_hold`), not on the runs together.
    assert _uses(PER_RUN_ROW_COUNT) == [
        ("feed_items", ROW_COUNT, "min_value"),
        ("feed_observations", ROW_COUNT, "min_value"),
    ]


def test_joint_parameters_take_the_earliest_bound_and_no_least_row_count() -> None:
    early = gate_parameters(SITE, datetime(2025, 11, 1, 1, tzinfo=UTC), 0)
    late = gate_parameters(SITE, datetime(2025, 11, 1, 3, tzinfo=UTC), 2)
    joint = joint_parameters([late, early])
    assert joint is not None
    assert joint[PER_RUN_BOUND] == datetime(2025, 11, 1, 2)
    assert joint[PER_RUN_ROW_COUNT] == 0
    assert {k: v for k, v in joint.items() if k not in (PER_RUN_BOUND, PER_RUN_ROW_COUNT)} == {
        k: v for k, v in early.items() if k not in (PER_RUN_BOUND, PER_RUN_ROW_COUNT)
    }
    other_site = gate_parameters("https://other.example", datetime(2025, 11, 1, tzinfo=UTC), 0)
    assert joint_parameters([early, other_site]) is None
    assert joint_parameters([]) is None


def test_row_counts_hold_judges_each_run_by_its_own_bounds() -> None:
    suites = {table: suite_json(table) for table in ("feed_items", "articles")}
    read_feeds = gate_parameters(SITE, datetime(2025, 11, 1, tzinfo=UTC), 1)
    no_feeds = gate_parameters(SITE, datetime(2025, 11, 1, tzinfo=UTC), 0)
    empty = {"feed_items": 0, "articles": 0}
    assert row_counts_hold(suites, empty, no_feeds)
    assert not row_counts_hold(suites, empty, read_feeds)
    assert row_counts_hold(suites, {**empty, "articles": 5000}, no_feeds)
    assert not row_counts_hold(suites, {**empty, "articles": 5001}, no_feeds)


def test_the_most_rows_a_check_holds_is_the_suites_stated_upper_bound() -> None:
    assert most_rows("articles") == 5000
    assert most_rows("feed_items") == 5000  # its least is a parameter, its most a number
    assert most_rows("article_pages") is None  # no row count


def _rows(articles: int, feed_items: int = 0) -> dict[str, int]:
    return {"articles": articles, "feed_items": feed_items}


def test_joint_groups_stay_within_every_suites_row_count_and_share_their_parameters() -> None:
    suites = {table: suite_json(table) for table in ("feed_items", "articles")}
    at = [gate_parameters(SITE, datetime(2025, 11, 1, hour, tzinfo=UTC), 0) for hour in range(8)]
    # A run that read the feed may find no item: alone it fails its row count, which the joint
    # check does not ask (each run's own counts are judged apart: `row_counts_hold`).
    read_feeds = gate_parameters(SITE, datetime(2025, 11, 1, 9, tzinfo=UTC), 1)
    other_site = gate_parameters("https://other.example", datetime(2025, 11, 1, tzinfo=UTC), 0)
    runs = [
        (_rows(3000), at[0]),
        (_rows(2000), at[1]),  # 5,000 articles together: the most a check holds
        (_rows(1), at[2]),
        (_rows(10, feed_items=4000), read_feeds),
        (_rows(10, feed_items=1001), at[3]),  # 5,001 feed items with the two before
        (_rows(6000), at[4]),  # more than a check holds: a group alone, blocked by its check
        (_rows(5), other_site),
        (_rows(5), at[5]),
        (_rows(0), at[6]),
    ]
    assert [list(group) for group in joint_groups(suites, runs)] == [
        [0, 1],
        [2, 3],
        [4],
        [5],
        [6],
        [7, 8],
    ]
    assert joint_groups(suites, []) == []
