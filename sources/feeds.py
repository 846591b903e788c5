"""RSS feeds of any site: the links of their items."""

from __future__ import annotations

from sources.safe_xml import xml_root
from sources.text import clean_text


def parse_rss(body: bytes) -> tuple[list[str], list[str]]:
    """Item links of an RSS 2.0 feed, and problems."""
    root, problem = xml_root(body, "RSS")
    if root is None:
        return [], [problem or "RSS unreadable"]
    links = [clean_text(item.findtext("link")) for item in root.iter("item")]
    return [link for link in links if link], []
