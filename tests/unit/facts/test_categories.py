"""One list of loss categories: the rules, the official data set's mapping and both suites use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from facts import losses
from facts.categories import LOSS_CATEGORIES, OFFICIAL_LOSS_CATEGORIES
from transforms.official_losses import CATEGORY_FIELDS

SUITES = Path(__file__).parents[3] / "expectations" / "suites"


def _category_set(suite: str) -> list[str]:
    expectations = json.loads((SUITES / f"{suite}.json").read_text())["expectations"]
    (found,) = [
        e["kwargs"]["value_set"]
        for e in expectations
        if e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == "category"
    ]
    return list(found)


def test_the_rules_read_every_category_and_no_other() -> None:
    assert tuple(losses._CATEGORY_PATTERNS) == LOSS_CATEGORIES
    assert len(LOSS_CATEGORIES) == 14


def test_the_official_mapping_covers_exactly_the_official_categories() -> None:
    assert tuple(CATEGORY_FIELDS) == OFFICIAL_LOSS_CATEGORIES
    assert OFFICIAL_LOSS_CATEGORIES[:14] == LOSS_CATEGORIES
    assert OFFICIAL_LOSS_CATEGORIES[14:] == ("ground_robot", "srbm_launcher")


@pytest.mark.parametrize(
    ("suite", "categories"),
    [("loss_reports", LOSS_CATEGORIES), ("official_losses", OFFICIAL_LOSS_CATEGORIES)],
)
def test_each_suite_allows_exactly_the_categories(suite: str, categories: tuple[str, ...]) -> None:
    assert sorted(_category_set(suite)) == sorted(categories)
