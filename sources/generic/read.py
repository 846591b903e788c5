"""Any outlet's article page: title, authors, publication instant, body paragraphs, tags.

Read from what news pages commonly declare, in this order of trust: the page's JSON-LD article
(`NewsArticle`, `Article`, `BlogPosting`, … incl. `@graph` and lists), its meta tags (Open Graph
`article:*`, `keywords`, Dublin Core `dc.*`), then its markup (`<time datetime>`, `itemprop`,
`rel=author`, the block of paragraphs that holds most of the page's text).

Pure like the Espreso parser: bytes and a URL in, a record and its problems out, never an
exception for an odd page. A time without an offset is kept as a wall time (`published_local`,
`zone_stated` False): a zone is never guessed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from sources.generic.body import body_paragraphs
from sources.generic.dates import read_instant
from sources.generic.declared import Declared, Metas, declared, metas
from sources.html import node_text, page_tree
from sources.records import Article, ArticleParse, Tag
from sources.text import clean_text
from sources.urls import canonical_url

# Tried in order; the first that gives a time wins.
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datePublished",
    "pubdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date",
    "dc.date.issued",
    "citation_publication_date",
)
_MODIFIED_META = ("article:modified_time", "og:updated_time", "dateModified")
_AUTHOR_META = (
    "author",
    "article:author",
    "sailthru.author",
    "parsely-author",
    "dc.creator",
    "citation_author",
)
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " * ")
_TOPIC_META = ("article:tag", "keywords", "news_keywords", "parsely-tags", "dc.subject")


def read_generic(body: bytes, url: str, encoding: str | None = None) -> ArticleParse:
    """The article of one page of any outlet, and what was wrong with the page."""
    tree, problems = page_tree(body, encoding)
    page_url = canonical_url(url, url)
    if tree is None:
        return ArticleParse(page_url, None, tuple(problems))
    ld, meta = declared(tree), metas(tree)
    title = _title(tree, ld, meta, page_url)
    paragraphs = body_paragraphs(tree, ld.body)
    published = _published(tree, ld, meta)
    if not title:
        problems.append("no title (JSON-LD headline, og:title, h1)")
    if not paragraphs:
        problems.append("no body paragraphs")
    if published is None:
        problems.append("no publication time (JSON-LD datePublished, article:published_time, time)")
    found = frozenset(
        part
        for part, present in (
            ("headline", bool(title)),
            ("date_line", published is not None),
            ("body", bool(paragraphs)),
        )
        if present
    )
    if not title or not paragraphs:
        return ArticleParse(page_url, None, tuple(problems), found)
    path = urlsplit(page_url).path.rstrip("/")
    authors = _authors(tree, ld, meta)
    zoned = published is not None and published.tzinfo is not None
    modified = read_instant(ld.modified) or _meta_instant(meta, _MODIFIED_META)
    article = Article(
        url=page_url,
        slug=path.rsplit("/", 1)[-1],
        section=ld.section
        or meta.first(("article:section", "parsely-section"))
        or _url_section(path),
        badge=None,
        title=title,
        lead=ld.description or meta.first(("og:description", "description", "twitter:description")),
        author=authors[0] if authors else None,
        author_url=None,
        published_at=published.astimezone(UTC) if published is not None and zoned else None,
        modified_at=modified.astimezone(UTC) if modified is not None and modified.tzinfo else None,
        body_text="\n\n".join(paragraphs),
        image_url=_image(ld, meta, page_url),
        language=_language(tree, ld, meta),
        tags=tuple(Tag(name, None) for name in _topics(ld, meta)),
        related=(),
        authors=authors,
        paragraphs=paragraphs,
        published_local=published if published is not None and not zoned else None,
        zone_stated=published is None or zoned,
    )
    return ArticleParse(page_url, article, tuple(problems), found)


def _title(tree: LexborHTMLParser, ld: Declared, meta: Metas, page_url: str) -> str:
    title = (
        meta.first(("og:title", "twitter:title"))
        or ld.headline
        or node_text(tree.css_first("h1"))
        or node_text(tree.css_first("title"))
    )
    return _without_site_name(title, meta.first(("og:site_name",)), page_url)


def _without_site_name(title: str, site_name: str, page_url: str) -> str:
    """`Headline | Site` (or `- Site`, and what follows it) as `Headline`: the site is named by
    og:site_name or its host."""
    host = (urlsplit(page_url).hostname or "").removeprefix("www.").split(".")[0]
    names = {_squashed(site_name), _squashed(host)} - {""}
    for separator in _TITLE_SEPARATORS:
        head, _, rest = title.partition(separator)
        if rest and _squashed(rest.split(separator)[0]) in names:
            return head.strip()
    return title


def _squashed(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _published(tree: LexborHTMLParser, ld: Declared, meta: Metas) -> datetime | None:
    found = read_instant(ld.published) or _meta_instant(meta, _PUBLISHED_META)
    if found is not None:
        return found
    for node in tree.css('[itemprop="datePublished"], time[datetime], time[pubdate]'):
        value = node.attributes.get("datetime") or node.attributes.get("content") or node_text(node)
        if (moment := read_instant(value)) is not None:
            return moment
    return None


def _meta_instant(meta: Metas, names: tuple[str, ...]) -> datetime | None:
    for name in names:
        for value in meta.values(name):
            if (moment := read_instant(value)) is not None:
                return moment
    return None


def _authors(tree: LexborHTMLParser, ld: Declared, meta: Metas) -> tuple[str, ...]:
    if ld.authors:
        return ld.authors
    for name in _AUTHOR_META:
        values = [v for v in meta.values(name) if not _is_link(v)]
        if name in ("dc.creator", "citation_author"):
            values = [_first_last(v) for v in values]
        found = _unique(part for v in values for part in v.split(","))
        if found:
            return found
    for selector in (
        '[itemprop="author"] [itemprop="name"]',
        '[rel="author"]',
        '[itemprop="author"]',
    ):
        found = _unique(_byline(node_text(node)) for node in tree.css(selector))
        if found:
            return found
    return ()


def _topics(ld: Declared, meta: Metas) -> tuple[str, ...]:
    for name in _TOPIC_META:
        values = meta.values(name)
        found = _unique(part for v in values for part in v.split(","))
        if found:
            return found
    return ld.keywords


def _image(ld: Declared, meta: Metas, base: str) -> str | None:
    found = meta.first(("og:image", "twitter:image")) or ld.image
    return urljoin(base, found) if found else None


def _language(tree: LexborHTMLParser, ld: Declared, meta: Metas) -> str | None:
    html = tree.css_first("html")
    lang = (
        (html.attributes.get("lang") if html is not None else None)
        or ld.language
        or meta.first(("og:locale",))
    )
    code = clean_text(lang).replace("_", "-").split("-")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def _url_section(path: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    return parts[0] if len(parts) > 1 and not parts[0].isdigit() else None


def _is_link(value: str) -> bool:
    return value.startswith(("http://", "https://", "/", "www."))


def _first_last(value: str) -> str:
    """Dublin Core's `Last, First` as `First Last`."""
    last, comma, first = value.partition(",")
    return f"{first.strip()} {last.strip()}" if comma else value


def _byline(text: str) -> str:
    return text[3:] if text.lower().startswith("by ") else text


def _unique(values: object) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:  # type: ignore[attr-defined]
        text = clean_text(str(value))
        if text:
            seen.setdefault(text, None)
    return tuple(seen)
