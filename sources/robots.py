"""What robots.txt allows given how its request went (RFC 9309); pure, no parser."""

from __future__ import annotations

from sources.records import Fetched

ROBOTS_PATH = "/robots.txt"


def robots_unreachable(fetched: Fetched) -> bool:
    """robots.txt could not be read (network trouble, 5xx): RFC 9309 says nothing may be fetched."""
    return fetched.status is None or fetched.status >= 500


def robots_text(fetched: Fetched) -> str:
    """The robots.txt rules to obey given how its request went (RFC 9309): the file when there is one,
    nothing disallowed when it is missing (4xx), everything disallowed when unreachable (5xx, network)."""
    if fetched.status == 200:
        return fetched.body.decode("utf-8", "replace")
    if robots_unreachable(fetched):
        return "User-agent: *\nDisallow: /\n"
    return ""


def sitemap_lines(robots_txt: str) -> list[str]:
    """The sitemaps a robots.txt names (`Sitemap:` lines, any case), in file order, each once."""
    found: dict[str, None] = {}
    for line in robots_txt.splitlines():
        name, _, value = line.partition(":")
        address = value.split("#", 1)[0].strip()
        if name.strip().lower() == "sitemap" and address:
            found[address] = None
    return list(found)
