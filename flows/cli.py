"""`newsflow`: the command line (`run`, `demo`, `facts`, `official-losses`, `search`, `quarantine`,
`export`, `report`, …)."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import urllib.request
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from flows.deployments import DEPLOYMENTS
from flows.process import Stopped, private_files, start_temporary_server, stop_on_sigterm
from flows.settings import Settings

if TYPE_CHECKING:
    from prefect import State

T = TypeVar("T")

# Prefect's server phones home by default; offline that ends in error tracebacks at exit
# (telemetry, then a locked SQLite file). newsflow never needs it.
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "GX_ANALYTICS_ENABLED": "false",
}
REPO = Path(__file__).resolve().parents[1]
# A fixed port keeps the demo's URLs, and so its warehouse, the same from run to run.
DEMO_PORT = 8765
# The demo (and `serve --snapshot`) read the whole bundled snapshot at once: its own defaults, which
# the environment and options still override.
SNAPSHOT_PROFILE = {"lookback_days": 3650, "min_interval_s": 0.0}
# Options that set a `Settings` field: (flag, field). Help text, type and default come from the field.
SETTING_FLAGS = {
    "--base-url": "base_url",
    "--warehouse": "warehouse",
    "--pages": "pages",
    "--lookback-days": "lookback_days",
    "--min-interval": "min_interval_s",
    "--batch-size": "batch_size",
    "--pages-per-batch": "pages_per_batch",
    "--batch-pages": "batch_pages",
    "--workers": "workers",
    "--url": "official_url",
    "--bundled": "official_bundled",
}


def _setting(
    sub: argparse.ArgumentParser, flag: str, profile: dict[str, Any] | None = None
) -> None:
    """An option for a setting: its help, type and default (shown, with its variable) from `Settings`."""
    field = SETTING_FLAGS[flag]
    info = Settings.model_fields[field]
    default = (profile or {}).get(field, info.default)
    kind = {int: int, float: float, Path: Path}.get(
        type(default) if default is not None else Path, str
    )
    shown = default if default not in (None, "") else "none"
    sub.add_argument(
        flag,
        dest=field,
        type=kind,
        metavar=field.upper().removesuffix("_S") if kind is not Path else "PATH",
        help=f"{info.description} Default {shown}, or ${Settings.env_name(field)}.",
    )


def settings_table() -> str:
    """The README's table of settings, made from `Settings` (a test keeps the README equal to it)."""
    flags = {field: flag for flag, field in SETTING_FLAGS.items()}
    lines = ["| variable | option | default | what |", "|---|---|---|---|"]
    for field, info in Settings.model_fields.items():
        default = info.default
        if isinstance(default, Path) and default.is_absolute():
            default = os.path.relpath(default, REPO)  # the repo's own path is not the reader's
        option = f"`{flags[field]}`" if field in flags else ""
        lines.append(
            f"| `{Settings.env_name(field)}` | {option} | `{default}` | {info.description} |"
        )
    return "\n".join(lines)


