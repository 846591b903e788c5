"""A page only ever writes its own row: a `rel=canonical` naming another article of the site is a
recorded problem, and both articles load exactly as their own pages say."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.snapshot import ingest_snapshot
from sources.snapshot_expected import ARTICLES, LIVE, page_bytes
from sources.snapshot_server import Response, SnapshotServer
from tests.snapshot import rows

VICTIM = (
    "russia-ukraine-war-russia-struck-kharkiv-with-guided-bombs-17-injured-including-two-children"
)
IMPOSTOR = "world-about-ukraine-eu-leaders-agree-to-cover-ukraines-financing-needs-for-2026-2027"


def _title(slug: str) -> str:
    return str(next(a["title"] for a in ARTICLES if a["slug"] == slug))


def test_a_canonical_naming_another_article_overwrites_nothing(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSFLOW_BACKOFF_S", "0.01")
    page = page_bytes(IMPOSTOR)
    own = f'<link rel="canonical" href="{LIVE}/{IMPOSTOR}">'.encode()
    assert page.count(own) == 1
    claiming = page.replace(own, f'<link rel="canonical" href="{LIVE}/{VICTIM}/?from=x">'.encode())
    warehouse = tmp_path / "newsflow.duckdb"
    with SnapshotServer(overrides={f"/{IMPOSTOR}": Response(200, claiming)}) as server:
        ingest_snapshot(server.base_url, warehouse)
        base = server.base_url
    assert rows(
        warehouse,
        f"SELECT slug, title FROM articles WHERE slug IN ('{VICTIM}', '{IMPOSTOR}') ORDER BY slug",
    ) == [(VICTIM, _title(VICTIM)), (IMPOSTOR, _title(IMPOSTOR))]
    assert rows(warehouse, f"SELECT url FROM articles WHERE slug = '{IMPOSTOR}'") == [
        (f"{base}/{IMPOSTOR}",)
    ]
    assert rows(warehouse, f"SELECT error FROM fetch_log WHERE url = '{base}/{IMPOSTOR}'") == [
        (f"parse: canonical URL {base}/{VICTIM} names another page; kept the fetched URL",)
    ]
    assert rows(warehouse, "SELECT count(*) FROM quarantine") == [(0,)]
