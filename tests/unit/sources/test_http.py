"""The site client against a real, fault-injecting server on 127.0.0.1: politeness and retries are
observable as the exact requests the server received."""

from __future__ import annotations

import asyncio
import itertools
import random
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pytest

from sources.http import SiteClient
from sources.records import Fetched, Validators
from sources.snapshot_server import SNAPSHOT_DIR, Response, SnapshotServer

UA = "newsflow-test/1 (+http://example.invalid)"
PAGE = b"<html><body><p>ok</p></body></html>"


def _fetch_all(
    server: SnapshotServer,
    paths: list[str],
    validators: dict[str, Validators] | None = None,
    **options: Any,
) -> list[Fetched]:
    settings: dict[str, Any] = {"min_interval_s": 0.0, "backoff_s": 0.01, **options}

    async def run() -> list[Fetched]:
        async with SiteClient(server.base_url, user_agent=UA, **settings) as client:
            return await client.fetch_all([server.base_url + p for p in paths], validators)

    return asyncio.run(run())


def _fetch(server: SnapshotServer, path: str, **options: Any) -> Fetched:
    return _fetch_all(server, [path], **options)[0]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "target.html").write_bytes(PAGE)
    return tmp_path


def test_redirects_within_site_are_followed_and_recorded_off_site_never(site: Path) -> None:
    with SnapshotServer(site) as server:
        server.overrides["/moved"] = Response(301, b"", headers=(("Location", "/target"),))
        server.overrides["/away"] = Response(
            302, b"", headers=(("Location", "http://127.0.0.2:9/x"),)
        )
        server.overrides["/loop"] = Response(302, b"", headers=(("Location", "/loop"),))
        moved, away, loop = (_fetch(server, p) for p in ("/moved", "/away", "/loop"))
        requests = server.requests
    assert (moved.ok, moved.body, moved.final_url, moved.redirects) == (
        True,
        PAGE,
        f"{server.base_url}/target",
        (f"{server.base_url}/target",),
    )
    assert (away.status, away.error, away.body) == (
        302,
        "redirect off site to http://127.0.0.2:9/x not followed",
        b"",
    )
    assert loop.error == "more than 5 redirects"
    assert loop.attempts == 1
    assert requests == [
        "/robots.txt",
        "/moved",
        "/target",
        "/robots.txt",
        "/away",
        "/robots.txt",
        *["/loop"] * 6,
    ]


def test_off_site_url_is_refused_without_a_request(site: Path) -> None:
    with SnapshotServer(site) as server:

        async def run() -> Fetched:
            async with SiteClient(server.base_url, user_agent=UA) as client:
                return await client.fetch("https://static.espreso.tv/logo.png")

        refused = asyncio.run(run())
        assert server.requests == []
    assert (refused.status, refused.error) == (
        None,
        f"refused: https://static.espreso.tv/logo.png is outside {server.base_url}",
    )


def test_a_20_mb_page_is_cut_off_at_the_cap(site: Path) -> None:
    with SnapshotServer(site, overrides={"/big": Response(200, b"x" * 20_000_000)}) as server:
        big = _fetch(server, "/big")
    assert (big.status, big.ok, len(big.body)) == (200, False, 5_000_000)
    assert big.error == "body larger than 5000000 bytes: cut off"


def test_5xx_is_retried_with_backoff_then_recorded(site: Path) -> None:
    with SnapshotServer(
        site,
        overrides={
            "/boom": Response(500, b"oops"),
            "/burst": [Response(503, b""), Response(503, b""), Response(200, PAGE)],
        },
    ) as server:
        boom = _fetch(server, "/boom")
        burst = _fetch(server, "/burst")
        requests = server.requests
    assert (boom.status, boom.error, boom.body, boom.attempts) == (
        500,
        "HTTP 500 (after 4 attempts)",
        b"oops",
        4,
    )
    assert (burst.ok, burst.body, burst.attempts) == (True, PAGE, 3)
    assert requests == ["/robots.txt", *["/boom"] * 4, "/robots.txt", *["/burst"] * 3]


