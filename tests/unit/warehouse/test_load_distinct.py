"""A batch's keys made distinct before the load: the last row of a repeated key wins (in the order
of the rows kept), and a batch whose keys are already distinct is handed over as it is."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from warehouse.load import distinct_keys


def test_a_repeated_key_keeps_its_last_row() -> None:
    frame = pl.DataFrame(
        {"url": ["a", "b", "a", "c", "b"], "position": [1, 1, 1, 2, 2], "title": list("vwxyz")}
    )
    kept = distinct_keys(frame, ("url", "position"))
    assert kept.rows() == [("b", 1, "w"), ("a", 1, "x"), ("c", 2, "y"), ("b", 2, "z")]
    assert distinct_keys(frame, ("url",)).rows() == [("a", 1, "x"), ("c", 2, "y"), ("b", 2, "z")]


def test_distinct_keys_and_nulls_are_left_as_they_are() -> None:
    frame = pl.DataFrame({"url": ["a", None, "b", None], "title": ["w", "x", "y", "z"]})
    assert distinct_keys(frame, ("url",)).rows() == [("a", "w"), ("b", "y"), (None, "z")]
    distinct = frame.head(3)
    assert distinct_keys(distinct, ("url",)) is distinct
    empty = frame.clear()
    assert_frame_equal(distinct_keys(empty, ("url",)), empty)
