"""The outlets newsflow reads, as configuration: `sources/outlets.toml`, one table per outlet,
read into frozen `Outlet` records. A file it cannot use is refused with one line naming the
outlet, the key and what was expected (`OutletsError`).

Keys of an outlet (all but `base_url` and `reader` optional):
- `title`: its name as people write it; `base_url`: scheme and host;
- `reader`: `espreso` (the Espreso template's parser, its "News" feed pages included) or
  `generic` (any news page: `sources.generic.read`);
- discovery: `feeds` (RSS/Atom), `sitemaps`, `news_sitemaps` (Google News), `robots_sitemaps`
  (also the `Sitemap:` lines of robots.txt); paths on `base_url`, or absolute URLs on its host;
- politeness overrides: `min_interval_s`, `max_concurrency` (the settings' defaults otherwise;
  an environment variable or option still wins);
- the gate's site rules: `article_path` (a regular expression an article URL's path matches),
  `badges` (the badges it shows), `languages`, `launched` (no article is older);
- `source` (the `articles.source` value; the outlet's name by default), `confirmed` (false: no public
  material confirmed the feed addresses; check them before relying on the outlet).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Final, Literal, cast
from urllib.parse import urlsplit

from sources.urls import is_on_site

Reader = Literal["espreso", "generic"]
READERS: Final[tuple[Reader, ...]] = ("espreso", "generic")
DEFAULT_OUTLET: Final = "espreso"
# Any path without query or fragment (the canonical form every page is keyed by).
ANY_ARTICLE_PATH: Final = r"/[^?#\s]+"
# No outlet newsflow reads published before Ukraine's independence (the gate's earliest date).
EARLIEST: Final = date(1991, 8, 24)
OUTLET_NAME: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_KEYS: Final = frozenset(
    {
        "title", "base_url", "reader", "feeds", "sitemaps", "news_sitemaps", "robots_sitemaps",
        "min_interval_s", "max_concurrency", "article_path", "badges", "languages", "launched",
        "source", "confirmed",
    }
)  # fmt: skip


class OutletsError(ValueError):
    """The outlets file cannot be used: which outlet, which key, what was expected."""


class UnknownOutlet(ValueError):
    """An outlet name the file does not have; the message lists the names it has."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"no outlet named {name!r}; the outlets are: {', '.join(known)}")


@dataclass(frozen=True, slots=True)
class Outlet:
    """One outlet: where it is, how its articles are found and read, and its site rules."""

    name: str
    title: str
    base_url: str
    reader: Reader
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    news_sitemaps: tuple[str, ...] = ()
    robots_sitemaps: bool = True
    min_interval_s: float | None = None
    max_concurrency: int | None = None
    article_path: str = ANY_ARTICLE_PATH
    badges: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("en",)
    launched: date = EARLIEST
    source: str = ""
    confirmed: bool = True

    def at(self, site_url: str, address: str) -> str:
        """A discovery address (a path or an absolute URL) as an absolute URL on `site_url` (the
        outlet's base URL, or a stand-in for it such as a test server)."""
        parts = urlsplit(address)
        path = address if not parts.scheme else parts._replace(scheme="", netloc="").geturl()
        return site_url.rstrip("/") + path

    def is_article(self, url: str, site_url: str) -> bool:
        """True when a canonical URL on the site has an article's path."""
        return is_on_site(url, site_url) and (
            re.fullmatch(self.article_path, urlsplit(url).path) is not None
        )

    def politeness(self) -> dict[str, float | int]:
        """The settings this outlet sets in place of the defaults (`min_interval_s`, ...)."""
        given = {"min_interval_s": self.min_interval_s, "max_concurrency": self.max_concurrency}
        return {k: v for k, v in given.items() if v is not None}


OUTLETS_FILE: Final = "outlets.toml"


def _fail(where: str, said: str) -> OutletsError:
    return OutletsError(f"{where}: {said}")


def _strings(where: str, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(where, f"{key} must be a list of non-empty strings, found {value!r}")
    return tuple(value)


def _typed(where: str, key: str, value: object, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float)):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise _fail(where, f"{key} must be {names}, found {value!r}")
    return value


def _address(where: str, key: str, base_url: str, address: str) -> str:
    parts = urlsplit(address)
    if parts.scheme and not is_on_site(address, base_url):
        raise _fail(where, f"{key} {address!r} is not on {base_url} (only its own host is asked)")
    if not parts.scheme and not address.startswith("/"):
        raise _fail(where, f"{key} {address!r} must be a path starting with / or a full URL")
    return address


