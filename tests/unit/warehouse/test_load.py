"""The DuckDB warehouse: the contract's schema, and loads that are atomic and idempotent."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from transforms.schemas import TABLES
from warehouse.db import connect, integrity_problems, load_batch, migrations

T0 = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
T1 = datetime(2025, 10, 27, 9, 10, tzinfo=UTC)

CONTRACT = {
    "articles": [
        ("url", "VARCHAR", "NO"), ("source", "VARCHAR", "NO"), ("slug", "VARCHAR", "NO"),
        ("section", "VARCHAR", "YES"), ("badge", "VARCHAR", "YES"), ("title", "VARCHAR", "NO"),
        ("lead", "VARCHAR", "YES"), ("author", "VARCHAR", "YES"), ("author_url", "VARCHAR", "YES"),
        ("published_at", "TIMESTAMP WITH TIME ZONE", "NO"), ("modified_at", "TIMESTAMP WITH TIME ZONE", "YES"),
        ("body_text", "VARCHAR", "NO"), ("word_count", "INTEGER", "NO"), ("image_url", "VARCHAR", "YES"),
        ("language", "VARCHAR", "YES"), ("content_hash", "VARCHAR", "NO"),
        ("first_seen_at", "TIMESTAMP WITH TIME ZONE", "NO"), ("fetched_at", "TIMESTAMP WITH TIME ZONE", "NO"),
    ],
    "article_tags": [("url", "VARCHAR", "NO"), ("position", "INTEGER", "NO"), ("tag", "VARCHAR", "NO"), ("tag_url", "VARCHAR", "YES")],
    "article_related": [("url", "VARCHAR", "NO"), ("position", "INTEGER", "NO"), ("related_url", "VARCHAR", "NO"), ("related_title", "VARCHAR", "YES")],
    "feed_items": [
        ("url", "VARCHAR", "NO"), ("title", "VARCHAR", "NO"), ("subtitle", "VARCHAR", "YES"), ("badge", "VARCHAR", "YES"),
        ("published_at", "TIMESTAMP WITH TIME ZONE", "YES"), ("first_seen_at", "TIMESTAMP WITH TIME ZONE", "NO"),
        ("last_seen_at", "TIMESTAMP WITH TIME ZONE", "NO"),
    ],
    "feed_observations": [
        ("observed_at", "TIMESTAMP WITH TIME ZONE", "NO"), ("page_url", "VARCHAR", "NO"),
        ("position", "INTEGER", "NO"), ("url", "VARCHAR", "NO"),
    ],
}  # fmt: skip


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, str]]:
    return [(r[0], r[1], r[2]) for r in con.execute(f"DESCRIBE {table}").fetchall()]


def test_schema_is_the_contract(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        for table, columns in CONTRACT.items():
            assert _columns(con, table) == columns
        assert [r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()] == [
            v for v, _ in migrations()
        ]


def test_frames_match_table_columns(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        for table, schema in TABLES.items():
            assert [c[0] for c in _columns(con, table)] == schema.names()


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
            started_at=T0,
            finished_at=T0,
        )
        load_batch(
            con,
            "run-2",
            _frames("New title", T1, ["News", "Drones"]),
            started_at=T1,
            finished_at=T1,
        )
        row = con.execute("SELECT title, first_seen_at, fetched_at FROM articles").fetchall()
        tags = con.execute("SELECT position, tag FROM article_tags ORDER BY position").fetchall()
        runs = con.execute(
            "SELECT run_id, rows_in, state FROM load_runs ORDER BY started_at"
        ).fetchall()
    assert row == [("New title", T0, T1)]
    assert tags == [(0, "News"), (1, "Drones")]
    assert runs == [("run-1", 4, "loaded"), ("run-2", 3, "loaded")]


def test_a_failing_batch_changes_nothing(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        load_batch(con, "run-1", _frames("Kept", T0, ["News"]), started_at=T0, finished_at=T0)
        broken = _frames("Broken", T1, ["News", "Drones"])
        # A NULL in a NOT NULL column fails inside the transaction, after the article upsert.
        broken["article_tags"] = broken["article_tags"].with_columns(
            pl.lit(None, pl.String).alias("tag")
        )
        with pytest.raises(duckdb.ConstraintException):
            load_batch(con, "run-2", broken, started_at=T1, finished_at=T1)
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
        load_batch(con, "run-1", frames, started_at=T0, finished_at=T0)


def test_feed_dwell_and_freshness_minutes(tmp_path: Path) -> None:
    site = "https://global.espreso.tv"
    with connect(tmp_path / "w.duckdb") as con:
        # Page 1 read at 09:00, 09:10 and 09:40 UTC; page 2 once. "a" is in the top 10 at the first two reads
        # (10 + 30 minutes until the next read), "b" only at the last read (no later read: 0 minutes).
        con.execute(
            f"""INSERT INTO feed_observations VALUES
            ('2025-10-27 09:00:00+00', '{site}/news', 0, '{site}/a'),
            ('2025-10-27 09:00:00+00', '{site}/news', 11, '{site}/b'),
            ('2025-10-27 09:10:00+00', '{site}/news', 3, '{site}/a'),
            ('2025-10-27 09:40:00+00', '{site}/news', 12, '{site}/a'),
            ('2025-10-27 09:40:00+00', '{site}/news', 2, '{site}/b'),
            ('2025-10-27 09:41:00+00', '{site}/news?page=2', 0, '{site}/c')"""
        )
        con.execute(
            f"""INSERT INTO feed_items VALUES
            ('{site}/a', 'A', NULL, NULL, '2025-10-27 08:45:00+00', '2025-10-27 09:00:00+00', '2025-10-27 09:40:00+00'),
            ('{site}/b', 'B', NULL, NULL, '2025-10-27 08:59:00+00', '2025-10-27 09:00:00+00', '2025-10-27 09:40:00+00')"""
        )
        con.execute(
            f"""INSERT INTO articles VALUES ('{site}/a', 'espreso-global', 'a', NULL, NULL, 'A', NULL, NULL, NULL,
            '2025-10-27 08:45:00+00', NULL, 'x', 1, NULL, 'en', 'h', '2025-10-27 09:02:00+00', '2025-10-27 09:02:00+00')"""
        )
        dwell = con.execute(
            "SELECT url, best_position, minutes_in_top10, observations, first_seen_at, last_seen_at FROM v_feed_dwell ORDER BY url"
        ).fetchall()
        fresh = con.execute(
            "SELECT url, first_seen_at, minutes_to_first_seen FROM v_freshness"
        ).fetchall()
    assert dwell == [
        (
            f"{site}/a",
            0,
            40.0,
            3,
            datetime(2025, 10, 27, 9, 0, tzinfo=UTC),
            datetime(2025, 10, 27, 9, 40, tzinfo=UTC),
        ),
        (
            f"{site}/b",
            2,
            0.0,
            2,
            datetime(2025, 10, 27, 9, 0, tzinfo=UTC),
            datetime(2025, 10, 27, 9, 40, tzinfo=UTC),
        ),
        (
            f"{site}/c",
            None,
            0.0,
            1,
            datetime(2025, 10, 27, 9, 41, tzinfo=UTC),
            datetime(2025, 10, 27, 9, 41, tzinfo=UTC),
        ),
    ]
    # Seen in the feed (09:00) before the page was fetched (09:02): 15 minutes after publication.
    assert fresh == [(f"{site}/a", datetime(2025, 10, 27, 9, 0, tzinfo=UTC), 15)]


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
        load_batch(con, "run-1", _observations(first), started_at=T0, finished_at=T0)
        load_batch(con, "run-2", _observations(again), started_at=T1, finished_at=T1)
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
