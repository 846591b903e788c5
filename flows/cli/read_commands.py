"""The commands that read an existing warehouse (`search`, `quarantine`, `export`, `report`): no
flow, no Prefect; a missing warehouse is one line and exit 1."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from flows.cli.options import Warehouse, kyiv_date, settings_of
from warehouse.location import DEFAULT_WAREHOUSE

if TYPE_CHECKING:
    import duckdb

    from sources.outlets import Outlet

OutletFilter = Annotated[
    str | None,
    typer.Option(
        "--outlet",
        metavar="NAME",
        help="Only rows of this outlet (`newsflow outlets` lists them); quarantined records: "
        "those whose URL is on its site.",
    ),
]
ExportOutlet = Annotated[
    str | None,
    typer.Option(
        "--outlet",
        metavar="NAME",
        help="Only this outlet's rows (`newsflow outlets` lists them) of every table holding an "
        "outlet's: those with an outlet column, article_revisions (its articles') and quarantine "
        "(records whose URL is on its site); the tables of no outlet (official_losses, load_runs, "
        "backfill_progress, backfill_queue, schema_migrations) are written whole.",
    ),
]
ReportOutlet = Annotated[
    str | None,
    typer.Option(
        "--outlet",
        metavar="NAME",
        help="Only this outlet's articles, feed items and headline sources (`newsflow outlets` "
        "lists them), its name in the title; without it, across outlets, with the articles of "
        "each when more than one has any.",
    ),
]
Since = Annotated[
    date | None,
    typer.Option(
        parser=kyiv_date,
        metavar="DATE",
        help="Only articles published on or after this Kyiv date.",
    ),
]


def search(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(metavar="QUERY", help='Words to look for, e.g. "Pokrovsk offensive".')
    ],
    since: Since = None,
    badge: Annotated[
        str | None,
        typer.Option(metavar="BADGE", help="Only this badge, in any case, e.g. exclusive."),
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, metavar="N", help="Hits to show at most.", show_default=True)
    ] = 10,
    of_outlet: OutletFilter = None,
    warehouse: Warehouse = None,
) -> None:
    """Full-text search (BM25 over title, lead and body)."""
    from warehouse.search import no_hits_reason
    from warehouse.search import search as bm25

    chosen = _known_outlet(of_outlet, ctx.params)
    outlet = chosen.name if chosen else None
    with _opened(ctx.params) as con:
        hits = bm25(con, query, since=since, badge=badge, outlet=outlet, limit=limit)
        for n, hit in enumerate(hits, 1):
            print(
                f"{n:>2}. {hit.title}\n    {hit.kyiv_date} {hit.kyiv_time} Kyiv · {hit.badge or '-'} · {hit.url}\n    {hit.snippet}"
            )
        if not hits:
            print(no_hits_reason(con, query, since=since, badge=badge, outlet=outlet))


def quarantine(
    ctx: typer.Context,
    limit: Annotated[
        int, typer.Option(min=1, metavar="N", help="Rows to show at most.", show_default=True)
    ] = 50,
    of_outlet: OutletFilter = None,
    warehouse: Warehouse = None,
) -> None:
    """List what the quality gate kept out, and why."""
    from warehouse.summary import quarantined

    chosen = _known_outlet(of_outlet, ctx.params)
    with _opened(ctx.params) as con:
        rows = quarantined(con, limit, chosen.base_url if chosen else None)
    if not rows:
        print(
            "Nothing is quarantined."
            if chosen is None
            else f"Nothing of {chosen.name} is quarantined."
        )
    for when, table, url, reasons in rows:
        print(f"{when}  {table:<16} {url}\n    {reasons}")


def export(
    ctx: typer.Context,
    folder: Annotated[
        Path, typer.Argument(metavar="FOLDER", help="Folder to write into (created when missing).")
    ],
    file_format: Annotated[
        Literal["parquet"],
        typer.Option("--format", metavar="FORMAT", help="File format.", show_default=True),
    ] = "parquet",
    of_outlet: ExportOutlet = None,
    warehouse: Warehouse = None,
) -> None:
    """Write every table as Parquet (by Kyiv date where its rows have an instant, else one file);
    leaves out the search index, a file beside the lake that loads rebuild."""
    from warehouse.export import export_parquet, left_out
    from warehouse.lake import catalog_of, search_index_path

    chosen = _known_outlet(of_outlet, ctx.params)
    with _opened(ctx.params) as con:
        written = export_parquet(con, folder, chosen)
        index = search_index_path(catalog_of(con))
    for e in written:
        how = (
            f"{e.partitions} Kyiv date{'s' * (e.partitions != 1)} of {e.dated_by}"
            if e.dated_by
            else f"one file: {e.why_one_file}"
        )
        whole = f"; {e.why_whole}" if e.why_whole else ""
        print(f"{e.table:<18} {e.rows:>7} rows → {e.layout} ({how}{whole})")
    total = sum(e.rows for e in written)
    of = f" of {chosen.name}" if chosen else ""
    print(f"{len(written)} tables, {total} rows{of}, in {folder}; left out: {left_out(index)}")


def report(
    ctx: typer.Context,
    since: Since = None,
    out: Annotated[
        Path, typer.Option(metavar="PATH", help="The HTML file to write.", show_default=True)
    ] = DEFAULT_WAREHOUSE.parent / "report.html",
    of_outlet: ReportOutlet = None,
    warehouse: Warehouse = None,
) -> None:
    """Write a self-contained HTML report with charts."""
    from sources.outlets import outlets
    from warehouse.report import build_report

    chosen = _known_outlet(of_outlet, ctx.params)
    titles = {o.name: o.title for o in outlets(settings_of(ctx.params).outlets_file).values()}
    with _opened(ctx.params) as con:
        summary = build_report(
            con,
            out,
            since=since,
            generated_at=datetime.now(UTC),
            outlet=chosen.name if chosen else None,
            titles=titles,
        )
    of = f" of {chosen.name}" if chosen else ""
    print(
        f"Report of {summary.articles} articles{of} with {len(summary.charts)} charts: "
        f"{summary.path}"
    )


def _known_outlet(name: str | None, params: Mapping[str, Any]) -> Outlet | None:
    """An `--outlet` filter's outlet, refused (exit 2, the names listed) when the outlets file
    has no such outlet."""
    from sources.outlets import UnknownOutlet, outlet

    if name is None:
        return None
    try:
        return outlet(name, settings_of(params).outlets_file)
    except UnknownOutlet as error:
        raise typer.BadParameter(str(error), param_hint="'--outlet'") from None


@contextmanager
def _opened(params: Mapping[str, Any]) -> Iterator[duckdb.DuckDBPyConnection]:
    """The command's warehouse, open read-only (no writer lock: it reads the last finished load
    while runs go on); a missing one is one line and exit 1."""
    from warehouse.connection import NoWarehouse, connect

    # DuckDB imports pandas (0.4 s of CPU, 80 MB) when a query first binds a parameter, only to
    # rule out its types; these commands hold no pandas object, so pandas is marked absent.
    sys.modules.setdefault("pandas", None)  # type: ignore[arg-type]
    warehouse = settings_of(params).warehouse
    with ExitStack() as stack:
        try:  # one open: a damaged or old-format catalog is its own error, a missing one is this
            con = stack.enter_context(connect(warehouse, read_only=True))
        except NoWarehouse:
            print(
                f"newsflow: no warehouse at {warehouse}; run `newsflow demo` or `newsflow run` first",
                file=sys.stderr,
            )
            raise typer.Exit(1) from None
        yield con
