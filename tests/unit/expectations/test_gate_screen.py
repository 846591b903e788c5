"""The gate runs each suite BASIC and asks COMPLETE only of the expectations that found something:
on batches with every kind of failure its checks, quarantined rows and reasons, passed rows, block
and Data Docs statistics are exactly those of a gate that runs every expectation COMPLETE."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from expectations.gate import Gate, GateBlocked, GateReport, gate_parameters
from sources.snapshot_expected import LIVE
from tests.unit.expectations.test_gate import GOOD, NOW, _frames, _item, _row
from transforms.schemas import TABLES

Frames = dict[str, pl.DataFrame]


@pytest.fixture(scope="module")
def gates(tmp_path_factory: pytest.TempPathFactory) -> tuple[Gate, Gate]:
    """The screening gate and the COMPLETE-everywhere reference, both writing Data Docs."""
    return (
        Gate(tmp_path_factory.mktemp("screened") / "docs"),
        Gate(tmp_path_factory.mktemp("complete") / "docs", screen=False),
    )


def _set(frame: pl.DataFrame, row: int, **values: Any) -> pl.DataFrame:
    """`frame` with row `row`'s columns set to `values`."""
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) == row)
        .then(pl.lit(value, frame.schema[name]))
        .otherwise(pl.col(name))
        .alias(name)
        for name, value in values.items()
    )


def _good() -> Frames:
    rows = [_row(i, slug, f"Title {i}") for i, slug in enumerate(GOOD)]
    return _frames([_item(slug) for slug in GOOD], rows)


def _every_row_failure() -> Frames:
    """Rows breaking quarantine and warn checks in every table, one page of five missing its
    headline (the layout check passes, `mostly`, with one unexpected row)."""
    f = _good()
    a = f["articles"]
    a = _set(a, 0, url=a["url"][1], title=None, language="xx")  # duplicate url, no title
    a = _set(a, 2, body_text="", badge="Breaking", content_hash="nothex", word_count=7)
    a = _set(a, 3, lead="client/title.list_title", published_at=datetime(1970, 1, 1, tzinfo=UTC))
    a = _set(a, 4, modified_at=datetime(2000, 1, 1, tzinfo=UTC), url=f"{LIVE}/Upper-Case")
    f["articles"] = a
    f["article_tags"] = _set(f["article_tags"], 1, position=f["article_tags"]["position"][0],
                             url=f["article_tags"]["url"][0], tag="")  # fmt: skip
    f["article_tags"] = _set(f["article_tags"], 2, position=-1)
    f["article_related"] = _set(f["article_related"], 0, related_url="https://example.com/x")
    feed = f["feed_items"]
    feed = _set(feed, 0, title="11:40 Zelensky arrives in Oslo", badge="Breaking")
    feed = _set(feed, 1, published_at=None, title="")
    feed = _set(feed, 2, published_at=NOW + timedelta(days=3), url=f"{LIVE}/a/b")
    f["feed_items"] = feed
    f["feed_observations"] = _set(f["feed_observations"], 0, position=5000)
    f["article_pages"] = _set(f["article_pages"], 0, headline_found=False)
    f["headline_sources"] = pl.DataFrame(
        {
            "url": [f"{LIVE}/{GOOD[0]}", f"{LIVE}/{GOOD[0]}", f"{LIVE}/{GOOD[1]}"],
            "source": ["Zelensky", "x" * 81, "General Staff"],
            "source_kind": ["person", "role", "rumour"],
            "claim": ["a claim", "", "another claim"],
            "outlet": ["espreso"] * 3,
        },
        schema=TABLES["headline_sources"],
    )
    return f


def _layout_drift() -> Frames:
    """Three pages of five without a date line: the layout check blocks."""
    f = _every_row_failure()
    f["article_pages"] = f["article_pages"].with_columns(
        (pl.int_range(pl.len()) > 2).alias("date_line_found")
    )
    return f


def _empty() -> Frames:
    return {table: frame.clear() for table, frame in _good().items()}


def _outcome(gate: Gate, frames: Frames, feed_pages_read: int) -> tuple[bool, GateReport]:
    try:
        return False, gate.run(frames, gate_parameters(LIVE, NOW, feed_pages_read))
    except GateBlocked as blocked:
        return True, blocked.report


def _same(screened: tuple[bool, GateReport], complete: tuple[bool, GateReport]) -> None:
    (blocked, report), (reference_blocked, reference) = screened, complete
    assert blocked == reference_blocked
    assert report.checks == reference.checks
    assert report.quarantined == reference.quarantined
    assert report.passed.keys() == reference.passed.keys()
    assert all(report.passed[t].equals(reference.passed[t]) for t in reference.passed)
    assert [
        (v.suite, v.success, v.evaluated, v.successful, v.gate) for v in report.validations
    ] == [(v.suite, v.success, v.evaluated, v.successful, v.gate) for v in reference.validations]