def test_429_waits_as_long_as_retry_after_says(site: Path) -> None:
    limited = [Response(429, b"slow down", headers=(("Retry-After", "1"),)), Response(200, PAGE)]
    with SnapshotServer(site, overrides={"/limited": limited}) as server:
        page = _fetch(server, "/limited")
        times = [s.at for s in server.seen if s.path == "/limited"]
    assert (page.ok, page.attempts) == (True, 2)
    assert times[1] - times[0] >= 0.95


def test_other_4xx_are_not_retried_and_errors_are_results(site: Path) -> None:
    with SnapshotServer(
        site, overrides={"/empty": Response(200, b""), "/forbidden": Response(403, b"no")}
    ) as server:
        missing, empty, forbidden = (
            _fetch(server, p) for p in ("/nothing-here", "/empty", "/forbidden")
        )
        requests = server.requests
        base = server.base_url
    assert (missing.status, missing.error, missing.attempts) == (404, "HTTP 404", 1)
    assert (empty.status, empty.error) == (200, "empty body")
    assert (forbidden.status, forbidden.error, forbidden.blocked) == (403, "HTTP 403", False)
    assert requests.count("/nothing-here") == 1 and requests.count("/forbidden") == 1
    gone = _fetch_all_closed(base)
    assert gone.status is None
    assert (
        gone.error is not None
        and gone.error.startswith("ConnectError")
        and gone.error.endswith("(after 2 attempts)")
    )


def _fetch_all_closed(base: str) -> Fetched:
    async def run() -> Fetched:
        async with SiteClient(
            base, user_agent=UA, timeout_s=2, attempts=2, backoff_s=0.01, obey_robots=False
        ) as client:
            return await client.fetch(base + "/after-shutdown")

    return asyncio.run(run())


def test_resets_truncated_bodies_and_timeouts_are_retried(site: Path) -> None:
    overrides: dict[str, Any] = {
        "/reset": [Response(200, b"", reset=True), Response(200, PAGE)],
        "/truncated": [Response(200, PAGE[:10], declared_length=len(PAGE)), Response(200, PAGE)],
        "/always-truncated": Response(200, PAGE[:10], declared_length=len(PAGE)),
        "/slow": Response(200, PAGE, delay_s=0.6),
    }
    with SnapshotServer(site, overrides=overrides) as server:
        reset, truncated, broken, slow = _fetch_all(
            server,
            ["/reset", "/truncated", "/always-truncated", "/slow"],
            timeout_s=0.3,
            attempts=3,
            max_concurrency=4,
        )
        requests = server.requests
    assert (reset.ok, reset.body, reset.attempts) == (True, PAGE, 2)
    assert (truncated.ok, truncated.body, truncated.attempts) == (True, PAGE, 2)
    assert broken.status is None and broken.attempts == 3
    assert (
        broken.error is not None
        and broken.error.startswith("RemoteProtocolError")
        and broken.error.endswith("(after 3 attempts)")
    )
    assert (slow.status, slow.error, slow.attempts) == (
        None,
        "timeout: ReadTimeout (after 3 attempts)",
        3,
    )
    assert [
        requests.count(p)
        for p in ("/robots.txt", "/reset", "/truncated", "/always-truncated", "/slow")
    ] == [1, 2, 2, 3, 3]


def test_a_cloudflare_challenge_is_blocked_never_parsed_or_retried(site: Path) -> None:
    challenge = b'<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script>window._cf_chl_opt={cvId:"3"};</script></body></html>'
    with SnapshotServer(site, overrides={"/guarded": Response(503, challenge)}) as server:
        page = _fetch(server, "/guarded")
        requests = server.requests
    assert (page.status, page.blocked, page.error, page.attempts) == (
        503,
        True,
        "blocked: Cloudflare challenge (HTTP 503)",
        1,
    )
    assert requests == ["/robots.txt", "/guarded"]


