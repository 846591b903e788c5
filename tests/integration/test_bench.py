"""`make bench` still works: the whole bench at its tiny size (a few hundred pages), in its own
process, as `python -m bench --tiny`. Its times mean nothing and are never asserted; what each
stage did is. Its flow runs report to the session's Prefect server rather than each starting a
temporary one (about 15 s of CPU each; other tests prove that start)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.fundus import FUNDUS
from bench.parse import REAL

ROOT = Path(__file__).resolve().parents[2]


def test_tiny_bench_runs_every_stage(prefect_api: str, tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"  # where its archives and warehouses go, and are gone from after
    scratch.mkdir()
    results = tmp_path / "results"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--tiny", "--results", str(results)],
        cwd=ROOT,
        env={**os.environ, "PREFECT_API_URL": prefect_api, "TMPDIR": str(scratch)},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(scratch.iterdir()) == []
    assert sorted(p.name for p in results.iterdir()) == [
        "backfill.json", "commands.json", "crawler.json", "fundus.json", "gate.json", "lake.json",
        "load.json", "parse.json", "reparse.json", "summary.json",
    ]  # fmt: skip
    summary = json.loads((results / "summary.json").read_text())
    assert summary["tiny"] is True
    sets = ["snapshot", "real"] if REAL.is_dir() else ["snapshot"]
    assert [(r["stage"], r["what"]) for r in summary["rows"]] == [
        *[
            row
            for name in sets
            for row in (
                ("parse", f"{name} pages/s (1 core)"),
                ("parse", f"{name}: × trafilatura"),
                ("parse", f"{name}: ÷ floor"),
                ("parse", f"{name}: fields as accurate or better"),
            )
        ],
        ("gate", "fixed cost per run (s), after the first"),
        ("load", "feed_observations rows/s"),
        ("load", "articles (+ tags, related, pages) rows/s"),
        ("fetch", "req/s at concurrency 1, 50 ms"),
        ("fetch", "req/s at concurrency 4, 50 ms"),
        ("fetch", "req/s at concurrency 16, 50 ms"),
        ("reparse", "200 pages, 2 workers: pages/s"),
        ("reparse", "200 pages, 2 workers: peak RSS MB"),
        ("reparse", "200 pages: main-process growth per batch (MB)"),
        ("reparse", "200 pages in runs of 50: pages/s"),
        ("reparse", "parse+shape speed-up, 2 processes"),
        ("backfill", "peak RSS, 3 ÷ 1 batches"),
        ("orchestration", "Prefect overhead per run (s)"),
        ("lake", "load rows/s into the lake, 300 articles"),
        ("lake", "same rows in lake and file"),
        ("lake", "small run on the lake (s), 300 articles"),
        ("lake", "analyst queries: lake ÷ file time"),
        ("lake", "search median (s), 300 articles"),
        ("lake", "search index rebuild (s), 300 articles"),
        ("lake", "facts after a small run (s), 300 articles"),
        *(
            [
                ("fundus", "fields better than both peers"),
                ("fundus", "instant right with its zone (pages stating one)"),
                ("fundus", "body paragraph recall"),
                ("fundus", "body paragraph precision"),
                ("fundus", "generic reader × trafilatura speed"),
            ]
            if FUNDUS.is_dir()
            else []
        ),
        ("commands", "newsflow --help: CPU s"),
        ("commands", "newsflow run --help: CPU s"),
        ("commands", "newsflow demo --help: CPU s"),
        ("commands", "newsflow sql: heavy libraries beyond its own"),
        ("commands", "newsflow search: heavy libraries beyond its own"),
        ("commands", "newsflow quarantine: heavy libraries beyond its own"),
        ("commands", "newsflow search: peak RSS MB, 20 articles"),
        ("commands", "newsflow search: wall s, 20 articles"),
    ]
    parse = json.loads((results / "parse.json").read_text())
    assert parse["snapshot"]["pages"] == 21
    assert parse["snapshot"]["newsflow_accuracy"] == {
        "title": 1.0, "published_at": 1.0, "author": 1.0, "badge": 1.0, "body": 1.0,
    }  # fmt: skip
    gate = json.loads((results / "gate.json").read_text())
    assert sorted(gate["fixed"]) == ["first_run_s", "per_run_s", "setup_s"]
    assert [b["articles"] for b in gate["batches"]] == [20, 100]
    load = json.loads((results / "load.json").read_text())
    assert [(t["table"], t["rows"]) for t in load["tables"]] == [
        ("feed_observations", 10_000),
        ("articles (+ tags, related, pages)", 200),
    ]
    crawler = json.loads((results / "crawler.json").read_text())
    assert [(f["concurrency"], f["requests"]) for f in crawler["fetch"]] == [
        (1, 20),
        (4, 80),
        (16, 320),
    ]
    assert crawler["incremental"][0]["requests"] == ["/news", "/rss", "/sitemap.xml"]
    reparse = json.loads((results / "reparse.json").read_text())
    assert [(r["pages"], r["workers"], r["batches"], r["articles_loaded"]) for r in reparse["reparse"]] == [
        (200, 2, 4, 200),
    ]  # fmt: skip
    assert reparse["stage"]["pages"] == 200
    # The tiny archive is in runs of 50 pages, two to a batch of 100: its reparse is the
    # backfill-shaped figure too, a load_runs row per run.
    assert reparse["backfill_shaped"] == {**reparse["reparse"][0], "run_pages": 50}
    assert (reparse["orchestration"]["runs"], reparse["orchestration"]["pages"]) == (1, 21)
    backfill = json.loads((results / "backfill.json").read_text())
    assert (backfill["short"]["batches"], backfill["long"]["batches"]) == (1, 3)
    lake = json.loads((results / "lake.json").read_text())
    assert lake["articles"] == 300
    # 300 articles (2,853 rows with theirs), then one small run of 20 new articles and 100 feed
    # observations: every row in both warehouses, one load_runs row per load.
    assert lake["load"]["rows"] == 2853
    small = lake["small_run"]
    assert (small["articles"], small["feed_observations"], small["runs"]) == (20, 100, 1)
    assert (
        0 < small["lake_load_s"] <= small["lake_s"] and 0 < small["file_load_s"] <= small["file_s"]
    )
    expected = {
        "articles": 320, "article_tags": 1219, "article_related": 548, "feed_items": 400,
        "feed_observations": 400, "headline_sources": 0, "fetch_log": 0, "quarantine": 0,
        "load_runs": 2, "article_revisions": 0,
    }  # fmt: skip
    assert lake["rows"] == {"lake": expected, "file": expected, "same": True}
    assert lake["load"]["ratio"] == round(
        lake["load"]["lake_rows_per_s"] / lake["load"]["file_rows_per_s"], 2
    )
    assert [q["query"] for q in lake["queries"]] == [
        p.stem for p in sorted((ROOT / "warehouse" / "queries").glob("*.sql"))
    ]
    for q in lake["queries"]:
        assert q["lake_s"] > 0 and q["file_s"] > 0
        assert q["ratio"] == round(q["lake_s"] / q["file_s"], 2), q
    total = lake["queries_total"]
    assert total["lake_s"] == round(sum(q["lake_s"] for q in lake["queries"]), 6)
    assert total["file_s"] == round(sum(q["file_s"] for q in lake["queries"]), 6)
    assert total["ratio"] == round(total["lake_s"] / total["file_s"], 2)
    assert lake["search"]["hits"] == {
        "Pokrovsk": 10, "drones": 10, "Kharkiv guided bombs": 10, "expert": 10, "energy infrastructure": 10,
    }  # fmt: skip
    assert 0 < lake["search"]["median_s"] <= lake["search"]["slowest_s"]
    assert lake["search"]["rebuild_s"] > 0
    # Every article's facts (each article one version), then those of one more small run's 20.
    drawn = lake["facts"]
    assert (drawn["every_versions"], drawn["after_small_run_versions"]) == (320, 20)
    assert drawn["after_small_run_s"] > 0 and drawn["every_s"] > 0
    headline = {r["what"]: r for r in summary["rows"] if r["stage"] == "lake"}
    assert headline["facts after a small run (s), 300 articles"]["reference"] == drawn["every_s"]
    assert headline["same rows in lake and file"]["value"] == "yes"
    assert (
        headline["load rows/s into the lake, 300 articles"]["reference"]
        == (lake["load"]["file_rows_per_s"])
    )
    assert (
        headline["search index rebuild (s), 300 articles"]["value"] == lake["search"]["rebuild_s"]
    )
    commands = json.loads((results / "commands.json").read_text())
    assert [(c["command"], c["heavy"]) for c in commands["helps"]] == [
        ("--help", []),
        ("run --help", []),
        ("demo --help", []),
    ]
    sql = commands["calls"][0]
    assert (sql["command"], sql["heavy"]) == ("sql --attach-sql --warehouse WAREHOUSE", ["duckdb"])
    assert commands["search_articles"] == 20 and commands["no_change_run"] is None
