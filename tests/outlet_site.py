"""A generic outlet's site for tests: real article pages no one here wrote (the Fundus corpus, read
from ../shared at test time) behind an RSS feed and a Google News sitemap generated from them (the
sitemap named by robots.txt), as `SnapshotServer` overrides."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

from sources.snapshot_server import Response

# (country, file): the pages served; the first three through RSS, the others through the sitemap.
PAGES = (
    ("uk", "TheGuardian_2024_02_24.html.gz"),
    ("uk", "Metro_2024_07_17.html.gz"),
    ("us", "FoxNews_2023_04_28.html.gz"),
    ("uk", "BBC_2024_08_01.html.gz"),
    ("us", "WashingtonTimes_2023_04_28.html.gz"),
)
OUTLET = "kyiv-independent"  # its feed is /news-archive/rss/; it reads robots.txt's Sitemap lines


def page_path(file: str) -> str:
    """Where a corpus page is served: `/theguardian-2024-02-24`."""
    return "/" + file.removesuffix(".html.gz").lower().replace("_", "-")


def _rss(base: str, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>t</title><link>{base}{p}</link></item>" for p in paths)
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


def _news_sitemap(base: str, paths: list[str], day: str) -> bytes:
    urls = "".join(
        f"<url><loc>{base}{p}</loc><news:news><news:publication>"
        "<news:name>N</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{day}T09:00:00+02:00</news:publication_date>"
        "<news:title>t</news:title></news:news></url>"
        for p in paths
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{urls}</urlset>"
    ).encode()


def outlet_site(base: str, realdata: Path) -> dict[str, Response]:
    """The outlet's answers on a server at `base`: robots.txt, its RSS feed, its news sitemap
    (dated today) and the `PAGES`."""
    paths = [page_path(file) for _, file in PAGES]
    site = {
        path: Response(200, gzip.decompress((realdata / "fundus" / country / file).read_bytes()))
        for (country, file), path in zip(PAGES, paths, strict=True)
    }
    today = datetime.now(UTC).date().isoformat()
    return site | {
        "/robots.txt": Response(
            200, f"User-agent: *\nAllow: /\nSitemap: {base}/news-sitemap.xml\n".encode(),
            "text/plain",
        ),
        "/news-archive/rss/": Response(200, _rss(base, paths[:3]), "application/rss+xml"),
        "/news-sitemap.xml": Response(200, _news_sitemap(base, paths[2:], today), "application/xml"),
    }  # fmt: skip