def test_declared_windows_1251_is_reported(site: Path) -> None:
    body = "<html><body><p>Київ</p></body></html>".encode("windows-1251")
    with SnapshotServer(
        site, overrides={"/cp": Response(200, body, "text/html; charset=windows-1251")}
    ) as server:
        page = _fetch(server, "/cp")
    assert (page.encoding, page.body.decode(page.encoding or "")) == (
        "windows-1251",
        "<html><body><p>Київ</p></body></html>",
    )


def test_robots_txt_is_obeyed(site: Path) -> None:
    robots = Response(200, b"User-agent: *\nDisallow: /private\nCrawl-delay: 1\n", "text/plain")
    with SnapshotServer(site, overrides={"/robots.txt": robots}) as server:
        pages = _fetch_all(server, ["/private-page", "/target", "/target?again=1"])
        seen = [(s.path, s.at) for s in server.seen]
    assert (pages[0].status, pages[0].error) == (None, "disallowed by robots.txt")
    assert pages[1].ok and pages[2].ok
    assert [p for p, _ in seen] == ["/robots.txt", "/target", "/target?again=1"]
    # Crawl-delay: 1 is slower than our own 0 s interval, so it wins.
    assert seen[2][1] - seen[1][1] >= 0.95


@pytest.mark.parametrize(
    ("robots", "allowed"),
    [
        (Response(404, b""), True),  # no robots.txt: everything allowed
        (
            Response(200, b"\x00\xff garbage {{{\nDisallow /x\n", "text/plain"),
            True,
        ),  # malformed: nothing usable
        (
            Response(200, b"User-agent: *\nDisallow: /\n" + b"# pad\n" * 900_000, "text/plain"),
            False,
        ),  # 5 MB: read up to the cap
        (Response(503, b""), False),  # unreachable: nothing allowed (RFC 9309)
    ],
)
def test_robots_txt_edge_cases(site: Path, robots: Response, allowed: bool) -> None:
    with SnapshotServer(site, overrides={"/robots.txt": robots}) as server:
        page = _fetch(server, "/target", attempts=1)
        requests = server.requests
    assert page.ok is allowed
    assert requests == (["/robots.txt", "/target"] if allowed else ["/robots.txt"])
    if not allowed:
        assert page.error == "disallowed by robots.txt"


def test_the_rate_limit_spaces_requests(site: Path) -> None:
    with SnapshotServer(site) as server:
        _fetch_all(
            server, [f"/target?n={n}" for n in range(6)], min_interval_s=0.2, max_concurrency=4
        )
        starts = [s.at for s in server.seen]
    assert len(starts) == 7
    # Arrival times at the server: the first request (robots.txt) also opens the connection, which
    # can make it arrive late and its gap to the next look short; the pages after it are spaced.
    # On a loaded machine one arrival can lag its start by tens of milliseconds, shortening its gap
    # to the next (and lengthening the one before): each gap is held to half the interval, which a
    # missing limiter fails by far (four requests in flight arrive within milliseconds), and the
    # whole span to five intervals less that lag.
    gaps = [b - a for a, b in itertools.pairwise(starts[1:])]
    assert min(gaps) >= 0.1, gaps
    assert starts[-1] - starts[1] >= 5 * 0.2 - 0.1


def test_conditional_requests_get_304(site: Path) -> None:
    with SnapshotServer(SNAPSHOT_DIR) as server:
        first = _fetch(server, "/rss")
        again = _fetch_all(server, ["/rss"], {f"{server.base_url}/rss": first.validators})[0]
        sent = server.seen[-1].headers
    assert first.ok and first.header("etag") is not None
    assert first.validators == Validators(first.header("etag"), "Mon, 27 Oct 2025 10:00:00 GMT")
    assert (again.status, again.not_modified, again.error, again.body) == (304, True, None, b"")
    assert sent["If-None-Match"] == first.header("etag")
    assert sent["If-Modified-Since"] == "Mon, 27 Oct 2025 10:00:00 GMT"


def test_user_agent_is_sent_on_every_request(site: Path) -> None:
    with SnapshotServer(site) as server:
        _fetch(server, "/target")
        assert server.user_agents == [UA, UA]


