"""The `maintenance` flow: small-file care for the warehouse (`warehouse.maintenance.maintain`),
with what it did as a markdown artifact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prefect import State, flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from flows.runs import failed, kyiv_run_name
from flows.settings import Settings
from sources.espreso.dates import KYIV
from warehouse.catalog import file_kind
from warehouse.connection import connect
from warehouse.maintenance import Maintenance, maintain


@task(cache_policy=NO_CACHE)
def maintain_warehouse(settings: Settings, now: datetime) -> Maintenance:
    """Maintain the warehouse, holding its writer lock like any load."""
    with connect(settings.warehouse) as con:
        return maintain(
            con, keep_snapshots=timedelta(days=settings.snapshot_retention_days), now=now
        )


def summary_markdown(settings: Settings, done: Maintenance) -> str:
    """What the run did, for its artifact."""
    flushed = ", ".join(f"{table} {rows}" for table, rows in sorted(done.rows_flushed.items()))
    return "\n".join(
        [
            "# newsflow maintenance",
            "",
            f"Warehouse `{settings.warehouse}`, snapshots kept {settings.snapshot_retention_days} "
            "days (`NEWSFLOW_SNAPSHOT_RETENTION_DAYS`).",
            "",
            "| what | before | after |",
            "|---|---|---|",
            f"| snapshots | {done.snapshots_before} | {done.snapshots_after} |",
            f"| Parquet files | {done.files_before} | {done.files_after} |",
            f"| bytes of Parquet | {done.bytes_before} | {done.bytes_after} |",
            "",
            f"- rows flushed from the catalog to Parquet: {sum(done.rows_flushed.values())}"
            + (f" ({flushed})" if flushed else ""),
            f"- files merged: {done.files_merged} into {done.files_written}",
            f"- snapshots expired (taken before {_kyiv(done.expired_before)}): "
            f"{done.snapshots_expired}",
            f"- files deleted: {done.files_deleted}; left unneeded, for the next run: "
            f"{done.files_waiting}",
            f"- time travel reaches back to {_kyiv(done.oldest_snapshot)}",
        ]
    )


def summary_line(done: Maintenance) -> str:
    """The run's one log line."""
    return (
        f"maintenance: {sum(done.rows_flushed.values())} rows flushed, {done.files_merged} files "
        f"merged into {done.files_written}, {done.snapshots_expired} snapshots expired, "
        f"{done.files_deleted} files deleted; snapshots {done.snapshots_before} → "
        f"{done.snapshots_after}, Parquet files {done.files_before} → {done.files_after}"
    )


def _kyiv(moment: datetime) -> str:
    return f"{moment.astimezone(KYIV):%Y-%m-%d %H:%M} Kyiv"


@flow(name="maintenance", flow_run_name=kyiv_run_name("maintenance"), log_prints=True)
def maintenance(
    warehouse: str | None = None, snapshot_retention_days: int | None = None
) -> Maintenance | State:
    """Flush the rows inlined in the warehouse's catalog, merge small files, expire snapshots past
    the retention and delete the files no snapshot needs. Tables read the same after; time travel
    reaches back as far as the retention. Every parameter left empty comes from the settings.

    Args:
        warehouse: The warehouse (a DuckLake catalog); empty means `NEWSFLOW_WAREHOUSE`.
        snapshot_retention_days: Snapshots older than this many days are expired; empty means
            `NEWSFLOW_SNAPSHOT_RETENTION_DAYS`.
    """
    settings = Settings.build(
        dict(warehouse=warehouse, snapshot_retention_days=snapshot_retention_days)
    )
    if file_kind(settings.warehouse) == "empty":
        return failed(f"There is no warehouse at {settings.warehouse} to maintain yet.")
    done = maintain_warehouse(settings, datetime.now(UTC))
    create_markdown_artifact(
        key="maintenance-summary",
        markdown=summary_markdown(settings, done),
        description="newsflow maintenance summary",
    )
    get_run_logger().info("%s", summary_line(done))
    return done