def test_row_failures_of_every_kind_give_the_complete_results(gates: tuple[Gate, Gate]) -> None:
    frames = _every_row_failure()
    screened, complete = (_outcome(g, frames, 1) for g in gates)
    _same(screened, complete)
    blocked, report = screened
    assert not blocked
    failed = {c.label: (c.result, c.unexpected) for c in report.checks if not c.success}
    assert failed == {
        "articles.url_unique": ("quarantined", 2),
        "articles.url_on_site_slug_form": ("quarantined", 1),
        "articles.title_present": ("quarantined", 1),
        "articles.body_not_empty": ("quarantined", 1),
        "articles.lead_not_template_junk": ("quarantined", 1),
        "articles.published_at_plausible": ("quarantined", 1),
        "articles.modified_not_before_published": ("quarantined", 1),
        "articles.badge_known": ("warned", 1),
        "articles.word_count_matches_body": ("quarantined", 1),
        "articles.language_known": ("quarantined", 1),
        "articles.content_hash_sha256": ("quarantined", 1),
        "articles.modified_at_plausible": ("quarantined", 1),
        "article_tags.key_unique": ("quarantined", 2),
        "article_tags.tag_not_empty": ("quarantined", 1),
        "article_tags.position_non_negative": ("quarantined", 1),
        "article_related.related_url_on_site": ("quarantined", 1),
        "feed_items.url_on_site_slug_form": ("quarantined", 1),
        "feed_items.title_not_empty": ("quarantined", 1),
        "feed_items.title_without_time_or_badge": ("quarantined", 1),
        "feed_items.published_at_plausible": ("quarantined", 1),
        "feed_items.published_at_present": ("warned", 1),
        "feed_items.badge_known": ("warned", 1),
        "feed_observations.position_sane": ("quarantined", 1),
        "headline_sources.url_unique": ("quarantined", 2),
        "headline_sources.source_short": ("quarantined", 1),
        "headline_sources.claim_not_empty": ("quarantined", 1),
        "headline_sources.source_kind_known": ("quarantined", 1),
    }
    # A check that passes with an unexpected row (`mostly`) keeps its count.
    (layout,) = (c for c in report.checks if c.label == "article_pages.layout_headline_found")
    assert (layout.success, layout.unexpected, layout.rows) == (True, 1, 5)
    assert len(report.quarantined) > 20


def test_a_blocked_batch_gives_the_complete_results(gates: tuple[Gate, Gate]) -> None:
    frames = _layout_drift()
    screened, complete = (_outcome(g, frames, 1) for g in gates)
    _same(screened, complete)
    blocked, report = screened
    assert blocked
    assert [(c.label, c.unexpected, c.rows) for c in report.blocking] == [
        ("article_pages.layout_date_line_found", 3, 5)
    ]


@pytest.mark.parametrize("feed_pages_read", [0, 1])
def test_empty_tables_give_the_complete_results(
    gates: tuple[Gate, Gate], feed_pages_read: int
) -> None:
    screened, complete = (_outcome(g, _empty(), feed_pages_read) for g in gates)
    _same(screened, complete)
    blocked, report = screened
    assert blocked == bool(feed_pages_read)
    assert [c.label for c in report.blocking] == (
        ["feed_items.row_count_sane", "feed_observations.row_count_sane"] if feed_pages_read else []
    )
    assert [c for c in report.checks if c.unexpected] == []


def test_a_clean_batch_gives_the_complete_results(gates: tuple[Gate, Gate]) -> None:
    screened, complete = (_outcome(g, _good(), 1) for g in gates)
    _same(screened, complete)
    assert screened[1].quarantined == [] and all(c.success for c in screened[1].checks)


def test_the_screened_pages_show_what_complete_pages_show(gates: tuple[Gate, Gate]) -> None:
    """A validation page of the screened gate and of the reference differ only in their run's
    time and ids."""
    frames = _every_row_failure()
    pages = []
    for gate in gates:
        report = _outcome(gate, frames, 1)[1]
        assert gate.docs_dir is not None
        pages.append(
            {v.suite: _comparable(Path(gate.docs_dir) / v.page) for v in report.validations}
        )
    assert pages[0] == pages[1]


def _comparable(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    html = re.sub(r"\d{8}T\d{6}\.\d+Z", "TIME", html)
    html = re.sub(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(\+00:00|Z)?", "TIME", html)
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "ID", html)
