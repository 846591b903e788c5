"""`articles`: one row per article URL, the newest fetch winning."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import polars as pl

from sources.espreso.parse import SOURCE, FetchedArticle
from transforms.schemas import ARTICLES, frame


def latest_per_url(items: Sequence[FetchedArticle]) -> list[FetchedArticle]:
    """One item per article URL: the most recently fetched."""
    latest: dict[str, FetchedArticle] = {}
    for item in items:
        seen = latest.get(item.article.url)
        if seen is None or item.fetched_at >= seen.fetched_at:
            latest[item.article.url] = item
    return list(latest.values())


def articles(items: Sequence[FetchedArticle], seen_at: datetime) -> pl.DataFrame:
    """The `articles` frame; `first_seen_at` is this run's time (the load keeps an older one)."""
    rows = [
        {
            "url": a.url, "source": SOURCE, "slug": a.slug, "section": a.section, "badge": a.badge,
            "title": a.title, "lead": a.lead, "author": a.author, "author_url": a.author_url,
            "published_at": a.published_at, "modified_at": a.modified_at, "body_text": a.body_text,
            "word_count": a.word_count, "image_url": a.image_url, "language": a.language,
            "content_hash": a.content_hash, "first_seen_at": seen_at, "fetched_at": item.fetched_at,
        }
        for item in latest_per_url(items)
        for a in [item.article]
    ]  # fmt: skip
    return frame(rows, ARTICLES)
