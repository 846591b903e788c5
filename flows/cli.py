"""`newsflow`: the command line (`run`, `demo`, `facts`, `official-losses`, `search`, `quarantine`,
`export`, `report`, …)."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from flows.settings import DEFAULT_SITE

# Prefect's server phones home by default; offline that ends in error tracebacks at exit
# (telemetry, then a locked SQLite file). newsflow never needs it.
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "GX_ANALYTICS_ENABLED": "false",
}
# A fixed port keeps the demo's URLs, and so its warehouse, the same from run to run.
DEMO_PORT = 8765


def _warehouse_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("NEWSFLOW_WAREHOUSE", "warehouse/newsflow.duckdb")),
        help="DuckDB file (default warehouse/newsflow.duckdb, or $NEWSFLOW_WAREHOUSE)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsflow", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="one incremental ingest run against a site")
    run.add_argument("--base-url", default=os.environ.get("NEWSFLOW_BASE_URL", DEFAULT_SITE))
    demo = commands.add_parser("demo", help="serve the bundled snapshot on 127.0.0.1 and ingest it")
    demo.add_argument("--port", type=int, default=DEMO_PORT, help=f"default {DEMO_PORT}")
    for sub, lookback, interval in ((run, 2, 1.0), (demo, 3650, 0.0)):
        _warehouse_option(sub)
        sub.add_argument("--pages", type=int, default=3, help="feed pages to read at most")
        sub.add_argument(
            "--lookback-days",
            type=int,
            default=lookback,
            help=f"sitemap entries modified this many days back (default {lookback})",
        )
        sub.add_argument(
            "--min-interval",
            type=float,
            default=interval,
            help=f"seconds between two requests to the site (default {interval})",
        )
    back = commands.add_parser(
        "backfill", help="walk the feed and sitemaps back to a date; resumable"
    )
    back.add_argument(
        "--since", type=date.fromisoformat, required=True, help="Kyiv date, YYYY-MM-DD"
    )
    back.add_argument("--until", type=date.fromisoformat, help="Kyiv date (default: today)")
    back.add_argument("--base-url", default=os.environ.get("NEWSFLOW_BASE_URL", DEFAULT_SITE))
    back.add_argument("--batch-size", type=int, default=50, help="articles per load")
    back.add_argument(
        "--max-batches", type=int, help="stop after this many loads (the next call goes on)"
    )
    back.add_argument(
        "--min-interval", type=float, default=1.0, help="seconds between two requests"
    )
    _warehouse_option(back)
    fact = commands.add_parser(
        "facts", help="draw losses, strikes, combat reports, exchanges and places from the news"
    )
    _warehouse_option(fact)
    official = commands.add_parser(
        "official-losses",
        help="load the General Staff's daily loss series (public data set, else the bundled copy)",
    )
    official.add_argument(
        "--url", help="the data set's folder address (default: its public address on GitHub)"
    )
    official.add_argument("--offline", action="store_true", help="the bundled copy only")
    official.add_argument(
        "--bundled", type=Path, help="the bundled copy (default ../shared/realdata/general-staff)"
    )
    _warehouse_option(official)
    server = commands.add_parser(
        "server", help="start a local Prefect server and its UI (state in .prefect/)"
    )
    server.add_argument("--port", type=int, default=4200)
    serve = commands.add_parser(
        "serve", help="serve the deployments: ingest every 10 min, nightly backfill, reparse"
    )
    serve.add_argument("--base-url", default=os.environ.get("NEWSFLOW_BASE_URL", DEFAULT_SITE))
    _warehouse_option(serve)
    again = commands.add_parser(
        "reparse", help="rebuild every table from the raw WARC archive, no network"
    )
    again.add_argument(
        "--since", type=date.fromisoformat, help="only runs started on or after this date"
    )
    again.add_argument(
        "--raw", type=Path, help="the archive folder (default: raw/ beside the warehouse)"
    )
    again.add_argument(
        "--batch-pages",
        type=int,
        default=1000,
        help="article pages parsed, checked and loaded together",
    )
    again.add_argument(
        "--workers", type=int, default=1, help="processes that parse and shape (default 1)"
    )
    _warehouse_option(again)
    search = commands.add_parser("search", help="full-text search (BM25 over title, lead and body)")
    search.add_argument("query")
    search.add_argument("--since", type=date.fromisoformat, help="Kyiv date, YYYY-MM-DD")
    search.add_argument("--badge", help="only this badge, e.g. Exclusive")
    search.add_argument("--limit", type=int, default=10)
    held = commands.add_parser("quarantine", help="list what the quality gate kept out, and why")
    held.add_argument("--limit", type=int, default=50)
    export = commands.add_parser(
        "export", help="write every table as Parquet, partitioned by Kyiv date"
    )
    export.add_argument("folder", type=Path)
    export.add_argument("--format", choices=["parquet"], default="parquet")
    report = commands.add_parser("report", help="write a self-contained HTML report with charts")
    report.add_argument("--since", type=date.fromisoformat, help="Kyiv date, YYYY-MM-DD")
    report.add_argument("--out", type=Path, default=Path("warehouse/report.html"))
    for sub in (search, held, export, report):
        _warehouse_option(sub)
    return parser


def _print_summary(warehouse: Path, as_of: datetime | None = None) -> None:
    """What the warehouse holds; `as_of`, the snapshot's capture for the demo, is the latest that
    first sight can be (the demo reads pages captured long before)."""
    from sources.espreso.dates import KYIV
    from warehouse.db import connect
    from warehouse.summary import EXAMPLE_QUERIES, duration, summarize

    with connect(warehouse) as con:
        s = summarize(con, as_of)
    span = "-"
    if s.first_published and s.last_published:
        first, last = s.first_published.astimezone(KYIV), s.last_published.astimezone(KYIV)
        span = f"{first:%Y-%m-%d %H:%M} … {last:%Y-%m-%d %H:%M} Kyiv time"
    print(f"\nWarehouse {warehouse}")
    print(f"  articles:        {s.articles}")
    print(f"  feed items:      {s.feed_items}")
    print(f"  published:       {span}")
    print("  badges:          " + ", ".join(f"{b} {n}" for b, n in s.badges))
    print(f"  failed requests: {s.failed_requests} (see fetch_log)")
    print(f"  quarantined:     {s.quarantined} (see: newsflow quarantine)")
    if s.freshness:
        to = "first sight"
        if as_of:
            to += f" (the bundled snapshot: its capture, {as_of.astimezone(KYIV):%Y-%m-%d %H:%M} Kyiv time)"
        print(
            f"  freshness:       median {duration(s.freshness.median_minutes)}, longest "
            f"{duration(s.freshness.longest_minutes)}, from publication to {to}"
        )
    print(f"  quality checks:  {warehouse.parent / 'data_docs' / 'index.html'}")
    print(f"\nTry it: .venv/bin/duckdb {warehouse}")
    for title, sql in EXAMPLE_QUERIES:
        print(f"\n-- {title}\n{sql}")


def _ingest(args: argparse.Namespace) -> int:
    from flows.ingest import ingest

    options = dict(
        warehouse=str(args.warehouse),
        pages=args.pages,
        lookback_days=args.lookback_days,
        min_interval_s=args.min_interval,
    )
    if args.command == "demo":
        from sources.snapshot_server import SnapshotServer

        with SnapshotServer(port=args.port) as server:
            print(f"Serving the bundled snapshot of Espreso Global at {server.base_url}")
            ingest(base_url=server.base_url, **options)
        from sources.general_staff import BUNDLED_DIR

        if BUNDLED_DIR.is_dir():
            _official(args.warehouse, None, offline=True, bundled=None)
        else:
            print(f"No General Staff data at {BUNDLED_DIR}: loss reports stay unreconciled.")
    else:
        ingest(base_url=args.base_url, **options)
    _facts(args.warehouse)
    from sources.snapshot_server import SNAPSHOT_CAPTURED_AT

    _print_summary(args.warehouse, SNAPSHOT_CAPTURED_AT if args.command == "demo" else None)
    return 0


def _official(warehouse: Path, url: str | None, *, offline: bool, bundled: Path | None) -> int:
    from flows.facts import official_losses
    from sources.general_staff import PUBLIC_URL

    result = official_losses(
        warehouse=str(warehouse),
        url=None if offline else url or PUBLIC_URL,
        bundled_dir=str(bundled) if bundled else None,
    )
    note = (
        f" (the public source failed: {result.fallback_reason})" if result.fallback_reason else ""
    )
    print(f"official_losses: {result.rows} rows from {result.source}{note}")
    return 0


def _facts(warehouse: Path) -> int:
    from flows.facts import facts

    counts = facts(warehouse=str(warehouse))
    print("Facts from the news: " + ", ".join(f"{table} {n}" for table, n in counts.items()))
    return 0


def _server(port: int) -> int:
    """Replace this process with `prefect server start`, state in a project-local PREFECT_HOME."""
    env = dict(os.environ)  # main() has set the Prefect defaults the user left unset
    env.setdefault("PREFECT_HOME", str(Path(".prefect").resolve()))
    # The UI calls the API at this address; on another port than 4200 it must be told.
    env.setdefault("PREFECT_UI_API_URL", f"http://127.0.0.1:{port}/api")
    print(
        f"Prefect UI: http://127.0.0.1:{port}  (state in {env['PREFECT_HOME']}; stop with Ctrl-C)",
        flush=True,
    )
    prefect = Path(sys.executable).with_name("prefect")
    os.execve(
        prefect, [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)], env
    )
    return 0  # not reached


def _serve(args: argparse.Namespace) -> int:
    """Register the deployments with the Prefect server and run their flows when they are due."""
    os.environ.setdefault("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    from prefect import serve

    from flows.deployments import to_deployments

    print(
        f"Serving newsflow's deployments on {os.environ['PREFECT_API_URL']} (stop with SIGTERM)",
        flush=True,
    )
    serve(*to_deployments({"base_url": args.base_url, "warehouse": str(args.warehouse.resolve())}))
    return 0


def _backfill(args: argparse.Namespace) -> int:
    from flows.backfill import backfill

    result = backfill(
        since=args.since,
        until=args.until,
        base_url=args.base_url,
        warehouse=str(args.warehouse),
        batch_size=args.batch_size,
        max_batches=args.max_batches,
        min_interval_s=args.min_interval,
    )
    left = (
        f"{result.queued_left} articles still queued: run it again to go on"
        if result.queued_left
        else "done"
    )
    print(f"Backfill: {result.batches} batches, {result.articles_loaded} articles loaded; {left}")
    return 0


def _reparse(args: argparse.Namespace) -> int:
    from flows.reparse import reparse

    raw = args.raw or args.warehouse.parent / "raw"
    results = reparse(
        warehouse=str(args.warehouse),
        raw_dir=str(raw),
        since=args.since,
        batch_pages=args.batch_pages,
        workers=args.workers,
    )
    print(f"Replayed {len(results)} batches from {raw} into {args.warehouse}")
    _print_summary(args.warehouse)
    return 0


def _read(args: argparse.Namespace) -> int:
    """The commands that read an existing warehouse."""
    from warehouse.db import connect

    if not args.warehouse.exists():
        print(
            f"newsflow: no warehouse at {args.warehouse}; run `newsflow demo` or `newsflow run` first",
            file=sys.stderr,
        )
        return 1
    with connect(args.warehouse) as con:  # read-write: an older file gets new views first
        if args.command == "search":
            from warehouse.search import no_hits_reason, search

            filters = dict(since=args.since, badge=args.badge)
            hits = search(con, args.query, **filters, limit=args.limit)
            for n, hit in enumerate(hits, 1):
                print(
                    f"{n:>2}. {hit.title}\n    {hit.kyiv_date} {hit.kyiv_time} Kyiv · {hit.badge or '-'} · {hit.url}\n    {hit.snippet}"
                )
            if not hits:
                print(no_hits_reason(con, args.query, **filters))
        elif args.command == "quarantine":
            from warehouse.summary import quarantined

            rows = quarantined(con, args.limit)
            if not rows:
                print("Nothing is quarantined.")
            for when, table, url, reasons in rows:
                print(f"{when}  {table:<16} {url}\n    {reasons}")
        elif args.command == "export":
            from warehouse.export import LEFT_OUT, export_parquet

            written = export_parquet(con, args.folder)
            for e in written:
                how = (
                    f"{e.partitions} Kyiv date{'s' * (e.partitions != 1)} of {e.dated_by}"
                    if e.dated_by
                    else f"one file: {e.why_one_file}"
                )
                print(f"{e.table:<18} {e.rows:>7} rows → {e.layout} ({how})")
            total = sum(e.rows for e in written)
            print(f"{len(written)} tables, {total} rows, in {args.folder}; left out: {LEFT_OUT}")
        elif args.command == "report":
            from warehouse.report import build_report

            summary = build_report(con, args.out, since=args.since, generated_at=datetime.now(UTC))
            print(
                f"Report of {summary.articles} articles with {len(summary.charts)} charts: {summary.path}"
            )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `newsflow` console script."""
    args = _parser().parse_args(argv)
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    if args.command in ("run", "demo"):
        return _ingest(args)
    if args.command == "reparse":
        return _reparse(args)
    if args.command == "facts":
        return _facts(args.warehouse)
    if args.command == "official-losses":
        return _official(args.warehouse, args.url, offline=args.offline, bundled=args.bundled)
    if args.command == "server":
        return _server(args.port)
    if args.command == "serve":
        return _serve(args)
    if args.command == "backfill":
        return _backfill(args)
    return _read(args)


if __name__ == "__main__":
    sys.exit(main())
