"""`python -m bench`: every benchmark, one after the other, then one table of the headline figures
against their targets. `--tiny` runs each on a few hundred pages only, to prove the benches still
work (CI does); its figures mean nothing.

Figures are printed and written as JSON (`<stage>.json` and `summary.json`) under `--results`
(default bench/results). A benchmark never fails on a time: a missed target says MISSED.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import backfill, commands, crawler, fundus, gate, lake, load, parse, reparse
from bench.environment import use_bench_environment

STAGES: dict[
    str, tuple[Callable[[bool], dict[str, Any]], Callable[[dict[str, Any]], list[str]]]
] = {
    "parse": (parse.run, parse.report),
    "gate": (gate.run, gate.report),
    "load": (load.run, load.report),
    "crawler": (crawler.run, crawler.report),
    "reparse": (reparse.run, reparse.report),
    "backfill": (backfill.run, backfill.report),
    "lake": (lake.run, lake.report),
    "fundus": (fundus.run, fundus.report),
    "commands": (commands.run, commands.report),
}


def headline(figures: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per headline figure: stage, what, value, reference, ratio, target, verdict."""
    rows: list[dict[str, Any]] = []

    def add(stage: str, what: str, value: float | str, target: str, ok: bool, **more: Any) -> None:
        rows.append({"stage": stage, "what": what, "value": value, "target": target,
                     "verdict": "OK" if ok else "MISSED", **more})  # fmt: skip

    rows.extend(parse_rows(figures["parse"]))
    fixed = figures["gate"]["fixed"]
    add("gate", "fixed cost per run (s), after the first", fixed["per_run_s"],
        f"< {gate.FIXED_COST_TARGET_S} s", fixed["per_run_s"] < gate.FIXED_COST_TARGET_S,
        reference=fixed["setup_s"])  # fmt: skip
    thousand = next((b for b in figures["gate"]["batches"] if b["articles"] == 1000), None)
    if thousand:
        add(
            "gate",
            "s per 1,000-article batch",
            thousand["median_s"],
            "< 1 s",
            thousand["median_s"] < 1,
        )
    for t in figures["load"]["tables"]:
        target = load.NARROW_TARGET_ROWS_PER_S if t["table"] == "feed_observations" else 0
        add("load", f"{t['table']} rows/s", t["insert_rows_per_s"], f"≥ {target:,}" if target else "-",
            t["insert_rows_per_s"] >= target, reference=t["plain_insert_rows_per_s"],
            ratio=t["ratio"])  # fmt: skip
    for f in figures["crawler"]["fetch"]:
        add("fetch", f"req/s at concurrency {f['concurrency']}, {f['latency_ms']:.0f} ms", f["per_s"],
            "≥ 80 % of ideal", f["ratio"] >= 0.8, reference=f["ideal_per_s"], ratio=f["ratio"])  # fmt: skip
    r = figures["reparse"]
    for run in r["reparse"]:
        add("reparse", f"{run['pages']:,} pages, {run['workers']} workers: pages/s", run["pages_per_s"],
            "≥ 500", run["pages_per_s"] >= 500)  # fmt: skip
        add("reparse", f"{run['pages']:,} pages, {run['workers']} workers: peak RSS MB", run["peak_rss_mb"],
            "< 1,000", run["peak_rss_mb"] < 1000)  # fmt: skip
    two = [x for x in r["reparse"] if x["workers"] == 2]
    if len(two) > 1:
        growth = two[-1]["peak_rss_mb"] / two[0]["peak_rss_mb"]
        add(
            "reparse",
            "peak RSS growth, smallest → biggest archive",
            round(growth, 2),
            "≤ 1.2×",
            growth <= 1.2,
        )
    big = two[-1]
    growth = big["main_growth_mb_per_batch"]
    add("reparse", f"{big['pages']:,} pages: main-process growth per batch (MB)",
        growth if growth is not None else "-", f"≤ {reparse.FLAT_MB_PER_BATCH} (0)",
        growth is not None and growth <= reparse.FLAT_MB_PER_BATCH)  # fmt: skip
    b = r["backfill_shaped"]
    add("reparse", f"{b['pages']:,} pages in runs of {b['run_pages']}: pages/s", b["pages_per_s"],
        "≥ 400", b["pages_per_s"] >= 400)  # fmt: skip
    add(
        "reparse",
        "parse+shape speed-up, 2 processes",
        r["stage"]["speedup"],
        "≥ 1.7×",
        r["stage"]["speedup"] >= 1.7,
    )
    b = figures["backfill"]
    add("backfill", f"peak RSS, {b['long']['batches']} ÷ {b['short']['batches']} batches", b["ratio"],
        f"≤ {backfill.FLAT_RATIO}×", b["ratio"] <= backfill.FLAT_RATIO,
        reference=b["short"]["main_peak_rss_mb"])  # fmt: skip
    o = r["orchestration"]
    add("orchestration", "Prefect overhead per run (s)", o["overhead_per_run_s"], "small", True,
        reference=o["direct_s"])  # fmt: skip
    rows.extend(lake_rows(figures["lake"]))
    rows.extend(fundus.rows(figures["fundus"]))
    rows.extend(commands.headline_rows(figures["commands"]))
    return rows


