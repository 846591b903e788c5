"""`article_related`: one row per "Read also" link of an article (key url, position)."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from sources.records import FetchedArticle
from transforms.articles import latest_per_url
from transforms.schemas import ARTICLE_RELATED, frame


def article_related(items: Sequence[FetchedArticle]) -> pl.DataFrame:
    """The `article_related` frame."""
    rows = [
        {
            "url": item.article.url,
            "position": position,
            "related_url": rel.url,
            "related_title": rel.title,
        }
        for item in latest_per_url(items)
        for position, rel in enumerate(item.article.related)
    ]
    return frame(rows, ARTICLE_RELATED)