def _kyiv_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: write YYYY-MM-DD") from None


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a whole number of 1 or more")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsflow",
        description=__doc__,
        epilog="Settings: options win over NEWSFLOW_* environment variables, which win over the defaults.",
    )
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser("run", help="one incremental ingest run against a site")
    demo = commands.add_parser("demo", help="serve the bundled snapshot on 127.0.0.1 and ingest it")
    demo.add_argument(
        "--port",
        type=int,
        default=DEMO_PORT,
        help=f"port of the snapshot server (default {DEMO_PORT}; 0: any free one)",
    )
    _setting(run, "--base-url")
    for sub, profile in ((run, None), (demo, SNAPSHOT_PROFILE)):
        for flag in ("--warehouse", "--pages", "--lookback-days", "--min-interval"):
            _setting(sub, flag, profile)
    back = commands.add_parser(
        "backfill", help="walk the feed and sitemaps back to a date; resumable"
    )
    back.add_argument("--since", type=_kyiv_date, required=True, help="first Kyiv date, YYYY-MM-DD")
    back.add_argument(
        "--until", type=_kyiv_date, help="last Kyiv date, YYYY-MM-DD (default: today)"
    )
    back.add_argument(
        "--max-batches", type=_positive, help="stop after this many loads (the next call goes on)"
    )
    for flag in (
        "--base-url",
        "--batch-size",
        "--pages-per-batch",
        "--min-interval",
        "--warehouse",
    ):
        _setting(back, flag)
    fact = commands.add_parser(
        "facts", help="draw losses, strikes, combat reports, exchanges and places from the news"
    )
    _setting(fact, "--warehouse")
    official = commands.add_parser(
        "official-losses",
        help="load the General Staff's daily loss series (public data set, else the bundled copy)",
    )
    official.add_argument(
        "--offline", action="store_true", help="the bundled copy only, no network"
    )
    for flag in ("--url", "--bundled", "--warehouse"):
        _setting(official, flag)
    server = commands.add_parser(
        "server", help="start a local Prefect server and its UI (state in .prefect/)"
    )
    server.add_argument(
        "--port", type=int, default=4200, help="port of the server and UI (default 4200)"
    )
    served = ", ".join(f"{d.name} ({d.schedule})" for d in DEPLOYMENTS)
    serve = commands.add_parser(
        "serve",
        help=f"serve the deployments to the Prefect server: {served}",
        description=f"Register the deployments with the Prefect server ($PREFECT_API_URL, default http://127.0.0.1:4200/api) and run them when due: {served}.",
    )
    serve.add_argument(
        "--snapshot",
        action="store_true",
        help="serve the bundled snapshot on 127.0.0.1 and point every deployment at it (the demo's site)",
    )
    serve.add_argument(
        "--port",
        type=int,
        default=DEMO_PORT,
        help=f"with --snapshot: port of the snapshot server (default {DEMO_PORT})",
    )
    for flag in ("--base-url", "--warehouse"):
        _setting(serve, flag)
    again = commands.add_parser(
        "reparse",
        help="rebuild every table from the raw WARC archive, no network; swapped in when complete",
    )
    again.add_argument(
        "--since",
        type=_kyiv_date,
        help="only runs started on or after this date (the rebuilt warehouse holds only those)",
    )
    again.add_argument(
        "--raw", type=Path, help="the archive folder (default: raw/ beside the warehouse)"
    )
    for flag in ("--batch-pages", "--workers", "--warehouse"):
        _setting(again, flag)
    search = commands.add_parser("search", help="full-text search (BM25 over title, lead and body)")
    search.add_argument("query", help='words to look for, e.g. "Pokrovsk offensive"')
    search.add_argument(
        "--since", type=_kyiv_date, help="only articles published on or after this Kyiv date"
    )
    search.add_argument("--badge", help="only this badge, in any case, e.g. exclusive")
    search.add_argument(
        "--limit", type=_positive, default=10, help="hits to show at most (default 10)"
    )
    held = commands.add_parser("quarantine", help="list what the quality gate kept out, and why")
    held.add_argument(
        "--limit", type=_positive, default=50, help="rows to show at most (default 50)"
    )
    export = commands.add_parser(
        "export",
        help="write every table as Parquet (by Kyiv date where its rows have an instant, else one "
        "file); leaves out the full-text index, rebuilt from articles",
    )
    export.add_argument("folder", type=Path, help="folder to write into (created when missing)")
    export.add_argument(
        "--format", choices=["parquet"], default="parquet", help="file format (parquet)"
    )
    report = commands.add_parser("report", help="write a self-contained HTML report with charts")
    report.add_argument(
        "--since", type=_kyiv_date, help="only articles published on or after this Kyiv date"
    )
    report.add_argument(
        "--out",
        type=Path,
        default=Path("warehouse/report.html"),
        help="the HTML file to write (default warehouse/report.html)",
    )
    for sub in (search, held, export, report):
        _setting(sub, "--warehouse")
    return parser


def _settings(args: argparse.Namespace, profile: dict[str, Any] | None = None) -> Settings:
    """The command's settings: `profile` < environment < the options given."""
    given = {field: getattr(args, field, None) for field in SETTING_FLAGS.values()}
    return Settings.build(given, profile)


