"""URLs of a site: their origin, whether one is on the site, and the canonical form pages are keyed by."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

MAX_URL_LENGTH = 2000  # longer is not a page of a site
# An absolute http(s) URL with a path, no query, fragment, dot segment or trailing slash.
_PLAIN_ABSOLUTE = re.compile(r"https?://[^/?#\s]+(?:/(?!\.{1,2}(?:/|$))[^/?#\s]+)+")


def origin(url: str) -> tuple[str, str]:
    """(scheme, host[:port]) of a URL, lower-cased."""
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def is_on_site(url: str, site_url: str) -> bool:
    """True when `url` has the same scheme and host (and port) as the site."""
    return origin(url) == origin(site_url)


def canonical_url(href: str, base: str) -> str:
    """Absolute URL without query or fragment, no trailing slash on paths."""
    href = href.strip()
    if _is_plain_absolute(href):
        return href  # already canonical: the common case, and urljoin is the parser's hot spot
    parts = urlsplit(urljoin(base, href))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


# Pages of a site link the same URLs (its feed list, tags, sections) over and over.
@lru_cache(maxsize=8192)
def _is_plain_absolute(href: str) -> bool:
    return _PLAIN_ABSOLUTE.fullmatch(href) is not None


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
