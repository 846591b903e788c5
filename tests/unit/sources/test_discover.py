"""Discovery decisions: what a run fetches, from feed rows, RSS, sitemaps and what is known."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sources.espreso.crawl import add_rss, add_sitemap, new_urls
from sources.espreso.discover import (
    article_candidates,
    has_new_rows,
    is_article_url,
    news_sitemaps,
    rows_in_window,
    sitemap_urls_between,
    walked_past,
)
from sources.records import FeedRow, Fetched, SitemapEntry

SITE = "https://global.espreso.tv"
T = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)


def _row(slug: str, badge: str | None = None) -> FeedRow:
    return FeedRow(0, f"{SITE}/{slug}", slug, None, badge, T)


def test_article_urls_are_on_site_single_segment_pages() -> None:
    assert is_article_url(f"{SITE}/russia-ukraine-war-x", SITE)
    assert not is_article_url(f"{SITE}/news", SITE)
    assert not is_article_url(f"{SITE}/sitemap_news_1.xml", SITE)
    assert not is_article_url(f"{SITE}/a/b", SITE)
    assert not is_article_url("https://espreso.tv/russia-ukraine-war-x", SITE)
    assert not is_article_url("http://global.espreso.tv/russia-ukraine-war-x", SITE)
    assert not is_article_url("file:///etc/passwd", SITE)


def test_candidates_new_or_changed_in_the_feed_each_once_in_order() -> None:
    rows = [
        _row("new-one"),
        _row("known-updated", "Updated"),
        _row("known-plain"),
        _row("new-one"),
        _row("known-moved"),
    ]
    listed = [
        f"{SITE}/from-rss?utm=x#top",
        f"{SITE}/known-plain",
        "https://static.espreso.tv/img.jpg",
        f"{SITE}/new-one/",
    ]
    known = {f"{SITE}/known-updated", f"{SITE}/known-plain", f"{SITE}/known-moved"}
    stored = {
        # Last seen without the Updated mark; now the feed marks it Updated.
        f"{SITE}/known-updated": ("known-updated", None, T),
        # Unchanged: not fetched again.
        f"{SITE}/known-plain": ("known-plain", None, T),
        # Same headline and badge, but the feed shows a new time.
        f"{SITE}/known-moved": ("known-moved", None, T - timedelta(hours=1)),
    }
    assert article_candidates(SITE, rows, listed, known, stored) == [
        f"{SITE}/new-one",
        f"{SITE}/known-updated",
        f"{SITE}/known-moved",
        f"{SITE}/from-rss",
    ]
    # Without a stored row a known article is not refetched blindly from RSS or sitemaps.
    assert article_candidates(SITE, [], listed, known, {}) == [
        f"{SITE}/from-rss",
        f"{SITE}/new-one",
    ]


def test_feed_paging_stops_at_a_page_with_nothing_new() -> None:
    assert has_new_rows([_row("a"), _row("b")], {f"{SITE}/a"})
    assert not has_new_rows([_row("a"), _row("b")], {f"{SITE}/a", f"{SITE}/b"})


def test_sitemap_lookback_is_inclusive_in_kyiv_days() -> None:
    entries = [
        SitemapEntry(f"{SITE}/d0", date(2025, 10, 27)),
        SitemapEntry(f"{SITE}/d2", date(2025, 10, 25)),
        SitemapEntry(f"{SITE}/d3", date(2025, 10, 24)),
        SitemapEntry(f"{SITE}/undated", None),
    ]
    assert sitemap_urls_between(entries, date(2025, 10, 25), date(2025, 10, 27)) == [
        f"{SITE}/d0",
        f"{SITE}/d2",
    ]
    assert sitemap_urls_between(entries, date(2025, 10, 27), date(2025, 10, 27)) == [f"{SITE}/d0"]
    assert sitemap_urls_between(entries, date(2025, 10, 24), date(2025, 10, 24)) == [f"{SITE}/d3"]


def test_backfill_window_in_kyiv_days() -> None:
    # 21:30 UTC on 26 October is 23:30 in Kyiv (still the 26th); 22:30 UTC is already the 27th.
    late = FeedRow(0, f"{SITE}/late", "t", None, None, datetime(2025, 10, 26, 21, 30, tzinfo=UTC))
    later = FeedRow(1, f"{SITE}/later", "t", None, None, datetime(2025, 10, 26, 22, 30, tzinfo=UTC))
    assert rows_in_window([late, later], date(2025, 10, 26), date(2025, 10, 26)) == [f"{SITE}/late"]
    assert not walked_past([late, later], date(2025, 10, 26))
    assert walked_past([late, later], date(2025, 10, 27))
    assert walked_past([], date(2025, 10, 27))


def test_only_news_sitemaps_on_site_are_followed() -> None:
    index = [
        SitemapEntry(f"{SITE}/sitemap-categories.xml", None),
        SitemapEntry(f"{SITE}/sitemap_news_1.xml", None),
        SitemapEntry(f"{SITE}/sitemap_tags_1.xml", None),
        SitemapEntry("https://evil.example/sitemap_news_1.xml", None),
    ]
    assert news_sitemaps(index, SITE) == [f"{SITE}/sitemap_news_1.xml"]


def test_a_missing_rss_or_sitemap_is_normal_not_an_error() -> None:
    from sources.records import Discovery, Fetched

    found = Discovery()
    missing = [
        Fetched(f"{SITE}/{p}", T, 404, b"<h1>404</h1>", None, 3, "HTTP 404", f"{SITE}/{p}")
        for p in ("rss", "sitemap.xml")
    ]
    add_rss(found, missing[0])
    assert add_sitemap(found, missing[1], SITE, date(2025, 10, 25), date(2025, 10, 27)) == []
    assert [(r.kind, r.fetched.status, r.error) for r in found.requests] == [
        ("rss", 404, None),
        ("sitemap", 404, None),
    ]
    # An article that is not there is an error.
    found.log(Fetched(f"{SITE}/gone", T, 404, b"", None, 3, "HTTP 404", f"{SITE}/gone"), "article")
    assert found.requests[-1].error == "HTTP 404"


def _sitemap(entries: list[tuple[str, date]], index: bool = False) -> bytes:
    tag, outer = ("sitemap", "sitemapindex") if index else ("url", "urlset")
    items = "".join(
        f"<{tag}><loc>{loc}</loc><lastmod>{day.isoformat()}</lastmod></{tag}>"
        for loc, day in entries
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><{outer} '
        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</{outer}>'
    ).encode()


def _answer(path: str, body: bytes) -> Fetched:
    return Fetched(f"{SITE}{path}", T, 200, body, None, 3, None, f"{SITE}{path}")


def test_new_urls_are_capped_to_the_newest_and_the_lists_are_marked() -> None:
    """20,000 new URLs in a sitemap: a run takes the newest 300 (in listing order); the lists
    that named them are marked `capped`, so that their validators are not used and the next run
    reads them whole again."""
    from sources.records import Discovery

    day = date(2025, 10, 27)
    # Oldest first, a day apart; the newest two already loaded.
    entries = [(f"{SITE}/story-{n}", day - timedelta(days=20_000 - n)) for n in range(20_000)]
    found = Discovery()
    add_sitemap(found, _answer("/sitemap_news_1.xml", _sitemap(entries)), SITE, date.min, day)
    add_rss(
        found,
        _answer(
            "/rss",
            b"<rss><channel><item><link>"
            + f"{SITE}/from-rss".encode()
            + b"</link></item></channel></rss>",
        ),
    )
    known = {f"{SITE}/story-19999", f"{SITE}/story-19998"}
    taken = new_urls(found, SITE, known, 300)
    # RSS gives no lastmod, and lists only the latest: newest of all. Then the 299 newest of the
    # sitemap, in listing order.
    assert taken == [f"{SITE}/story-{n}" for n in range(19_699, 19_998)] + [f"{SITE}/from-rss"]
    assert found.left_urls == 19_999 - 300
    note = "capped: 19999 new URLs listed, the newest 300 taken, 19699 left to the next runs"
    assert [(r.kind, r.error) for r in found.requests] == [("sitemap", note), ("rss", note)]
    # The next run, with those loaded: the next 300 newest.
    again = Discovery()
    add_sitemap(again, _answer("/sitemap_news_1.xml", _sitemap(entries)), SITE, date.min, day)
    assert new_urls(again, SITE, known | set(taken), 300) == [
        f"{SITE}/story-{n}" for n in range(19_399, 19_699)
    ]
    assert again.left_urls == 19_399


def test_under_the_cap_nothing_is_marked() -> None:
    from sources.records import Discovery

    found = Discovery()
    add_sitemap(found,
        _answer("/s.xml", _sitemap([(f"{SITE}/b", date(2025, 10, 26)), (f"{SITE}/a", date(2025, 10, 27))])),
        SITE, date(2025, 10, 1), date(2025, 10, 27),
    )  # fmt: skip
    assert new_urls(found, SITE, set(), 2) == [f"{SITE}/b", f"{SITE}/a"]
    assert (found.left_urls, found.requests[0].error) == (0, None)


def test_an_index_naming_many_news_sitemaps_is_read_for_the_newest_20() -> None:
    from sources.espreso.discover import MAX_SITEMAPS
    from sources.records import Discovery

    day = date(2025, 10, 27)
    children = [(f"{SITE}/sitemap_news_{n}.xml", day - timedelta(days=n)) for n in range(1, 26)]
    found = Discovery()
    read = add_sitemap(
        found, _answer("/sitemap.xml", _sitemap(children, index=True)), SITE, day, day
    )
    assert MAX_SITEMAPS == 20
    assert read == [f"{SITE}/sitemap_news_{n}.xml" for n in range(1, 21)]
    assert found.requests[0].error == "capped: 25 news sitemaps named, the newest 20 read"
