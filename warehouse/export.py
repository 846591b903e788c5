"""Export: each warehouse table as Parquet, hive-partitioned by Kyiv date (`kyiv_date=YYYY-MM-DD/`)."""

from __future__ import annotations

from pathlib import Path

import duckdb

KYIV_DATE = "CAST(timezone('Europe/Kyiv', {}) AS DATE)"
# The instant that dates each table's rows; child tables take their article's date.
EXPORTS: dict[str, str] = {
    "articles": f"SELECT *, {KYIV_DATE.format('published_at')} AS kyiv_date FROM articles",
    "article_tags": f"SELECT t.*, {KYIV_DATE.format('a.published_at')} AS kyiv_date FROM article_tags t JOIN articles a USING (url)",
    "article_related": f"SELECT r.*, {KYIV_DATE.format('a.published_at')} AS kyiv_date FROM article_related r JOIN articles a USING (url)",
    "feed_items": f"SELECT *, {KYIV_DATE.format('coalesce(published_at, first_seen_at)')} AS kyiv_date FROM feed_items",
    "feed_observations": f"SELECT *, {KYIV_DATE.format('observed_at')} AS kyiv_date FROM feed_observations",
    "headline_sources": (
        f"SELECT h.*, {KYIV_DATE.format('coalesce(a.published_at, f.published_at, f.first_seen_at)')} AS kyiv_date "
        "FROM headline_sources h LEFT JOIN articles a USING (url) LEFT JOIN feed_items f USING (url)"
    ),
    "fetch_log": f"SELECT *, {KYIV_DATE.format('requested_at')} AS kyiv_date FROM fetch_log",
    "quarantine": f"SELECT *, {KYIV_DATE.format('quarantined_at')} AS kyiv_date FROM quarantine",
    "load_runs": f"SELECT *, {KYIV_DATE.format('started_at')} AS kyiv_date FROM load_runs",
}


def export_parquet(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    """Write `<folder>/<table>/kyiv_date=…/*.parquet` for every table; return rows per table."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for table, query in EXPORTS.items():
        target = folder / table
        con.execute(
            f"COPY ({query}) TO '{target}' (FORMAT parquet, PARTITION_BY (kyiv_date), OVERWRITE_OR_IGNORE)"
        )
        count = con.execute(f"SELECT count(*) FROM ({query})").fetchone()
        written[table] = count[0] if count else 0
    return written
