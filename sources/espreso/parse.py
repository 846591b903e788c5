"""An Espreso article page in full, from one tree: its article and its "News" feed list.

Pure: bytes + URL in, typed records plus problems out; no I/O, no clock, and never an exception
for an odd page. The parts live beside it: `article.py`, `feed.py`, `page.py` (decoding and the
nesting guard); the site-agnostic RSS and sitemap readers are `sources/feeds.py` and
`sources/sitemaps.py`.
"""

from __future__ import annotations

from sources.espreso.article import read_article
from sources.espreso.feed import read_feed
from sources.html import page_tree
from sources.records import ArticleParse, FeedParse
from sources.urls import canonical_url


def parse_page(
    body: bytes, url: str, encoding: str | None = None
) -> tuple[ArticleParse, FeedParse]:
    """The article (with tags and related links) and the page's "News" feed list. The same
    results as `parse_article` and `parse_feed`, at about half the cost."""
    tree, problems = page_tree(body, encoding)
    if tree is None:
        return (
            ArticleParse(canonical_url(url, url), None, tuple(problems)),
            FeedParse(url, (), None, tuple(problems)),
        )
    return read_article(tree, url, list(problems)), read_feed(tree, url, list(problems))
