"""Replaying one archived run: its answers read back as discovery and parsing read them live, then
shaped into the run's frames. Plain functions, kept apart from Prefect and the flows' other
modules: the worker processes of `reparse --workers N` import only what parsing needs (Polars and
the parsers), about 100 MB each, not the quality gate's, the warehouse's or Prefect's libraries."""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from sources.archive import ArchivedRun
from sources.espreso.crawl import Discovery, Parsed, read_articles
from sources.http import LoggedFetch
from transforms.batch import batch_frames


@dataclass(frozen=True, slots=True)
class Replayed:
    """One archived run (or part of one) parsed and shaped: its frames, and how many feed pages
    it read (the gate's freshness checks need it)."""

    run: ArchivedRun
    frames: dict[str, pl.DataFrame]
    feed_pages: int


def replay(run: ArchivedRun) -> tuple[Discovery, Parsed]:
    """Read a run's archived answers as discovery and parsing read them live."""
    found = Discovery()
    articles: list[LoggedFetch] = []
    today = run.started_at.date()
    for fetched, kind, where in run.read():
        if kind == "article":
            articles.append(
                LoggedFetch(fetched, kind, warc_file=where.file, warc_offset=where.offset)
            )
            continue
        if kind == "feed":
            found.add_feed(fetched)
        elif kind == "rss":
            found.add_rss(fetched)
        elif kind == "sitemap":
            found.add_sitemap(fetched, run.site_url, today, today)
        else:
            found.log(fetched, kind)
        found.requests[-1] = replace(
            found.requests[-1], warc_file=where.file, warc_offset=where.offset
        )
    return found, read_articles(articles)


def replayed(run: ArchivedRun) -> Replayed:
    """Read one run's pages from the archive, parse them, and shape the run's frames."""
    found, parsed = replay(run)
    frames = batch_frames(run.run_id, found, parsed, run.started_at)
    return Replayed(run, frames, len(found.tapes))
