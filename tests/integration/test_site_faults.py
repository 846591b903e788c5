"""A hostile or broken site costs one page, never a run: each fault the fault-injecting server can
play, in a whole `ingest` run on 127.0.0.1, with exactly what loaded, what was recorded (fetch_log,
`v_failures`), and what the next run does once the site is fixed."""

from __future__ import annotations

import itertools
import logging
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.snapshot import ingest_snapshot
from sources.snapshot_expected import ARTICLES, page_bytes
from sources.snapshot_server import SNAPSHOT_DIR, Response, SnapshotServer
from tests.snapshot import rows
from tests.unit.sources.test_site_faults import BAD_VALUES, bad_header_problem

BIN = Path(sys.executable).parent
RSS = (SNAPSHOT_DIR / "rss.xml").read_bytes()
INDEX = (SNAPSHOT_DIR / "sitemap.xml").read_bytes()
XML = "application/xml; charset=utf-8"
# Two feed articles: one answers with a bad Content-Type, the other redirects with a bad Location.
TYPED, MOVED = ARTICLES[2]["slug"], ARTICLES[3]["slug"]
# The three articles only the sitemap lists (the feed shows the other 18), oldest first.
SITEMAP_ONLY = [
    "economics-ukraine-and-us-resume-talks-on-minerals-deal-after-new-draft-from-washington",
    "russia-ukraine-war-russia-launched-111-drones-at-ukraine-on-the-night-of-march-30",
    "world-about-ukraine-germany-to-finance-two-more-patriot-systems-for-ukraine",
]
ERRORS = (
    "SELECT regexp_replace(url, '^http://[^/]+/', ''), error FROM fetch_log WHERE error IS NOT NULL"
)
FAILURES = "SELECT regexp_replace(url, '^http://[^/]+/', ''), failure FROM v_failures ORDER BY ALL"


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_BACKOFF_S", "0.01")


@pytest.fixture
def warned(prefect_harness: None) -> Iterator[list[str]]:
    """The warnings newsflow's runs log while the test runs."""
    import prefect.logging.configuration as prefect_logging

    # Prefect configures logging at its first run in a process, dropping the handlers it finds.
    if not prefect_logging.PROCESS_LOGGING_CONFIG:
        prefect_logging.setup_logging()
    found: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno == logging.WARNING:
                found.append(record.getMessage())

    keep = Keep()
    logging.getLogger("prefect").addHandler(keep)
    yield found
    logging.getLogger("prefect").removeHandler(keep)


def _port(base_url: str) -> int:
    return int(base_url.rsplit(":", 1)[1])


def _sent(server: SnapshotServer, path: str) -> list[set[str]]:
    """The conditional headers of each request for a path."""
    return [
        {"If-None-Match", "If-Modified-Since"} & set(s.headers)
        for s in server.seen
        if s.path == path
    ]


def _articles(warehouse: Path) -> set[str]:
    return {r[0] for r in rows(warehouse, "SELECT slug FROM articles")}


ALL = {a["slug"] for a in ARTICLES}


@pytest.mark.parametrize("kind", BAD_VALUES)
def test_bad_header_bytes_cost_only_their_header_and_the_next_run_is_clean(
    prefect_harness: None, tmp_path: Path, kind: str
) -> None:
    """ETag (on /rss), Last-Modified (on the sitemap index), Content-Type (on an article) and
    Location (on an article's redirect) with non-ASCII bytes, control characters, huge or malformed
    values: the page still loads (the header unused) except where the header was the answer
    (Location); nothing bad is stored, and the next run sends none of it back."""
    bad = BAD_VALUES[kind]
    warehouse = tmp_path / "newsflow.duckdb"
    faults = {
        "/rss": Response(200, RSS, XML, raw_headers=((b"ETag", bad["ETag"]),)),
        "/sitemap.xml": Response(200, INDEX, XML, raw_headers=((b"Last-Modified", bad["Last-Modified"]),)),
        f"/{TYPED}": Response(200, page_bytes(TYPED), "", raw_headers=((b"Content-Type", bad["Content-Type"]),)),
        f"/{MOVED}": Response(301, b"", raw_headers=((b"Location", bad["Location"]),)),
    }  # fmt: skip
    with SnapshotServer(overrides=faults) as server:
        assert ingest_snapshot(server.base_url, warehouse, return_state=True).is_completed()
        base = server.base_url
    assert _articles(warehouse) == ALL - {MOVED}
    assert dict(rows(warehouse, ERRORS)) == {
        "rss": bad_header_problem(kind, "ETag"),
        "sitemap.xml": bad_header_problem(kind, "Last-Modified"),
        TYPED: bad_header_problem(kind, "Content-Type"),
        MOVED: bad_header_problem(kind, "Location"),
    }
    assert rows(warehouse, FAILURES) == sorted(
        (p, "bad header") for p in ("rss", "sitemap.xml", TYPED, MOVED)
    )
    assert rows(
        warehouse,
        "SELECT count(*) FROM fetch_log WHERE (url LIKE '%/rss' OR url LIKE '%/sitemap.xml') AND (etag IS NOT NULL OR last_modified IS NOT NULL)",
    ) == [(0,)]
    # The site is fixed: the next run sends nothing it was given, and gets the redirected page.
    with SnapshotServer(port=_port(base)) as server:
        assert ingest_snapshot(server.base_url, warehouse, return_state=True).is_completed()
        asked = server.requests
        rss, index = _sent(server, "/rss"), _sent(server, "/sitemap.xml")
    assert asked == ["/news", "/rss", "/sitemap.xml", "/sitemap_news_1.xml", f"/{MOVED}"]
    assert (rss, index) == ([set()], [set()])
    assert _articles(warehouse) == ALL
    last_run = "(SELECT run_id FROM load_runs ORDER BY started_at DESC LIMIT 1)"
    assert rows(warehouse, f"SELECT * FROM v_failures WHERE run_id = {last_run}") == []


def test_an_etag_stored_before_the_checks_is_dropped_with_a_warning(
    tmp_path: Path, warned: list[str]
) -> None:
    """A warehouse that holds a non-ASCII ETag (stored before the checks existed) no longer breaks
    every run: the value is dropped with a warning and the page asked without it."""
    from warehouse.connection import connect

    warehouse = tmp_path / "newsflow.ducklake"
    with SnapshotServer() as server:
        ingest_snapshot(server.base_url, warehouse)
        base = server.base_url
    with connect(warehouse) as con:
        con.execute("UPDATE fetch_log SET etag = '\"été\"' WHERE url LIKE '%/rss'")
    with SnapshotServer(port=_port(base)) as server:
        assert ingest_snapshot(server.base_url, warehouse, return_state=True).is_completed()
        asked, rss, index = server.requests, _sent(server, "/rss"), _sent(server, "/sitemap.xml")
    assert asked == ["/news", "/rss", "/sitemap.xml"]
    # Asked by date alone: the snapshot server answers 200 to that; the sitemap by its ETag, 304.
    assert (rss, index) == ([{"If-Modified-Since"}], [{"If-None-Match", "If-Modified-Since"}])
    assert f"{base}/rss: stored ETag dropped (non-ASCII bytes); asked without it" in warned
    assert rows(
        warehouse, "SELECT error FROM fetch_log WHERE url LIKE '%/rss' ORDER BY requested_at"
    ) == [
        (None,),
        (None,),
    ]


