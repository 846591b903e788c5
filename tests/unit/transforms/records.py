"""Hand-made parser records for the transforms tests (the instants are UTC; comments give Kyiv's
wall time, EEST +03:00 in summer and EET +02:00 in winter)."""

from __future__ import annotations

from datetime import UTC, datetime

from sources.records import Article, FetchedArticle, Related, Tag

SITE = "https://global.espreso.tv"
# 2025-10-26 04:00 Kyiv falls back to 03:00: one side of the change each.
BEFORE_DST_END = datetime(2025, 10, 25, 21, 30, tzinfo=UTC)  # 2025-10-26 00:30 EEST
AFTER_DST_END = datetime(2025, 10, 26, 2, 30, tzinfo=UTC)  # 2025-10-26 04:30 EET


def article(slug: str, **changes: object) -> Article:
    """An article with every field filled in, `changes` applied."""
    fields: dict[str, object] = {
        "url": f"{SITE}/{slug}",
        "slug": slug,
        "section": "News",
        "badge": None,
        "title": f"Title of {slug}",
        "lead": f"Lead of {slug}",
        "author": "Olena Koval",
        "author_url": f"{SITE}/author/olena-koval",
        "published_at": BEFORE_DST_END,
        "modified_at": None,
        "body_text": "Four words of body.",
        "image_url": None,
        "language": "en",
        "tags": (Tag("War", f"{SITE}/tag/war"), Tag("Kharkiv", None)),
        "related": (Related(f"{SITE}/other", "Other story"),),
    }
    fields.update(changes)
    return Article(**fields)  # type: ignore[arg-type]


def fetched(slug: str, at: datetime, **changes: object) -> FetchedArticle:
    """`article(slug, **changes)` fetched at `at`."""
    return FetchedArticle(article(slug, **changes), at)
