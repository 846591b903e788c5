"""Full-text search over articles: DuckDB's FTS extension (BM25 over title, lead and body).

The extension is never downloaded: the PyPI package `duckdb-extension-fts` ships the build for our
duckdb version, loaded by path. A DuckLake table cannot hold an FTS index, so the index is a DuckDB
file beside the lake (`warehouse.lake.search_index_path`): the searched columns copied from the
lake, indexed, built into a new file after each load that touched `articles` and renamed over the
old one, so a search never waits or sees half an index. Every connection to the warehouse has it
attached read-only (`warehouse.lake.search_statements`), so `search_articles(q)` answers there.
"""

from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from warehouse.lake import LAKE, SEARCH, catalog_of, search_index_path, search_statements

SEARCH_MACRO = """
CREATE OR REPLACE MACRO search_articles(q) AS TABLE
SELECT score, url, title, badge, published_at, kyiv_date, kyiv_time, lead
FROM (SELECT *, fts_main_articles.match_bm25(url, q) AS score FROM search_rows)
WHERE score IS NOT NULL
ORDER BY score DESC, published_at DESC
"""
_TERMS = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result."""

    score: float
    url: str
    title: str
    badge: str | None
    published_at: datetime
    kyiv_date: date
    kyiv_time: str
    snippet: str


def fts_extension_path() -> Path:
    """The FTS extension file matching the installed duckdb, from `duckdb-extension-fts`."""
    spec = importlib.util.find_spec("duckdb_extension_fts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "full-text search needs the package duckdb-extension-fts (see pyproject.toml)"
        )
    path = (
        Path(spec.submodule_search_locations[0])
        / "extensions"
        / f"v{duckdb.__version__}"
        / "fts.duckdb_extension"
    )
    if not path.is_file():
        raise RuntimeError(
            f"no FTS extension for duckdb {duckdb.__version__} at {path}; pin matching versions"
        )
    return path


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the FTS extension into a connection (needed before `search_articles` can run)."""
    con.execute(f"LOAD '{fts_extension_path()}'")


INDEX_MEMORY_LIMIT = "192MB"


def _index_columns() -> str:
    # What the search reads, from the lake: `articles` (indexed) and `search_rows` (what the macro
    # returns). A name the lake does not have: a session with both attached must bind the macro
    # to the index's copy, not to the lake's view (several times slower, and it reads the lake).
    return (
        f"CREATE TABLE {{index}}.articles AS SELECT url, title, lead, body_text, badge FROM {LAKE}.articles;\n"
        f"CREATE TABLE {{index}}.search_rows AS SELECT url, title, badge, published_at, kyiv_date, "
        f"kyiv_time, lead FROM {LAKE}.v_articles;\n"
    )