def test_a_page_that_drips_is_cut_at_the_deadline_and_the_run_loads_the_rest(
    prefect_api: str, tmp_path: Path
) -> None:
    """`newsflow run` against a page that sends a byte every half second: cut at the request
    deadline (2 s here), the other 20 articles loaded, the failure counted by kind; the next run
    gets the page."""
    slow = ARTICLES[0]["slug"]
    warehouse = tmp_path / "w.duckdb"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": prefect_api,
           "NEWSFLOW_REQUEST_DEADLINE_S": "2", "NEWSFLOW_ATTEMPTS": "1"}  # fmt: skip
    command = [str(BIN / "newsflow"), "run", "--warehouse", str(warehouse), "--lookback-days", "3650", "--min-interval", "0"]  # fmt: skip
    drip = {f"/{slow}": Response(200, page_bytes(slow), drip_s=0.5)}
    with SnapshotServer(overrides=drip) as server:
        done = subprocess.run([*command, "--base-url", server.base_url], env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
        base = server.base_url
    assert done.returncode == 0, done.stderr
    assert "1 of 28 requests failed: timeout 1 (see fetch_log)" in done.stderr
    assert _articles(warehouse) == ALL - {slow}
    assert dict(rows(warehouse, ERRORS)) == {slow: "timeout: no complete answer within 2 s"}
    assert rows(warehouse, FAILURES) == [(slow, "timeout")]
    with SnapshotServer(port=_port(base)) as server:
        again = subprocess.run([*command, "--base-url", base], env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
        asked = server.requests
    assert again.returncode == 0, again.stderr
    assert f"/{slow}" in asked
    assert _articles(warehouse) == ALL


def _article_order(snapshot_run: tuple[str, Path]) -> list[str]:
    """The order a fresh run asks for the snapshot's articles: the shared snapshot run's, by when each
    was asked (answers are archived as they arrive, so the archive holds them in arrival order)."""
    _, warehouse = snapshot_run
    return [
        r[0]
        for r in rows(
            warehouse,
            "SELECT regexp_replace(url, '^http://[^/]+/', '') FROM fetch_log WHERE kind = 'article' ORDER BY requested_at, warc_file, warc_offset",
        )
    ]


def test_the_fetch_budget_ends_the_fetching_and_what_came_is_loaded(
    snapshot_run: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One request at a time, and the tenth article drips forever: when the run's 10 s are spent,
    it is cut and the eleven after it are never asked; the nine before are loaded, the run
    completes with the twelve counted, and the next run asks for exactly those twelve."""
    order = _article_order(snapshot_run)
    assert len(order) == 21
    stuck = order[9]
    monkeypatch.setenv("NEWSFLOW_FETCH_BUDGET_S", "10")
    monkeypatch.setenv("NEWSFLOW_MAX_CONCURRENCY", "1")
    warehouse = tmp_path / "newsflow.duckdb"
    with SnapshotServer(
        overrides={f"/{stuck}": Response(200, page_bytes(stuck), drip_s=0.5)}
    ) as server:
        assert ingest_snapshot(server.base_url, warehouse, return_state=True).is_completed()
        asked = server.requests
        base = server.base_url
    assert [p for p in asked if p.lstrip("/") in order] == [f"/{s}" for s in order[:10]]
    assert _articles(warehouse) == set(order[:9])
    spent = "timeout: run fetch budget of 10 s spent"
    assert rows(
        warehouse,
        "SELECT regexp_replace(url, '^http://[^/]+/', ''), status, attempts, error FROM fetch_log WHERE error IS NOT NULL ORDER BY requested_at, warc_file, warc_offset",
    ) == [(stuck, None, 1, spent)] + [(s, None, 0, spent) for s in order[10:]]
    assert rows(warehouse, "SELECT failure, count(*) FROM v_failures GROUP BY ALL") == [
        ("timeout", 12)
    ]
    monkeypatch.delenv("NEWSFLOW_FETCH_BUDGET_S")
    with SnapshotServer(port=_port(base)) as server:
        assert ingest_snapshot(server.base_url, warehouse, return_state=True).is_completed()
        asked = server.requests
    assert asked[:3] == ["/news", "/rss", "/sitemap.xml"]
    assert sorted(asked[3:]) == sorted(f"/{s}" for s in order[9:])
    assert _articles(warehouse) == ALL


def test_new_urls_past_the_cap_wait_for_the_next_run(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At most 2 new URLs from the lists a run: the sitemap's three extra articles come as the two
    newest, then the oldest in the next run, which reads the lists whole (their validators unused);
    a third run with nothing new is three requests answered 304."""
    monkeypatch.setenv("NEWSFLOW_MAX_NEW_URLS", "2")
    warehouse = tmp_path / "newsflow.duckdb"
    with SnapshotServer() as server:
        assert ingest_snapshot(server.base_url, warehouse, return_state=True).is_completed()
        base = server.base_url
    note = "capped: 3 new URLs listed, the newest 2 taken, 1 left to the next runs"
    assert _articles(warehouse) == ALL - {SITEMAP_ONLY[0]}
    assert dict(rows(warehouse, ERRORS)) == dict.fromkeys(
        ("rss", "sitemap.xml", "sitemap_news_1.xml"), note
    )
    assert rows(warehouse, FAILURES) == [
        ("rss", "capped"),
        ("sitemap.xml", "capped"),
        ("sitemap_news_1.xml", "capped"),
    ]
    requests = []
    for _ in range(2):
        with SnapshotServer(port=_port(base)) as server:
            assert ingest_snapshot(server.base_url, warehouse, return_state=True).is_completed()
            requests.append((server.requests, _sent(server, "/rss"), _sent(server, "/sitemap.xml")))
    assert requests == [
        (["/news", "/rss", "/sitemap.xml", "/sitemap_news_1.xml", f"/{SITEMAP_ONLY[0]}"], [set()], [set()]),
        (["/news", "/rss", "/sitemap.xml"], [{"If-None-Match", "If-Modified-Since"}], [{"If-None-Match", "If-Modified-Since"}]),
    ]  # fmt: skip
    assert _articles(warehouse) == ALL
    assert rows(warehouse, "SELECT count(*) FROM v_failures") == [(3,)]


def test_a_huge_crawl_delay_is_cut_to_the_cap_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warned: list[str]
) -> None:
    """`Crawl-delay: 600` would make a run of 28 requests take 4.5 hours: it is cut to 0.2 s here,
    said once, and the run loads everything."""
    monkeypatch.setenv("NEWSFLOW_MAX_CRAWL_DELAY_S", "0.2")
    robots = Response(200, b"User-agent: *\nCrawl-delay: 600\n", "text/plain")
    warehouse = tmp_path / "newsflow.duckdb"
    with SnapshotServer(overrides={"/robots.txt": robots}) as server:
        assert ingest_snapshot(server.base_url, warehouse, return_state=True).is_completed()
        seen = [s.at for s in server.seen]
        base = server.base_url
    assert len(seen) == 28
    # After robots.txt: a request every 0.2 s, within discovery (6 requests) and within the 21
    # articles (each stage has a client of its own). Arrivals are measured at the server, where a
    # stage's first request opens a connection and arrives late: spans from the second, and the
    # median gap.
    discovery, articles = seen[1:7], seen[7:]
    assert discovery[-1] - discovery[1] >= 4 * 0.2 - 0.05
    assert articles[-1] - articles[1] >= 19 * 0.2 - 0.05
    gaps = [b - a for stage in (discovery, articles) for a, b in itertools.pairwise(stage)]
    assert 0.19 <= statistics.median(gaps) < 0.3
    assert seen[-1] - seen[1] < 26 * 0.2 + 3
    assert _articles(warehouse) == ALL
    assert [w for w in warned if "Crawl-delay" in w] == [
        f"robots.txt of {base} asks for a Crawl-delay of 600 s; waiting 0.2 s between requests "
        "instead (NEWSFLOW_MAX_CRAWL_DELAY_S)"
    ]
