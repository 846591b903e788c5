"""Search answers the same after the move to the lake: the bundled snapshot in a DuckDB-file
warehouse with its index built as newsflow built it there (`PRAGMA create_fts_index` on the file's
`articles`), the same file moved by `migrate_warehouse`, and a lake that ingested the snapshot give
the same articles, in the same order, with the same BM25 scores."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from tests.integration.test_analyst_warehouse import MINERALS
from warehouse.connection import connect
from warehouse.convert import migrate_warehouse
from warehouse.export import warehouse_tables
from warehouse.migrate import migrate
from warehouse.search import Hit, load_fts, search

# Words of the snapshot's titles, each in several articles (one in all but a few).
QUERIES = ["Pokrovsk", "drones", "Russia", "Kupiansk", "air defense", "talks Ukraine", "expert"]

# As newsflow indexed a DuckDB-file warehouse before the lake (warehouse/search.py on main).
_OLD_INDEX = (
    "PRAGMA create_fts_index('articles', 'url', 'title', 'lead', 'body_text', "
    "stemmer = 'english', stopwords = 'english', overwrite = 1)"
)
_OLD_MACRO = """
CREATE OR REPLACE MACRO search_articles(q) AS TABLE
SELECT score, url, title, badge, published_at, kyiv_date, kyiv_time, lead
FROM (SELECT *, fts_main_articles.match_bm25(url, q) AS score FROM v_articles)
WHERE score IS NOT NULL
ORDER BY score DESC, published_at DESC
"""

KUPIANSK = "russia-ukraine-war-ukrainian-defenders-repelled-14-assaults-in-the-kupiansk-direction"

Ranked = list[tuple[str, float]]


def _old_format_warehouse(lake: Path, file: Path) -> None:
    """A DuckDB-file warehouse (the file migrations, with their keys) holding the lake's rows,
    indexed in the file itself."""
    with duckdb.connect(str(file)) as old:
        old.execute("SET TimeZone = 'UTC'")
        migrate(old)
    with connect(lake, read_only=True) as con:
        con.execute(f"ATTACH '{file}' AS old_file")
        for table in warehouse_tables(con):
            if table != "schema_migrations":
                con.execute(f'INSERT INTO old_file."{table}" BY NAME SELECT * FROM "{table}"')
        con.execute("DETACH old_file")
    with duckdb.connect(
        str(file),
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
    ) as old:
        load_fts(old)
        old.execute(_OLD_INDEX)
        old.execute(_OLD_MACRO)


def _ranked(con: duckdb.DuckDBPyConnection, query: str) -> Ranked:
    """Every match of `query` from the `search_articles` macro: (url, score), best first."""
    return [
        (str(url), float(score))
        for url, score in con.execute(
            "SELECT url, score FROM search_articles(?)", [query]
        ).fetchall()
    ]


def _answers(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, Ranked], dict[str, list[Hit]]]:
    """What each query gets: all matches from the macro, and `search`'s first ten hits."""
    load_fts(con)
    return (
        {query: _ranked(con, query) for query in QUERIES},
        {query: search(con, query) for query in QUERIES},
    )


def _same(found: dict[str, Ranked], expected: dict[str, Ranked]) -> None:
    """Same urls in the same order, scores equal to 1e-9."""
    for query in QUERIES:
        assert [url for url, _ in found[query]] == [url for url, _ in expected[query]], query
        for (url, score), (_, wanted) in zip(found[query], expected[query], strict=True):
            assert score == pytest.approx(wanted, abs=1e-9), (query, url)


def _cli(warehouse: Path, query: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["search", query, "--limit", "20", "--warehouse", str(warehouse)]) == 0
    return capsys.readouterr().out


def test_search_on_the_lake_answers_as_on_the_duckdb_file(
    snapshot_run: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, ingested = snapshot_run
    file = tmp_path / "old.duckdb"
    _old_format_warehouse(ingested, file)
    with duckdb.connect(str(file), read_only=True) as old:
        load_fts(old)
        assert old.execute("SELECT count(*) FROM articles").fetchall() == [(21,)]
        ranked, hits = _answers(old)
    # The queries hit several articles each, with distinct scores (the order is the score's).
    assert {query: len(found) for query, found in ranked.items()} == {
        "Pokrovsk": 4,
        "drones": 10,
        "Russia": 6,
        "Kupiansk": 2,
        "air defense": 11,
        "talks Ukraine": 11,
        "expert": 3,
    }
    assert all(len({score for _, score in found}) == len(found) for found in ranked.values())
    assert ranked["Kupiansk"][0][0].endswith(f"/{KUPIANSK}")
    assert ranked["talks Ukraine"][0][0].endswith(f"/{MINERALS}")
    moved = tmp_path / "moved.ducklake"
    migrate_warehouse(file, moved)
    for lake in (moved, ingested):
        with connect(lake, read_only=True) as con:
            lake_ranked, lake_hits = _answers(con)
        _same(lake_ranked, ranked)
        for query in QUERIES:
            assert [
                (h.url, h.title, h.kyiv_date, h.kyiv_time, h.snippet) for h in lake_hits[query]
            ] == [(h.url, h.title, h.kyiv_date, h.kyiv_time, h.snippet) for h in hits[query]], query
            assert [h.score for h in lake_hits[query]] == pytest.approx(
                [h.score for h in hits[query]], abs=1e-9
            )
    for query in QUERIES:
        printed = _cli(moved, query, capsys)
        assert printed == _cli(ingested, query, capsys)
        assert [line.rsplit(" · ", 1)[1] for line in printed.splitlines()[1::3]] == [
            url for url, _ in ranked[query]
        ][:20]
