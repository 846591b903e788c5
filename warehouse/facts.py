"""Reads and loads of the facts tables and the official series."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
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
    FROM article_revisions {only}
    UNION ALL
    SELECT url, title, coalesce(lead, ''), modified_at, fetched_at, 1 FROM articles {only}
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
ARTICLE_SOURCES = ("articles", "article_revisions")
OFFICIAL_SOURCE = "official_losses"


def _changed_rows(con: duckdb.DuckDBPyConnection, table: str, first: int, last: int) -> int:
    """Rows of `table` inserted, updated or deleted by the lake's snapshots `first` to `last`."""
    found = con.execute(
        f"SELECT count(*) FROM ducklake_table_changes('{LAKE}', 'main', '{table}', {first}, {last})"
    ).fetchone()
    return int(found[0]) if found else 0


@dataclass(frozen=True, slots=True)
class FactsDue:
    """What drawing the facts again would change: the facts of the articles `urls` names (their
    versions changed since the facts were drawn; none: the facts are `current`), or every fact
    (`urls` None)."""

    urls: frozenset[str] | None

    @property
    def current(self) -> bool:
        """Whether drawing the facts again would give the same rows."""
        return self.urls is not None and not self.urls


EVERY_FACT = FactsDue(None)

# The articles whose versions any of the lake's snapshots {first} to {last} changed.
_CHANGED_ARTICLES = " UNION ".join(
    f"SELECT DISTINCT url FROM ducklake_table_changes('{LAKE}', 'main', '{table}', {{first}}, {{last}})"
    for table in ARTICLE_SOURCES
)


# The last facts load: what its articles were read at (`drawn_from`) and the rules that drew it.
LAST_FACTS_LOAD = (
    "SELECT run_id, drawn_from, rules FROM load_runs WHERE kind = 'facts' "
    "ORDER BY finished_at DESC, started_at DESC, run_id DESC LIMIT 1"
)


def facts_due(con: duckdb.DuckDBPyConnection, rules: str, last: int | None = None) -> FactsDue:
    """What the facts tables lack at the lake's snapshot `last` (None: the newest one), by the
    last facts load (`LAST_FACTS_LOAD`): the articles changed after the snapshot it read them at
    (`drawn_from`). Every fact when there is none, it was drawn by other `rules`, it recorded no
    snapshot (a load from before they were recorded) or one no longer kept (expired: what changed
    since is unknown), or the official series (which every loss report is set beside) changed
    since."""
    first, newest = con.execute(
        f"SELECT min(snapshot_id), max(snapshot_id) FROM ducklake_snapshots('{LAKE}')"
    ).fetchone() or (None, None)
    drawn = con.execute(LAST_FACTS_LOAD).fetchone()
    if first is None or newest is None or drawn is None:
        return EVERY_FACT
    _, drawn_from, drawn_by = drawn
    if drawn_by != rules or drawn_from is None or int(drawn_from) < int(first):
        return EVERY_FACT
    last = int(newest) if last is None else last
    after = int(drawn_from) + 1
    if after > last:
        return FactsDue(frozenset())
    if _changed_rows(con, OFFICIAL_SOURCE, after, last):
        return EVERY_FACT
    found = con.execute(_CHANGED_ARTICLES.format(first=after, last=last)).fetchall()
    return FactsDue(frozenset(url for (url,) in found))


def facts_current(con: duckdb.DuckDBPyConnection, rules: str) -> bool:
    """Whether the facts tables were drawn by `rules` after the last change to an article, a
    revision or the official series, so drawing them again would give the same rows (see
    `facts_due`)."""
    return facts_due(con, rules).current


@dataclass(frozen=True, slots=True)
class FactSources:
    """What the facts are drawn from, read at one lake snapshot (`snapshot`): what is `due`,
    the versions of its articles, and the official series."""

    snapshot: int
    due: FactsDue
    versions: list[ArticleVersion]
    official: pl.DataFrame


def fact_sources(con: duckdb.DuckDBPyConnection, rules: str, *, every: bool) -> FactSources:
    """What drawing the facts by `rules` needs, read in one transaction (so a load committed
    meanwhile is after its snapshot, and drawn next time): every article's versions (`every`),
    else those of the articles `facts_due` names."""
    con.execute("BEGIN TRANSACTION")
    try:
        found = con.execute(f"SELECT id FROM {LAKE}.current_snapshot()").fetchone()
        assert found is not None, "a lake always has a snapshot"
        snapshot = int(found[0])
        due = EVERY_FACT if every else facts_due(con, rules, snapshot)
        versions = [] if due.current else article_versions(con, due.urls)
        return FactSources(snapshot, due, versions, official_series(con))
    finally:
        con.execute("COMMIT")


def article_versions(
    con: duckdb.DuckDBPyConnection, urls: frozenset[str] | None = None
) -> list[ArticleVersion]:
    """Every stated version of every article (see `_VERSIONS`), or of those `urls` names,
    oldest first per article."""
    if urls is None:
        return [ArticleVersion(*row) for row in con.execute(_VERSIONS.format(only="")).fetchall()]
    with _registered(con, urls):
        query = _VERSIONS.format(only=f"WHERE url IN (SELECT url FROM {_DUE})")
        return [ArticleVersion(*row) for row in con.execute(query).fetchall()]


# The name under which the URLs of the articles whose facts are drawn are registered.
_DUE = "facts_due_urls"


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, urls: frozenset[str]) -> Iterator[None]:
    con.register(_DUE, pl.DataFrame({"url": sorted(urls)}, schema={"url": pl.String}).to_arrow())
    try:
        yield
    finally:
        con.unregister(_DUE)


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
    urls: frozenset[str] | None = None,
    drawn_from: int | None = None,
) -> dict[str, int]:
    """Replace the facts, and the facts' rows in `quarantine`, in one transaction (with the run's
    `load_runs` row, kind facts, naming the `rules` that drew them and the snapshot their
    articles were read at, `drawn_from`): every fact, or those of the articles `urls` names
    (the facts are derived from each article alone). Returns the rows per table."""
    loaded = sum(frames[name].height for name in FACT_TABLES)
    of_due = "" if urls is None else f"url IN (SELECT url FROM {_DUE})"
    held_of_due = "" if urls is None else f"AND (record->>'url') IN (SELECT url FROM {_DUE})"

    def write() -> None:
        for name in FACT_TABLES:
            con.execute(f"DELETE FROM {name} {'WHERE ' + of_due if of_due else ''}")
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM batch_{name}")
        con.execute(
            "DELETE FROM quarantine WHERE table_name IN ("
            + ", ".join(f"'{name}'" for name in FACT_TABLES)
            + f") {held_of_due}"
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
            drawn_from=drawn_from,
        )

    for name in FACT_TABLES:
        con.register(f"batch_{name}", frames[name].to_arrow())
    con.register("batch_held", held.to_arrow())
    try:
        with _registered(con, urls or frozenset()):
            load_transaction(con, write)
    finally:
        for name in (*FACT_TABLES, "held"):
            con.unregister(f"batch_{name}")
    return {name: frames[name].height for name in FACT_TABLES}
