"""What the quality gate adds per batch: a 1,000-article batch (and its tags, links and feed rows)
through every suite, timed after Great Expectations is imported and set up once per process; and
the gate's fixed cost per run: a 1-article batch, Data Docs written as a served ingest writes them,
after the process's first gate run (whose one-time set-up is timed apart).

Run by `python -m bench` (`--only gate`), which prints its table and writes gate.json. Targets: under
1 s per 1,000-row batch, under 0.1 s of fixed cost per run (`FIXED_COST_TARGET_S`).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from expectations.gate import Gate, gate_parameters
from sources.espreso.article import parse_article
from sources.records import FeedParse, FeedRow, FetchedArticle
from sources.snapshot_server import SNAPSHOT_DIR
from transforms.article_pages import article_pages
from transforms.article_related import article_related
from transforms.article_tags import article_tags
from transforms.articles import articles
from transforms.feed_items import feed_items
from transforms.feed_observations import ObservedFeed, feed_observations
from transforms.schemas import TABLES, of_batch

SITE = "https://global.espreso.tv"
NOW = datetime(2025, 10, 27, 10, 0, tzinfo=UTC)
FIXED_COST_TARGET_S = 0.1


def batch(size: int, *, start: int = 0, at: datetime = NOW) -> dict[str, pl.DataFrame]:
    """`size` articles made from the snapshot pages (distinct URLs, shifted times), with feed rows,
    fetched and observed `at`. Article `i` (from `start`) is the same one in every batch, so batches
    with disjoint ranges hold disjoint articles."""
    parses = [
        parse_article(p.read_bytes(), f"{SITE}/{p.stem}")
        for p in sorted((SNAPSHOT_DIR / "articles").iterdir())
    ]
    templates = [p.article for p in parses if p.article is not None]
    items, rows, pages = [], [], []
    for k in range(size):
        i = start + k
        a = templates[i % len(templates)]
        assert a.published_at is not None  # the snapshot's pages all state their time
        url = f"{a.url}-{i}"
        items.append(
            FetchedArticle(
                replace(
                    a,
                    url=url,
                    slug=f"{a.slug}-{i}",
                    published_at=a.published_at - timedelta(minutes=i),
                    modified_at=None,
                ),
                at,
            )
        )
        rows.append(FeedRow(k % 40, url, a.title, None, a.badge, a.published_at))
        pages.append(replace(parses[i % len(parses)], url=url))
    feeds = [
        ObservedFeed(
            FeedParse(f"{SITE}/news?page={n}", tuple(rows[n * 40 : (n + 1) * 40]), None), at
        )
        for n in range(size // 40 + 1)
    ]
    shaped = {
        "articles": articles(items, at),
        "article_tags": article_tags(items),
        "article_related": article_related(items),
        "feed_items": feed_items(feeds),
        "feed_observations": feed_observations(feeds),
    }
    espreso = {"outlet": "espreso", "reader": "espreso"}
    return {
        **{name: of_batch(name, frame, espreso) for name, frame in shaped.items()},
        "fetch_log": pl.DataFrame(schema=TABLES["fetch_log"]),
        "quarantine": pl.DataFrame(schema=TABLES["quarantine"]),
        "article_pages": article_pages(pages),
        "headline_sources": pl.DataFrame(schema=TABLES["headline_sources"]),
    }


def fixed_cost(runs: int) -> tuple[dict[str, float], dict[str, float], Gate, float]:
    """A process's first gate (Great Expectations imported and set up, suites built, Data Docs
    folder made), its first run of a 1-article batch, and the median of the next `runs` runs of
    that batch: the fixed cost every later run pays. Data Docs are written, as a served run does.
    The same batch through a second gate, without Data Docs, alternating with the first, gives the
    part that is validation; Data Docs are the rest. Returns the figures, the parts of a later
    run, the second gate and its set-up time."""
    started = time.perf_counter()
    gate = Gate(Path(tempfile.mkdtemp(prefix="newsflow-bench-gate-")) / "data_docs")
    setup_s = time.perf_counter() - started
    frames, params = batch(1), gate_parameters(SITE, NOW, 1)
    started = time.perf_counter()
    gate.run(frames, params)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    plain = Gate(None)
    plain_setup_s = time.perf_counter() - started
    plain.run(frames, params)
    times: dict[Gate, list[float]] = {gate: [], plain: []}
    for _ in range(runs):
        for each in times:
            started = time.perf_counter()
            each.run(frames, params)
            times[each].append(time.perf_counter() - started)
    per_run_s = statistics.median(times[gate])
    validation_s = statistics.median(times[plain])
    return (
        {
            "setup_s": round(setup_s, 2),
            "first_run_s": round(first_s, 3),
            "per_run_s": round(per_run_s, 3),
        },
        {
            "validation_s": round(validation_s, 3),
            "data_docs_s": round(max(per_run_s - validation_s, 0.0), 3),
        },
        plain,
        plain_setup_s,
    )


def run(tiny: bool = False) -> dict[str, Any]:
    """The gate's fixed cost per run (`fixed_cost`), and its cost for batches of 100, 1,000 and
    5,000 articles (tiny: 20 and 100)."""
    fixed, parts, gate, setup_s = fixed_cost(3 if tiny else 7)
    params = gate_parameters(SITE, NOW, 1)
    figures = []
    for size in (20, 100) if tiny else (100, 1000, 5000):
        frames = batch(size)
        rows = sum(
            f.height for name, f in frames.items() if name not in ("fetch_log", "quarantine")
        )
        gate.run(frames, params)  # warm
        times = []
        for _ in range(1 if tiny else 5):
            t = time.perf_counter()
            report = gate.run(frames, params)
            times.append(time.perf_counter() - t)
        if report.quarantined:
            raise RuntimeError(f"the gate held good rows: {report.quarantined[:3]}")
        figures.append(
            {
                "articles": size,
                "rows_checked": rows,
                "median_s": round(statistics.median(times), 3),
                "rows_per_s": round(rows / statistics.median(times)),
            }
        )
    return {
        "fixed": fixed,
        "per_run_parts": parts,
        "setup_s": round(setup_s, 2),
        "batches": figures,
    }


def report(figures: dict[str, Any]) -> list[str]:
    """The bench's lines of the printed table."""
    fixed, parts = figures["fixed"], figures["per_run_parts"]
    lines = [
        f"First gate of a process (import, context, suites): {fixed['setup_s']:.2f} s; "
        f"its first 1-article run (suite pages rendered): {fixed['first_run_s']:.3f} s",
        f"Fixed cost per later run (1 article, Data Docs written): {fixed['per_run_s']:.3f} s "
        f"(target < {FIXED_COST_TARGET_S} s): validation {parts['validation_s']:.3f} s "
        f"(the batch through a gate without Data Docs), Data Docs {parts['data_docs_s']:.3f} s",
        f"Set-up of a second gate in the process (no Data Docs): {figures['setup_s']:.2f} s",
        f"{'articles':>9} {'rows checked':>13} {'gate median s':>14} {'rows/s':>9}",
    ]
    lines += [
        f"{f['articles']:>9} {f['rows_checked']:>13} {f['median_s']:>14.3f} {f['rows_per_s']:>9}"
        for f in figures["batches"]
    ]
    return lines
