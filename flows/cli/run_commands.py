"""The commands that run flows (`run`, `demo`, `backfill`, `reparse`, `facts`,
`official-losses`, `maintain`): each builds its settings, readies the warehouse and Prefect, calls its flow and
prints what it did. They show in a running Prefect server's UI when one is up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from flows.cli.errors import Refused
from flows.cli.options import (
    DEMO_PORT,
    SNAPSHOT_PROFILE,
    BaseUrl,
    BatchPages,
    BatchSize,
    LookbackDays,
    MinInterval,
    OfficialBundled,
    OfficialUrl,
    OutletName,
    Pages,
    PagesPerBatch,
    SnapshotLookbackDays,
    SnapshotMinInterval,
    SnapshotRetentionDays,
    Warehouse,
    Workers,
    kyiv_date,
    settings_of,
)
from flows.cli.summary import print_summary
from flows.settings import Settings

if TYPE_CHECKING:
    from prefect import State

T = TypeVar("T")
FACTS_CURRENT = (
    "Facts from the news: unchanged (no article and no official figure changed since these rules "
    "drew them; `newsflow facts --all` draws them all again)"
)


def run(
    ctx: typer.Context,
    outlet: OutletName = None,
    base_url: BaseUrl = None,
    warehouse: Warehouse = None,
    pages: Pages = None,
    lookback_days: LookbackDays = None,
    min_interval_s: MinInterval = None,
) -> None:
    """One incremental ingest run against an outlet (Espreso Global by default); the facts are
    drawn again when it changed what they are drawn from."""
    from flows.ingest import ingest

    settings = started(ctx.params)
    ingest(outlet=settings.outlet, base_url=settings.base_url, **_ingest_options(settings))
    if _facts_current(settings.warehouse):
        print(FACTS_CURRENT)
    else:
        _draw_facts(settings)
    print_summary(settings.warehouse)


def demo(
    ctx: typer.Context,
    port: Annotated[
        int,
        typer.Option(
            metavar="PORT",
            help=f"Port of the snapshot server (default {DEMO_PORT}; 0: any free one).",
            show_default=False,
        ),
    ] = DEMO_PORT,
    warehouse: Warehouse = None,
    pages: Pages = None,
    lookback_days: SnapshotLookbackDays = None,
    min_interval_s: SnapshotMinInterval = None,
) -> None:
    """Serve the bundled snapshot on 127.0.0.1 and ingest it."""
    from flows.ingest import ingest
    from sources.snapshot_server import SNAPSHOT_CAPTURED_AT, SnapshotServer

    settings = started(ctx.params, SNAPSHOT_PROFILE)
    with SnapshotServer(port=port) as server:
        print(f"Serving the bundled snapshot of Espreso Global at {server.base_url}")
        ingest(base_url=server.base_url, **_ingest_options(settings))
    if settings.official_bundled.is_dir():
        _load_official(settings, offline=True)
    else:
        print(
            f"No General Staff data at {settings.official_bundled}: loss reports stay unreconciled."
        )
    _draw_facts(settings)
    print_summary(settings.warehouse, SNAPSHOT_CAPTURED_AT)


def backfill(
    ctx: typer.Context,
    since: Annotated[
        date,
        typer.Option(parser=kyiv_date, metavar="DATE", help="First Kyiv date, YYYY-MM-DD."),
    ],
    until: Annotated[
        date | None,
        typer.Option(
            parser=kyiv_date, metavar="DATE", help="Last Kyiv date, YYYY-MM-DD (default: today)."
        ),
    ] = None,
    max_batches: Annotated[
        int | None,
        typer.Option(
            min=1, metavar="N", help="Stop after this many loads (the next call goes on)."
        ),
    ] = None,
    outlet: OutletName = None,
    base_url: BaseUrl = None,
    batch_size: BatchSize = None,
    pages_per_batch: PagesPerBatch = None,
    min_interval_s: MinInterval = None,
    warehouse: Warehouse = None,
) -> None:
    """Walk the feed and sitemaps back to a date; resumable (Espreso's feed pages: an outlet
    of the generic reader is refused)."""
    from flows.backfill import backfill as backfill_flow
    from flows.backfill import backfill_refusal

    if refusal := backfill_refusal(settings_of(ctx.params).site):
        raise Refused(refusal)  # before Prefect starts
    settings = started(ctx.params)
    result = _completed(
        backfill_flow(
            since=since,
            until=until,
            outlet=settings.outlet,
            base_url=settings.base_url,
            warehouse=str(settings.warehouse),
            batch_size=settings.batch_size,
            pages_per_batch=settings.pages_per_batch,
            max_batches=max_batches,
            min_interval_s=settings.min_interval_s,
        )
    )
    left = (
        f"{result.queued_left} articles still queued: run it again to go on"
        if result.queued_left
        else "done"
    )
    print(f"Backfill: {result.batches} batches, {result.articles_loaded} articles loaded; {left}")


def reparse(
    ctx: typer.Context,
    since: Annotated[
        date | None,
        typer.Option(
            parser=kyiv_date,
            metavar="DATE",
            help="Only runs started on or after this date (the rebuilt warehouse holds only those).",
        ),
    ] = None,
    raw: Annotated[
        Path | None,
        typer.Option(
            metavar="PATH", help="The archive folder (default: raw/ beside the warehouse)."
        ),
    ] = None,
    batch_pages: BatchPages = None,
    workers: Workers = None,
    warehouse: Warehouse = None,
) -> None:
    """Rebuild every table from the raw WARC archive, no network; swapped in when complete."""
    from flows.reparse import reparse as reparse_flow

    settings = started(ctx.params)
    archive = raw or settings.raw_dir
    results = _completed(
        reparse_flow(
            warehouse=str(settings.warehouse),
            raw_dir=str(archive),
            since=since,
            batch_pages=settings.batch_pages,
            workers=settings.workers,
        )
    )
    print(f"Rebuilt {settings.warehouse} from {len(results)} batches of {archive}")
    print_summary(settings.warehouse)


def facts(
    ctx: typer.Context,
    warehouse: Warehouse = None,
    every: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Draw the facts of every article again, not only of those changed since the "
            "facts were last drawn.",
        ),
    ] = False,
) -> None:
    """Draw losses, strikes, combat reports, exchanges and places from the news (from the
    articles changed since they were last drawn; from all after a change of rules or of the
    official series)."""
    _draw_facts(started(ctx.params), every=every)


def official_losses(
    ctx: typer.Context,
    offline: Annotated[
        bool, typer.Option("--offline", help="The bundled copy only, no network.")
    ] = False,
    official_url: OfficialUrl = None,
    official_bundled: OfficialBundled = None,
    warehouse: Warehouse = None,
) -> None:
    """Load the General Staff's daily loss series (public data set, else the bundled copy)."""
    _load_official(started(ctx.params), offline=offline)


