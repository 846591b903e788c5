"""`load_batch`: loads that are atomic and idempotent, recorded in `load_runs` with their kind."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from transforms.schemas import TABLES
from warehouse.connection import connect
from warehouse.integrity import integrity_problems
from warehouse.load import load_batch
from warehouse.runs import RunKind

T0 = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
T1 = datetime(2025, 10, 27, 9, 10, tzinfo=UTC)


def _frames(title: str, seen_at: datetime, tags: list[str]) -> dict[str, pl.DataFrame]:
    url = "https://global.espreso.tv/russia-ukraine-war-x"
    frames = {name: pl.DataFrame(schema=schema) for name, schema in TABLES.items()}
    frames["articles"] = pl.DataFrame(
        [{
            "url": url, "source": "espreso-global", "slug": "russia-ukraine-war-x", "section": "War", "badge": None,
            "title": title, "lead": "Lead", "author": None, "author_url": None, "published_at": T0, "modified_at": None,
            "body_text": "One two three", "word_count": 3, "image_url": None, "language": "en",
            "content_hash": title, "first_seen_at": seen_at, "fetched_at": seen_at,
        }],
        schema=TABLES["articles"],
    )  # fmt: skip
    frames["article_tags"] = pl.DataFrame(
        [{"url": url, "position": i, "tag": t, "tag_url": None} for i, t in enumerate(tags)],
        schema=TABLES["article_tags"],
    )
    return frames


def test_upsert_keeps_first_seen_and_replaces_tags(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        load_batch(
            con,
            "run-1",
            _frames("Old title", T0, ["News", "Drones", "Kharkiv"]),
            kind=RunKind.CRAWL,
            started_at=T0,
            finished_at=T0,
        )
        load_batch(
            con,
            "run-2",
            _frames("New title", T1, ["News", "Drones"]),
            kind=RunKind.CRAWL,
            started_at=T1,
            finished_at=T1,
        )
        row = con.execute("SELECT title, first_seen_at, fetched_at FROM articles").fetchall()
        tags = con.execute("SELECT position, tag FROM article_tags ORDER BY position").fetchall()
        runs = con.execute(
            "SELECT run_id, rows_in, state, kind FROM load_runs ORDER BY started_at"
        ).fetchall()
    assert row == [("New title", T0, T1)]
    assert tags == [(0, "News"), (1, "Drones")]
    assert runs == [("run-1", 4, "loaded", "crawl"), ("run-2", 3, "loaded", "crawl")]


def test_a_failing_batch_changes_nothing(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        load_batch(
            con,
            "run-1",
            _frames("Kept", T0, ["News"]),
            kind=RunKind.CRAWL,
            started_at=T0,
            finished_at=T0,
        )
        broken = _frames("Broken", T1, ["News", "Drones"])
        # A NULL in a NOT NULL column fails inside the transaction, after the article upsert.
        broken["article_tags"] = broken["article_tags"].with_columns(
            pl.lit(None, pl.String).alias("tag")
        )
        with pytest.raises(duckdb.ConstraintException):
            load_batch(con, "run-2", broken, kind=RunKind.CRAWL, started_at=T1, finished_at=T1)
        assert con.execute("SELECT title FROM articles").fetchall() == [("Kept",)]
        assert con.execute("SELECT tag FROM article_tags").fetchall() == [("News",)]
        assert con.execute("SELECT run_id FROM load_runs").fetchall() == [("run-1",)]


def test_a_frame_off_contract_is_refused(tmp_path: Path) -> None:
    frames = _frames("T", T0, [])
    frames["articles"] = frames["articles"].with_columns(pl.col("word_count").cast(pl.Int64))
    with (
        connect(tmp_path / "w.duckdb") as con,
        pytest.raises(TypeError, match="frame 'articles' has schema"),
    ):
        load_batch(con, "run-1", frames, kind=RunKind.CRAWL, started_at=T0, finished_at=T0)


def _observations(rows: list[tuple[datetime, int, str]]) -> dict[str, pl.DataFrame]:
    frames = {name: pl.DataFrame(schema=schema) for name, schema in TABLES.items()}
    frames["feed_observations"] = pl.DataFrame(
        [
            {
                "observed_at": at,
                "page_url": "https://global.espreso.tv/news",
                "position": p,
                "url": u,
            }
            for at, p, u in rows
        ],
        schema=TABLES["feed_observations"],
    )
    return frames


def test_feed_observations_already_there_are_skipped(tmp_path: Path) -> None:
    """No primary key on this table (migration 005): the load's anti-join keeps one row per
    (observed_at, page_url, position), and `integrity_problems` checks that it does."""
    with connect(tmp_path / "w.duckdb") as con:
        first = [(T0, 0, "https://global.espreso.tv/a"), (T0, 1, "https://global.espreso.tv/b")]
        again = [(T0, 1, "https://global.espreso.tv/b"), (T1, 0, "https://global.espreso.tv/c")]
        load_batch(
            con, "run-1", _observations(first), kind=RunKind.CRAWL, started_at=T0, finished_at=T0
        )
        load_batch(
            con, "run-2", _observations(again), kind=RunKind.CRAWL, started_at=T1, finished_at=T1
        )
        assert con.execute(
            "SELECT observed_at, position, url FROM feed_observations ORDER BY ALL"
        ).fetchall() == [
            (T0, 0, "https://global.espreso.tv/a"),
            (T0, 1, "https://global.espreso.tv/b"),
            (T1, 0, "https://global.espreso.tv/c"),
        ]
        assert "feed observations stored twice" not in " ".join(integrity_problems(con))
        con.execute("INSERT INTO feed_observations SELECT * FROM feed_observations LIMIT 1")
        assert "1 feed observations stored twice" in integrity_problems(con)
