"""The JSON-LD a page embeds: only used to fill what the HTML lacks."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from selectolax.lexbor import LexborHTMLParser


def json_ld_article(tree: LexborHTMLParser) -> dict[str, object]:
    """The page's first JSON-LD `NewsArticle` (or `Article`), or {}; unreadable scripts are skipped."""
    for script in tree.css('script[type="application/ld+json"]'):
        text = script.text(deep=True)
        if "Article" not in text and "\\" not in text:
            continue  # JSON can spell neither type without the word or an escape: not worth parsing
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("@type") in ("NewsArticle", "Article"):
                return item
    return {}


def iso_instant(value: object) -> datetime | None:
    """An ISO 8601 instant with an offset, in UTC; None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else None
