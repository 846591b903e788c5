"""The DuckDB warehouse: connections, versioned migrations, and transactional idempotent loads.

Only this package writes DuckDB.
"""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path

import duckdb
import polars as pl

from transforms.schemas import KEYS, TABLES


def migrations() -> list[tuple[int, str]]:
    """(version, SQL) of every migration shipped in `warehouse/migrations`, in order."""
    folder = resources.files("warehouse") / "migrations"
    found = [
        (int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    ]
    return sorted(found)


def owner_only(*paths: Path) -> None:
    """Make files readable and writable by their owner only (the ones that exist and are ours)."""
    for path in paths:
        if not path.exists():
            continue
        status = path.stat()
        if status.st_mode & 0o077 and status.st_uid == os.getuid():
            path.chmod(0o600)


class WarehouseError(Exception):
    """A warehouse this process cannot use: what is wrong and what to do, in one paragraph."""


def unwritable(folder: Path, error: OSError) -> WarehouseError:
    """The warehouse's folder cannot be created or written (no permission, a read-only disk)."""
    return WarehouseError(
        f"cannot write in {folder} ({error.strerror or error}): the warehouse, its archive and "
        "its Data Docs live there. Make the folder writable, or choose another warehouse with "
        "--warehouse PATH or $NEWSFLOW_WAREHOUSE."
    )


def unreadable(path: Path, error: duckdb.Error) -> WarehouseError:
    """The warehouse file is damaged or not a DuckDB database at all."""
    # DuckDB names the file again, absolute: once is enough.
    reason = re.sub(r'"[^"]*" ', "", str(error).removeprefix("IO Error: ")).rstrip("!.")
    return WarehouseError(
        f"the warehouse {path} cannot be opened: {reason[:1].lower()}{reason[1:]}. The raw archive "
        f"beside it keeps every answer the site gave: move the damaged file aside (mv {path} "
        f"{path}.damaged) and run `newsflow reparse --warehouse {path}` to rebuild the tables "
        "from it (then `newsflow official-losses` for the General Staff series)."
    )


def check_usable(path: Path) -> None:
    """Raise `WarehouseError` unless the warehouse's folder can be written and its file, when
    there is one, opens as a DuckDB database: a command checks this before it starts a run."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise unwritable(folder, error) from error
    if path.exists():
        with connect(path, read_only=True):
            pass


@contextmanager
def writer_lock(path: Path | str, timeout_s: float = 600.0) -> Iterator[None]:
    """Hold `<warehouse>.lock` exclusively: DuckDB allows one process at a time on a file, so runs
    started together (a scheduled and a manual one) take turns instead of failing."""
    if str(path) == ":memory:":
        yield
        return
    lock_path = Path(f"{path}.lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock_fd = os.open(lock_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except PermissionError as error:
        raise unwritable(lock_path.parent, error) from error
    with os.fdopen(lock_fd, "a") as handle:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"warehouse {path} stayed busy for {timeout_s:.0f} s (lock {lock_path})"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# DuckDB's own default is 80 % of the machine's memory. Capped, the big operations (rebuilding the
# full-text index over 100,000 articles takes about 600 MB uncapped) spill to a temporary folder
# beside the file instead, at the same speed, and a run stays well under 1 GB.
MEMORY_LIMIT = "512MB"


@contextmanager
def connect(path: Path | str, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection in UTC that never downloads extensions and uses at most `MEMORY_LIMIT`;
    read-write ones migrate the schema.

    The connection holds the warehouse's lock while open (see `writer_lock`).
    """
    file = Path(path)
    with writer_lock(path):
        con = _open(file, read_only=read_only)
        try:
            con.execute("SET TimeZone = 'UTC'")
            con.execute("SET enable_progress_bar = false")  # no bars in logs and CLI output
            if not read_only:
                migrate(con)
            yield con
        finally:
            con.close()
            if not read_only:
                owner_only(file, Path(f"{path}.wal"))


def _open(file: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """DuckDB's connection; a damaged file is a `WarehouseError`. A file an older version left
    readable by others (or a kill, before it was closed) is made owner-only first."""
    memory = str(file) == ":memory:"
    if not memory:
        if not read_only:
            file.parent.mkdir(parents=True, exist_ok=True)
        owner_only(file, Path(f"{file}.wal"))
    try:
        return duckdb.connect(
            str(file),
            read_only=read_only,
            config={
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
                "memory_limit": MEMORY_LIMIT,
            },
        )
    except duckdb.IOException as error:
        if memory or not file.exists() or "Permission denied" in str(error):
            raise
        raise unreadable(file, error) from error


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the migrations not yet applied, each in its own transaction; return the version."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    )
    applied = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    for version, sql in migrations():
        if version in applied:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations (version) VALUES (?)", [version])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    con.execute(views_sql())
    return max((v for v, _ in migrations()), default=0)


def views_sql() -> str:
    """`warehouse/views.sql`: the analysts' views, recreated on every read-write open."""
    return (resources.files("warehouse") / "views.sql").read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What one load wrote."""

    run_id: str
    rows_in: int
    rows_loaded: int
    rows_quarantined: int


def _keep_revisions(con: duckdb.DuckDBPyConnection) -> None:
    # The version an edit replaces is kept, whole, before the new one overwrites it.
    con.execute(
        "INSERT INTO article_revisions "
        "SELECT a.url, a.content_hash, a.title, a.lead, a.body_text, a.modified_at, a.fetched_at "
        "FROM articles AS a JOIN batch_articles AS b USING (url) "
        "WHERE a.content_hash <> b.content_hash ON CONFLICT DO NOTHING"
    )


def _upsert_articles(con: duckdb.DuckDBPyConnection) -> None:
    # A new fetch replaces the row; first_seen_at stays the earliest ever recorded.
    columns = [c for c in TABLES["articles"].names() if c not in ("url", "first_seen_at")]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns)
    con.execute(
        f"INSERT INTO articles SELECT * FROM batch_articles ON CONFLICT (url) DO UPDATE SET {updates}, "
        "first_seen_at = least(articles.first_seen_at, excluded.first_seen_at)"
    )


def _replace_children(con: duckdb.DuckDBPyConnection, table: str) -> None:
    # Tags and related links belong to the article version just loaded: replace them whole.
    con.execute(f"DELETE FROM {table} WHERE url IN (SELECT url FROM batch_articles)")
    con.execute(f"INSERT INTO {table} SELECT * FROM batch_{table}")


def _upsert_feed_items(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "INSERT INTO feed_items SELECT * FROM batch_feed_items ON CONFLICT (url) DO UPDATE SET "
        "title = CASE WHEN excluded.last_seen_at >= feed_items.last_seen_at THEN excluded.title ELSE feed_items.title END, "
        "subtitle = CASE WHEN excluded.last_seen_at >= feed_items.last_seen_at THEN excluded.subtitle ELSE feed_items.subtitle END, "
        "badge = CASE WHEN excluded.last_seen_at >= feed_items.last_seen_at THEN excluded.badge ELSE feed_items.badge END, "
        "published_at = coalesce(excluded.published_at, feed_items.published_at), "
        "first_seen_at = least(feed_items.first_seen_at, excluded.first_seen_at), "
        "last_seen_at = greatest(feed_items.last_seen_at, excluded.last_seen_at)"
    )


def _insert_new_observations(con: duckdb.DuckDBPyConnection) -> None:
    # No primary key (see migration 005): rows already there are skipped by an anti-join over the
    # batch's time range only, which zone maps make cheap on a table appended in time order.
    con.execute(
        "INSERT INTO feed_observations SELECT * FROM batch_feed_observations ANTI JOIN ("
        " SELECT observed_at, page_url, position FROM feed_observations WHERE observed_at BETWEEN"
        " (SELECT min(observed_at) FROM batch_feed_observations) AND (SELECT max(observed_at) FROM batch_feed_observations)"
        ") AS known USING (observed_at, page_url, position)"
    )


def load_batch(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    frames: Mapping[str, pl.DataFrame],
    *,
    started_at: datetime,
    finished_at: datetime,
    also: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> LoadResult:
    """Write one run's frames in a single transaction: all of it lands, or none of it.

    `also` writes more in the same transaction (a backfill's progress lands with its batch).
    """
    for name, schema in TABLES.items():
        if name not in frames:
            raise KeyError(f"load_batch: the batch has no {name!r} frame")
        got = frames[name].schema
        if got != schema:
            raise TypeError(
                f"load_batch: frame {name!r} has schema {dict(got)}, the contract says {dict(schema)}"
            )
    batch = {
        name: frames[name].unique(subset=list(KEYS[name]), keep="last", maintain_order=True)
        if name in KEYS
        else frames[name]
        for name in TABLES
    }
    rows_quarantined = frames["quarantine"].height
    rows_in = (
        sum(f.height for name, f in frames.items() if name in TABLES and name != "quarantine")
        + rows_quarantined
    )
    con.execute("BEGIN TRANSACTION")
    try:
        for name, df in batch.items():
            con.register(f"batch_{name}", df.to_arrow())
        _keep_revisions(con)
        _upsert_articles(con)
        _replace_children(con, "article_tags")
        _replace_children(con, "article_related")
        _upsert_feed_items(con)
        _insert_new_observations(con)
        # A re-read headline may have lost its attribution: replace the rows of every URL read.
        con.execute(
            "DELETE FROM headline_sources WHERE url IN "
            "(SELECT url FROM batch_articles UNION SELECT url FROM batch_feed_items)"
        )
        con.execute("INSERT INTO headline_sources SELECT * FROM batch_headline_sources")
        con.execute("INSERT INTO fetch_log SELECT * FROM batch_fetch_log")
        con.execute("INSERT INTO quarantine SELECT * FROM batch_quarantine")
        rows_loaded = sum(df.height for name, df in batch.items() if name != "quarantine")
        con.execute(
            "INSERT INTO load_runs VALUES (?, ?, ?, ?, ?, ?, 'loaded')",
            [run_id, started_at, finished_at, rows_in, rows_loaded, rows_quarantined],
        )
        if also is not None:
            also(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        for name in batch:
            con.unregister(f"batch_{name}")
    return LoadResult(run_id, rows_in, rows_loaded, rows_quarantined)


def article_urls(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every URL already in `articles`."""
    return {row[0] for row in con.execute("SELECT url FROM articles").fetchall()}


def urls_to_retry(con: duckdb.DuckDBPyConnection, max_attempts: int = 3) -> list[str]:
    """Article URLs requested before but never loaded, with fewer than `max_attempts` tries."""
    return [
        row[0]
        for row in con.execute(
            "SELECT url FROM fetch_log WHERE kind = 'article' AND url NOT IN (SELECT url FROM articles) "
            "GROUP BY url HAVING count(*) < ? ORDER BY min(requested_at), url",
            [max_attempts],
        ).fetchall()
    ]


@dataclass(frozen=True, slots=True)
class FeedRowState:
    """What the warehouse last recorded of a feed row: a change means the story moved or was updated."""

    title: str
    badge: str | None
    published_at: datetime | None


def feed_row_states(con: duckdb.DuckDBPyConnection) -> dict[str, FeedRowState]:
    """The stored headline, badge and time of every feed item."""
    rows = con.execute("SELECT url, title, badge, published_at FROM feed_items").fetchall()
    return {
        url: FeedRowState(title, badge, published_at) for url, title, badge, published_at in rows
    }


def last_validators(
    con: duckdb.DuckDBPyConnection, urls: list[str]
) -> dict[str, tuple[str | None, str | None]]:
    """The ETag and Last-Modified of each URL's latest complete answer, for conditional requests."""
    if not urls:
        return {}
    rows = con.execute(
        "SELECT url, arg_max(etag, requested_at), arg_max(last_modified, requested_at) FROM fetch_log "
        "WHERE status = 200 AND error IS NULL AND url IN (SELECT unnest(?)) GROUP BY url",
        [urls],
    ).fetchall()
    return {url: (etag, modified) for url, etag, modified in rows if etag or modified}


@dataclass(frozen=True, slots=True)
class BackfillState:
    """How far a backfill of a window has got, and what it still has to load."""

    since: date
    until: date
    next_page: int
    feed_done: bool
    sitemap_done: bool
    queued: list[str]


def backfill_state(con: duckdb.DuckDBPyConnection, since: date, until: date) -> BackfillState:
    """The saved progress of a window (a fresh start when there is none); queued URLs in order."""
    row = con.execute(
        "SELECT next_page, feed_done, sitemap_done FROM backfill_progress WHERE since = ? AND until = ?",
        [since, until],
    ).fetchone()
    queued = [
        r[0]
        for r in con.execute(
            "SELECT url FROM backfill_queue WHERE since = ? AND until = ? AND url NOT IN (SELECT url FROM articles) ORDER BY url",
            [since, until],
        ).fetchall()
    ]
    if row is None:
        return BackfillState(since, until, 1, False, False, queued)
    return BackfillState(since, until, int(row[0]), bool(row[1]), bool(row[2]), queued)


def save_backfill_state(
    state: BackfillState, add: list[str], done: list[str]
) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """A writer (for `load_batch(also=…)`) that saves progress, queues `add` and clears `done`."""

    def write(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(
            "INSERT OR REPLACE INTO backfill_progress VALUES (?, ?, ?, ?, ?, now())",
            [state.since, state.until, state.next_page, state.feed_done, state.sitemap_done],
        )
        for url in add:
            con.execute(
                "INSERT OR IGNORE INTO backfill_queue VALUES (?, ?, ?)",
                [state.since, state.until, url],
            )
        if done:
            con.execute(
                "DELETE FROM backfill_queue WHERE since = ? AND until = ? AND url IN (SELECT unnest(?))",
                [state.since, state.until, done],
            )

    return write


INTEGRITY_CHECKS: dict[str, str] = {
    "fetch_log rows of a run that never loaded": "SELECT count(*) FROM fetch_log WHERE run_id NOT IN (SELECT run_id FROM load_runs)",
    "quarantine rows of a run that never loaded": "SELECT count(*) FROM quarantine WHERE run_id NOT IN (SELECT run_id FROM load_runs)",
    "tags of an article that is not there": "SELECT count(*) FROM article_tags WHERE url NOT IN (SELECT url FROM articles)",
    "links of an article that is not there": "SELECT count(*) FROM article_related WHERE url NOT IN (SELECT url FROM articles)",
    "feed observations of an unknown feed item": "SELECT count(*) FROM feed_observations WHERE url NOT IN (SELECT url FROM feed_items)",
    "articles never fetched": "SELECT count(*) FROM articles WHERE url NOT IN (SELECT url FROM fetch_log WHERE status = 200)",
    "runs without their requests": "SELECT count(*) FROM load_runs WHERE run_id NOT IN (SELECT run_id FROM fetch_log) AND rows_in > 0 AND run_id NOT LIKE 'bench%' AND run_id NOT LIKE 'facts-%' AND run_id NOT LIKE 'official-%'",
    "feed observations stored twice": "SELECT count(*) - count(DISTINCT (observed_at, page_url, position)) FROM feed_observations",
}


def integrity_problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    """What is inconsistent between `load_runs` and the tables (a half-loaded batch); [] when sound."""
    problems = []
    for what, sql in INTEGRITY_CHECKS.items():
        found = con.execute(sql).fetchone()
        if found and found[0]:
            problems.append(f"{found[0]} {what}")
    return problems
