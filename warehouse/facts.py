"""Reads and loads of the facts tables and the official series."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import duckdb
import polars as pl

from transforms.facts import ArticleVersion
from transforms.schemas import FACT_TABLES, OFFICIAL_LOSSES
from warehouse.lake import LAKE
from warehouse.runs import RunKind, record_run
from warehouse.transaction import load_transaction

# Every version of every article whose headline or lead differs from the version before it:
# older ones from `article_revisions`, the current one from `articles`. A version is stated at
# its modification time; without one, the first version at its publication and later ones when
# newsflow fetched them. The last version kept says what the site shows now (`current`).
_VERSIONS = """
WITH versions AS (
    SELECT url, title, coalesce(lead, '') AS lead, modified_at, fetched_at, 0 AS latest
    FROM article_revisions
    UNION ALL
    SELECT url, title, coalesce(lead, ''), modified_at, fetched_at, 1 FROM articles
),
ordered AS (
    SELECT v.*, a.published_at, a.outlet,
        row_number() OVER w AS n,
        lag(v.title || chr(31) || v.lead) OVER w AS before
    FROM versions AS v JOIN articles AS a USING (url)
    WINDOW w AS (PARTITION BY v.url ORDER BY v.fetched_at, v.latest)
),
changed AS (
    SELECT * FROM ordered WHERE before IS NULL OR before <> title || chr(31) || lead
)
SELECT url,
    coalesce(modified_at, CASE WHEN n = 1 THEN published_at ELSE fetched_at END) AS stated_at,
    CAST(timezone('Europe/Kyiv', published_at) AS DATE) AS published,
    title, lead,
    n = max(n) OVER (PARTITION BY url) AS current,
    outlet
FROM changed
ORDER BY url, n
"""


# The tables the facts are drawn from: the versions of the articles (`_VERSIONS`) and the official
# series each loss report is set beside.
FACT_SOURCES = ("articles", "article_revisions", "official_losses")


def _changed_rows(con: duckdb.DuckDBPyConnection, table: str, first: int, last: int) -> int:
    """Rows of `table` inserted, updated or deleted by the lake's snapshots `first` to `last`."""
    found = con.execute(
        f"SELECT count(*) FROM ducklake_table_changes('{LAKE}', 'main', '{table}', {first}, {last})"
    ).fetchone()
    return int(found[0]) if found else 0


def facts_current(con: duckdb.DuckDBPyConnection, rules: str) -> bool:
    """Whether the facts tables were drawn by `rules` (their fingerprint) after the last change
    to any of `FACT_SOURCES`, so drawing them again would give the same rows. False when no facts
    load is among the lake's snapshots still kept (expired, or never drawn), or the last one was
    drawn by other rules."""
    first, last = con.execute(
        f"SELECT min(snapshot_id), max(snapshot_id) FROM ducklake_snapshots('{LAKE}')"
    ).fetchone() or (None, None)
    if first is None or last is None:
        return False
    drawn = con.execute(
        "SELECT snapshot_id, rules FROM ducklake_table_changes"
        f"('{LAKE}', 'main', 'load_runs', {int(first)}, {int(last)}) "
        "WHERE change_type = 'insert' AND kind = 'facts' ORDER BY snapshot_id DESC LIMIT 1"
    ).fetchone()
    if drawn is None or drawn[1] != rules:
        return False
    after = int(drawn[0]) + 1
    return after > last or not any(
        _changed_rows(con, table, after, int(last)) for table in FACT_SOURCES
    )


def article_versions(con: duckdb.DuckDBPyConnection) -> list[ArticleVersion]:
    """Every stated version of every article (see `_VERSIONS`), oldest first per article."""
    return [ArticleVersion(*row) for row in con.execute(_VERSIONS).fetchall()]


def official_series(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The `official_losses` table as a frame."""
    return con.execute("SELECT * FROM official_losses").pl().cast(OFFICIAL_LOSSES)


def replace_official(
    con: duckdb.DuckDBPyConnection,
    official: pl.DataFrame,
    run_id: str,
    requests: pl.DataFrame,
    started_at: datetime,
) -> int:
    """Replace the official series whole, in one transaction with the requests that fetched it
    (`fetch_log` rows) and the run's `load_runs` row (kind official); return its rows."""
    rows = official.height + requests.height

    def write() -> None:
        con.execute("DELETE FROM official_losses")
        con.execute("INSERT INTO official_losses BY NAME SELECT * FROM batch_official")
        con.execute("INSERT INTO fetch_log BY NAME SELECT * FROM batch_requests")
        record_run(
            con,
            run_id,
            RunKind.OFFICIAL,
            started_at=started_at,
            finished_at=None,
            rows_in=rows,
            rows_loaded=rows,
            rows_quarantined=0,
        )

    con.register("batch_official", official.to_arrow())
    con.register("batch_requests", requests.to_arrow())
    try:
        load_transaction(con, write)
    finally:
        con.unregister("batch_official")
        con.unregister("batch_requests")
    return official.height


def replace_facts(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    frames: Mapping[str, pl.DataFrame],
    held: pl.DataFrame,
    started_at: datetime,
    *,
    rules: str,
) -> dict[str, int]:
    """Replace every facts table, and the facts' rows in `quarantine`, in one transaction (with
    the run's `load_runs` row, kind facts, naming the `rules` that drew them): the facts are
    derived whole from the articles each time. Returns the rows per table."""
    loaded = sum(frames[name].height for name in FACT_TABLES)

    def write() -> None:
        for name in FACT_TABLES:
            con.execute(f"DELETE FROM {name}")
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM batch_{name}")
        con.execute(
            "DELETE FROM quarantine WHERE table_name IN ("
            + ", ".join(f"'{name}'" for name in FACT_TABLES)
            + ")"
        )
        con.execute("INSERT INTO quarantine BY NAME SELECT * FROM batch_held")
        record_run(
            con,
            run_id,
            RunKind.FACTS,
            started_at=started_at,
            finished_at=None,
            rows_in=loaded + held.height,
            rows_loaded=loaded,
            rows_quarantined=held.height,
            rules=rules,
        )

    for name in FACT_TABLES:
        con.register(f"batch_{name}", frames[name].to_arrow())
    con.register("batch_held", held.to_arrow())
    try:
        load_transaction(con, write)
    finally:
        for name in (*FACT_TABLES, "held"):
            con.unregister(f"batch_{name}")
    return {name: frames[name].height for name in FACT_TABLES}
