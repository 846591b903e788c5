"""`articles`: one row per article URL, the newest fetch winning; pages of one batch that claim
one URL with different content are all kept, for the gate to quarantine."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import polars as pl

from sources.espreso.site import SOURCE
from sources.records import FetchedArticle
from transforms.schemas import ARTICLES, frame


def latest_per_url(items: Sequence[FetchedArticle]) -> list[FetchedArticle]:
    """One item per article URL and content: the most recently fetched. Two pages that claim one
    URL with different content both stay, so that the gate keeps both out (`articles.url_unique`)
    rather than one silently replacing the other."""
    latest: dict[tuple[str, str], FetchedArticle] = {}
    for item in items:
        key = (item.article.url, item.article.content_hash)
        seen = latest.get(key)
        if seen is None or item.fetched_at >= seen.fetched_at:
            latest[key] = item
    return list(latest.values())


def articles(
    items: Sequence[FetchedArticle], seen_at: datetime, source: str = SOURCE
) -> pl.DataFrame:
    """The `articles` frame; `first_seen_at` is this run's time (the load keeps an older one);
    `source` is the outlet's (`espreso-global` for Espreso). `authors` is the page's list (the
    Espreso reader's one author), `author` the byline (the authors joined when the reader gives
    no byline)."""
    rows = [
        {
            "url": a.url, "source": source, "slug": a.slug, "section": a.section, "badge": a.badge,
            "title": a.title, "lead": a.lead, "author": a.author or (", ".join(a.authors) or None), "author_url": a.author_url,
            "published_at": a.published_at, "modified_at": a.modified_at, "body_text": a.body_text,
            "word_count": a.word_count, "image_url": a.image_url, "language": a.language,
            "content_hash": a.content_hash, "first_seen_at": seen_at, "fetched_at": item.fetched_at,
            "authors": list(a.authors or ([a.author] if a.author else [])),
            "published_local": a.published_local, "zone_stated": a.zone_stated,
        }
        for item in latest_per_url(items)
        for a in [item.article]
    ]  # fmt: skip
    return frame(rows, ARTICLES)
