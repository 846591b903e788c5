"""The whole generated archive: its runs written one WARC file each, by a pool of spawned
processes when `workers` > 1 (gzip is nearly all of the cost), and what was written."""

from __future__ import annotations

import math
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from email.utils import format_datetime
from multiprocessing import get_context
from pathlib import Path

from bench.archive.minutes import DST_PAGES, SLOTS
from bench.archive.pages import ExpectedPage, draws, expected_page, page
from bench.archive.runs import PAGE_GAP, run_id, run_started_at
from bench.archive.warc import WARCIO_LEVEL, RunFile
from sources.archive import warc_files
from sources.records import Fetched
from sources.snapshot_expected import LIVE

CONTENT_TYPE = "text/html; charset=utf-8"


@dataclass(frozen=True, slots=True)
class GeneratedArchive:
    """An archive `generate_archive` wrote, how long it took, and values a test can check."""

    folder: Path
    pages: int
    runs: int
    files: int
    bytes: int
    seconds: float
    workers: int
    distinct_tags: int
    samples: tuple[ExpectedPage, ...]

    @property
    def pages_per_second(self) -> float:
        """Pages generated and written per second of wall-clock time."""
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def mb_per_second(self) -> float:
        """Megabytes (10^6) of WARC written per second."""
        return self.bytes / 1e6 / self.seconds if self.seconds else 0.0

    @property
    def bytes_per_page(self) -> float:
        """Bytes on disk per page (gzipped records, warcinfo included)."""
        return self.bytes / self.pages if self.pages else 0.0


@dataclass(frozen=True, slots=True)
class _RunJob:
    folder: Path
    run: int
    first: int
    count: int
    pages_per_run: int
    site_url: str
    seed: int
    compresslevel: int


def _write_run(job: _RunJob) -> frozenset[str]:
    """Write one run into its own WARC file; return the tags its pages carry."""
    started_at = run_started_at(job.run, job.pages_per_run)
    tags: set[str] = set()
    with RunFile(
        job.folder, run_id(job.run), started_at, job.site_url, job.compresslevel
    ) as archive:
        for n, index in enumerate(range(job.first, job.first + job.count), start=1):
            url, body, modified = page(index, site_url=job.site_url, seed=job.seed)
            drawn = draws(index, job.seed)
            tags.update(drawn.tags)
            fetched = Fetched(
                url=url,
                requested_at=started_at + n * PAGE_GAP,
                status=200,
                body=body,
                encoding="utf-8",
                elapsed_ms=drawn.elapsed_ms,
                error=None,
                final_url=url,
                headers=(
                    ("Content-Type", CONTENT_TYPE),
                    ("ETag", f'"g{job.seed}-{index}"'),
                    ("Last-Modified", format_datetime(modified, usegmt=True)),
                ),
            )
            archive.write(fetched, kind="article")
    return frozenset(tags)


def generate_archive(
    folder: Path,
    pages: int,
    *,
    pages_per_run: int = 500,
    site_url: str = LIVE,
    seed: int = 0,
    workers: int | None = None,
    compresslevel: int = WARCIO_LEVEL,
) -> GeneratedArchive:
    """Write `pages` generated article pages into a new WARC archive in `folder`.

    Args:
        folder: The archive folder; created if missing, and must hold no WARC file yet.
        pages: How many article pages.
        pages_per_run: Pages per run (the last run may hold fewer); one WARC file per run.
        site_url: The site the pages are on (the snapshot's links are rewritten to it).
        seed: Varies which template each page starts from and every generated value.
        workers: Processes writing runs; None means one per usable CPU, 1 this process only.
        compresslevel: gzip level of the records; 9 is warcio's, as the pipeline writes.
    """
    if not 1 <= pages <= SLOTS or pages_per_run < 1:
        raise ValueError(
            f"pages must be 1 to {SLOTS:,} (each has its own minute) and pages_per_run at least 1"
        )
    if folder.exists() and warc_files(folder):
        raise FileExistsError(f"{folder} already holds WARC files: generate into a new folder")
    site_url = site_url.rstrip("/")
    started = time.perf_counter()
    runs = math.ceil(pages / pages_per_run)
    jobs = [
        _RunJob(
            folder,
            run,
            run * pages_per_run,
            min(pages_per_run, pages - run * pages_per_run),
            pages_per_run,
            site_url,
            seed,
            compresslevel,
        )
        for run in range(runs)
    ]
    workers = max(1, min(workers or len(os.sched_getaffinity(0)), runs))
    if workers == 1:
        tag_sets = [_write_run(job) for job in jobs]
    else:
        # Spawned, never forked: a fork would copy this process's threads and locks.
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            tag_sets = list(pool.map(_write_run, jobs))
    seconds = time.perf_counter() - started
    files = warc_files(folder)
    samples = sorted({*range(min(len(DST_PAGES), pages)), pages // 2, pages - 1})
    return GeneratedArchive(
        folder=folder,
        pages=pages,
        runs=runs,
        files=len(files),
        bytes=sum(path.stat().st_size for path in files),
        seconds=seconds,
        workers=workers,
        distinct_tags=len(frozenset().union(*tag_sets)),
        samples=tuple(
            expected_page(i, pages_per_run=pages_per_run, site_url=site_url, seed=seed)
            for i in samples
        ),
    )
