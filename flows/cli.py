"""`newsflow`: the command line (`run`, `demo`)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from flows.settings import DEFAULT_SITE

# Prefect's server phones home by default; offline that ends in error tracebacks at exit
# (telemetry, then a locked SQLite file). newsflow never needs it.
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsflow", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("run", "one incremental ingest run against a site"),
        ("demo", "serve the bundled offline snapshot on 127.0.0.1 and ingest it"),
    ):
        sub = commands.add_parser(name, help=help_text)
        if name == "run":
            sub.add_argument(
                "--base-url", default=os.environ.get("NEWSFLOW_BASE_URL", DEFAULT_SITE)
            )
        sub.add_argument(
            "--warehouse",
            type=Path,
            default=Path(os.environ.get("NEWSFLOW_WAREHOUSE", "warehouse/newsflow.duckdb")),
        )
        sub.add_argument(
            "--pages", type=int, default=3, help="feed pages to read at most (default 3)"
        )
        sub.add_argument(
            "--lookback-days",
            type=int,
            default=2 if name == "run" else 3650,
            help="sitemap entries modified this many days back",
        )
        sub.add_argument(
            "--min-interval",
            type=float,
            default=1.0 if name == "run" else 0.0,
            help="seconds between two requests to the site",
        )
    return parser


def _print_summary(warehouse: Path) -> None:
    from warehouse.db import connect
    from warehouse.summary import EXAMPLE_QUERIES, summarize

    with connect(warehouse) as con:
        s = summarize(con)
    span = (
        f"{s.first_published:%Y-%m-%d %H:%M} … {s.last_published:%Y-%m-%d %H:%M} UTC"
        if s.first_published
        else "-"
    )
    print(f"\nWarehouse {warehouse}")
    print(f"  articles:        {s.articles}")
    print(f"  feed items:      {s.feed_items}")
    print(f"  published:       {span}")
    print("  badges:          " + ", ".join(f"{b} {n}" for b, n in s.badges))
    print(f"  failed requests: {s.failed_requests} (see fetch_log)")
    print(f"\nTry it: .venv/bin/duckdb {warehouse}")
    for title, sql in EXAMPLE_QUERIES:
        print(f"\n-- {title}\n{sql}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `newsflow` console script."""
    args = _parser().parse_args(argv)
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    from flows.ingest import ingest

    options = dict(
        warehouse=str(args.warehouse),
        pages=args.pages,
        lookback_days=args.lookback_days,
        min_interval_s=args.min_interval,
    )
    if args.command == "demo":
        from sources.snapshot_server import SnapshotServer

        with SnapshotServer() as server:
            print(f"Serving the bundled snapshot of Espreso Global at {server.base_url}")
            ingest(base_url=server.base_url, **options)
    else:
        ingest(base_url=args.base_url, **options)
    _print_summary(args.warehouse)
    return 0


if __name__ == "__main__":
    sys.exit(main())
