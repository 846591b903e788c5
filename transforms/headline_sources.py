"""`headline_sources`: one row per article or feed item whose headline names a source (the rules
are `facts.headline_sources`)."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from facts.headline_sources import headline_source
from transforms.schemas import HEADLINE_SOURCES


def headline_sources(rows: Iterable[tuple[str, str]]) -> pl.DataFrame:
    """The `headline_sources` frame from (url, headline) pairs.

    One row per url: the first of its pairs whose headline names a source.
    """
    records: list[dict[str, object]] = []
    seen: set[str] = set()
    for url, headline in rows:
        if url in seen:
            continue
        found = headline_source(headline)
        if found is None:
            continue
        seen.add(url)
        records.append(
            {
                "url": url,
                "source": found.source,
                "source_kind": found.source_kind,
                "claim": found.claim,
            }
        )
    return pl.DataFrame(records, schema=HEADLINE_SOURCES)
