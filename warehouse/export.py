"""Export: every table of the warehouse as Parquet, one folder per table.

The tables are read from the warehouse itself (`duckdb_tables()`), so a table added by a migration is
exported without a change here. A table whose rows have an instant of their own is partitioned by
its Kyiv date (`<table>/kyiv_date=YYYY-MM-DD/*.parquet`); any other table is one file
(`<table>/data_0.parquet`). Folders are 0700 and files 0600: an export holds what the warehouse holds.

For one outlet (`export --outlet`), every table with an `outlet` column holds only that outlet's
rows; `article_revisions` those of its articles, `quarantine` the records whose URL is on its site.
The tables that belong to no outlet (the General Staff series the loss reports are checked
against, the runs, the backfill's state, the migrations) are written whole.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sources.outlets import Outlet
from warehouse.connection import owner_only

EXPORTED_SCHEMA = "main"
PARTITION_COLUMN = "kyiv_date"
UNPARTITIONED_FILE = "data_0.parquet"

_ARTICLE_PUBLISHED = (
    "its article's published_at",
    "(SELECT a.published_at FROM articles AS a WHERE a.url = t.url)",
)
_STATED = ("stated_at", "t.stated_at")
# What dates each table's rows: (as `export` names it, the SQL over the table as `t`).
DATED_BY: dict[str, tuple[str, str]] = {
    "articles": ("published_at", "t.published_at"),
    "article_tags": _ARTICLE_PUBLISHED,
    "article_related": _ARTICLE_PUBLISHED,
    "article_revisions": ("fetched_at", "t.fetched_at"),
    "feed_items": ("published_at, else first_seen_at", "coalesce(t.published_at, t.first_seen_at)"),
    "feed_observations": ("observed_at", "t.observed_at"),
    "headline_sources": (
        "its article's or feed item's published_at",
        f"coalesce({_ARTICLE_PUBLISHED[1]}, (SELECT coalesce(f.published_at, f.first_seen_at) "
        "FROM feed_items AS f WHERE f.url = t.url))",
    ),
    "fetch_log": ("requested_at", "t.requested_at"),
    "quarantine": ("quarantined_at", "t.quarantined_at"),
    "load_runs": ("started_at", "t.started_at"),
    "loss_reports": _STATED,
    "strike_events": _STATED,
    "combat_reports": _STATED,
    "prisoner_exchanges": _STATED,
    "places": _ARTICLE_PUBLISHED,
}
# Tables written as one file, and why they have no date to split by.
UNDATED: dict[str, str] = {
    "official_losses": "a daily series; its day column dates each row",
    "backfill_progress": "the state of the backfill windows",
    "backfill_queue": "the state of the backfill windows",
    "schema_migrations": "the warehouse's migration history",
}
NOT_DECLARED = "no dating instant declared in warehouse/export.py"
OUTLET_COLUMN = "outlet"
# Tables without an `outlet` column whose rows still come from an outlet: the SQL over the table
# as `t` choosing one outlet's rows ($outlet its name, $site its base URL).
OUTLET_OF: dict[str, str] = {
    "article_revisions": f"t.url IN (SELECT url FROM articles WHERE {OUTLET_COLUMN} = $outlet)",
    # A record kept out of its table has no outlet column: its URL says where it came from.
    "quarantine": "((t.record ->> 'url') = $site OR starts_with(t.record ->> 'url', $site || '/'))",
}
WHOLE = "belongs to no outlet: written whole"


@dataclass(frozen=True, slots=True)
class Exported:
    """One table's export: its rows, its folder, the instant whose Kyiv date partitions it and
    into how many dates (None: one file, and why); for one outlet, why the table was written
    whole (None: only the outlet's rows)."""

    table: str
    rows: int
    folder: Path
    dated_by: str | None
    partitions: int
    why_one_file: str | None
    why_whole: str | None = None

    @property
    def layout(self) -> str:
        """Where the files are, under the table's folder, as `export` prints it."""
        if self.dated_by is None:
            return f"{self.folder}/{UNPARTITIONED_FILE}"
        return f"{self.folder}/{PARTITION_COLUMN}=YYYY-MM-DD/*.parquet"


# The lake's own bookkeeping, no data: the row every load bumps to take its turn.
NOT_EXPORTED = ("load_turn",)


def left_out(index: Path) -> str:
    """What `export` leaves out, and how it comes back: the search index, the DuckDB file `index`
    beside the lake (not a table of it)."""
    return (
        f"the search index {index}, a file beside the lake that the runs loading articles "
        "(run, backfill, reparse) rebuild: after adding articles, and whenever it is missing"
    )


def warehouse_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every base table of the warehouse's own schema, by name (but `NOT_EXPORTED`)."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = ? AND NOT internal "
        "AND database_name = current_database() AND table_name NOT IN (SELECT unnest(?)) "
        "ORDER BY table_name",
        [EXPORTED_SCHEMA, list(NOT_EXPORTED)],
    ).fetchall()
    return [str(name) for (name,) in rows]


