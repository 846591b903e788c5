"""Sitemaps of any site (sitemaps.org): a urlset's URLs, or an index's sitemaps, with their dates;
in a Google News sitemap, an entry without `lastmod` is dated by its `news:publication_date`."""

from __future__ import annotations

from datetime import date

from sources.records import Sitemap, SitemapEntry
from sources.safe_xml import xml_root
from sources.text import clean_text


def parse_sitemap(body: bytes) -> Sitemap:
    """A sitemaps.org urlset or sitemap index."""
    root, problem = xml_root(body, "sitemap")
    if root is None:
        return Sitemap(False, (), (problem or "sitemap unreadable",))
    is_index = root.tag.endswith("sitemapindex")
    entries: list[SitemapEntry] = []
    for element in root:
        loc = lastmod = None
        for child in element:
            name = child.tag.rsplit("}", 1)[-1]
            if name == "loc":
                loc = clean_text(child.text)
            elif name == "lastmod":
                lastmod = clean_text(child.text)[:10]
            elif name == "news" and lastmod is None:
                published = child.find("{*}publication_date")
                lastmod = clean_text(published.text)[:10] if published is not None else None
        if loc:
            try:
                day = date.fromisoformat(lastmod) if lastmod else None
            except ValueError:
                day = None
            entries.append(SitemapEntry(loc, day))
    return Sitemap(is_index, tuple(entries))