def _print_summary(warehouse: Path, as_of: datetime | None = None) -> None:
    """What the warehouse holds; `as_of`, the snapshot's capture for the demo, is the latest that
    first sight can be (the demo reads pages captured long before)."""
    from sources.espreso.dates import KYIV
    from warehouse.connection import connect
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

    settings = _settings(args, SNAPSHOT_PROFILE if args.command == "demo" else None)
    options: dict[str, Any] = dict(
        warehouse=str(settings.warehouse),
        pages=settings.pages,
        lookback_days=settings.lookback_days,
        min_interval_s=settings.min_interval_s,
    )
    if args.command == "demo":
        from sources.snapshot_server import SnapshotServer

        with SnapshotServer(port=args.port) as server:
            print(f"Serving the bundled snapshot of Espreso Global at {server.base_url}")
            ingest(base_url=server.base_url, **options)
        if settings.official_bundled.is_dir():
            _official(settings, offline=True)
        else:
            print(
                f"No General Staff data at {settings.official_bundled}: loss reports stay unreconciled."
            )
    else:
        ingest(base_url=settings.base_url, **options)
    _facts(settings)
    from sources.snapshot_server import SNAPSHOT_CAPTURED_AT

    _print_summary(settings.warehouse, SNAPSHOT_CAPTURED_AT if args.command == "demo" else None)
    return 0


def _official(settings: Settings, *, offline: bool) -> int:
    from flows.news_facts import official_losses

    result = _completed(
        official_losses(
            warehouse=str(settings.warehouse),
            url=settings.official_url,
            offline=offline,
            bundled_dir=str(settings.official_bundled),
        )
    )
    note = (
        f" (the public source failed: {result.fallback_reason})" if result.fallback_reason else ""
    )
    print(f"official_losses: {result.rows} rows from {result.source}{note}")
    return 0


def _completed(result: T | State) -> T:
    """A flow's result; a flow that ends Failed returns a State only to Prefect (a direct call
    raises `FailedRun`), so a State here is a bug."""
    from prefect import State

    if isinstance(result, State):
        raise RuntimeError(f"a flow returned its state: {result}")
    return result


def _facts(settings: Settings) -> int:
    from flows.news_facts import facts

    counts = facts(warehouse=str(settings.warehouse))
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
    """Register the deployments with the Prefect server and run their flows when they are due.
    Parameters given here (options, or the snapshot's) are the deployments' defaults; the others
    come from the settings when each run starts."""
    server = _settings(args).prefect_server or Settings.model_fields["prefect_server"].default
    os.environ.setdefault("PREFECT_API_URL", f"{server.rstrip('/')}/api")
    from prefect import serve

    from flows.deployments import to_deployments

    settings = _settings(args)  # a bad option is refused before anything is registered
    given: dict[str, Any] = {}
    if args.base_url:
        given["base_url"] = settings.base_url
    if args.warehouse:
        given["warehouse"] = str(args.warehouse.resolve())
    with contextlib.ExitStack() as stack:
        if args.snapshot:
            from sources.snapshot_server import SnapshotServer

            site = stack.enter_context(SnapshotServer(port=args.port))
            given = {**SNAPSHOT_PROFILE, "offline": True, **given, "base_url": site.base_url}
            print(f"Serving the bundled snapshot of Espreso Global at {site.base_url}", flush=True)
        print(
            f"Serving newsflow's deployments on {os.environ['PREFECT_API_URL']} (stop with SIGTERM)",
            flush=True,
        )
        serve(*to_deployments(given))
    return 0