def parse_rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The parse stage's headline rows, per page set: speed, against trafilatura and against the
    floor (lexbor's tree and four selectors), and accuracy."""
    rows: list[dict[str, Any]] = []

    def add(what: str, value: float, target: str, ok: bool, **more: Any) -> None:
        rows.append({"stage": "parse", "what": what, "value": value, "target": target,
                     "verdict": "OK" if ok else "MISSED", **more})  # fmt: skip

    for name, f in figures.items():
        add(f"{name} pages/s (1 core)", f["newsflow_pages_per_s"], "≥ 500", f["newsflow_pages_per_s"] >= 500,
            reference=f["trafilatura_pages_per_s"], ratio=f["ratio"])  # fmt: skip
        add(f"{name}: × trafilatura", f["ratio"], "≥ 50×", f["ratio"] >= 50)
        add(f"{name}: ÷ floor", f["floor_ratio"], "≤ 2.5×", f["floor_ratio"] <= 2.5,
            reference=f["floor_pages_per_s"])  # fmt: skip
        accuracy = f["newsflow_accuracy"]
        worse = [k for k, v in accuracy.items() if v < f["trafilatura_accuracy"].get(k, 0)]
        add(f"{name}: fields as accurate or better", len(accuracy) - len(worse),
            f"{len(accuracy)} of {len(accuracy)}", not worse)  # fmt: skip
    return rows


def lake_rows(f: dict[str, Any]) -> list[dict[str, Any]]:
    """The lake stage's headline rows (see `bench.lake` for why these targets)."""
    rows: list[dict[str, Any]] = []

    def add(what: str, value: float | str, target: str, ok: bool, **more: Any) -> None:
        rows.append({"stage": "lake", "what": what, "value": value, "target": target,
                     "verdict": "OK" if ok else "MISSED", **more})  # fmt: skip

    size = f"{f['articles']:,} articles"
    load, small, total, found = f["load"], f["small_run"], f["queries_total"], f["search"]
    add(f"load rows/s into the lake, {size}", load["lake_rows_per_s"], "≥ 0.5× file",
        load["ratio"] >= 0.5, reference=load["file_rows_per_s"], ratio=load["ratio"])  # fmt: skip
    add(
        "same rows in lake and file", "yes" if f["rows"]["same"] else "no", "yes", f["rows"]["same"]
    )
    add(f"small run on the lake (s), {size}", small["lake_s"], "≤ 2 s", small["lake_s"] <= 2,
        reference=small["file_s"])  # fmt: skip
    add("analyst queries: lake ÷ file time", total["ratio"], "≤ 3×", total["ratio"] <= 3,
        reference=total["file_s"])  # fmt: skip
    add(f"search median (s), {size}", found["median_s"], "< 0.2 s", found["median_s"] < 0.2)
    add(f"search index rebuild (s), {size}", found["rebuild_s"], "< 30 s", found["rebuild_s"] < 30)
    drawn = f["facts"]
    add(f"facts after a small run (s), {size}", drawn["after_small_run_s"], "≤ 2 s",
        drawn["after_small_run_s"] <= 2, reference=drawn["every_s"])  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--tiny", action="store_true", help="a few hundred pages: proves it works")
    parser.add_argument("--results", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument("--only", choices=sorted(STAGES), help="one stage, no headline table")
    args = parser.parse_args()
    use_bench_environment()
    args.results.mkdir(parents=True, exist_ok=True)
    figures: dict[str, dict[str, Any]] = {}
    for name, (measure, report) in STAGES.items():
        if args.only and name != args.only:
            continue
        started = time.perf_counter()
        figures[name] = measure(args.tiny)
        print(f"\n== {name} ({time.perf_counter() - started:.0f} s)")
        print("\n".join(report(figures[name])))
        (args.results / f"{name}.json").write_text(
            json.dumps(figures[name], indent=2, default=str) + "\n"
        )
    if args.only:
        return
    rows = headline(figures)
    print(f"\n{'stage':<14} {'figure':<52} {'value':>12} {'reference':>10} {'target':>16}  verdict")
    for row in rows:
        print(f"{row['stage']:<14} {row['what']:<52} {row['value']:>12} {row.get('reference', ''):>10} "
              f"{row['target']:>16}  {row['verdict']}")  # fmt: skip
    (args.results / "summary.json").write_text(
        json.dumps({"tiny": args.tiny, "rows": rows}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
