"""The article-page readers by name (an outlet's `reader`): the answers to a run's article
requests read into records, no I/O. Live runs and `reparse` pick a run's reader here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from sources.espreso.crawl import read_articles
from sources.generic.crawl import read_pages
from sources.outlets import Reader
from sources.records import LoggedFetch, Parsed

PAGE_READERS: Final[dict[Reader, Callable[[Sequence[LoggedFetch]], Parsed]]] = {
    "espreso": read_articles,
    "generic": read_pages,
}
