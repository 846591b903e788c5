"""The stored suites against the table contract (`transforms/schemas.py`): every table has a
suite, every column a suite names is in the frame it checks with a type its expectation can
read, uniqueness checks are on the table's key, and the site's patterns come from the site."""

from __future__ import annotations

import json

import pandas as pd
import polars as pl
import pytest

from expectations.gate import (
    FACT_SUITES,
    OFFICIAL_SUITES,
    SITE_RULE,
    SUITES,
    SUITES_DIR,
    UNCHECKED,
    site_rule,
    suite_json,
    validation_frame,
)
from sources.espreso.template import SITE_RULES, TEMPLATE_JUNK_PATTERNS, TEMPLATE_KEYS, WIDGET_TEXT
from transforms.schemas import (
    ARTICLE_PAGES,
    FACT_KEYS,
    FACT_TABLES,
    KEYS,
    OFFICIAL_LOSSES,
    TABLES,
)

CONTRACT: dict[str, pl.Schema] = {
    **TABLES,
    "article_pages": ARTICLE_PAGES,
    **FACT_TABLES,
    "official_losses": OFFICIAL_LOSSES,
}
ALL_SUITES = (*SUITES, *FACT_SUITES, *OFFICIAL_SUITES)
# Expectations whose columns must hold text, and those whose columns must be ordered values.
TEXT = {
    "expect_column_values_to_match_regex",
    "expect_column_values_to_not_match_regex_list",
    "expect_column_value_lengths_to_be_between",
}
ORDERED = {"expect_column_values_to_be_between"}
UNIQUE = {"expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"}


def _columns(kwargs: dict[str, object]) -> list[str]:
    named = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
    listed = kwargs.get("column_list", [])
    assert isinstance(listed, list)
    return [str(c) for c in (*named, *listed)]


def test_every_warehouse_table_has_a_suite_unless_it_records_operations() -> None:
    assert set(SUITES) == set(TABLES) - set(UNCHECKED) | {"article_pages"}
    assert tuple(FACT_TABLES) == FACT_SUITES
    assert OFFICIAL_SUITES == ("official_losses",)
    assert sorted(p.stem for p in SUITES_DIR.glob("*.json")) == sorted(ALL_SUITES)


@pytest.mark.parametrize("table", ALL_SUITES)
def test_a_suite_is_named_after_its_table_and_names_each_check_once(table: str) -> None:
    suite = suite_json(table)
    assert suite["name"] == table
    names = [e["meta"]["name"] for e in suite["expectations"]]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("table", ALL_SUITES)
def test_every_column_a_suite_names_is_in_the_frame_it_checks(table: str) -> None:
    seen = validation_frame(table, pl.DataFrame(schema=CONTRACT[table]))
    for expectation in suite_json(table)["expectations"]:
        where = f"{table}.{expectation['meta']['name']}"
        for column in _columns(expectation["kwargs"]):
            assert column in seen.columns, f"{where}: no column {column!r}"
            dtype = seen[column].dtype
            if expectation["type"] in TEXT:
                assert pd.api.types.is_string_dtype(dtype), f"{where}: {column} is {dtype}"
            if expectation["type"] in ORDERED:
                ordered = pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_dtype(
                    dtype
                )
                assert ordered and not pd.api.types.is_bool_dtype(dtype), f"{where}: {dtype}"


def test_the_articles_suite_sees_the_recomputed_word_count_beside_the_contract() -> None:
    seen = validation_frame("articles", pl.DataFrame(schema=CONTRACT["articles"]))
    assert list(seen.columns) == [
        *CONTRACT["articles"].names(),
        "body_word_count",
        "published_stated",
    ]


def test_uniqueness_checks_are_on_the_table_key() -> None:
    keys = {**KEYS, **FACT_KEYS, "official_losses": ("day", "category")}
    checked = {
        table: tuple(_columns(e["kwargs"]))
        for table in ALL_SUITES
        for e in suite_json(table)["expectations"]
        if e["type"] in UNIQUE
    }
    assert checked == {t: keys[t] for t in checked}
    # These two are unique by how they are shaped (tests/unit/transforms), not by a check.
    assert set(keys) - set(checked) == {"feed_items", "feed_observations"}


def test_suites_name_the_sites_patterns_instead_of_copying_them() -> None:
    regex_lists = {
        (table, e["meta"]["name"]): e["kwargs"]["regex_list"]
        for table in ALL_SUITES
        for e in json.loads((SUITES_DIR / f"{table}.json").read_text(encoding="utf-8"))[
            "expectations"
        ]
        if "regex_list" in e["kwargs"]
    }
    junk = {SITE_RULE: "template_junk"}
    assert regex_lists == {
        ("articles", "no_template_junk_in_title"): junk,
        ("articles", "lead_not_template_junk"): {SITE_RULE: "template_keys"},
        ("articles", "no_template_junk_in_lead"): {SITE_RULE: "widget_text"},
        ("articles", "no_template_junk_in_body_text"): junk,
        ("articles", "no_template_junk_in_author"): junk,
        ("articles", "no_template_junk_in_section"): junk,
        ("article_tags", "no_template_junk_in_tag"): junk,
        ("article_related", "no_template_junk_in_related_title"): junk,
        ("feed_items", "no_template_junk_in_title"): junk,
        # A feed title's time or badge is the feed's own shape, not template junk.
        ("feed_items", "title_without_time_or_badge"): regex_lists[
            ("feed_items", "title_without_time_or_badge")
        ],
    }
    assert isinstance(regex_lists[("feed_items", "title_without_time_or_badge")], list)
    (title,) = [
        e
        for e in suite_json("articles")["expectations"]
        if e["meta"]["name"] == "no_template_junk_in_title"
    ]
    assert title["kwargs"]["regex_list"] == [
        r"client/[\w.]+",
        r"\{\{.*?\}\}",
        "list_title",
        "Share to (?:facebook|twitter)",
        "Read Espreso in Telegram",
        "Leave a comment",
        "Поділитися:",
    ]
    assert title["kwargs"]["regex_list"] == list(TEMPLATE_KEYS + WIDGET_TEXT)
    assert list(TEMPLATE_JUNK_PATTERNS) == list(SITE_RULES["template_junk"])


def test_a_site_rule_is_filled_in_and_an_unknown_one_is_an_error() -> None:
    assert site_rule("articles", "x", {SITE_RULE: "widget_text"}) == list(WIDGET_TEXT)
    assert site_rule("articles", "x", ["a"]) == ["a"]
    assert site_rule("articles", "x", {"$PARAMETER": "site_url_regex"}) == {
        "$PARAMETER": "site_url_regex"
    }
    with pytest.raises(ValueError) as error:
        site_rule("articles", "no_junk", {SITE_RULE: "junk"})
    assert str(error.value) == (
        "suite articles: no_junk names site rule 'junk'; "
        "known rules: ['template_junk', 'template_keys', 'widget_text']"
    )
