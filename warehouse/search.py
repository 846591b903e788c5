"""Full-text search over articles: DuckDB's FTS extension (BM25 over title, lead and body).

The extension is never downloaded: the PyPI package `duckdb-extension-fts` ships the build for our
duckdb version, loaded by path. The index is rebuilt after each load that touched `articles`.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

SEARCH_MACRO = """
CREATE OR REPLACE MACRO search_articles(q) AS TABLE
SELECT score, url, title, badge, published_at, kyiv_date, kyiv_time, lead
FROM (SELECT *, fts_main_articles.match_bm25(url, q) AS score FROM v_articles)
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


def rebuild_search_index(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build the BM25 index over articles and the `search_articles(q)` table macro."""
    load_fts(con)
    # The index build holds the whole corpus' terms; capped tighter, it spills to disk at the same
    # speed (100,000 articles: 600 MB uncapped), so its memory stays the same as the archive grows.
    limit = con.execute("SELECT current_setting('memory_limit')").fetchone()
    con.execute(f"SET memory_limit = '{INDEX_MEMORY_LIMIT}'")
    try:
        con.execute(
            "PRAGMA create_fts_index('articles', 'url', 'title', 'lead', 'body_text', "
            "stemmer = 'english', stopwords = 'english', overwrite = 1)"
        )
    finally:
        if limit:
            con.execute(f"SET memory_limit = '{limit[0]}'")
    con.execute(SEARCH_MACRO)


def ensure_search_index(con: duckdb.DuckDBPyConnection, articles_changed: bool) -> bool:
    """Rebuild the index when articles changed or it does not exist yet; True when rebuilt."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'fts_main_articles'"
    ).fetchone()
    if articles_changed or not (exists and exists[0]):
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
    "AND (CAST(? AS VARCHAR) IS NULL OR lower(s.badge) = lower(?))"
)


def _filter_values(since: date | None, badge: str | None) -> list[object]:
    wanted = badge.strip() if badge is not None else None
    return [since, since, wanted, wanted]


def search(
    con: duckdb.DuckDBPyConnection,
    query: str,
    *,
    since: date | None = None,
    badge: str | None = None,
    limit: int = 10,
) -> list[Hit]:
    """Articles ranked by BM25 for `query`, newest first among equal scores; `since` is a Kyiv
    date, `badge` any case of a badge."""
    load_fts(con)
    rows = con.execute(
        "SELECT s.score, s.url, s.title, s.badge, s.published_at, s.kyiv_date, s.kyiv_time, "
        "coalesce(s.lead, '') || ' ' || a.body_text "
        f"FROM search_articles(?) AS s JOIN articles AS a USING (url) WHERE {_FILTERS} "
        "ORDER BY s.score DESC, s.published_at DESC LIMIT ?",
        [query, *_filter_values(since, badge), limit],
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
    con: duckdb.DuckDBPyConnection, query: str, since: date | None, badge: str | None
) -> int:
    found = con.execute(
        f"SELECT count(*) FROM search_articles(?) AS s WHERE {_FILTERS}",
        [query, *_filter_values(since, badge)],
    ).fetchone()
    return int(found[0]) if found else 0


def no_hits_reason(
    con: duckdb.DuckDBPyConnection,
    query: str,
    *,
    since: date | None = None,
    badge: str | None = None,
) -> str:
    """Why `search` found nothing: no article matches the query, or which filter left none."""
    load_fts(con)
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
    if not reasons:
        reasons.append(
            f"none of them has the badge {badge!r} and was published on or after {since}"
        )
    return f"{total} article{'s' * (total != 1)} match {query!r}, but {' and '.join(reasons)}."
