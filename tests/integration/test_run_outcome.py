"""A run that could do nothing useful ends Failed and says why in one sentence; one where some
pages failed ends Completed with a warning that counts them; robots.txt that could not be read is
never cached, so the next run asks again; reparse ends Failed when the checks refused everything."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bench.snapshot import ingest_snapshot
from flows.ingest import ingest
from flows.reparse import reparse
from sources.snapshot_expected import ARTICLES, page_bytes
from sources.snapshot_server import Response, SnapshotServer
from tests.snapshot import rows

BIN = Path(sys.executable).parent


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_BACKOFF_S", "0.01")


def _date_line_renamed() -> dict[str, Response]:
    """Every article page with its date element renamed and its JSON-LD gone, as after a redesign
    that neither reader can date: the gate blocks and the generic reader cannot stand in."""
    return {
        f"/{a['slug']}": Response(
            200,
            page_bytes(a["slug"])
            .replace(b"news__author_date__date", b"news__meta__date")
            .replace(b"application/ld+json", b"application/x-removed"),
        )
        for a in ARTICLES
    }


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_a_dead_site_fails_the_run_and_the_next_run_asks_again(
    prefect_harness: None, tmp_path: Path
) -> None:
    warehouse = tmp_path / "newsflow.duckdb"
    port = _closed_port()
    state = ingest_snapshot(f"http://127.0.0.1:{port}", warehouse, return_state=True)
    assert state.is_failed()
    assert state.message == (
        f"robots.txt of http://127.0.0.1:{port} could not be read (ConnectError: All connection "
        "attempts failed (after 4 attempts)), so nothing may be fetched; the next run tries again."
    )
    # The failed request is recorded; nothing else was asked.
    assert rows(warehouse, "SELECT kind, status, error FROM fetch_log") == [
        ("robots", None, "ConnectError: All connection attempts failed (after 4 attempts)")
    ]
    # The site is back within the hour: robots.txt is read again, not taken from a cache.
    with SnapshotServer(port=port) as server:
        result = ingest_snapshot(server.base_url, warehouse)
        assert server.requests[0] == "/robots.txt"
    assert result.rows_quarantined == 0
    assert rows(warehouse, "SELECT count(*) FROM articles") == [(21,)]


def test_robots_txt_answering_500_fetches_nothing(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # robots.txt is asked with the run's own tries and backoff (NEWSFLOW_BACKOFF_S above).
    monkeypatch.setenv("NEWSFLOW_ATTEMPTS", "3")
    warehouse = tmp_path / "newsflow.duckdb"
    with SnapshotServer(overrides={"/robots.txt": Response(500, b"oops")}) as server:
        state = ingest_snapshot(server.base_url, warehouse, return_state=True)
        asked = server.requests
    assert state.is_failed()
    assert state.message == (
        f"robots.txt of {server.base_url} could not be read (HTTP 500 (after 3 attempts)), so "
        "nothing may be fetched; the next run tries again."
    )
    assert asked == ["/robots.txt"] * 3
    assert rows(warehouse, "SELECT count(*) FROM articles") == [(0,)]


def test_every_article_failing_fails_the_run_but_keeps_the_feed(
    prefect_harness: None, tmp_path: Path
) -> None:
    warehouse = tmp_path / "newsflow.duckdb"
    broken = {f"/{a['slug']}": Response(500, b"busy") for a in ARTICLES}
    with SnapshotServer(overrides=broken) as server:
        state = ingest_snapshot(server.base_url, warehouse, return_state=True)
    assert state.is_failed()
    assert state.message == "Every article page failed: 21 of 21 (HTTP 500 21)."
    # What was reached still landed: the feed, and every failure with its reason for the retry.
    assert rows(warehouse, "SELECT count(*) FROM feed_items") == [(18,)]
    assert rows(
        warehouse, "SELECT error, count(*) FROM fetch_log WHERE kind = 'article' GROUP BY ALL"
    ) == [("HTTP 500 (after 4 attempts)", 21)]


def test_some_pages_failing_is_a_warning_with_counts(prefect_api: str, tmp_path: Path) -> None:
    slow, gone = ARTICLES[0]["slug"], ARTICLES[1]["slug"]
    overrides = {f"/{slow}": Response(503, b"busy"), f"/{gone}": Response(500, b"down")}
    with SnapshotServer(overrides=overrides) as server:
        done = subprocess.run(
            [BIN / "newsflow", "run", "--base-url", server.base_url, "--warehouse", str(tmp_path / "w.duckdb"), "--lookback-days", "3650", "--min-interval", "0"],
            # Options win over the environment.
            # Its flow run reports to the session's Prefect server (no temporary one: 15 s of CPU).
            env={**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": prefect_api,
                 "NEWSFLOW_WAREHOUSE": str(tmp_path / "env.duckdb"), "NEWSFLOW_LOOKBACK_DAYS": "0"},
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "| WARNING |" in line]
    assert [w.split(" - ", 1)[1] for w in warnings] == [
        f"{server.base_url}/{slow}: HTTP 503 (after 4 attempts) (raw answer kept in {w.split('kept in ')[-1][:-1]})"
        for w in warnings[:1]
    ] + [
        f"{server.base_url}/{gone}: HTTP 500 (after 4 attempts) (raw answer kept in {warnings[1].split('kept in ')[-1][:-1]})",
        "2 of 28 requests failed: HTTP 503 1, HTTP 500 1 (see fetch_log)",
    ]
    assert "  articles:        19\n" in done.stdout
    assert not (tmp_path / "env.duckdb").exists()
    assert rows(tmp_path / "w.duckdb", "SELECT count(*) FROM articles") == [(19,)]


def test_a_dead_site_from_the_cli_is_one_sentence(prefect_api: str, tmp_path: Path) -> None:
    port = _closed_port()
    done = subprocess.run(
        [BIN / "newsflow", "run"],
        # The site and the warehouse from the environment alone.
        env={**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": prefect_api,
             "NEWSFLOW_BACKOFF_S": "0.01",
             "NEWSFLOW_BASE_URL": f"http://127.0.0.1:{port}", "NEWSFLOW_WAREHOUSE": str(tmp_path / "w.duckdb")},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1
    assert (
        f"newsflow run: the run failed: robots.txt of http://127.0.0.1:{port} could not be read "
        "(ConnectError: All connection attempts failed (after 4 attempts)), so nothing may be "
        "fetched; the next run tries again."
    ) in done.stderr.splitlines()
    assert "Traceback" not in done.stderr
    assert rows(tmp_path / "w.duckdb", "SELECT url, kind FROM fetch_log") == [
        (f"http://127.0.0.1:{port}/robots.txt", "robots")
    ]


def test_reparse_fails_when_the_checks_refuse_everything(
    prefect_harness: None, tmp_path: Path
) -> None:
    warehouse = tmp_path / "newsflow.duckdb"
    with SnapshotServer(overrides=_date_line_renamed()) as server:
        assert ingest_snapshot(server.base_url, warehouse, return_state=True).is_failed()
    assert not warehouse.exists()  # the gate blocked the batch: nothing was written
    state = reparse(warehouse=str(warehouse), return_state=True)
    assert state.is_failed()
    assert state.message == (
        "Reparse loaded nothing: the checks refused all 1 batches; the warehouse is unchanged."
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "data_docs",
        "newsflow.duckdb.lock",
        "raw",
    ]


def test_reparse_of_an_empty_archive_fails(prefect_harness: None, tmp_path: Path) -> None:
    state = ingest(
        warehouse=str(tmp_path / "w.duckdb"), base_url="http://127.0.0.1:9", return_state=True
    )
    assert state.is_failed()
    empty = reparse(warehouse=str(tmp_path / "x" / "w.duckdb"), return_state=True)
    assert empty.is_failed()
    assert empty.message == (
        f"No archived runs in {tmp_path / 'x' / 'raw'}: nothing to rebuild; the warehouse is unchanged."
    )


def test_a_failed_reparse_leaves_the_warehouse_as_it_was(
    prefect_harness: None, tmp_path: Path
) -> None:
    good, blocked = tmp_path / "good" / "newsflow.duckdb", tmp_path / "blocked" / "newsflow.duckdb"
    with SnapshotServer() as server:
        ingest_snapshot(server.base_url, good)
    with SnapshotServer(overrides=_date_line_renamed()) as server:
        assert ingest_snapshot(server.base_url, blocked, return_state=True).is_failed()
    before = good.read_bytes()
    state = reparse(warehouse=str(good), raw_dir=str(blocked.parent / "raw"), return_state=True)
    assert state.is_failed()
    assert good.read_bytes() == before
    assert sorted(p.name for p in good.parent.iterdir() if "rebuild" in p.name) == []
