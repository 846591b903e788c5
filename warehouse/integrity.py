"""Integrity rules: what must agree between `load_runs` and the tables once a load committed.
Each rule counts offending rows; the rules read recorded data (a load's `kind`), never names."""

from __future__ import annotations

import duckdb

from warehouse.runs import RunKind

_KINDS = ", ".join(f"'{kind.value}'" for kind in RunKind)

INTEGRITY_CHECKS: dict[str, str] = {
    "fetch_log rows of a run that never loaded": "SELECT count(*) FROM fetch_log WHERE run_id NOT IN (SELECT run_id FROM load_runs)",
    "quarantine rows of a run that never loaded": "SELECT count(*) FROM quarantine WHERE run_id NOT IN (SELECT run_id FROM load_runs)",
    "tags of an article that is not there": "SELECT count(*) FROM article_tags WHERE url NOT IN (SELECT url FROM articles)",
    "links of an article that is not there": "SELECT count(*) FROM article_related WHERE url NOT IN (SELECT url FROM articles)",
    "feed observations of an unknown feed item": "SELECT count(*) FROM feed_observations WHERE url NOT IN (SELECT url FROM feed_items)",
    "articles never fetched": "SELECT count(*) FROM articles WHERE url NOT IN (SELECT url FROM fetch_log WHERE status = 200)",
    # Only a crawl's rows come from requests it logs: facts, the bundled official series and
    # benchmark frames make none.
    "runs without their requests": f"SELECT count(*) FROM load_runs WHERE kind = '{RunKind.CRAWL.value}' AND rows_in > 0 AND run_id NOT IN (SELECT run_id FROM fetch_log)",
    "runs of no known kind": f"SELECT count(*) FROM load_runs WHERE kind IS NULL OR kind NOT IN ({_KINDS})",
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
