"""`facts_current` and `facts_due`: the facts tables are current until an article, a revision or
the official series changes after they were drawn (the articles changed are drawn again, every
article after an official change or a change of rules); a load that touches only the feed leaves
them current."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from transforms.schemas import FACT_TABLES, OFFICIAL_LOSSES, TABLES
from warehouse.connection import connect
from warehouse.facts import (
    EVERY_FACT,
    FactsDue,
    fact_sources,
    facts_current,
    facts_due,
    replace_facts,
    replace_official,
)
from warehouse.lake import LAKE
from warehouse.load import load_batch
from warehouse.runs import RunKind, record_run

T0 = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
URL = "https://global.espreso.tv/russia-ukraine-war-x"


def _crawl(title: str | None, feed_seen_at: datetime) -> dict[str, pl.DataFrame]:
    """A crawl's frames: one feed row seen at `feed_seen_at`, and the article when `title` is given."""
    frames = {name: pl.DataFrame(schema=schema) for name, schema in TABLES.items()}
    frames["feed_observations"] = pl.DataFrame(
        [{"observed_at": feed_seen_at, "page_url": "https://global.espreso.tv/news", "position": 0, "url": URL}],
        schema=TABLES["feed_observations"],
    )  # fmt: skip
    if title is not None:
        frames["articles"] = pl.DataFrame(
            [{
                "url": URL, "source": "espreso-global", "slug": "russia-ukraine-war-x", "section": "War",
                "badge": None, "title": title, "lead": "Lead", "author": None, "author_url": None,
                "published_at": T0, "modified_at": None, "body_text": "One two three", "word_count": 3,
                "image_url": None, "language": "en", "content_hash": title, "first_seen_at": T0,
                "fetched_at": feed_seen_at,
            }],
            schema=TABLES["articles"],
        )  # fmt: skip
    return frames


def _load(con: duckdb.DuckDBPyConnection, run_id: str, frames: dict[str, pl.DataFrame]) -> None:
    load_batch(con, run_id, frames, kind=RunKind.CRAWL, started_at=T0, finished_at=T0)


RULES = "0123456789abcdef"


def _draw(
    con: duckdb.DuckDBPyConnection, run_id: str, rules: str = RULES, drawn_from: int | None = None
) -> None:
    # As `draw_facts` does: the articles read at the newest snapshot, unless told otherwise.
    if drawn_from is None:
        found = con.execute(f"SELECT id FROM {LAKE}.current_snapshot()").fetchone()
        drawn_from = int(found[0]) if found else None
    empty = {name: pl.DataFrame(schema=schema) for name, schema in FACT_TABLES.items()}
    held = pl.DataFrame(schema=TABLES["quarantine"])
    replace_facts(con, run_id, empty, held, T0, rules=rules, drawn_from=drawn_from)


def test_facts_are_current_until_what_they_are_drawn_from_changes(tmp_path: Path) -> None:
    with connect(tmp_path / "w.ducklake") as con:
        assert facts_current(con, RULES) is False  # a new lake: never drawn
        _load(con, "run-1", _crawl("Old title", T0))
        assert facts_current(con, RULES) is False
        _draw(con, "facts-1")
        assert facts_current(con, RULES) is True
        # A run that saw the feed again and loaded no article: the facts stay current.
        _load(con, "run-2", _crawl(None, datetime(2025, 10, 27, 9, 10, tzinfo=UTC)))
        assert facts_current(con, RULES) is True
        # An edited article (its old version kept in article_revisions): drawn again.
        _load(con, "run-3", _crawl("New title", datetime(2025, 10, 27, 9, 20, tzinfo=UTC)))
        assert facts_current(con, RULES) is False
        _draw(con, "facts-2")
        assert facts_current(con, RULES) is True
        official = pl.DataFrame(schema=OFFICIAL_LOSSES)
        replace_official(con, official, "official-1", pl.DataFrame(schema=TABLES["fetch_log"]), T0)
        # Emptying an empty series changes no row: still current.
        assert facts_current(con, RULES) is True
        con.execute("DELETE FROM article_revisions")  # the old version of run-3's edit
        assert facts_current(con, RULES) is False