def test_warc_files_rotate_by_size(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from sources.archive import RawArchive, read_runs, warc_files

    started = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
    # Incompressible bodies, so each gzipped record really takes about 40 KB.
    pages = [
        Fetched(
            f"http://x/{n}",
            started,
            200,
            random.Random(n).randbytes(40_000),
            None,
            3,
            None,
            f"http://x/{n}",
        )
        for n in range(5)
    ]
    with RawArchive(tmp_path, max_file_bytes=50_000) as archive:
        archive.start_run("run-1", started, "http://x")
        where = [archive.write(page, run_id="run-1", kind="article") for page in pages]
    assert len(warc_files(tmp_path)) == len({w.file for w in where}) >= 3
    runs = list(read_runs(tmp_path))
    assert [r.run_id for r in runs] == ["run-1"]
    assert [(f.url, f.body) for f, _, _ in runs[0].read()] == [(p.url, p.body) for p in pages]
    assert [loc for _, _, loc in runs[0].read()] == where
    # Its files indexed in other processes (as reparse does): the same run, though its records
    # are in files after the one that opens it.
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
        assert read_runs(tmp_path, map_files=pool.map) == runs


def test_a_record_shorter_than_it_says_ends_its_files_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from datetime import UTC, datetime

    import sources.archive
    from sources.archive import RawArchive, http_headers, read_runs

    started = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
    pages = [
        Fetched(
            f"http://x/{n}", started, 200, b"<p>page %d</p>" % n, None, 3, None, f"http://x/{n}"
        )
        for n in range(3)
    ]

    def claiming_more(fetched: Fetched) -> Any:
        answer = http_headers(fetched)
        if fetched.url == "http://x/1":
            answer.replace_header("Content-Length", str(len(fetched.body) + 1))
        return answer

    monkeypatch.setattr(sources.archive, "http_headers", claiming_more)
    with RawArchive(tmp_path) as archive:
        archive.start_run("run-1", started, "http://x")
        for page in pages:
            archive.write(page, run_id="run-1", kind="article")
    with RawArchive(tmp_path) as archive:
        archive.start_run("run-2", started.replace(hour=10), "http://x")
        archive.write(pages[2], run_id="run-2", kind="article")
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
        for map_files in (map, pool.map):
            caplog.clear()
            runs = read_runs(tmp_path, map_files=map_files)
            # What came before the short record is kept; the next writer's file is read whole.
            assert [(r.run_id, [f.url for f, _, _ in r.read()]) for r in runs] == [
                ("run-1", ["http://x/0"]),
                ("run-2", ["http://x/2"]),
            ]
            (warned,) = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
            assert warned.endswith(
                "ends with a torn record (a record of http://x/1 is cut short)"
                "; the records before it are read"
            )


def test_a_torn_last_record_is_skipped_and_nothing_before_it_is_lost(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from sources.archive import RawArchive, read_runs, warc_files

    started = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
    pages = [
        Fetched(
            f"http://x/{n}",
            started,
            200,
            random.Random(n).randbytes(3_000),
            None,
            3,
            None,
            f"http://x/{n}",
        )
        for n in range(3)
    ]
    with RawArchive(tmp_path) as archive:
        archive.start_run("run-1", started, "http://x")
        where = [archive.write(page, run_id="run-1", kind="article") for page in pages]
    (path,) = warc_files(tmp_path)
    # Killed while writing the third record: the file ends in the middle of it.
    path.write_bytes(path.read_bytes()[: where[2].offset + 500])
    # A later writer starts a file of its own.
    with RawArchive(tmp_path) as archive:
        archive.start_run("run-2", started.replace(hour=10), "http://x")
        archive.write(pages[0], run_id="run-2", kind="article")
    runs = list(read_runs(tmp_path))
    assert [(r.run_id, [f.url for f, _, _ in r.read()]) for r in runs] == [
        ("run-1", ["http://x/0", "http://x/1"]),
        ("run-2", ["http://x/0"]),
    ]
    assert len(warc_files(tmp_path)) == 2
