"""What a page declares about itself: its JSON-LD article and its meta tags."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from sources.text import clean_text

# schema.org types of an article page (their subtypes end in one of these).
_ARTICLE_TYPES = ("Article", "BlogPosting", "LiveBlogPosting", "Report")


@dataclass(frozen=True, slots=True)
class Declared:
    """The fields of the page's JSON-LD article ("" / () where it gives none)."""

    headline: str = ""
    published: str = ""
    modified: str = ""
    authors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    section: str = ""
    description: str = ""
    image: str = ""
    language: str = ""
    body: str = ""


def declared(tree: LexborHTMLParser) -> Declared:
    """The first JSON-LD article of the page (scripts that do not parse are skipped)."""
    items = list(_json_ld_items(tree))
    by_id = {str(i["@id"]): i for i in items if isinstance(i.get("@id"), str) and len(i) > 1}
    article = next((i for i in items if _is_article(i)), None)
    if article is None:
        return Declared()
    section = article.get("articleSection")
    return Declared(
        headline=_text(article.get("headline")),
        published=_text(article.get("datePublished")),
        modified=_text(article.get("dateModified")),
        authors=_names(article.get("author"), by_id),
        keywords=_keywords(article.get("keywords")),
        section=_text(section[0] if isinstance(section, list) and section else section),
        description=_text(article.get("description")),
        image=_image(article.get("image")),
        language=_text(article.get("inLanguage")),
        body=_text(article.get("articleBody")),
    )


@dataclass(frozen=True, slots=True)
class Metas:
    """The page's `<meta property|name|itemprop=NAME content=…>`: each name's contents, cleaned,
    non-empty, in page order."""

    by_name: dict[str, tuple[str, ...]]

    def values(self, name: str) -> tuple[str, ...]:
        """Every content given under `name`."""
        return self.by_name.get(name, ())

    def first(self, names: Iterable[str]) -> str:
        """The first content of the first of `names` that has one, or ""."""
        for name in names:
            if values := self.by_name.get(name):
                return values[0]
        return ""


def metas(tree: LexborHTMLParser) -> Metas:
    """The page's meta tags, read in one pass over them."""
    found: dict[str, list[str]] = {}
    for node in tree.css("meta[content]"):
        attributes = node.attributes
        content = clean_text(html.unescape(attributes.get("content") or ""))
        if not content:
            continue
        names = {attributes.get("property"), attributes.get("name"), attributes.get("itemprop")}
        for name in names:
            if name:
                found.setdefault(name, []).append(content)
    return Metas({name: tuple(values) for name, values in found.items()})


def _json_ld_items(tree: LexborHTMLParser) -> Iterable[dict[str, object]]:
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text(deep=True), strict=False)
        except (ValueError, RecursionError):
            continue
        stack: list[object] = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[:0] = item
            elif isinstance(item, dict):
                yield item
                if isinstance(graph := item.get("@graph"), list | dict):
                    stack.insert(0, graph)


def _is_article(item: dict[str, object]) -> bool:
    kinds = item.get("@type")
    names = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k.endswith(_ARTICLE_TYPES) for k in names)


def _text(value: object) -> str:
    return clean_text(html.unescape(value)) if isinstance(value, str) else ""


def _names(value: object, by_id: dict[str, dict[str, object]]) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for item in value if isinstance(value, list) else [value]:
        if (
            isinstance(item, dict)
            and set(item) <= {"@id", "@type"}
            and isinstance(item.get("@id"), str)
        ):
            item = by_id.get(str(item["@id"]), item)
        name = item.get("name") or item.get("byline") if isinstance(item, dict) else item
        text = _text(name)
        if text and not text.startswith(("http://", "https://")):
            found.setdefault(text, None)
    return tuple(found)


def _keywords(value: object) -> tuple[str, ...]:
    parts = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else []
    found: dict[str, None] = {}
    for part in parts:
        if text := _text(part):
            found.setdefault(text, None)
    return tuple(found)


def _image(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return value.strip() if isinstance(value, str) else ""
