"""Replaying one archived run: its answers read back as discovery and parsing read them live, then
shaped into the run's frames. Plain functions, kept apart from Prefect and the flows' other
modules: the worker processes of `reparse --workers N` import only what parsing needs (Polars and
the parsers), about 100 MB each, not the quality gate's, the warehouse's or Prefect's libraries."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import polars as pl

from sources.archive import ArchivedRun
from sources.espreso.crawl import add_feed, add_rss, add_sitemap
from sources.generic.crawl import add_sitemap as add_outlet_sitemap
from sources.outlets import Outlet
from sources.readers import PAGE_READERS
from sources.records import Discovery, Fetched, LoggedFetch, Parsed
from transforms.batch import batch_frames, default_outlet

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Replayed:
    """One archived run (or part of one) parsed and shaped: its frames, and how many feed pages
    it read (the gate's freshness checks need it)."""

    frames: dict[str, pl.DataFrame]
    feed_pages: int


def add_listing(found: Discovery, fetched: Fetched, run: ArchivedRun, site: Outlet) -> None:
    """A sitemap's archived answer read as the outlet's discovery read it live (the dates it
    lists do not matter here: the run's URLs are its archived article requests)."""
    today = run.started_at.date()
    if site.reader == "espreso":
        add_sitemap(found, fetched, run.site_url, today, today)
    else:
        add_outlet_sitemap(found, fetched, today, today)


def archived_answers(run: ArchivedRun, site: Outlet) -> tuple[Discovery, list[LoggedFetch]]:
    """A run's archived answers read back as discovery read them live (`site`: the run's
    outlet), and the answers to its article requests, unread."""
    found = Discovery()
    articles: list[LoggedFetch] = []
    for fetched, kind, where in run.read():
        if kind == "article":
            articles.append(
                LoggedFetch(fetched, kind, warc_file=where.file, warc_offset=where.offset)
            )
            continue
        if kind == "feed":
            add_feed(found, fetched)
        elif kind == "rss":
            add_rss(found, fetched)
        elif kind == "sitemap":
            add_listing(found, fetched, run, site)
        else:
            found.log(fetched, kind)
        found.requests[-1] = replace(
            found.requests[-1], warc_file=where.file, warc_offset=where.offset
        )
    return found, articles


def replay(run: ArchivedRun, site: Outlet) -> tuple[Discovery, Parsed]:
    """Read a run's archived answers as discovery and parsing read them live, its article pages
    with the reader of `site` (the run's outlet)."""
    found, articles = archived_answers(run, site)
    return found, PAGE_READERS[site.reader](articles)


def replayed(run: ArchivedRun, site: Outlet | None = None) -> Replayed:
    """Read one run's pages from the archive, parse them with its outlet's reader (`site`;
    Espreso's when not given), and shape the run's frames, its rows marked with that outlet."""
    outlet = site or default_outlet()
    found, parsed = replay(run, outlet)
    frames = batch_frames(run.run_id, found, parsed, run.started_at, outlet)
    return Replayed(frames, len(found.feeds))


def side_by_side(items: Iterable[T], size: Callable[[T], int], most: int) -> Iterator[list[T]]:
    """Consecutive items together, up to `most` in `size` a group (an item bigger than that is a
    group alone); lazily, so a group is made as soon as the next item does not fit."""
    group: list[T] = []
    held = 0
    for item in items:
        grows = size(item)
        if group and held + grows > most:
            yield group
            group, held = [], 0
        group.append(item)
        held += grows
    if group:
        yield group


def batches(runs: list[ArchivedRun], pages: int) -> list[tuple[ArchivedRun, ...]]:
    """Consecutive runs side by side, up to `pages` article pages a batch (a run bigger than that
    is a batch alone): small runs share the fixed costs of a batch (a task, a worker's turn)."""
    return [tuple(batch) for batch in side_by_side(runs, lambda run: run.article_pages, pages)]


@dataclass(frozen=True, slots=True)
class Spilled:
    """A replayed run's frames, written as Arrow IPC files (one per table) in `folder`. This, not
    the frames, is what passes between processes and Prefect tasks: Prefect keeps every task's
    parameters and result until its flow run ends, which over thousands of batches is the archive."""

    run: ArchivedRun
    folder: Path
    feed_pages: int


def replay_to(run: ArchivedRun, spill_dir: Path, site: Outlet) -> Spilled:
    """`replayed`, with the frames written under `spill_dir`."""
    done = replayed(run, site)
    folder = spill_dir / re.sub(r"[^\w.-]", "_", run.run_id)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in done.frames.items():
        frame.write_ipc(folder / f"{name}.arrow")
    return Spilled(run, folder, done.feed_pages)


def replay_batch(
    runs: tuple[ArchivedRun, ...], spill_dir: Path, sites: Mapping[str, Outlet]
) -> list[Spilled]:
    """Every run of a batch replayed (each with its outlet's reader, from `sites` by name) and
    spilled under `spill_dir`, in order: what a worker process runs (here, not in the flow's
    module, so that the worker imports no Prefect)."""
    return [replay_to(run, spill_dir, sites[run.outlet]) for run in runs]


def unspilled(spilled: Spilled) -> dict[str, pl.DataFrame]:
    """The frames of a spilled run, read back whole; the files are removed."""
    frames = {path.stem: pl.read_ipc(path.read_bytes()) for path in spilled.folder.glob("*.arrow")}
    shutil.rmtree(spilled.folder)
    return frames
