"""`article_tags`: one row per tag of an article, in page order (key url, position)."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from sources.records import FetchedArticle
from transforms.articles import latest_per_url
from transforms.schemas import ARTICLE_TAGS, frame


def article_tags(items: Sequence[FetchedArticle]) -> pl.DataFrame:
    """The `article_tags` frame."""
    rows = [
        {"url": item.article.url, "position": position, "tag": tag.name, "tag_url": tag.url}
        for item in latest_per_url(items)
        for position, tag in enumerate(item.article.tags)
    ]
    return frame(rows, ARTICLE_TAGS)
