"""Any outlet's article page: title, authors, publication instant, body paragraphs, tags.

Pure like the Espreso parser: bytes and a URL in, a record and its problems out, never an
exception for an odd page.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from sources.html import node_text, page_tree
from sources.records import Article, ArticleParse
from sources.text import clean_text
from sources.urls import canonical_url


def read_generic(body: bytes, url: str, encoding: str | None = None) -> ArticleParse:
    """The article of one page of any outlet, and what was wrong with the page."""
    tree, problems = page_tree(body, encoding)
    page_url = canonical_url(url, url)
    if tree is None:
        return ArticleParse(page_url, None, tuple(problems))
    ld = _json_ld(tree)
    title = (
        clean_text(str(ld.get("headline") or ""))
        or _meta(tree, "og:title")
        or node_text(tree.css_first("h1"))
    )
    paragraphs = tuple(
        text for node in tree.css("article p") if (text := node_text(node))
    ) or tuple(text for node in tree.css("p") if (text := node_text(node)))
    published_at, local = _instant(ld.get("datePublished") or _meta(tree, "article:published_time"))
    if not title:
        problems.append("no title")
    if not paragraphs:
        problems.append("no body paragraphs")
    if not title or not paragraphs:
        return ArticleParse(page_url, None, tuple(problems))
    path = urlsplit(page_url).path.rstrip("/")
    html_node = tree.css_first("html")
    lang = html_node.attributes.get("lang") if html_node is not None else None
    article = Article(
        url=page_url,
        slug=path.rsplit("/", 1)[-1],
        section=None,
        badge=None,
        title=title,
        lead=_meta(tree, "og:description"),
        author=None,
        author_url=None,
        published_at=published_at,
        modified_at=_instant(ld.get("dateModified"))[0],
        body_text="\n\n".join(paragraphs),
        image_url=_meta(tree, "og:image"),
        language=lang.split("-")[0].lower() if lang else None,
        tags=(),
        related=(),
        paragraphs=paragraphs,
        published_local=local,
        zone_stated=published_at is not None or local is None,
    )
    return ArticleParse(page_url, article, tuple(problems))


def _meta(tree: LexborHTMLParser, name: str) -> str | None:
    node = tree.css_first(f'meta[property="{name}"], meta[name="{name}"]')
    content = node.attributes.get("content") if node is not None else None
    return clean_text(content) or None


def _json_ld(tree: LexborHTMLParser) -> dict[str, object]:
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text(deep=True), strict=False)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and "Article" in str(item.get("@type")):
                return item
    return {}


def _instant(value: object) -> tuple[datetime | None, datetime | None]:
    if not isinstance(value, str):
        return None, None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None, None
    if parsed.tzinfo is None:
        return None, parsed
    return parsed.astimezone(UTC), None