def outlet_filter(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    """The SQL over `table` as `t` choosing one outlet's rows (see `OUTLET_OF`); None when the
    table belongs to no outlet."""
    if table in OUTLET_OF:
        return OUTLET_OF[table]
    found = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = ? AND table_name = ? AND column_name = ?",
        [EXPORTED_SCHEMA, table, OUTLET_COLUMN],
    ).fetchone()
    return f"t.{OUTLET_COLUMN} = $outlet" if found and found[0] else None


def _kyiv_dated(table: str, instant: str, where: str) -> str:
    return (
        f"SELECT t.*, CAST(timezone('Europe/Kyiv', {instant}) AS DATE) AS {PARTITION_COLUMN} "
        f'FROM "{table}" AS t WHERE {where}'
    )


def _owner_only_tree(folder: Path) -> None:
    folder.chmod(0o700)
    for path in folder.rglob("*"):
        if path.is_dir():
            path.chmod(0o700)
        else:
            owner_only(path)


def export_table(
    con: duckdb.DuckDBPyConnection, table: str, folder: Path, outlet: Outlet | None = None
) -> Exported:
    """Write one table under `folder/<table>/`, replacing an earlier export of it; with `outlet`,
    only that outlet's rows when the table has any outlet's (see `outlet_filter`)."""
    target = folder / table
    chosen = outlet_filter(con, table) if outlet else None
    where = chosen or "true"
    given = {"outlet": outlet.name, "site": outlet.base_url} if outlet and chosen else {}
    params = {k: v for k, v in given.items() if f"${k}" in where}  # DuckDB refuses unused ones
    rows_row = con.execute(f'SELECT count(*) FROM "{table}" AS t WHERE {where}', params).fetchone()
    rows = int(rows_row[0]) if rows_row else 0
    dating = DATED_BY.get(table)
    # An empty table still gets a file, so its columns are there for whoever reads the export.
    dated_by = dating if rows else None
    staging = Path(tempfile.mkdtemp(prefix=f".{table}-", dir=folder))  # 0700 from the start
    try:
        if dated_by is None:
            con.execute(
                f'COPY (SELECT * FROM "{table}" AS t WHERE {where}) '
                f"TO '{staging / UNPARTITIONED_FILE}' (FORMAT parquet)",
                params,
            )
        else:
            con.execute(
                f"COPY ({_kyiv_dated(table, dated_by[1], where)}) TO '{staging}' "
                f"(FORMAT parquet, PARTITION_BY ({PARTITION_COLUMN}), OVERWRITE_OR_IGNORE)",
                params,
            )
        _owner_only_tree(staging)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    partitions = len(list(target.glob(f"{PARTITION_COLUMN}=*"))) if dated_by else 0
    why = None
    if dating is None:
        why = UNDATED.get(table, NOT_DECLARED)
    elif not rows:
        why = "empty"
    whole = WHOLE if outlet and chosen is None else None
    return Exported(table, rows, target, dated_by[0] if dated_by else None, partitions, why, whole)


def export_parquet(
    con: duckdb.DuckDBPyConnection, folder: Path, outlet: Outlet | None = None
) -> list[Exported]:
    """Write every table of the warehouse under `folder` (created 0700 when missing); with
    `outlet`, only its rows of the tables holding any outlet's."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return [export_table(con, table, folder, outlet) for table in warehouse_tables(con)]
