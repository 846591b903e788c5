"""The gate inside the real flow: bad pages end in `quarantine` by check name while the rest loads;
a layout change blocks the batch, fails the run with the check's name, and leaves the warehouse
byte-for-byte as it was."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from uuid import UUID

import pytest

from bench.snapshot import ingest_snapshot
from expectations.gate import SUITES, suite_json
from flows.cli import main
from flows.ingest import ingest
from sources.snapshot_expected import MANIFEST, page_bytes
from sources.snapshot_server import SNAPSHOT_DIR, Response, SnapshotServer
from tests.snapshot import rows

KHARKIV = (
    "russia-ukraine-war-russia-struck-kharkiv-with-guided-bombs-17-injured-including-two-children"
)
OSLO = "world-about-ukraine-zelensky-arrives-in-oslo-for-talks-with-nordic-leaders"


def test_bad_rows_are_quarantined_and_listed(
    prefect_harness: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "newsflow.duckdb"
    widget_lead = page_bytes(KHARKIV).replace(
        b'<h2 class="text-subtitle">', b'<h2 class="text-subtitle">Share to facebook ', 1
    )
    future = page_bytes(OSLO).replace(b" 27 October, 2025 Monday ", b" 27 October, 2045 Friday ", 1)
    overrides = {f"/{KHARKIV}": Response(200, widget_lead), f"/{OSLO}": Response(200, future)}
    with SnapshotServer(overrides=overrides) as server:
        ingest_snapshot(server.base_url, warehouse)
        base = server.base_url
    assert rows(warehouse, "SELECT count(*) FROM articles") == [(19,)]
    held = rows(
        warehouse,
        "SELECT table_name, url, reasons FROM v_quarantine ORDER BY table_name, url, reasons",
    )
    kharkiv, oslo = f"{base}/{KHARKIV}", f"{base}/{OSLO}"
    assert held == sorted([
        ("articles", kharkiv, "articles.no_template_junk_in_lead"),
        # The page's date moved to 2045; its JSON-LD dateModified did not.
        ("articles", oslo, "articles.published_at_plausible, articles.modified_not_before_published"),
        *[("article_tags", kharkiv, "articles.row_quarantined")] * 4,
        *[("article_related", kharkiv, "articles.row_quarantined")] * 2,
        *[("article_tags", oslo, "articles.row_quarantined")] * 5,
        *[("article_related", oslo, "articles.row_quarantined")] * 2,
    ])  # fmt: skip
    assert rows(warehouse, "SELECT rows_quarantined FROM load_runs") == [(15,)]
    assert main(["quarantine", "--warehouse", str(warehouse), "--limit", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "    articles.no_template_junk_in_lead"
    assert out[0].endswith(f"  articles         {kharkiv}")
    assert (tmp_path / "data_docs" / "index.html").is_file()


def test_a_lead_of_template_junk_only_is_quarantined_by_name(
    prefect_harness: None, tmp_path: Path
) -> None:
    """The parser records the junk lead as a problem (in fetch_log) and keeps it for the gate, which
    keeps the article out by the check's name; a junk line after a real lead is only stripped."""
    warehouse = tmp_path / "newsflow.duckdb"
    oslo_page = page_bytes(OSLO)
    lead_at = oslo_page.index(b'<h2 class="text-subtitle">') + len(b'<h2 class="text-subtitle">')
    oslo_lead = oslo_page[lead_at : oslo_page.index(b"</h2>", lead_at)]
    junk_only = oslo_page.replace(oslo_lead + b"</h2>", b"client/title.list_title</h2>", 1)
    kharkiv_page = page_bytes(KHARKIV)
    lead_at = kharkiv_page.index(b'<h2 class="text-subtitle">') + len(b'<h2 class="text-subtitle">')
    kharkiv_lead = kharkiv_page[lead_at : kharkiv_page.index(b"</h2>", lead_at)]
    junk_line = kharkiv_page.replace(
        kharkiv_lead + b"</h2>", kharkiv_lead + b"<br> client/title.list_title</h2>", 1
    )
    overrides = {f"/{OSLO}": Response(200, junk_only), f"/{KHARKIV}": Response(200, junk_line)}
    with SnapshotServer(overrides=overrides) as server:
        ingest_snapshot(server.base_url, warehouse)
        oslo, kharkiv = f"{server.base_url}/{OSLO}", f"{server.base_url}/{KHARKIV}"
    assert rows(warehouse, "SELECT count(*) FROM articles") == [(20,)]
    assert rows(
        warehouse,
        "SELECT table_name, reasons, record ->> 'lead' FROM v_quarantine WHERE table_name = 'articles'",
    ) == [("articles", "articles.lead_not_template_junk", "client/title.list_title")]
    assert rows(warehouse, f"SELECT error FROM fetch_log WHERE url = '{oslo}'") == [
        ("parse: lead (h2.text-subtitle): it is only template junk 'client/title.list_title'",)
    ]
    assert rows(warehouse, f"SELECT lead FROM articles WHERE url = '{kharkiv}'") == [
        (kharkiv_lead.decode(),)
    ]
    assert rows(warehouse, f"SELECT error FROM fetch_log WHERE url = '{kharkiv}'") == [(None,)]