def test_facts_drawn_by_other_rules_are_not_current(tmp_path: Path) -> None:
    with connect(tmp_path / "w.ducklake") as con:
        _load(con, "run-1", _crawl("Old title", T0))
        _draw(con, "facts-1", rules="rules-before")
        assert facts_current(con, "rules-before") is True
        # An upgrade or an edited rule: the same articles, other rules.
        assert facts_current(con, RULES) is False
        _draw(con, "facts-2")
        assert facts_current(con, RULES) is True
        assert facts_current(con, "rules-before") is False
        assert con.execute("SELECT run_id, rules FROM load_runs WHERE kind = 'facts' ORDER BY run_id").fetchall() == [
            ("facts-1", "rules-before"),
            ("facts-2", RULES),
        ]  # fmt: skip


def test_a_facts_load_from_before_rules_were_recorded_is_not_current(tmp_path: Path) -> None:
    with connect(tmp_path / "w.ducklake") as con:
        _load(con, "run-1", _crawl("Old title", T0))
        # As a facts load written before load_runs had `rules` reads.
        record_run(con, "facts-1", RunKind.FACTS, started_at=T0, finished_at=T0, rows_in=0,
                   rows_loaded=0, rows_quarantined=0)  # fmt: skip
        assert facts_current(con, RULES) is False


def test_the_articles_changed_since_the_facts_were_drawn_are_due(tmp_path: Path) -> None:
    other = f"{URL}-2"
    with connect(tmp_path / "w.ducklake") as con:
        assert facts_due(con, RULES) == EVERY_FACT
        _load(con, "run-1", _crawl("Old title", T0))
        _draw(con, "facts-1")
        assert facts_due(con, RULES) == FactsDue(frozenset())
        edited = _crawl("New title", datetime(2025, 10, 27, 9, 20, tzinfo=UTC))
        added = _crawl("Another", datetime(2025, 10, 27, 9, 20, tzinfo=UTC))
        added["articles"] = added["articles"].with_columns(url=pl.lit(other))
        _load(
            con, "run-2", {**edited, "articles": pl.concat([edited["articles"], added["articles"]])}
        )
        assert facts_due(con, RULES) == FactsDue(frozenset({URL, other}))
        assert facts_due(con, "other-rules") == EVERY_FACT
        sources = fact_sources(con, RULES, every=False)
        assert sources.due == FactsDue(frozenset({URL, other}))
        # Both versions of the edited article, and the new one's.
        assert [(v.url, v.title, v.current) for v in sources.versions] == [
            (URL, "Old title", False),
            (URL, "New title", True),
            (other, "Another", True),
        ]
        assert fact_sources(con, RULES, every=True).due == EVERY_FACT


def test_a_load_while_the_facts_were_drawn_is_drawn_next_time(tmp_path: Path) -> None:
    with connect(tmp_path / "w.ducklake") as con:
        _load(con, "run-1", _crawl("Old title", T0))
        sources = fact_sources(con, RULES, every=False)
        assert (sources.due, [v.title for v in sources.versions]) == (EVERY_FACT, ["Old title"])
        # An ingest commits after the articles were read, before the facts are loaded.
        _load(con, "run-2", _crawl("New title", datetime(2025, 10, 27, 9, 20, tzinfo=UTC)))
        _draw(con, "facts-1", drawn_from=sources.snapshot)
        assert facts_due(con, RULES) == FactsDue(frozenset({URL}))
        again = fact_sources(con, RULES, every=False)
        assert [v.title for v in again.versions] == ["Old title", "New title"]
        _draw(con, "facts-2", drawn_from=again.snapshot)
        assert facts_due(con, RULES).current
        assert con.execute(
            "SELECT run_id, drawn_from FROM load_runs WHERE kind = 'facts' ORDER BY run_id"
        ).fetchall() == [("facts-1", sources.snapshot), ("facts-2", again.snapshot)]
        assert sources.snapshot < again.snapshot
