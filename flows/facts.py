"""Facts from the news, and the official series they are checked against.

- `official_losses`: the General Staff's daily figures, from the public data set when a network is
  there and from the bundled copy otherwise; checked, then replacing `official_losses` whole.
- `facts`: every article version's headline and lead through the rules in `facts/` (losses,
  strikes, combat reports, prisoner exchanges, places); each loss report beside the official
  figure; checked by the facts suites (a report that disagrees with the official figure is
  quarantined with both numbers); then replacing the facts tables whole.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from expectations.gate import FACT_SUITES, OFFICIAL_SUITES, GateBlocked, shared_gate
from flows.settings import Settings
from flows.tasks import log_warnings
from sources.general_staff import PUBLIC_URL, OfficialData, fetch_public, read_bundled
from transforms.facts import fact_frames, with_official
from transforms.official_losses import official_losses as official_frame
from transforms.quarantine import quarantine
from warehouse.db import connect
from warehouse.facts import article_versions, official_series, replace_facts, replace_official


@dataclass(frozen=True, slots=True)
class OfficialResult:
    """Where the official series came from, how many rows it has, and why the public source was
    not used (None when it was)."""

    source: str
    rows: int
    fallback_reason: str | None


@task(cache_policy=NO_CACHE, retries=0)
def official_data(
    url: str | None, bundled_dir: Path | None, user_agent: str
) -> tuple[OfficialData, str | None]:
    """The data set from `url` (None: offline), else from the bundled copy; and why not `url`."""
    reason = None
    if url:
        try:
            return asyncio.run(fetch_public(url, user_agent)), None
        except (OSError, ValueError) as error:
            reason = str(error)
            get_run_logger().warning(
                "public General Staff data unavailable (%s); using the bundled copy", reason
            )
    return (read_bundled(bundled_dir) if bundled_dir else read_bundled()), reason


@task(cache_policy=NO_CACHE)
def check_official(frame: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """The official series through its suite: a failure refuses it (the table stays as it was)."""
    report = shared_gate(settings.data_docs_dir / "facts", OFFICIAL_SUITES).run(
        {"official_losses": frame}, {}
    )
    log_warnings(report)
    return report.passed["official_losses"]


@flow(name="official-losses", log_prints=True)
def official_losses(
    warehouse: str = "warehouse/newsflow.duckdb",
    url: str | None = PUBLIC_URL,
    bundled_dir: str | None = None,
) -> OfficialResult:
    """Load the General Staff's daily loss series into `official_losses` (replacing it).

    Args:
        warehouse: The DuckDB file.
        url: The data set's folder address; empty means offline (the bundled copy only).
        bundled_dir: The bundled copy's folder; empty means ../shared/realdata/general-staff.
    """
    settings = Settings(warehouse=Path(warehouse))
    now = datetime.now(UTC)
    data, reason = official_data(
        url, Path(bundled_dir) if bundled_dir else None, settings.user_agent
    )
    frame = check_official(
        official_frame(data.personnel, data.equipment, data.source, now), settings
    )
    with connect(settings.warehouse) as con:
        rows = replace_official(con, frame)
    get_run_logger().info("official_losses: %d rows from %s", rows, data.source)
    return OfficialResult(data.source, rows, reason)


@task(cache_policy=NO_CACHE)
def shape_facts(warehouse: Path) -> dict[str, pl.DataFrame]:
    """The facts of every article version, loss reports beside their official figures."""
    with connect(warehouse, read_only=True) as con:
        versions = article_versions(con)
        official = official_series(con)
    frames = fact_frames(versions)
    frames["loss_reports"] = with_official(frames["loss_reports"], official)
    return frames


@task(cache_policy=NO_CACHE)
def check_facts(
    frames: dict[str, pl.DataFrame], settings: Settings, run_id: str, now: datetime
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """The facts suites: rows that fail go to quarantine (with both numbers, for a loss report that
    disagrees with the official series); what passes is returned with the quarantine frame."""
    logger = get_run_logger()
    try:
        report = shared_gate(settings.data_docs_dir / "facts", FACT_SUITES).run(frames, {})
    except GateBlocked as blocked:
        logger.error("%s", blocked)
        raise
    create_table_artifact(
        key="facts-gate",
        table=report.summary_rows(),
        description="Checks of the facts drawn from the news.",
    )
    log_warnings(report)
    held = quarantine(run_id, now, [(q.table, q.record, q.reasons) for q in report.quarantined])
    return report.passed, held


@flow(name="facts", log_prints=True)
def facts(warehouse: str = "warehouse/newsflow.duckdb") -> dict[str, int]:
    """Draw the facts from every article in the warehouse, check them, and replace the facts tables.

    Args:
        warehouse: The DuckDB file.
    """
    settings = Settings(warehouse=Path(warehouse))
    now = datetime.now(UTC)
    run_id = f"facts-{now:%Y%m%dT%H%M%S%f}"
    frames = shape_facts(settings.warehouse)
    passed, held = check_facts(frames, settings, run_id, now)
    with connect(settings.warehouse) as con:
        counts = replace_facts(con, run_id, passed, held, now)
    counts["quarantined"] = held.height
    create_table_artifact(
        key="facts-counts",
        table=[{"table": k, "rows": v} for k, v in counts.items()],
        description="Rows drawn from the news, per table, and rows quarantined.",
    )
    get_run_logger().info("facts: %s", ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts
