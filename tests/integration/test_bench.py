"""`make bench` still works: the whole bench at its tiny size (a few hundred pages), in its own
process, as `python -m bench --tiny`. Its times mean nothing and are never asserted; what each
stage did is."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.parse import REAL

ROOT = Path(__file__).resolve().parents[2]


def test_tiny_bench_runs_every_stage(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--tiny", "--results", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "crawler.json", "gate.json", "load.json", "parse.json", "reparse.json", "summary.json",
    ]  # fmt: skip
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["tiny"] is True
    sets = ["snapshot", "real"] if REAL.is_dir() else ["snapshot"]
    assert [(r["stage"], r["what"]) for r in summary["rows"]] == [
        *[
            row
            for name in sets
            for row in (
                ("parse", f"{name} pages/s (1 core)"),
                ("parse", f"{name}: × trafilatura"),
                ("parse", f"{name}: fields as accurate or better"),
            )
        ],
        ("load", "feed_observations rows/s"),
        ("load", "articles (+ tags, related, pages) rows/s"),
        ("fetch", "req/s at concurrency 1, 50 ms"),
        ("fetch", "req/s at concurrency 4, 50 ms"),
        ("fetch", "req/s at concurrency 16, 50 ms"),
        ("reparse", "200 pages, 1 workers: pages/s"),
        ("reparse", "200 pages, 1 workers: peak RSS MB"),
        ("reparse", "200 pages, 2 workers: pages/s"),
        ("reparse", "200 pages, 2 workers: peak RSS MB"),
        ("reparse", "parse+shape speed-up, 2 processes"),
        ("orchestration", "Prefect overhead per run (s)"),
    ]
    parse = json.loads((tmp_path / "parse.json").read_text())
    assert parse["snapshot"]["pages"] == 21
    assert parse["snapshot"]["newsflow_accuracy"] == {
        "title": 1.0, "published_at": 1.0, "author": 1.0, "badge": 1.0, "body": 1.0,
    }  # fmt: skip
    load = json.loads((tmp_path / "load.json").read_text())
    assert [(t["table"], t["rows"]) for t in load["tables"]] == [
        ("feed_observations", 10_000),
        ("articles (+ tags, related, pages)", 200),
    ]
    crawler = json.loads((tmp_path / "crawler.json").read_text())
    assert [(f["concurrency"], f["requests"]) for f in crawler["fetch"]] == [
        (1, 20),
        (4, 80),
        (16, 320),
    ]
    assert crawler["incremental"][0]["requests"] == ["/news", "/rss", "/sitemap.xml"]
    reparse = json.loads((tmp_path / "reparse.json").read_text())
    assert [(r["pages"], r["workers"], r["batches"], r["articles_loaded"]) for r in reparse["reparse"]] == [
        (200, 1, 4, 200),
        (200, 2, 4, 200),
    ]  # fmt: skip
    assert reparse["stage"]["pages"] == 200
    assert (reparse["orchestration"]["runs"], reparse["orchestration"]["pages"]) == (1, 21)
