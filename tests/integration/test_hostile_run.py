"""A run over a site that turned hostile: every bad answer gets a clear recorded reason, the run goes
on, and the good articles all load."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from bench.snapshot import ingest_snapshot
from sources.snapshot_server import Response, SnapshotServer
from tests.conftest import FIGURES
from tests.snapshot import rows
from tests.unit.sources.test_hostile_input import EXTERNAL, LAUGHS

CHALLENGE = b'<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script>window._cf_chl_opt={cvId:"3"};</script></body></html>'
HOSTILE = {
    "russia-ukraine-war-russians-shelled-kherson-37-times-in-one-day-two-killed": (
        Response(
            200,
            gzip.compress(b"\0" * 100_000_000, compresslevel=9),
            headers=(("Content-Encoding", "gzip"),),
        ),
        "body larger than 5000000 bytes: cut off",
    ),
    "world-about-ukraine-denmark-to-host-first-ukrainian-arms-factory-abroad": (
        Response(
            200, b"<html><body>" + b"<div>" * 100_000 + b"</div>" * 100_000 + b"</body></html>"
        ),
        "parse: HTML nested deeper than 1000 levels: not parsed",
    ),
    "economics-ukraines-energy-ministry-warns-of-scheduled-power-outages-in-five-regions-on-monday": (
        Response(200, b"x" * 100_000_000),
        "body larger than 5000000 bytes: cut off",
    ),
    "russia-ukraine-war-ukrainian-defenders-repelled-14-assaults-in-the-kupiansk-direction": (
        Response(302, b"", headers=(("Location", "file:///etc/passwd"),)),
        "redirect off site to file:///etc/passwd not followed",
    ),
    "opinion-trumps-sanctions-on-rosneft-and-lukoil-a-turning-point-or-another-pause": (
        Response(302, b"", headers=(("Location", "http://169.254.169.254/latest/meta-data"),)),
        "redirect off site to http://169.254.169.254/latest/meta-data not followed",
    ),
    "russia-ukraine-war-russia-is-recruiting-migrants-to-cover-losses-near-pokrovsk-expert": (
        Response(503, CHALLENGE),
        "blocked: Cloudflare challenge (HTTP 503)",
    ),
}


def test_a_hostile_site_costs_only_the_hostile_pages(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSFLOW_BACKOFF_S", "0.01")
    warehouse = tmp_path / "newsflow.duckdb"
    overrides = {f"/{slug}": answer for slug, (answer, _) in HOSTILE.items()}
    overrides["/sitemap_news_1.xml"] = Response(200, LAUGHS, "application/xml")
    overrides["/rss"] = Response(200, EXTERNAL, "application/xml")
    with SnapshotServer(overrides=overrides) as server:
        ingest_snapshot(server.base_url, warehouse)
        base = server.base_url
    errors = dict(
        rows(
            warehouse,
            "SELECT regexp_replace(url, '^http://[^/]+/', ''), error FROM fetch_log WHERE error IS NOT NULL",
        )
    )
    assert errors == {
        **{slug: reason for slug, (_, reason) in HOSTILE.items()},
        "sitemap_news_1.xml": "sitemap refused: DTDForbidden (DTDForbidden(name='urlset', system_id=None, public_id=None))",
        "rss": "RSS refused: DTDForbidden (DTDForbidden(name='rss', system_id=None, public_id=None))",
    }
    # The sitemap was the only way to the three older articles: 18 feed articles, less the 6 hostile ones.
    assert rows(warehouse, "SELECT count(*) FROM articles") == [(12,)]
    assert rows(
        warehouse,
        f"SELECT count(*) FROM articles WHERE url IN ({', '.join(repr(f'{base}/{s}') for s in HOSTILE)})",
    ) == [(0,)]
    FIGURES.append(f"hostile inputs tried in one run: {len(HOSTILE) + 2}; good articles lost: 0")