def maintain(
    ctx: typer.Context,
    snapshot_retention_days: SnapshotRetentionDays = None,
    warehouse: Warehouse = None,
) -> None:
    """Flush inlined rows, merge small files, expire old snapshots (the nightly maintenance)."""
    from flows.maintenance import maintenance, summary_line

    settings = started(ctx.params)
    done = _completed(
        maintenance(
            warehouse=str(settings.warehouse),
            snapshot_retention_days=settings.snapshot_retention_days,
        )
    )
    print(summary_line(done))


def started(params: Mapping[str, Any], profile: Mapping[str, Any] | None = None) -> Settings:
    """A flow command's settings, once its warehouse can be used and Prefect is ready: runs go to
    the running Prefect server, else to a temporary one that ends with this process."""
    from warehouse.connection import check_usable

    settings = settings_of(params, profile)  # a bad setting is refused before anything starts
    check_usable(settings.warehouse)
    api = use_running_server(settings.prefect_server)
    if api:
        print(f"Runs show in the Prefect UI at {api.removesuffix('/api')}", flush=True)
        return settings
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    from flows.process import start_temporary_server

    if not PREFECT_API_URL.value() and PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        start_temporary_server()
    return settings


def use_running_server(server: str) -> str | None:
    """Point Prefect at the local server when one answers at `server` (and PREFECT_API_URL is not
    set), so runs started here show in its UI; the API address, or None (ephemeral mode)."""
    if os.environ.get("PREFECT_API_URL") or not server:
        return os.environ.get("PREFECT_API_URL")
    import urllib.request

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


def _ingest_options(settings: Settings) -> dict[str, Any]:
    return dict(
        warehouse=str(settings.warehouse),
        pages=settings.pages,
        lookback_days=settings.lookback_days,
        min_interval_s=settings.min_interval_s,
    )


def _facts_current(warehouse: Path) -> bool:
    from facts.version import rules_fingerprint
    from warehouse.connection import connect
    from warehouse.facts import facts_current

    with connect(warehouse, read_only=True) as con:
        return facts_current(con, rules_fingerprint())


def _draw_facts(settings: Settings, *, every: bool = False) -> None:
    from flows.news_facts import facts as facts_flow

    counts = facts_flow(warehouse=str(settings.warehouse), every=every)
    print(facts_line(counts))


def facts_line(counts: dict[str, int]) -> str:
    """What a facts run drew, in one line (`draw_facts`'s counts)."""
    tables = ", ".join(f"{table} {n}" for table, n in counts.items() if table != "articles")
    if "articles" not in counts:
        return f"Facts from the news: {tables}"
    n = counts["articles"]
    if not n:
        return FACTS_CURRENT
    return f"Facts from the news, drawn again for the {n} article{'s' if n != 1 else ''} that changed: {tables}"


def _load_official(settings: Settings, *, offline: bool) -> None:
    from flows.news_facts import official_losses as official_flow

    result = _completed(
        official_flow(
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


def _completed(result: T | State) -> T:
    """A flow's result; a flow that ends Failed returns a State only to Prefect (a direct call
    raises `FailedRun`), so a State here is a bug."""
    from prefect import State

    if isinstance(result, State):
        raise RuntimeError(f"a flow returned its state: {result}")
    return result
