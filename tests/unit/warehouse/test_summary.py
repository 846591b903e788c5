"""The summary's figures, written as a person reads them."""

from __future__ import annotations

import pytest

from warehouse.summary import duration


@pytest.mark.parametrize(
    ("minutes", "said"),
    [
        (0, "0 min"),
        (20, "20 min"),
        (59.6, "1 h"),
        (2150, "35 h 50 min"),
        (47 * 60 + 59, "47 h 59 min"),
        (48 * 60, "2 days"),
        (304900, "212 days"),
        (-0.3, "0 min"),
        (-30, "-30 min"),
        (-90, "-1 h 30 min"),
    ],
)
def test_duration(minutes: float, said: str) -> None:
    assert duration(minutes) == said
