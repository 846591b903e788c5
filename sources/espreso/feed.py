"""The site's "News" feed list (`#js-newsTapeContent`, on `/news` and beside every article): its
rows in page order, under day headers, and the "More news" link."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sources.espreso.dates import kyiv_to_utc, parse_clock, parse_day_month, parse_year
from sources.html import node_text, page_tree
from sources.records import FeedParse, FeedRow
from sources.text import clean_text
from sources.urls import canonical_url

# The real feed shows about 40 rows; far more is a broken or hostile page, not news.
MAX_FEED_ROWS = 500


# A feed's rows and day headers and the parts read from them, found in one pass over the list
# (a selector query per part and row costs more than the rest of the feed's parse).
_FEED_NODES = (
    "div.date_title, div.news-tape-item, div.year_date, a.news-tape-item_link, div.ttx, "
    "div.main_time, div.mark-block"
)
_FEED_PARTS = ("year_date", "ttx", "main_time", "mark-block")


@dataclass(slots=True)
class _FeedBlock:
    """A row (`div.news-tape-item`) or day header (`div.date_title`), with the first of each part
    inside it, by class name (`link` for the row's link)."""

    node: LexborNode
    is_row: bool
    parts: dict[str, LexborNode] = field(default_factory=dict)


def _feed_blocks(feed: LexborNode) -> list[_FeedBlock]:
    blocks: list[_FeedBlock] = []
    for node in feed.css(_FEED_NODES):
        classes = (node.attributes.get("class") or "").split()
        if node.tag == "div" and ("news-tape-item" in classes or "date_title" in classes):
            blocks.append(_FeedBlock(node, "news-tape-item" in classes))
        elif blocks:
            part = "link" if node.tag == "a" else next(c for c in _FEED_PARTS if c in classes)
            blocks[-1].parts.setdefault(part, node)
    return blocks


def _feed_row(
    parts: dict[str, LexborNode], position: int, day: date | None, base: str
) -> tuple[FeedRow | None, str | None]:
    link = parts.get("link")
    href = link.attributes.get("href") if link is not None else None
    if not href:
        return None, f"feed row {position}: no link (a.news-tape-item_link)"
    headline = parts.get("ttx")
    if headline is None:
        return None, f"feed row {position}: no headline (div.ttx)"
    # A sub-headline is any element nested in (or following) the headline block; the
    # headline itself is only the block's own text.
    own_text = clean_text(
        " ".join(
            child.text_content or ""
            for child in headline.iter(include_text=True)
            if child.tag == "-text"
        )
    )
    sub_parts = [text for child in headline.iter() if (text := node_text(child))]
    sibling = headline.next
    while sibling is not None:
        if sibling.tag not in ("-text", "-comment") and node_text(sibling):
            sub_parts.append(node_text(sibling))
        sibling = sibling.next
    clock = parse_clock(node_text(parts.get("main_time")))
    problem = None
    if day is None or clock is None:
        problem = f"feed row {position}: no {'day header' if day is None else 'time'}"
    return (
        FeedRow(
            position=position,
            url=canonical_url(href, base),
            title=own_text,
            subtitle=" ".join(sub_parts) or None,
            badge=node_text(parts.get("mark-block")) or None,
            published_at=kyiv_to_utc(day, clock) if day and clock else None,
        ),
        problem,
    )


def parse_feed(body: bytes, page_url: str, encoding: str | None = None) -> FeedParse:
    """Parse the "News" feed list (`#js-newsTapeContent`) of a feed or article page."""
    tree, problems = page_tree(body, encoding)
    if tree is None:
        return FeedParse(page_url, (), None, tuple(problems))
    return read_feed(tree, page_url, problems)


def read_feed(tree: LexborHTMLParser, page_url: str, problems: list[str]) -> FeedParse:
    """The feed of a page's tree; `problems` so far (decoding) come first in its problems."""
    feed = tree.css_first("#js-newsTapeContent")
    if feed is None:
        return FeedParse(page_url, (), None, (*problems, "no News feed (#js-newsTapeContent)"))
    rows: list[FeedRow] = []
    day: date | None = None
    for block in _feed_blocks(feed):
        if block.is_row:
            if len(rows) == MAX_FEED_ROWS:
                problems.append(
                    f"feed has more than {MAX_FEED_ROWS} rows; kept the first {MAX_FEED_ROWS}"
                )
                break
            row, problem = _feed_row(block.parts, len(rows), day, page_url)
            if problem:
                problems.append(problem)
            if row is not None:
                rows.append(row)
            continue
        year_node = block.parts.get("year_date")
        if year_node is None:
            continue
        year = parse_year(node_text(year_node))
        day_month = parse_day_month(node_text(block.node))
        try:
            day = date(year, day_month[1], day_month[0]) if year and day_month else None
        except ValueError:
            day = None
        if day is None:
            problems.append(f"unreadable day header {node_text(block.node)!r}")
    more = tree.css_first("a.btn.btn-black")
    more_href = more.attributes.get("href") if more is not None else None
    next_url = urljoin(page_url, more_href) if more_href else None
    return FeedParse(page_url, tuple(rows), next_url, tuple(problems))
