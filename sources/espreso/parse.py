"""Pure parsers for Espreso pages: bytes + URL in, typed records plus problems out.

No I/O, no clock, and never an exception for an odd page: what cannot be read becomes a problem
string that names the missing piece, so the caller can record it and go on.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urljoin, urlsplit, urlunsplit
from xml.etree import ElementTree

import defusedxml.ElementTree as defused
from defusedxml import DefusedXmlException
from selectolax.lexbor import LexborHTMLParser, LexborNode

from sources.espreso.dates import (
    kyiv_to_utc,
    parse_clock,
    parse_date_line,
    parse_day_month,
    parse_year,
)
from sources.espreso.template import TEMPLATE_JUNK
from sources.espreso.tree_shape import tree_bound, tree_shape

SOURCE = "espreso-global"
# The real tape shows about 40 rows; far more is a broken or hostile page, not news.
MAX_TAPE_ROWS = 500
# Real pages nest 15 levels deep and make about 1,000 elements (the tree builder's count).
MAX_DEPTH = 1000
# A page of 10,000 tape rows makes 90,000; at the depth limit, this many cost the parser ~0.5 s.
MAX_ELEMENTS = 200_000
# Past this many tags (real pages have 2,000) counts would not clear a page: it is scanned at
# once, and the scan stops at the first limit passed.
COUNTED_TAGS = 20_000
# An absolute http(s) URL with a path, no query, fragment, dot segment or trailing slash.
_PLAIN_ABSOLUTE = re.compile(r"https?://[^/?#\s]+(?:/(?!\.{1,2}(?:/|$))[^/?#\s]+)+")
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Tag:
    """One entry of an article's tag cloud."""

    name: str
    url: str | None


@dataclass(frozen=True, slots=True)
class Related:
    """One "Read also" link under an article."""

    url: str
    title: str