def rebuild_search_index(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build the BM25 index over the lake's articles (attached to `con`) and the
    `search_articles(q)` table macro, in a new file swapped in by one rename."""
    final = search_index_path(catalog_of(con))
    building = final.with_name(f"{final.name}.new")
    build_search_index(con, building)
    move_search_index(con, building)


def build_search_index(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The BM25 index over the articles of the lake attached to `con` and the
    `search_articles(q)` table macro, written to a new owner-only file at `path` (replaced if
    there); not the lake's index until moved in (`move_search_index`)."""
    path.unlink(missing_ok=True)
    quoted = str(path).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS search_build")
    try:
        con.execute(_index_columns().format(index="search_build"))
    finally:
        con.execute("DETACH search_build")
    with duckdb.connect(
        str(path),
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
    ) as index:
        load_fts(index)
        # The index build holds the whole corpus' terms; capped tighter, it spills to disk at
        # the same speed (100,000 articles: 600 MB uncapped), so its memory stays the same as
        # the archive grows.
        index.execute(f"SET memory_limit = '{INDEX_MEMORY_LIMIT}'")
        index.execute(
            "PRAGMA create_fts_index('articles', 'url', 'title', 'lead', 'body_text', "
            "stemmer = 'english', stopwords = 'english', overwrite = 1)"
        )
        index.execute(SEARCH_MACRO)
        index.execute("CHECKPOINT")
    path.chmod(0o600)


def move_search_index(con: duckdb.DuckDBPyConnection, built: Path) -> None:
    """Make `built`, an index of the same articles as the lake attached to `con` holds (see
    `build_search_index`), that lake's index, by one rename (a search sees the old index or the
    new), and attach it to `con`. `built` must be in the same folder as the lake."""
    os.replace(built, search_index_path(catalog_of(con)))
    attach_index(con, again=True)


def attach_index(con: duckdb.DuckDBPyConnection, *, again: bool = False) -> None:
    """Attach the lake's search index to `con` when it is not (`again`: the newest one, in place
    of the one attached), so `search_articles(q)` answers. A connection to an index file itself
    (no lake attached) is left as it is."""
    attached = {
        name for (name,) in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()
    }
    if LAKE not in attached or (SEARCH in attached and not again):
        return
    if SEARCH in attached:
        # The search path names the index: off it first, or every later name fails to bind.
        con.execute(f"SET search_path = '{LAKE}.main'")
        con.execute(f"DETACH {SEARCH}")
    for statement in search_statements(catalog_of(con)):
        con.execute(statement)


def ensure_search_index(con: duckdb.DuckDBPyConnection, articles_changed: bool) -> bool:
    """Rebuild the index when articles changed or it does not exist yet; True when rebuilt."""
    if articles_changed or not search_index_path(catalog_of(con)).exists():
        rebuild_search_index(con)
        return True
    return False


def snippet(text: str, query: str, width: int = 160) -> str:
    """The part of `text` around the first query term, about `width` characters, on word bounds."""
    flat = " ".join(text.split())
    lower = flat.lower()
    hits = [lower.find(term.lower()) for term in _TERMS.findall(query)]
    start = min((h for h in hits if h >= 0), default=0)
    begin = max(0, start - width // 3)
    if begin:
        begin = flat.find(" ", begin) + 1
    end = min(len(flat), begin + width)
    if end < len(flat):
        end = max(flat.rfind(" ", begin, end), begin + 1)
    return ("…" if begin else "") + flat[begin:end] + ("…" if end < len(flat) else "")


# The filters of `search`, over `search_articles(q) AS s`; a badge matches whatever its case, as the
# site writes the same badge in several (Exclusive, OPINION).
_FILTERS = (
    "(CAST(? AS DATE) IS NULL OR s.kyiv_date >= ?) "
    "AND (CAST(? AS VARCHAR) IS NULL OR lower(s.badge) = lower(?)) "
    "AND (CAST(? AS VARCHAR) IS NULL OR s.url IN (SELECT url FROM articles WHERE outlet = ?))"
)


def _filter_values(
    since: date | None, badge: str | None, outlet: str | None = None
) -> list[object]:
    wanted = badge.strip() if badge is not None else None
    return [since, since, wanted, wanted, outlet, outlet]


def search(
    con: duckdb.DuckDBPyConnection,
    query: str,
    *,
    since: date | None = None,
    badge: str | None = None,
    outlet: str | None = None,
    limit: int = 10,
) -> list[Hit]:
    """Articles ranked by BM25 for `query`, newest first among equal scores; `since` is a Kyiv
    date, `badge` any case of a badge, `outlet` an outlet's name."""
    load_fts(con)
    attach_index(con)
    rows = con.execute(
        "SELECT s.score, s.url, s.title, s.badge, s.published_at, s.kyiv_date, s.kyiv_time, "
        "coalesce(s.lead, '') || ' ' || a.body_text "
        f"FROM search_articles(?) AS s JOIN articles AS a USING (url) WHERE {_FILTERS} "
        "ORDER BY s.score DESC, s.published_at DESC LIMIT ?",
        [query, *_filter_values(since, badge, outlet), limit],
    ).fetchall()
    return [
        Hit(
            float(score),
            url,
            title,
            badge_,
            published_at,
            kyiv_date,
            kyiv_time,
            snippet(text, query),
        )
        for score, url, title, badge_, published_at, kyiv_date, kyiv_time, text in rows
    ]


def _matches(
    con: duckdb.DuckDBPyConnection,
    query: str,
    since: date | None,
    badge: str | None,
    outlet: str | None = None,
) -> int:
    found = con.execute(
        f"SELECT count(*) FROM search_articles(?) AS s WHERE {_FILTERS}",
        [query, *_filter_values(since, badge, outlet)],
    ).fetchone()
    return int(found[0]) if found else 0


def no_hits_reason(
    con: duckdb.DuckDBPyConnection,
    query: str,
    *,
    since: date | None = None,
    badge: str | None = None,
    outlet: str | None = None,
) -> str:
    """Why `search` found nothing: no article matches the query, or which filter left none."""
    load_fts(con)
    attach_index(con)
    total = _matches(con, query, None, None)
    if not total:
        return f"No article matches {query!r}."
    reasons: list[str] = []
    if badge is not None and not _matches(con, query, None, badge):
        badges = [
            str(b)
            for (b,) in con.execute(
                "SELECT DISTINCT badge FROM articles WHERE badge IS NOT NULL ORDER BY badge"
            ).fetchall()
        ]
        known = any(b.lower() == badge.strip().lower() for b in badges)
        reasons.append(
            f"none of them has the badge {badge!r}"
            + ("" if known else f" (no article has it; badges: {', '.join(badges) or 'none'})")
        )
    if since is not None and not _matches(con, query, since, None):
        reasons.append(f"none was published on or after {since} (Kyiv date)")
    if outlet is not None and not _matches(con, query, None, None, outlet):
        reasons.append(f"none is from the outlet {outlet!r}")
    if not reasons and outlet is not None:
        reasons.append("none meets all the filters given together")
    if not reasons:
        reasons.append(
            f"none of them has the badge {badge!r} and was published on or after {since}"
        )
    return f"{total} article{'s' * (total != 1)} match {query!r}, but {' and '.join(reasons)}."