def outlet_of(name: str, table: object, where: str) -> Outlet:
    """One outlet's table checked and read; `OutletsError` names what is wrong."""
    where = f"{where}: outlet {name!r}"
    if not OUTLET_NAME.fullmatch(name):
        raise _fail(where, "a name is lower-case letters, digits and single hyphens")
    if not isinstance(table, dict):
        raise _fail(where, "must be a table of keys")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise _fail(where, f"unknown key {unknown[0]!r}; the keys are {', '.join(sorted(_KEYS))}")
    for required in ("base_url", "reader"):
        if required not in table:
            raise _fail(where, f"{required} is missing")
    base_url = _typed(where, "base_url", table["base_url"], str).rstrip("/")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path:
        raise _fail(where, f"base_url must be http(s)://host, found {base_url!r}")
    reader = table["reader"]
    if reader not in READERS:
        raise _fail(where, f"reader must be one of {', '.join(READERS)}, found {reader!r}")
    lists = {
        key: tuple(_address(where, key, base_url, a) for a in _strings(where, key, table[key]))
        for key in ("feeds", "sitemaps", "news_sitemaps")
        if key in table
    }
    rules = {
        key: _strings(where, key, table[key]) for key in ("badges", "languages") if key in table
    }
    article_path = _typed(where, "article_path", table.get("article_path", ANY_ARTICLE_PATH), str)
    try:
        re.compile(article_path)
    except re.error as error:
        raise _fail(where, f"article_path is not a regular expression: {error}") from None
    min_interval = table.get("min_interval_s")
    concurrency = table.get("max_concurrency")
    if min_interval is not None and _typed(where, "min_interval_s", min_interval, (int, float)) < 0:
        raise _fail(where, f"min_interval_s must be 0 or more, found {min_interval!r}")
    if concurrency is not None and _typed(where, "max_concurrency", concurrency, int) < 1:
        raise _fail(where, f"max_concurrency must be 1 or more, found {concurrency!r}")
    launched = table.get("launched", EARLIEST)
    if not isinstance(launched, date) or hasattr(launched, "hour"):
        raise _fail(where, f"launched must be a date (YYYY-MM-DD), found {launched!r}")
    return Outlet(
        name=name,
        title=_typed(where, "title", table.get("title", name), str),
        base_url=base_url,
        reader=cast(Reader, reader),
        **lists,
        robots_sitemaps=_typed(where, "robots_sitemaps", table.get("robots_sitemaps", True), bool),
        min_interval_s=None if min_interval is None else float(min_interval),
        max_concurrency=concurrency,
        article_path=article_path,
        **rules,
        launched=launched,
        source=_typed(where, "source", table.get("source", name), str),
        confirmed=_typed(where, "confirmed", table.get("confirmed", True), bool),
    )


def read_outlets(text: str, where: str = OUTLETS_FILE) -> dict[str, Outlet]:
    """The outlets of a TOML text, by name, in file order."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _fail(where, f"not TOML: {error}") from None
    extra = sorted(set(data) - {"outlets"})
    if extra:
        raise _fail(where, f"unknown table {extra[0]!r}: outlets are [outlets.<name>] tables")
    tables = data.get("outlets")
    if not isinstance(tables, dict) or not tables:
        raise _fail(where, "no outlets: add an [outlets.<name>] table")
    found = {name: outlet_of(name, table, where) for name, table in tables.items()}
    if DEFAULT_OUTLET not in found:
        raise _fail(where, f"the default outlet {DEFAULT_OUTLET!r} is missing")
    return found


@cache
def _bundled() -> dict[str, Outlet]:
    return read_outlets(files("sources").joinpath(OUTLETS_FILE).read_text(encoding="utf-8"))


def outlets(path: Path | None = None) -> dict[str, Outlet]:
    """The outlets of `path`, or of the file shipped beside this module (read once)."""
    if path is None:
        return _bundled()
    return read_outlets(path.read_text(encoding="utf-8"), str(path))


def outlet(name: str, path: Path | None = None) -> Outlet:
    """The outlet of that name in `path` (the shipped file by default); `UnknownOutlet` (listing
    the names) when there is none."""
    known = outlets(path)
    if name not in known:
        raise UnknownOutlet(name, list(known))
    return known[name]
