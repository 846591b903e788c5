"""Feeds of any site: the links of an RSS 2.0 feed's items or an Atom feed's entries."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from sources.safe_xml import xml_root
from sources.text import clean_text

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_rss(body: bytes) -> tuple[list[str], list[str]]:
    """Item links of an RSS 2.0 feed (or entry links of an Atom feed), and problems."""
    root, problem = xml_root(body, "RSS")
    if root is None:
        return [], [problem or "RSS unreadable"]
    if root.tag == f"{ATOM}feed":
        links = [_atom_link(entry) for entry in root.iter(f"{ATOM}entry")]
    else:
        links = [clean_text(item.findtext("link")) for item in root.iter("item")]
    return [link for link in links if link], []


def _atom_link(entry: Element) -> str:
    """An Atom entry's page: its `alternate` link (the default relation)."""
    for link in entry.iter(f"{ATOM}link"):
        if link.get("rel", "alternate") == "alternate":
            return clean_text(link.get("href"))
    return ""
