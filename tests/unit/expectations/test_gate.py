"""The quality gate with the real suites: bad rows are quarantined by name, good rows pass, a
broken batch is refused."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from expectations.gate import (
    SUITES,
    Gate,
    GateBlocked,
    gate_parameters,
    suite_json,
)
from sources.espreso.article import parse_article
from sources.records import FeedParse, FeedRow, FetchedArticle
from sources.snapshot_expected import ARTICLES, LIVE, page_bytes
from transforms.article_pages import article_pages
from transforms.article_related import article_related
from transforms.article_tags import article_tags
from transforms.articles import articles
from transforms.feed_items import feed_items
from transforms.feed_observations import ObservedFeed, feed_observations
from transforms.schemas import TABLES

NOW = datetime(2025, 10, 27, 10, 0, tzinfo=UTC)
GOOD = [a["slug"] for a in ARTICLES[:5]]


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory) -> Gate:
    return Gate(tmp_path_factory.mktemp("docs"))


def _item(slug: str) -> FetchedArticle:
    article = parse_article(page_bytes(slug), f"{LIVE}/{slug}").article
    assert article is not None
    return FetchedArticle(article, NOW)


def _frames(items: list[FetchedArticle], rows: list[FeedRow]) -> dict[str, pl.DataFrame]:
    feeds = [ObservedFeed(FeedParse(f"{LIVE}/news", tuple(rows), None), NOW)]
    parses = [parse_article(page_bytes(slug), f"{LIVE}/{slug}") for slug in GOOD]
    return {
        "articles": articles(items, NOW),
        "article_tags": article_tags(items),
        "article_related": article_related(items),
        "feed_items": feed_items(feeds),
        "feed_observations": feed_observations(feeds),
        "fetch_log": pl.DataFrame(schema=TABLES["fetch_log"]),
        "quarantine": pl.DataFrame(schema=TABLES["quarantine"]),
        "article_pages": article_pages(parses),
        "headline_sources": pl.DataFrame(schema=TABLES["headline_sources"]),
    }


def _row(position: int, slug: str, title: str) -> FeedRow:
    return FeedRow(position, f"{LIVE}/{slug}", title, None, None, NOW - timedelta(hours=1))


def test_bad_rows_are_quarantined_by_check_name(gate: Gate) -> None:
    good = [_item(slug) for slug in GOOD]
    base = good[0].article
    assert base.published_at is not None
    bad = {
        # A lead that was only a template key, as the parser hands it over (kept, for this check).
        "junk-lead": replace(base, url=f"{LIVE}/junk-lead", slug="junk-lead", lead="client/title.list_title"),
        "widget-lead": replace(base, url=f"{LIVE}/widget-lead", slug="widget-lead", lead="Kyiv, 27 October. Share to facebook"),
        "future": replace(base, url=f"{LIVE}/future", slug="future", published_at=NOW + timedelta(days=2), modified_at=None),
        "upper": replace(base, url=f"{LIVE}/Russia-Ukraine-War-Upper", slug="Russia-Ukraine-War-Upper"),
        "slash": replace(base, url=f"{LIVE}/russia-ukraine-war-slash/", slug="russia-ukraine-war-slash"),
        "empty-body": replace(base, url=f"{LIVE}/empty-body", slug="empty-body", body_text=""),
        "edited-before": replace(base, url=f"{LIVE}/edited-before", slug="edited-before", modified_at=base.published_at - timedelta(minutes=5)),
    }  # fmt: skip
    new_badge = replace(base, url=f"{LIVE}/new-badge", slug="new-badge", badge="Breaking")
    items = good + [FetchedArticle(a, NOW) for a in (*bad.values(), new_badge)]
    rows = [
        _row(0, GOOD[0], "Russia struck Kharkiv with guided bombs"),
        _row(1, "swallowed-badge", "Exclusive Russia is stockpiling missiles"),
        _row(2, "swallowed-time", "11:40 Zelensky arrives in Oslo"),
    ]
    report = gate.run(_frames(items, rows), gate_parameters(LIVE, NOW, 1))

    held = {
        (q.table, q.record["url"]): q.reasons
        for q in report.quarantined
        if q.table in ("articles", "feed_items")
    }
    assert held == {
        ("articles", f"{LIVE}/junk-lead"): ("articles.lead_not_template_junk",),
        ("articles", f"{LIVE}/widget-lead"): ("articles.no_template_junk_in_lead",),
        ("articles", f"{LIVE}/future"): ("articles.published_at_plausible",),
        ("articles", f"{LIVE}/Russia-Ukraine-War-Upper"): ("articles.url_on_site_slug_form",),
        ("articles", f"{LIVE}/russia-ukraine-war-slash/"): ("articles.url_on_site_slug_form",),
        ("articles", f"{LIVE}/empty-body"): ("articles.body_not_empty",),
        ("articles", f"{LIVE}/edited-before"): ("articles.modified_not_before_published",),
        ("feed_items", f"{LIVE}/swallowed-badge"): ("feed_items.title_without_time_or_badge",),
        ("feed_items", f"{LIVE}/swallowed-time"): ("feed_items.title_without_time_or_badge",),
    }
    # The quarantined articles' tags and links go with them; the good rows all pass.
    orphans = {
        q.record["url"]
        for q in report.quarantined
        if q.table in ("article_tags", "article_related")
    }
    assert orphans == {a.url for a in bad.values() if a.tags or a.related}
    assert all(
        q.reasons == ("articles.row_quarantined",)
        for q in report.quarantined
        if q.table in ("article_tags", "article_related")
    )
    assert sorted(report.passed["articles"]["url"]) == sorted(
        [f"{LIVE}/{s}" for s in GOOD] + [f"{LIVE}/new-badge"]
    )
    assert report.passed["feed_items"]["url"].to_list() == [f"{LIVE}/{GOOD[0]}"]
    assert set(report.passed["article_tags"]["url"]) <= set(report.passed["articles"]["url"])
    # A new badge is a warning, not a reason to drop the row.
    assert [(c.label, c.unexpected) for c in report.warnings] == [("articles.badge_known", 1)]
    # Every failed check, what it did and on how many of its rows; every other check passed.
    assert [(c.label, c.result, c.unexpected, c.rows) for c in report.checks if not c.success] == [
        ("articles.url_on_site_slug_form", "quarantined", 2, 13),
        ("articles.body_not_empty", "quarantined", 1, 13),
        ("articles.lead_not_template_junk", "quarantined", 1, 13),
        ("articles.no_template_junk_in_lead", "quarantined", 1, 13),
        ("articles.published_at_plausible", "quarantined", 1, 13),
        ("articles.modified_not_before_published", "quarantined", 1, 13),
        ("articles.badge_known", "warned", 1, 13),
        ("feed_items.title_without_time_or_badge", "quarantined", 2, 3),
    ]
    assert len(report.checks) == sum(len(suite_json(t)["expectations"]) for t in SUITES)
    assert {t: f.height for t, f in report.passed.items() if t in SUITES} == {
        "articles": 6,
        "article_tags": 26,
        "article_related": 13,
        "feed_items": 1,
        "feed_observations": 3,
        "article_pages": 5,
        "headline_sources": 0,
    }
    assert len([q for q in report.quarantined if q.table == "article_tags"]) == 28
    assert len([q for q in report.quarantined if q.table == "article_related"]) == 14
    # Records are kept whole, JSON-ready.
    junk = next(q for q in report.quarantined if q.record["url"] == f"{LIVE}/junk-lead")
    assert json.loads(json.dumps(junk.record, default=str))["lead"] == "client/title.list_title"


def test_word_count_must_match_body(gate: Gate) -> None:
    frames = _frames([_item(GOOD[0])], [])
    frames["articles"] = frames["articles"].with_columns(pl.lit(3, pl.Int32).alias("word_count"))
    report = gate.run(frames, gate_parameters(LIVE, NOW, 0))
    assert [q.reasons for q in report.quarantined if q.table == "articles"] == [
        ("articles.word_count_matches_body",)
    ]


def test_empty_feed_from_a_page_that_was_read_blocks_the_batch(gate: Gate) -> None:
    frames = _frames([_item(GOOD[0])], [])
    with pytest.raises(GateBlocked) as blocked:
        gate.run(frames, gate_parameters(LIVE, NOW, feed_pages_read=1))
    assert str(blocked.value) == (
        "quality gate blocked the batch, nothing was loaded: "
        "feed_items.row_count_sane (expect_table_row_count_to_be_between) failed on 0 of 0 rows; "
        "feed_observations.row_count_sane (expect_table_row_count_to_be_between) failed on 0 of 0 rows"
    )


def test_layout_drift_blocks_the_batch(gate: Gate) -> None:
    frames = _frames([_item(s) for s in GOOD], [_row(0, GOOD[0], "Title")])
    frames["article_pages"] = frames["article_pages"].with_columns(
        (pl.int_range(pl.len()) == 0).alias("date_line_found")
    )
    with pytest.raises(
        GateBlocked,
        match=r"article_pages\.layout_date_line_found \(expect_column_values_to_be_in_set\) failed on 4 of 5 rows",
    ):
        gate.run(frames, gate_parameters(LIVE, NOW, 1))


def test_data_docs_name_every_suite(gate: Gate) -> None:
    gate.run(_frames([_item(GOOD[0])], [_row(0, GOOD[0], "Title")]), gate_parameters(LIVE, NOW, 1))
    assert gate.docs_dir is not None
    index = (Path(gate.docs_dir) / "index.html").read_text(encoding="utf-8")
    for table in SUITES:
        assert f"expectations/{table}.html" in index
        assert f"validations/{table}/" in index


def test_the_gate_keeps_no_results_in_memory_between_batches(gate: Gate) -> None:
    """Each batch's Data Docs pages are written, then its results are dropped: a long-lived process
    (`newsflow serve`) neither re-renders nor holds every past batch. The pages and the index keep
    every batch's checks."""
    frames = _frames([_item(GOOD[0])], [_row(0, GOOD[0], "Title")])
    assert gate.docs_dir is not None
    pages = Path(gate.docs_dir) / "validations" / "articles"
    before = set(pages.rglob("*.html"))
    seen: list[Path] = []
    for _ in range(2):
        report = gate.run(frames, gate_parameters(LIVE, NOW, 1))
        assert gate.context.validation_results_store.list_keys() == []
        (page,) = set(pages.rglob("*.html")) - before - set(seen)
        seen.append(page)
        assert report.validations[0].page == page.relative_to(gate.docs_dir).as_posix()
    index = (Path(gate.docs_dir) / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{p.relative_to(gate.docs_dir).as_posix()}"' in index for p in seen)


def test_one_odd_page_is_quarantined_not_a_layout_change(gate: Gate) -> None:
    from sources.records import ArticleParse

    odd = ArticleParse(
        f"{LIVE}/news-tag-page",
        None,
        ("no headline (h1.text-title in section.header_current_article)",),
        frozenset(),
    )
    frames = _frames([_item(GOOD[0])], [_row(0, GOOD[0], "Title")])
    frames["article_pages"] = article_pages([odd, odd])
    assert frames["article_pages"].height == 0
    report = gate.run(frames, gate_parameters(LIVE, NOW, 1))
    # The layout checks see no rows and pass; nothing else fails and the good article loads.
    assert [(c.label, c.result, c.rows) for c in report.checks if c.table == "article_pages"] == [
        ("article_pages.layout_headline_found", "passed", 0),
        ("article_pages.layout_date_line_found", "passed", 0),
        ("article_pages.layout_body_found", "passed", 0),
    ]
    assert [c.label for c in report.checks if not c.success] == []
    assert report.quarantined == []
    assert report.passed["articles"]["url"].to_list() == [f"{LIVE}/{GOOD[0]}"]
    assert (report.passed["article_tags"].height, report.passed["article_related"].height) == (4, 2)


def test_instants_before_the_site_launched_are_quarantined_in_every_table(gate: Gate) -> None:
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    base = _item(GOOD[0]).article
    old_edit = replace(base, url=f"{LIVE}/old-edit", slug="old-edit", modified_at=epoch)
    rows = [_row(0, GOOD[0], "Title"), replace(_row(1, "dated-1970", "Title"), published_at=epoch)]
    frames = _frames([_item(GOOD[0]), FetchedArticle(old_edit, NOW)], rows)
    report = gate.run(frames, gate_parameters(LIVE, NOW, 1))
    held = {(q.table, q.record["url"]): q.reasons for q in report.quarantined}
    assert held[("feed_items", f"{LIVE}/dated-1970")] == ("feed_items.published_at_plausible",)
    assert held[("articles", f"{LIVE}/old-edit")] == (
        "articles.modified_not_before_published",
        "articles.modified_at_plausible",
    )
    assert report.passed["feed_items"]["url"].to_list() == [f"{LIVE}/{GOOD[0]}"]


def test_two_pages_claiming_one_url_are_both_quarantined(gate: Gate) -> None:
    real = _item(GOOD[0])
    impostor = FetchedArticle(replace(real.article, title="Another page's headline"), NOW)
    again = FetchedArticle(real.article, NOW - timedelta(minutes=1))  # the same page, read twice
    frames = _frames([real, impostor, again], [_row(0, GOOD[0], "Title")])
    assert frames["articles"].height == 2
    report = gate.run(frames, gate_parameters(LIVE, NOW, 1))
    held = [(q.record["title"], q.reasons) for q in report.quarantined if q.table == "articles"]
    assert sorted(held) == sorted(
        [
            (real.article.title, ("articles.url_unique",)),
            ("Another page's headline", ("articles.url_unique",)),
        ]
    )
    assert report.passed["articles"].height == 0
    assert report.passed["article_tags"].height == 0