def _backfill(args: argparse.Namespace) -> int:
    from flows.backfill import backfill

    settings = _settings(args)
    result = _completed(
        backfill(
            since=args.since,
            until=args.until,
            base_url=settings.base_url,
            warehouse=str(settings.warehouse),
            batch_size=settings.batch_size,
            pages_per_batch=settings.pages_per_batch,
            max_batches=args.max_batches,
            min_interval_s=settings.min_interval_s,
        )
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

    settings = _settings(args)
    raw = args.raw or settings.raw_dir
    results = _completed(
        reparse(
            warehouse=str(settings.warehouse),
            raw_dir=str(raw),
            since=args.since,
            batch_pages=settings.batch_pages,
            workers=settings.workers,
        )
    )
    print(f"Rebuilt {settings.warehouse} from {len(results)} batches of {raw}")
    _print_summary(settings.warehouse)
    return 0


def _read(args: argparse.Namespace) -> int:
    """The commands that read an existing warehouse."""
    from warehouse.connection import check_usable, connect

    warehouse = _settings(args).warehouse
    if not warehouse.exists():
        print(
            f"newsflow: no warehouse at {warehouse}; run `newsflow demo` or `newsflow run` first",
            file=sys.stderr,
        )
        return 1
    check_usable(warehouse)
    with connect(warehouse) as con:  # read-write: an older file gets new views first
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


def use_running_server(server: str) -> str | None:
    """Point Prefect at the local server when one answers at `server` (and PREFECT_API_URL is not
    set), so runs started here show in its UI; the API address, or None (ephemeral mode)."""
    if os.environ.get("PREFECT_API_URL") or not server:
        return os.environ.get("PREFECT_API_URL")
    api = f"{server.rstrip('/')}/api"
    try:
        with urllib.request.urlopen(f"{api}/health", timeout=0.5) as answer:
            healthy = answer.status == 200 and answer.read().strip() == b"true"
    except (OSError, ValueError):
        return None
    if healthy:
        os.environ["PREFECT_API_URL"] = api
        return api
    return None


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "run": _ingest,
    "demo": _ingest,
    "reparse": _reparse,
    "facts": lambda args: _facts(_settings(args)),
    "official-losses": lambda args: _official(_settings(args), offline=args.offline),
    "server": lambda args: _server(args.port),
    "serve": _serve,
    "backfill": _backfill,
    "search": _read,
    "quarantine": _read,
    "export": _read,
    "report": _read,
}
# Commands that run flows: they show in a running Prefect server's UI when one is up.
FLOW_COMMANDS = frozenset({"run", "demo", "reparse", "facts", "official-losses", "backfill"})


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `newsflow` console script."""
    args = _parser().parse_args(argv)
    private_files()
    stop_on_sigterm()
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    try:
        if args.command in FLOW_COMMANDS:
            _prepare_run(_settings(args))
        return COMMANDS[args.command](args)
    except (Stopped, KeyboardInterrupt) as stop:
        signum = stop.signum if isinstance(stop, Stopped) else signal.SIGINT
        print(
            f"newsflow {args.command}: stopped by {signal.Signals(signum).name}; the warehouse "
            "holds whole runs only, so the next run picks up what this one did not load",
            file=sys.stderr,
        )
        return 128 + signum
    except Exception as error:
        if args.debug:
            raise
        message = user_message(error)
        if message is None:
            raise
        print(f"newsflow {args.command}: {message}", file=sys.stderr)
        return _exit_code(error)


def _prepare_run(settings: Settings) -> None:
    """Before a flow command starts anything (its settings are valid by now): the warehouse can
    be used, and runs go to the running Prefect server, else to a temporary one that ends with
    this process."""
    from warehouse.connection import check_usable

    check_usable(settings.warehouse)
    api = use_running_server(settings.prefect_server)
    if api:
        print(f"Runs show in the Prefect UI at {api.removesuffix('/api')}", flush=True)
        return
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    if not PREFECT_API_URL.value() and PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        start_temporary_server()


def user_message(error: Exception) -> str | None:
    """One paragraph for a failure a person can act on; None for a bug (its traceback shows)."""
    from prefect.exceptions import FailedRun

    from warehouse.connection import WarehouseError

    if isinstance(error, FailedRun):
        return f"the run failed: {error}"
    if isinstance(error, ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']} (got {e.get('ctx', {}).get('shown', e.get('input'))!r}; set by its option or ${Settings.env_name(str(e['loc'][0]))})"
            for e in error.errors()
        )
        return f"invalid setting: {problems}"
    if isinstance(error, WarehouseError):
        return str(error)
    if isinstance(error, TimeoutError):
        return f"{error}; try again when the other run has finished"
    if isinstance(error, OSError) and error.filename:
        return (
            f"cannot use {error.filename}: {error.strerror}. Check the path and its permissions, "
            "or give another one."
        )
    return None


def _exit_code(error: Exception) -> int:
    """2 when what the person gave is wrong (a setting, a path, a damaged file); 1 when a run
    given good input failed (the site, a busy warehouse)."""
    from warehouse.connection import WarehouseError

    if isinstance(error, TimeoutError):
        return 1
    return 2 if isinstance(error, ValidationError | WarehouseError | OSError) else 1


if __name__ == "__main__":
    sys.exit(main())