def test_layout_change_blocks_the_batch(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSFLOW_BACKOFF_S", "0.01")
    warehouse = tmp_path / "newsflow.duckdb"
    # First run: the six articles of feed page 2 fail (500), the other twelve load.
    page_two = [row["slug"] for row in MANIFEST["feed_pages"]["/news?page=2"]]
    with SnapshotServer(
        overrides={f"/{slug}": Response(500, b"busy") for slug in page_two}
    ) as server:
        ingest(
            base_url=server.base_url, warehouse=str(warehouse), lookback_days=0, min_interval_s=0.0
        )
        port = int(server.base_url.rsplit(":", 1)[1])
    assert rows(warehouse, "SELECT count(*) FROM articles") == [(12,)]
    before = warehouse.read_bytes()

    # The site renames its date element on every page and drops its JSON-LD: the generic reader
    # cannot date the pages either, so it does not stand in (tests/integration/test_espreso_fallback.py).
    changed = tmp_path / "site"
    shutil.copytree(SNAPSHOT_DIR, changed)
    for page in (changed / "articles").iterdir():
        page.write_bytes(
            page.read_bytes()
            .replace(b"news__author_date__date", b"news__meta__date")
            .replace(b"application/ld+json", b"application/x-removed")
        )
    with SnapshotServer(changed, port=port) as server:
        state = ingest_snapshot(server.base_url, warehouse, return_state=True)
    assert state.is_failed()
    message = str(state.message)
    assert "quality gate blocked the batch, nothing was loaded" in message
    assert (
        "article_pages.layout_date_line_found (expect_column_values_to_be_in_set) failed on 6 of 6 rows"
        in message
    )
    assert warehouse.read_bytes() == before
    assert not (tmp_path / "newsflow.duckdb.wal").exists()
    docs = (tmp_path / "data_docs" / "index.html").read_text(encoding="utf-8")
    assert "validations/article_pages/" in docs
    # The run carries the gate's table: every check, the blocking ones marked.
    # Two gates ran: Espreso's, then the generic reader's, which could not stand in (it cannot date
    # the pages either); the first is the one that blocked.
    checks = _gate_artifact(state.state_details.flow_run_id, gates=2)
    blocked = [
        (r["suite"], r["check"], r["unexpected_rows"], r["rows"])
        for r in checks
        if r["result"] == "blocked"
    ]
    assert blocked == [("article_pages", "layout_date_line_found", 6, 6)]
    assert len(checks) == sum(len(suite_json(t)["expectations"]) for t in SUITES)


def _gate_artifact(flow_run_id: UUID | None, gates: int = 1) -> list[dict[str, object]]:
    """The table of the run's first quality gate (the run had `gates` of them)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        ArtifactFilterKey,
    )
    from prefect.client.schemas.sorting import ArtifactSort

    assert flow_run_id is not None
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["quality-gate"]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]),
            ),
            sort=ArtifactSort.CREATED_DESC,
        )
    assert len(artifacts) == gates
    data = artifacts[-1].data
    table = json.loads(data) if isinstance(data, str) else data
    assert isinstance(table, list)
    return table
