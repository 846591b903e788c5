"""The fallback's decisions, shared by live runs and `reparse`: when the generic reader stands in,
which articles it keeps, and when the block stands."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from expectations.gate import Check, GateBlocked, GateReport
from flows.fallback import new_articles, read_generically, stands_in
from sources.generic.crawl import read_pages
from sources.outlets import outlets
from sources.records import Fetched, LoggedFetch, Parsed
from tests.integration.test_espreso_fallback import LATE, _renamed

SITE = "http://127.0.0.1:8000"
AT = datetime(2025, 12, 1, 9, 30, tzinfo=UTC)
LAYOUT = Check("article_pages", "layout_headline_found", "expect", "block", False, 3, 3)
OTHER = Check("articles", "url_unique", "expect", "block", False, 1, 3)


def _blocked(*checks: Check) -> GateBlocked:
    return GateBlocked(GateReport(passed={}, checks=list(checks)))


def _answers() -> list[LoggedFetch]:
    pages = [(f"{SITE}/{a['slug']}", _renamed(a["slug"])) for a in LATE[:2]]
    return [
        LoggedFetch(Fetched(url, AT, 200, body, "utf-8", 10, None, url), "article")
        for url, body in pages
    ]


def test_the_generic_reader_stands_in_only_for_espresos_layout_checks() -> None:
    sites = outlets()
    assert stands_in(sites["espreso"], _blocked(LAYOUT, OTHER)) == [
        "article_pages.layout_headline_found"
    ]
    assert stands_in(sites["espreso"], _blocked(OTHER)) == []
    assert stands_in(sites["kyiv-independent"], _blocked(LAYOUT)) == []


def test_only_articles_not_loaded_before_are_kept() -> None:
    parsed = read_pages(_answers())
    first, second = (i.article.url for i in parsed.items)
    kept = new_articles(parsed, {first})
    assert [i.article.url for i in kept.items] == [second]
    assert kept.pages == parsed.pages


def test_the_block_stands_when_the_generic_reader_cannot_read_the_new_pages_either() -> None:
    blocked = _blocked(LAYOUT)
    shaped: list[int] = []

    def all_quarantined(again: Parsed) -> dict[str, pl.DataFrame]:
        shaped.append(len(again.items))
        return {"articles": pl.DataFrame({"url": []}, schema={"url": pl.String})}

    with pytest.raises(GateBlocked) as raised:
        read_generically(
            blocked, ["article_pages.layout_headline_found"], _answers(), set(), all_quarantined
        )
    assert raised.value is blocked
    assert shaped == [2]
