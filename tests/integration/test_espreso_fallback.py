"""Espreso's template gone: the same pages are read by the generic reader and loaded marked
`reader = 'generic'`, with a loud warning; what was loaded before stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from prefect.client.schemas.objects import Artifact
from prefect.client.schemas.sorting import ArtifactSort

from flows.ingest import ingest
from sources.generic.read import read_generic
from sources.snapshot_expected import ARTICLES, kyiv_instant, page_bytes
from sources.snapshot_server import Response, SnapshotServer
from tests.snapshot import rows

# The article template's key elements under new names: the Espreso reader finds none of them.
RENAMED = {
    b"header_current_article": b"story-header",
    b"content_current_article": b"story-content",
    b"news-content": b"story-body",
    b"news__author_date__date": b"story-date",
    b"news__author_date__time": b"story-time",
    b"text-title": b"story-title",
}
LATE = [a for a in ARTICLES if a["slug"].startswith(("economics-", "opinion-"))]
ALL_COLUMNS = "SELECT * EXCLUDE (first_seen_at) FROM articles WHERE reader = 'espreso' ORDER BY url"


def _renamed(slug: str) -> bytes:
    body = page_bytes(slug)
    for old, new in RENAMED.items():
        body = body.replace(old, new)
    return body


def _generic_title(slug: str, base: str) -> str:
    found = read_generic(_renamed(slug), f"{base}/{slug}").article
    assert found is not None
    return found.title


def _run(server: SnapshotServer, warehouse: Path) -> None:
    ingest(
        base_url=server.base_url, warehouse=str(warehouse), pages=3, lookback_days=3650,
        min_interval_s=0.0,
    )  # fmt: skip


@pytest.fixture
def two_runs(prefect_harness: None, tmp_path: Path) -> tuple[str, Path, list[tuple[object, ...]]]:
    warehouse = tmp_path / "w.ducklake"
    late = {f"/{a['slug']}" for a in LATE}
    with SnapshotServer(overrides={p: Response(503, b"busy") for p in late}) as server:
        _run(server, warehouse)
    before = rows(warehouse, ALL_COLUMNS)
    everything = {f"/{a['slug']}": Response(200, _renamed(a["slug"])) for a in ARTICLES}
    with SnapshotServer(port=int(server.base_url.rsplit(":", 1)[1]), overrides=everything) as again:
        _run(again, warehouse)
    return again.base_url, warehouse, before


def test_new_pages_are_read_generically_and_the_loaded_ones_stay(
    two_runs: tuple[str, Path, list[tuple[object, ...]]],
) -> None:
    base, warehouse, before = two_runs
    assert len(LATE) == 5
    assert len(before) == len(ARTICLES) - len(LATE)
    assert rows(warehouse, ALL_COLUMNS) == before
    assert rows(
        warehouse,
        "SELECT url, title, published_at, outlet FROM articles WHERE reader = 'generic' ORDER BY url",
    ) == sorted(
        (f"{base}/{a['slug']}", _generic_title(a["slug"], base), kyiv_instant(a), "espreso")
        for a in LATE
    )
    # The generic reader takes the page's stated headline: for a column, with its author.
    assert _generic_title(LATE[3]["slug"], base) == f"{LATE[3]['title']}. Column by Iryna Moroz"
    summary = _newest_summary()
    assert (
        "**Warning:** Espreso's article template is gone (layout checks "
        "article_pages.layout_headline_found, " in str(summary.data)
    )
    assert "5 new articles loaded with reader = 'generic'" in str(summary.data)


def _newest_summary() -> Artifact:
    """The newest run summary, read through a client that is closed after (no socket left open)."""
    with get_client(sync_client=True) as client:
        (newest,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-summary"])),
            sort=ArtifactSort.CREATED_DESC,
            limit=1,
        )
    return newest
