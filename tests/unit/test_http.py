"""The site client against a real server on 127.0.0.1: stays on the site, caps sizes, never raises."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sources.http import Fetched, SiteClient
from sources.snapshot_server import Response, SnapshotServer


def _fetch(server: SnapshotServer, path: str, **options: object) -> Fetched:
    async def run() -> Fetched:
        async with SiteClient(
            server.base_url, user_agent="newsflow-test/1 (+http://example.invalid)", **options
        ) as client:  # type: ignore[arg-type]
            return await client.fetch(server.base_url + path)

    return asyncio.run(run())


def test_redirect_within_site_is_followed_and_off_site_is_not(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "target.html").write_bytes(b"<html>target</html>")
    with SnapshotServer(tmp_path) as server:
        server.overrides["/moved"] = Response(
            301, b"", headers=(("Location", server.base_url + "/target"),)
        )
        server.overrides["/away"] = Response(
            302, b"", headers=(("Location", "http://127.0.0.2:9/x"),)
        )
        moved = _fetch(server, "/moved")
        away = _fetch(server, "/away")
    assert moved.ok
    assert moved.body == b"<html>target</html>"
    assert moved.final_url.endswith("/target")
    assert away.status == 302
    assert away.error == "redirect off site to http://127.0.0.2:9/x not followed"
    assert away.body == b""


def test_off_site_url_is_refused_without_a_request(tmp_path: Path) -> None:
    with SnapshotServer(tmp_path) as server:

        async def run() -> Fetched:
            async with SiteClient(server.base_url, user_agent="t") as client:
                return await client.fetch("https://static.espreso.tv/logo.png")

        refused = asyncio.run(run())
        assert server.requests == []
    assert refused.status is None
    assert (
        refused.error == f"refused: https://static.espreso.tv/logo.png is outside {server.base_url}"
    )


def test_body_over_the_cap_is_cut_and_recorded(tmp_path: Path) -> None:
    with SnapshotServer(tmp_path, overrides={"/big": Response(200, b"x" * 50_000)}) as server:
        big = _fetch(server, "/big", max_bytes=10_000)
    assert big.status == 200
    assert not big.ok
    assert len(big.body) == 10_000
    assert big.error == "body larger than 10000 bytes: cut off"


def test_errors_are_results_not_exceptions(tmp_path: Path) -> None:
    with SnapshotServer(
        tmp_path, overrides={"/boom": Response(500, b"oops"), "/empty": Response(200, b"")}
    ) as server:
        boom = _fetch(server, "/boom")
        empty = _fetch(server, "/empty")
        missing = _fetch(server, "/nothing-here")
        base = server.base_url
    assert (boom.status, boom.error, boom.body) == (500, "HTTP 500", b"oops")
    assert (empty.status, empty.error) == (200, "empty body")
    assert (missing.status, missing.error) == (404, "HTTP 404")
    gone = asyncio.run(_closed_port_fetch(base))
    assert gone.status is None
    assert gone.error is not None and gone.error.startswith("ConnectError")


async def _closed_port_fetch(base: str) -> Fetched:
    async with SiteClient(base, user_agent="t", timeout_s=2) as client:
        return await client.fetch(base + "/after-shutdown")


def test_user_agent_is_sent(tmp_path: Path) -> None:
    with SnapshotServer(tmp_path) as server:
        _fetch(server, "/x")
        assert server.user_agents == ["newsflow-test/1 (+http://example.invalid)"]