@dataclass(frozen=True, slots=True)
class Article:
    """What one article page says about itself."""

    url: str
    slug: str
    section: str | None
    badge: str | None
    title: str
    lead: str | None
    author: str | None
    author_url: str | None
    published_at: datetime
    modified_at: datetime | None
    body_text: str
    image_url: str | None
    language: str | None
    tags: tuple[Tag, ...]
    related: tuple[Related, ...]

    @property
    def word_count(self) -> int:
        """Words in the body, split on whitespace."""
        return len(self.body_text.split())

    @property
    def content_hash(self) -> str:
        """sha256 of title, lead and body: a change means a new revision."""
        joined = "\x1f".join((self.title, self.lead or "", self.body_text))
        return hashlib.sha256(joined.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class FetchedArticle:
    """A parsed article and when its page was fetched."""

    article: Article
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class ArticleParse:
    """An article record (None when the page is unusable), what was wrong with the page, and which
    of the template's key elements (`LAYOUT_PARTS`) were found: a drop across many pages at once
    means the site changed its layout."""

    url: str
    article: Article | None
    problems: tuple[str, ...]
    found: frozenset[str] = frozenset()


LAYOUT_PARTS = ("headline", "date_line", "body")


@dataclass(frozen=True, slots=True)
class TapeRow:
    """One row of the "News" feed, in page order (position 0 = top)."""

    position: int
    url: str
    title: str
    subtitle: str | None
    badge: str | None
    published_at: datetime | None


@dataclass(frozen=True, slots=True)
class TapeParse:
    """The rows of a feed tape, the "More news" link, and problems found."""

    page_url: str
    rows: tuple[TapeRow, ...]
    next_page_url: str | None
    problems: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """A `<url>` or `<sitemap>` entry; `lastmod` is the date part only."""

    loc: str
    lastmod: date | None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A sitemap index (`is_index`) or urlset."""

    is_index: bool
    entries: tuple[SitemapEntry, ...]
    problems: tuple[str, ...] = field(default=())


def clean_text(text: str | None) -> str:
    """Collapse runs of whitespace (as a browser does) and trim."""
    return " ".join(text.split()) if text else ""


def canonical_url(href: str, base: str) -> str:
    """Absolute URL without query or fragment, no trailing slash on paths."""
    href = href.strip()
    if _PLAIN_ABSOLUTE.fullmatch(href):
        return href  # already canonical: the common case, and urljoin is the parser's hot spot
    parts = urlsplit(urljoin(base, href))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def same_page(a: str, b: str) -> bool:
    """Whether two canonical URLs name one page: the same host and path, whatever the scheme."""
    one, other = urlsplit(a), urlsplit(b)
    return (one.netloc.lower(), one.path) == (other.netloc.lower(), other.path)


def canonical_problem(canonical: str, fetched: str) -> str | None:
    """What is wrong with a page's `rel=canonical` (None when it names the fetched page): a page
    only ever speaks for the URL it was fetched from, so that one stays its key."""
    if same_page(canonical, fetched):
        return None
    if urlsplit(canonical).netloc.lower() != urlsplit(fetched).netloc.lower():
        return f"canonical URL {canonical} is on another host; kept the fetched URL"
    return f"canonical URL {canonical} names another page; kept the fetched URL"


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, list[str]]:
    """Bytes → text: the declared charset, then a `<meta charset>`, then UTF-8 with replacement."""
    html, _, problems = _decoded(body, declared)
    return html, problems


def _decoded(body: bytes, declared: str | None) -> tuple[str, bool, list[str]]:
    """`decode_html`, and whether the bytes were valid UTF-8 (the HTML parser then reads them as
    they are, which saves it encoding the text back)."""
    candidates = [declared] if declared else []
    meta = _CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "replace"))
    for encoding in [*candidates, "utf-8"]:
        try:
            return body.decode(encoding), codecs.lookup(encoding).name == "utf-8", []
        except (LookupError, UnicodeError):  # "undefined" is a codec that always raises
            continue
    return (
        body.decode("utf-8", "replace"),
        False,
        ["page is not valid UTF-8 and declares no usable charset"],
    )


def nesting_problem(html: str | bytes) -> str | None:
    """Why a page would make the HTML parser build a tree too deep or too large to parse (its cost
    grows with depth times size), or None; `html` is the text, or its UTF-8 bytes.

    Counts bound the tree of almost every page well within the limits; only a page they cannot
    clear (or one of more than COUNTED_TAGS tags) is scanned tag by tag the way the tree builder
    reads it (`tree_shape`).
    """
    tags = html.count(b"<") if isinstance(html, bytes) else html.count("<")
    if tags <= COUNTED_TAGS:
        bound = tree_bound(html, MAX_DEPTH)
        if bound.depth <= MAX_DEPTH and bound.elements <= MAX_ELEMENTS:
            return None
    shape = tree_shape(html, MAX_DEPTH, MAX_ELEMENTS)
    if shape.depth > MAX_DEPTH:
        return f"HTML nested deeper than {MAX_DEPTH} levels: not parsed"
    if shape.elements > MAX_ELEMENTS:
        return f"HTML makes more than {MAX_ELEMENTS:,} elements: not parsed"
    return None


def _text(node: LexborNode | None) -> str:
    return clean_text(node.text(deep=True)) if node is not None else ""


def _junk_free(text: str) -> str:
    """The text with template keys removed; "" when nothing else is left."""
    return clean_text(TEMPLATE_JUNK.sub(" ", text))


def _only_junk(raw: str, cleaned: str) -> str:
    """What a problem adds when a field had text but all of it was template keys ("" otherwise)."""
    return f": it is only template junk {raw[:80]!r}" if raw and not cleaned else ""


def _json_ld_article(tree: LexborHTMLParser) -> dict[str, object]:
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text(deep=True), strict=False)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("@type") in ("NewsArticle", "Article"):
                return item
    return {}


def _iso_instant(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else None


def _body_text(content: LexborNode | None, *, keep_junk: bool = False) -> str:
    if content is None:
        return ""
    blocks: list[str] = []
    for node in content.css("p, li"):
        if node.tag == "p" and _has_ancestor(node, "li", content):
            continue
        if node.tag == "li" and node.css_first("p") is not None:
            continue
        text = _text(node) if keep_junk else _junk_free(_text(node))
        if text:
            blocks.append(text)
    return "\n\n".join(blocks)


def _has_ancestor(node: LexborNode, tag: str, stop: LexborNode) -> bool:
    parent = node.parent
    while parent is not None and parent != stop:
        if parent.tag == tag:
            return True
        parent = parent.parent
    return False


def _image_url(tree: LexborHTMLParser, base: str) -> str | None:
    img = tree.css_first("div.in_news_single__image img")
    if img is not None:
        src = img.attributes.get("data-src") or img.attributes.get("src")
        if src and not src.endswith("px.gif"):
            return urljoin(base, src)
    og = tree.css_first('meta[property="og:image"]')
    content = og.attributes.get("content") if og is not None else None
    return content or None


def _page_tree(body: bytes, encoding: str | None) -> tuple[LexborHTMLParser | None, list[str]]:
    """The page's tree and decoding problems; no tree (and the reason) for an empty or hostile page."""
    html, utf8, problems = _decoded(body, encoding)
    if not html.strip():
        return None, [*problems, "empty page"]
    too_deep = nesting_problem(body if utf8 else html)
    if too_deep:
        return None, [*problems, too_deep]
    return LexborHTMLParser(body if utf8 else html), problems


def parse_article(body: bytes, url: str, encoding: str | None = None) -> ArticleParse:
    """Parse one article page. The HTML is the source of truth; JSON-LD only fills gaps."""
    tree, problems = _page_tree(body, encoding)
    if tree is None:
        return ArticleParse(canonical_url(url, url), None, tuple(problems))
    return _article(tree, url, problems)


def parse_page(
    body: bytes, url: str, encoding: str | None = None
) -> tuple[ArticleParse, TapeParse]:
    """An article page in full, from one tree: the article (with tags and related links) and the
    page's "News" tape. The same results as `parse_article` and `parse_tape`, at about half the cost."""
    tree, problems = _page_tree(body, encoding)
    if tree is None:
        return (
            ArticleParse(canonical_url(url, url), None, tuple(problems)),
            TapeParse(url, (), None, tuple(problems)),
        )
    return _article(tree, url, list(problems)), _tape(tree, url, list(problems))


def _article(tree: LexborHTMLParser, url: str, problems: list[str]) -> ArticleParse:
    header = tree.css_first("section.header_current_article")
    content_section = tree.css_first("section.content_current_article")
    ld = _json_ld_article(tree)

    page_url = canonical_url(url, url)
    canonical = tree.css_first('link[rel="canonical"]')
    href = canonical.attributes.get("href") if canonical is not None else None
    if href:
        problem = canonical_problem(canonical_url(href, url), page_url)
        if problem:
            problems.append(problem)

    raw_title = _text(header.css_first("h1.text-title") if header else None)
    title = _junk_free(raw_title)
    if not title:
        problems.append(
            "no headline (h1.text-title in section.header_current_article)"
            + _only_junk(raw_title, title)
        )

    date_node = tree.css_first("div.news__author_date__date")
    time_node = tree.css_first("div.news__author_date__time")
    day = parse_date_line(_text(date_node)) if date_node else None
    clock = parse_clock(_text(time_node)) if time_node else None
    published_at = kyiv_to_utc(day, clock) if day and clock else None
    if published_at is None:
        published_at = _iso_instant(ld.get("datePublished"))
        if published_at is not None:
            problems.append("date line missing or unreadable; used JSON-LD datePublished")
        else:
            problems.append(
                "no publication date (div.news__author_date__date/__time, JSON-LD datePublished)"
            )

    content = tree.css_first("div.news-content")
    body_text = _body_text(content)
    if not body_text:
        problems.append(
            "no body text (div.news-content p, li)"
            + _only_junk(_body_text(content, keep_junk=True), body_text)
        )

    found = frozenset(
        part
        for part, present in (
            ("headline", bool(title)),
            ("date_line", bool(day and clock)),
            ("body", bool(body_text)),
        )
        if present
    )
    if not title or published_at is None or not body_text:
        return ArticleParse(page_url, None, tuple(problems), found)

    badge = _text(header.css_first("div.mark > div.item") if header else None) or None
    author_link = tree.css_first("div.news__author_date__author a")
    author = _text(author_link) or _text(tree.css_first("div.news__author_date__author")) or None
    author_href = author_link.attributes.get("href") if author_link is not None else None
    raw_lead = _text(content_section.css_first("h2.text-subtitle") if content_section else None)
    lead = _junk_free(raw_lead)
    if raw_lead and not lead:
        # Kept as it was: the quality gate quarantines the article by name (lead_not_template_junk).
        problems.append(f"lead (h2.text-subtitle){_only_junk(raw_lead, lead)}")
        lead = raw_lead
    section = ld.get("articleSection")
    if not isinstance(section, str) or not section.strip():
        section = _text(tree.css_first("a.in_news_single__image__rubric")) or None
    html_node = tree.css_first("html")
    lang = html_node.attributes.get("lang") if html_node is not None else None

    tags = tuple(
        Tag(
            name=_text(a),
            url=canonical_url(href, url) if (href := a.attributes.get("href")) else None,
        )
        for a in tree.css("section.tags-cloud div.similar_by_tags_output a")
        if _text(a)
    )
    related = tuple(
        Related(
            url=canonical_url(a.attributes["href"] or "", url),
            title=_text(a.css_first("div.similar_by_tag__multiple__title")),
        )
        for a in tree.css("section.similar-news a.similar_by_tag__multiple__item")
        if a.attributes.get("href")
    )
    slug = urlsplit(page_url).path.rstrip("/").rsplit("/", 1)[-1]
    article = Article(
        url=page_url,
        slug=slug,
        section=clean_text(section) if section else None,
        badge=badge,
        title=title,
        lead=lead or None,
        author=author,
        author_url=canonical_url(author_href, url) if author_href else None,
        published_at=published_at,
        modified_at=_iso_instant(ld.get("dateModified")),
        body_text=body_text,
        image_url=_image_url(tree, url),
        language=lang.split("-")[0].lower() if lang else None,
        tags=tags,
        related=related,
    )
    return ArticleParse(page_url, article, tuple(problems), found)


# A tape's rows and day headers and the parts read from them, found in one pass over the tape
# (a selector query per part and row costs more than the rest of the tape's parse).
_TAPE_NODES = (
    "div.date_title, div.news-tape-item, div.year_date, a.news-tape-item_link, div.ttx, "
    "div.main_time, div.mark-block"
)
_TAPE_PARTS = ("year_date", "ttx", "main_time", "mark-block")


@dataclass(slots=True)
class _TapeBlock:
    """A row (`div.news-tape-item`) or day header (`div.date_title`), with the first of each part
    inside it, by class name (`link` for the row's link)."""

    node: LexborNode
    is_row: bool
    parts: dict[str, LexborNode] = field(default_factory=dict)


def _tape_blocks(tape: LexborNode) -> list[_TapeBlock]:
    blocks: list[_TapeBlock] = []
    for node in tape.css(_TAPE_NODES):
        classes = (node.attributes.get("class") or "").split()
        if node.tag == "div" and ("news-tape-item" in classes or "date_title" in classes):
            blocks.append(_TapeBlock(node, "news-tape-item" in classes))
        elif blocks:
            part = "link" if node.tag == "a" else next(c for c in _TAPE_PARTS if c in classes)
            blocks[-1].parts.setdefault(part, node)
    return blocks


def _tape_row(
    parts: dict[str, LexborNode], position: int, day: date | None, base: str
) -> tuple[TapeRow | None, str | None]:
    link = parts.get("link")
    href = link.attributes.get("href") if link is not None else None
    if not href:
        return None, f"tape row {position}: no link (a.news-tape-item_link)"
    headline = parts.get("ttx")
    if headline is None:
        return None, f"tape row {position}: no headline (div.ttx)"
    # A sub-headline is any element nested in (or following) the headline block; the
    # headline itself is only the block's own text.
    own_text = clean_text(
        " ".join(
            child.text_content or ""
            for child in headline.iter(include_text=True)
            if child.tag == "-text"
        )
    )
    sub_parts = [text for child in headline.iter() if (text := _text(child))]
    sibling = headline.next
    while sibling is not None:
        if sibling.tag not in ("-text", "-comment") and _text(sibling):
            sub_parts.append(_text(sibling))
        sibling = sibling.next
    clock = parse_clock(_text(parts.get("main_time")))
    problem = None
    if day is None or clock is None:
        problem = f"tape row {position}: no {'day header' if day is None else 'time'}"
    return (
        TapeRow(
            position=position,
            url=canonical_url(href, base),
            title=own_text,
            subtitle=" ".join(sub_parts) or None,
            badge=_text(parts.get("mark-block")) or None,
            published_at=kyiv_to_utc(day, clock) if day and clock else None,
        ),
        problem,
    )


def parse_tape(body: bytes, page_url: str, encoding: str | None = None) -> TapeParse:
    """Parse the "News" tape (`#js-newsTapeContent`) of a feed or article page."""
    tree, problems = _page_tree(body, encoding)
    if tree is None:
        return TapeParse(page_url, (), None, tuple(problems))
    return _tape(tree, page_url, problems)


def _tape(tree: LexborHTMLParser, page_url: str, problems: list[str]) -> TapeParse:
    tape = tree.css_first("#js-newsTapeContent")
    if tape is None:
        return TapeParse(page_url, (), None, (*problems, "no feed tape (#js-newsTapeContent)"))
    rows: list[TapeRow] = []
    day: date | None = None
    for block in _tape_blocks(tape):
        if block.is_row:
            if len(rows) == MAX_TAPE_ROWS:
                problems.append(
                    f"tape has more than {MAX_TAPE_ROWS} rows; kept the first {MAX_TAPE_ROWS}"
                )
                break
            row, problem = _tape_row(block.parts, len(rows), day, page_url)
            if problem:
                problems.append(problem)
            if row is not None:
                rows.append(row)
            continue
        year_node = block.parts.get("year_date")
        if year_node is None:
            continue
        year = parse_year(_text(year_node))
        day_month = parse_day_month(_text(block.node))
        try:
            day = date(year, day_month[1], day_month[0]) if year and day_month else None
        except ValueError:
            day = None
        if day is None:
            problems.append(f"unreadable day header {_text(block.node)!r}")
    more = tree.css_first("a.btn.btn-black")
    more_href = more.attributes.get("href") if more is not None else None
    next_url = urljoin(page_url, more_href) if more_href else None
    return TapeParse(page_url, tuple(rows), next_url, tuple(problems))


def _xml_root(body: bytes, what: str) -> tuple[ElementTree.Element | None, str | None]:
    """Parse XML that never needs a DTD: entity tricks (billion laughs, external entities) are refused."""
    try:
        return defused.fromstring(body, forbid_dtd=True), None
    except DefusedXmlException as error:
        return None, f"{what} refused: {type(error).__name__} ({error})"
    except ElementTree.ParseError as error:
        return None, f"{what} is not well-formed XML: {error}"


def parse_rss(body: bytes) -> tuple[list[str], list[str]]:
    """Item links of an RSS 2.0 feed, and problems."""
    root, problem = _xml_root(body, "RSS")
    if root is None:
        return [], [problem or "RSS unreadable"]
    links = [clean_text(item.findtext("link")) for item in root.iter("item")]
    return [link for link in links if link], []


def parse_sitemap(body: bytes) -> Sitemap:
    """A sitemaps.org urlset or sitemap index."""
    root, problem = _xml_root(body, "sitemap")
    if root is None:
        return Sitemap(False, (), (problem or "sitemap unreadable",))
    is_index = root.tag.endswith("sitemapindex")
    entries: list[SitemapEntry] = []
    for element in root:
        loc = lastmod = None
        for child in element:
            name = child.tag.rsplit("}", 1)[-1]
            if name == "loc":
                loc = clean_text(child.text)
            elif name == "lastmod":
                lastmod = clean_text(child.text)[:10]
        if loc:
            try:
                day = date.fromisoformat(lastmod) if lastmod else None
            except ValueError:
                day = None
            entries.append(SitemapEntry(loc, day))
    return Sitemap(is_index, tuple(entries))
