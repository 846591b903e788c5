"""Faults of a hostile or broken site, one class at a time, against the client and a real server on
127.0.0.1: bad header bytes (in every header newsflow reads), a body that drips, a run's fetch budget,
a huge Crawl-delay, cookies, URLs that cannot be requested."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sources.archive import RawArchive, read_runs
from sources.headers import header_problems, header_text
from sources.http import FetchBudget, SiteClient
from sources.records import Fetched, LoggedFetch, Validators
from sources.snapshot_server import Response, SnapshotServer

UA = "newsflow-test/1 (+http://example.invalid)"
PAGE = b"<html><body><p>ok</p></body></html>"
DATE = b"Mon, 27 Oct 2025 10:00:00 GMT"

# Bad bytes of each kind, for each header newsflow reads, and what is said about them.
BAD_VALUES: dict[str, dict[str, bytes]] = {
    "non-ASCII": {
        "ETag": b'"\xc3\xa9t\xc3\xa9"',
        "Last-Modified": DATE[:-4] + b" \xe9GMT",
        "Content-Type": b'text/html; charset="\xe9"',
        "Location": b"/caf\xc3\xa9",
    },
    "control character": {
        "ETag": b'"a\x01b"',
        "Last-Modified": DATE + b"\x7f",
        "Content-Type": b"text/html;\x01charset=utf-8",
        "Location": b"/a\x7fb",
    },
    "very long": {
        "ETag": b'"' + b"a" * 3000 + b'"',
        "Last-Modified": DATE + b"x" * 3000,
        "Content-Type": b"text/html; charset=utf-8; x=" + b"a" * 3000,
        "Location": b"/" + b"a" * 3000,
    },
    "malformed": {
        "ETag": b"abc",
        "Last-Modified": b"yesterday",
        "Content-Type": b"text/html; charset=nope",
        "Location": b"http://[::1/x",
    },
}
REASONS: dict[str, dict[str, str]] = {
    "non-ASCII": dict.fromkeys(BAD_VALUES["non-ASCII"], "non-ASCII bytes"),
    "control character": dict.fromkeys(BAD_VALUES["control character"], "a control character"),
    "very long": {
        **dict.fromkeys(("ETag", "Last-Modified", "Content-Type"), "longer than 256 characters"),
        "Location": "longer than 2000 characters",
    },
    "malformed": {
        "ETag": "not a quoted entity tag",
        "Last-Modified": "not an HTTP date",
        "Content-Type": "unknown charset nope",
        "Location": "not a URL",
    },
}
VERB = {"ETag": "dropped", "Last-Modified": "dropped", "Content-Type": "ignored"}
CASES = [(kind, header) for kind in BAD_VALUES for header in BAD_VALUES[kind]]


def bad_header_problem(kind: str, header: str) -> str:
    """What newsflow records about a header of a kind of bad bytes."""
    verb = VERB.get(header, "not followed")
    return f"bad header: {header} {verb} ({REASONS[kind][header]})"


def _client(server: SnapshotServer, **options: Any) -> SiteClient:
    settings: dict[str, Any] = {"min_interval_s": 0.0, "backoff_s": 0.01, **options}
    return SiteClient(server.base_url, user_agent=UA, **settings)


def _fetch_all(server: SnapshotServer, paths: list[str], **options: Any) -> list[Fetched]:
    async def run() -> list[Fetched]:
        async with _client(server, **options) as client:
            return await client.fetch_all([server.base_url + p for p in paths])

    return asyncio.run(run())


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "target.html").write_bytes(PAGE)
    return tmp_path


@pytest.mark.parametrize(("kind", "header"), [c for c in CASES if c[1] != "Location"])
def test_a_bad_header_value_is_dropped_and_never_sent_back(
    site: Path, tmp_path: Path, kind: str, header: str
) -> None:
    raw = ((header.encode(), BAD_VALUES[kind][header]),)
    answer = Response(200, PAGE, "" if header == "Content-Type" else "text/html", raw_headers=raw)
    with SnapshotServer(site, overrides={"/page": answer}) as server:
        first, again = _fetch_all(server, ["/page", "/page"])
        later = _fetch_all(server, ["/page"])[0]
        sent = [s.headers for s in server.seen if s.path == "/page"]
    # The page itself is fine: it loads; the header is unused, and said to be.
    assert (first.ok, first.body, first.encoding) == (True, PAGE, None)
    assert first.header_problems == (bad_header_problem(kind, header),)
    assert first.validators == Validators()
    assert LoggedFetch(first, "article").error == bad_header_problem(kind, header)
    assert later.ok and again.ok
    # Nothing of it is ever sent back: no conditional header, no request that cannot be sent.
    conditional = {"If-None-Match", "If-Modified-Since"}
    assert [conditional & set(h) for h in sent] == [set(), set(), set()]
    assert first.validators.headers() == {}
    # The archive keeps the header (its bytes as %XX where they were not ASCII), and what is read
    # back from it says the same: reparse records what the run recorded.
    with RawArchive(tmp_path / "raw", 10_000_000) as archive:
        archive.start_run("run-1", first.requested_at, server.base_url)
        archive.write(first, run_id="run-1", kind="article")
    [(replayed, _, _)] = list(next(iter(read_runs(tmp_path / "raw"))).read())
    assert replayed.header(header) == first.header(header) == header_text(BAD_VALUES[kind][header])
    assert (replayed.header_problems, replayed.validators) == (first.header_problems, Validators())


@pytest.mark.parametrize("kind", BAD_VALUES)
def test_a_bad_location_is_not_followed(site: Path, kind: str) -> None:
    raw = ((b"Location", BAD_VALUES[kind]["Location"]),)
    with SnapshotServer(site, overrides={"/moved": Response(301, b"", raw_headers=raw)}) as server:
        moved = _fetch_all(server, ["/moved"])[0]
        asked = server.requests
    assert (moved.status, moved.error, moved.attempts, moved.redirects, moved.ok) == (
        301,
        bad_header_problem(kind, "Location"),
        1,
        (),
        False,
    )
    assert asked == ["/robots.txt", "/moved"]


def test_valid_validators_are_kept_and_a_date_is_sent_in_the_http_form() -> None:
    assert Validators.checked('W/"5-abc"', "Monday, 27-Oct-25 10:00:00 GMT") == (
        Validators('W/"5-abc"', "Mon, 27 Oct 2025 10:00:00 GMT"),
        (),
    )
    assert (
        header_problems([("ETag", '"x"'), ("Content-Type", "text/html; charset=windows-1251")])
        == ()
    )


def test_validators_stored_before_they_were_checked_are_dropped(site: Path) -> None:
    """A warehouse from before the checks may hold an ETag with non-ASCII bytes: it is never sent
    (httpx would raise UnicodeEncodeError), and the request goes out without it."""
    stored = Validators('"\xe9t\xe9"', "Mon, 27 Oct 2025 10:00:00 GMT\x01")
    assert Validators.checked(stored.etag, stored.last_modified) == (
        Validators(),
        (
            "bad header: ETag dropped (non-ASCII bytes)",
            "bad header: Last-Modified dropped (a control character)",
        ),
    )
    with SnapshotServer(site) as server:

        async def run() -> Fetched:
            async with _client(server) as client:
                return await client.fetch(f"{server.base_url}/target", stored)

        page = asyncio.run(run())
        sent = server.seen[-1].headers
    assert page.ok and page.body == PAGE
    assert "If-None-Match" not in sent and "If-Modified-Since" not in sent


def test_a_page_that_drips_is_cut_at_the_request_deadline(site: Path) -> None:
    drip = Response(200, PAGE * 10, drip_s=0.25)
    with SnapshotServer(site, overrides={"/drip": drip}) as server:
        started = time.monotonic()
        slow, fast = _fetch_all(server, ["/drip", "/target"], deadline_s=1.0, attempts=2)
        took = time.monotonic() - started
    assert (slow.status, slow.error, slow.attempts, slow.body) == (
        None,
        "timeout: no complete answer within 1 s (after 2 attempts)",
        2,
        b"",
    )
    assert fast.ok
    # Two tries of one second each, and a short backoff: never the minute the body would take.
    assert 2.0 <= took < 4.0


def test_the_fetch_budget_cuts_requests_and_never_starts_the_rest(site: Path) -> None:
    drip = Response(200, PAGE * 10, drip_s=0.25)
    budget = FetchBudget.starting(datetime.now(UTC), 1.5)
    with SnapshotServer(site, overrides={"/drip": drip}) as server:
        started = time.monotonic()
        pages = _fetch_all(
            server, ["/target", "/drip", "/target?2", "/target?3"], budget=budget, max_concurrency=1
        )
        took = time.monotonic() - started
        asked = server.requests
    reason = "timeout: run fetch budget of 1.5 s spent"
    assert [(p.ok, p.status, p.error, p.attempts) for p in pages] == [
        (True, 200, None, 1),
        (False, None, reason, 1),
        (False, None, reason, 0),
        (False, None, reason, 0),
    ]
    assert asked == ["/robots.txt", "/target", "/drip"]
    assert 1.4 <= took < 2.5
    # Spent: nothing more is asked at all.
    assert [p.error for p in _fetch_all(server, ["/target"], budget=budget)] == [reason]


def test_a_crawl_delay_past_the_cap_is_cut_to_it(site: Path) -> None:
    robots = Response(200, b"User-agent: *\nCrawl-delay: 600\n", "text/plain")
    with SnapshotServer(site, overrides={"/robots.txt": robots}) as server:
        started = time.monotonic()
        pages = _fetch_all(server, ["/target", "/target?2"], max_crawl_delay_s=0.3)
        took = time.monotonic() - started
        seen = [s.at for s in server.seen]
    assert all(p.ok for p in pages)
    assert seen[2] - seen[1] >= 0.29
    assert took < 2.0


def test_cookies_the_site_sets_are_never_sent_back(site: Path) -> None:
    raw = ((b"Set-Cookie", b"session=\xe9\xff; Path=/"), (b"Set-Cookie", b"plain=1; Path=/"))
    with SnapshotServer(site, overrides={"/login": Response(200, PAGE, raw_headers=raw)}) as server:
        pages = _fetch_all(server, ["/login", "/target"], max_concurrency=1)
        sent = [s.headers for s in server.seen]
    assert [p.ok for p in pages] == [True, True]
    assert [h.get("Cookie") for h in sent] == [None, None, None]


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("/a\x7fb", "Invalid non-printable ASCII character in URL, '\\x7f' at position {at}."),
        ("/" + "a" * 70_000, "URL too long"),
    ],
)
def test_a_url_that_cannot_be_requested_is_refused(site: Path, path: str, why: str) -> None:
    with SnapshotServer(site) as server:
        [page] = _fetch_all(server, [path])
        asked = server.requests
    at = len(server.base_url) + 2
    assert (page.status, page.error) == (
        None,
        f"refused: not a URL that can be requested ({why.format(at=at)})",
    )
    assert asked == []
