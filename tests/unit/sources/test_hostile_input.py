"""Hostile and broken input: each gets a clear recorded reason, nothing hangs, nothing is followed
outside the configured site."""

from __future__ import annotations

import asyncio
import gzip
import time
from pathlib import Path

import pytest

from sources.espreso.article import parse_article
from sources.espreso.discover import is_article_url
from sources.espreso.feed import MAX_FEED_ROWS, parse_feed
from sources.feeds import parse_rss
from sources.http import SiteClient
from sources.records import Fetched
from sources.sitemaps import parse_sitemap
from sources.snapshot_server import SNAPSHOT_DIR, Response, SnapshotServer

SITE = "https://global.espreso.tv"
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    b'<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>'
    b"<urlset><url><loc>&f;</loc></url></urlset>"
)
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><link>&x;</link></item></channel></rss>'


def test_entity_expansion_and_external_entities_are_refused() -> None:
    started = time.perf_counter()
    sitemap = parse_sitemap(LAUGHS)
    links, problems = parse_rss(EXTERNAL)
    assert time.perf_counter() - started < 1
    assert sitemap.entries == ()
    assert sitemap.problems == (
        "sitemap refused: DTDForbidden (DTDForbidden(name='urlset', system_id=None, public_id=None))",
    )
    assert links == []
    assert problems == [
        "RSS refused: DTDForbidden (DTDForbidden(name='rss', system_id=None, public_id=None))"
    ]


def test_deeply_nested_html_is_reported_not_fatal() -> None:
    page = b"<html><body>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000 + b"</body></html>"
    started = time.perf_counter()
    result = parse_article(page, f"{SITE}/deep")
    feed = parse_feed(page, f"{SITE}/deep")
    assert time.perf_counter() - started < 1
    assert (result.article, result.problems) == (
        None,
        ("HTML nested deeper than 1000 levels: not parsed",),
    )
    assert (feed.rows, feed.problems) == ((), ("HTML nested deeper than 1000 levels: not parsed",))


def test_a_feed_of_ten_thousand_rows_is_cut() -> None:
    page = (SNAPSHOT_DIR / "index.html").read_bytes()
    start = page.index(b'<div class="news-tape-item')
    end = page.index(b'<div class="news-tape-item', start + 10)
    row = page[start:end]
    flooded = page[:start] + row * 10_000 + page[start:]
    feed = parse_feed(flooded, f"{SITE}/news")
    assert len(feed.rows) == MAX_FEED_ROWS
    assert feed.problems == (
        f"feed has more than {MAX_FEED_ROWS} rows; kept the first {MAX_FEED_ROWS}",
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://static.espreso.tv/uploads/x.jpg",
        "https://evil.example/russia-ukraine-war-x",
        "file:///etc/passwd",
        "http://127.0.0.1:8080/russia-ukraine-war-x",
        "http://10.0.0.1/russia-ukraine-war-x",
        "http://192.168.1.1/russia-ukraine-war-x",
        "http://global.espreso.tv/russia-ukraine-war-x",  # other scheme
        f"{SITE}/../../etc/passwd",
        f"{SITE}/a/../../b/c",
        f"{SITE}/" + "a" * 3000,
    ],
)
def test_only_the_configured_site_is_ever_a_candidate(url: str) -> None:
    assert not is_article_url(url, SITE)


def _fetch(server: SnapshotServer, path: str) -> Fetched:
    async def run() -> Fetched:
        async with SiteClient(
            server.base_url, user_agent="t", min_interval_s=0, backoff_s=0.01
        ) as client:
            return await client.fetch(server.base_url + path)

    return asyncio.run(run())


def test_a_gzip_bomb_is_cut_at_the_cap(tmp_path: Path) -> None:
    bomb = gzip.compress(b"\0" * 200_000_000, compresslevel=9)
    assert len(bomb) < 300_000
    answer = Response(200, bomb, headers=(("Content-Encoding", "gzip"),))
    with SnapshotServer(tmp_path, overrides={"/bomb": answer}) as server:
        page = _fetch(server, "/bomb")
    assert (page.status, len(page.body), page.error) == (
        200,
        5_000_000,
        "body larger than 5000000 bytes: cut off",
    )


@pytest.mark.parametrize(
    "target",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/private",
        "http://10.1.2.3/x",
        "http://169.254.169.254/latest/meta-data",
    ],
)
def test_redirects_out_of_the_site_are_never_followed(tmp_path: Path, target: str) -> None:
    with SnapshotServer(
        tmp_path, overrides={"/jump": Response(302, b"", headers=(("Location", target),))}
    ) as server:
        page = _fetch(server, "/jump")
        requests = server.requests
    assert (page.status, page.error) == (302, f"redirect off site to {target} not followed")
    assert requests == ["/robots.txt", "/jump"]


@pytest.mark.parametrize(
    ("canonical", "problem"),
    [
        (f"{SITE}/russia-ukraine-war-x", None),
        (f"{SITE}/russia-ukraine-war-x/?utm=1#top", None),
        ("http://GLOBAL.espreso.tv/russia-ukraine-war-x", None),
        ("/russia-ukraine-war-x", None),
        (f"{SITE}/russia-ukraine-war-y", f"canonical URL {SITE}/russia-ukraine-war-y names another page; kept the fetched URL"),
        ("https://evil.example/russia-ukraine-war-x", "canonical URL https://evil.example/russia-ukraine-war-x is on another host; kept the fetched URL"),
    ],
)  # fmt: skip
def test_a_page_keeps_its_fetched_url_whatever_its_canonical_says(
    canonical: str, problem: str | None
) -> None:
    slug = "world-about-ukraine-eu-leaders-agree-to-cover-ukraines-financing-needs-for-2026-2027"
    page = (SNAPSHOT_DIR / "articles" / f"{slug}.html").read_bytes()
    own = f'<link rel="canonical" href="{SITE}/{slug}">'.encode()
    changed = page.replace(own, f'<link rel="canonical" href="{canonical}">'.encode())
    result = parse_article(changed, f"{SITE}/russia-ukraine-war-x")
    assert result.article is not None
    assert (result.url, result.article.url, result.article.slug) == (
        f"{SITE}/russia-ukraine-war-x",
        f"{SITE}/russia-ukraine-war-x",
        "russia-ukraine-war-x",
    )
    assert result.problems == ((problem,) if problem else ())


@pytest.mark.parametrize("declared", [None, "undefined", "no-such-codec"])
def test_an_unusable_charset_falls_back_to_utf8(declared: str | None) -> None:
    page = sorted((SNAPSHOT_DIR / "articles").glob("*.html"))[0].read_bytes()
    marked = page.replace(b'<meta charset="utf-8">', b'<meta charset="undefined">', 1)
    assert marked != page
    plain = parse_article(page, "https://global.espreso.tv/a", None)
    result = parse_article(marked, "https://global.espreso.tv/a", declared)
    assert result.article is not None and plain.article is not None
    assert (result.article.title, result.article.body_text) == (
        plain.article.title,
        plain.article.body_text,
    )
