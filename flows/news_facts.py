"""Facts from the news, and the official series they are checked against.

- `official_losses`: the General Staff's daily figures, from the public data set when a network is
  there and from the bundled copy otherwise; checked, then replacing `official_losses` whole.
- `facts`: each article version's headline and lead through the rules in `facts/` (losses,
  strikes, combat reports, prisoner exchanges, places), for the articles changed since the facts
  were last drawn (every article after a change of rules or of the official series); each loss
  report beside the official figure; checked by the facts suites (a report that disagrees with the
  official figure is quarantined with both numbers); then replacing those articles' facts.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from prefect import State, flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from expectations.gate import (
    FACT_SUITES,
    OFFICIAL_SUITES,
    GateBlocked,
    instant_bounds,
    shared_gate,
)
from facts.version import rules_fingerprint
from flows.runs import failed, kyiv_run_name
from flows.settings import Settings
from flows.tasks import archive_requests, log_warnings, start_archive_run
from sources.general_staff import OfficialData, fetch_files, parse_answers, read_bundled
from sources.records import LoggedFetch
from transforms.facts import by_article, fact_frames, joined_frames, with_official
from transforms.fetch_log import fetch_log
from transforms.official_losses import official_losses as official_frame
from transforms.quarantine import quarantine
from transforms.schemas import FACT_TABLES
from warehouse.connection import connect
from warehouse.facts import FactSources, fact_sources, replace_facts, replace_official


@dataclass(frozen=True, slots=True)
class OfficialResult:
    """Where the official series came from, how many rows it has, and why the public source was
    not used (None when it was)."""

    source: str
    rows: int
    fallback_reason: str | None


@task(cache_policy=NO_CACHE)
def fetch_official(settings: Settings, run_id: str, now: datetime) -> list[LoggedFetch]:
    """Both files of the public data set, every answer archived (kind `official`)."""
    start_archive_run(settings, run_id, now, settings.official_url)
    answers = asyncio.run(
        fetch_files(settings.official_url, settings.user_agent, settings.timeout_s)
    )
    return archive_requests(settings, run_id, answers)


@task(cache_policy=NO_CACHE)
def official_data(
    answers: list[LoggedFetch], url: str, bundled_dir: Path
) -> tuple[OfficialData, str | None]:
    """The data set from the public answers, else from the bundled copy; and why not the public
    one (None when it was used). `FileNotFoundError` when neither can be had."""
    reason = None
    if answers:
        try:
            files = [a.fetched for a in answers if a.kind == "official"]
            return parse_answers(files, url), None
        except (OSError, ValueError) as error:
            reason = str(error)
            get_run_logger().warning(
                "public General Staff data unavailable (%s); using the bundled copy", reason
            )
    return read_bundled(bundled_dir), reason


@task(cache_policy=NO_CACHE)
def check_official(frame: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """The official series through its suite: a failure refuses it (the table stays as it was)."""
    report = shared_gate(
        settings.data_docs_dir / "facts", OFFICIAL_SUITES, keep_runs=settings.data_docs_keep_runs
    ).run({"official_losses": frame}, {})
    log_warnings(report)
    return report.passed["official_losses"]


@flow(name="official-losses", flow_run_name=kyiv_run_name("official-losses"), log_prints=True)
def official_losses(
    warehouse: str | None = None,
    url: str | None = None,
    offline: bool = False,
    bundled_dir: str | None = None,
) -> OfficialResult | State:
    """Load the General Staff's daily loss series into `official_losses` (replacing it). Every
    parameter left empty comes from the settings (`NEWSFLOW_*`, then the defaults).

    Args:
        warehouse: The warehouse (its lake catalog).
        url: The data set's folder address; empty means the setting (its public address).
        offline: Use only the bundled copy, never the network.
        bundled_dir: The bundled copy's folder; empty means ../shared/realdata/general-staff.
    """
    settings = Settings.build(
        dict(warehouse=warehouse, official_url=url, official_bundled=bundled_dir)
    )
    now = datetime.now(UTC)
    run = f"official-{now:%Y%m%dT%H%M%S%f}"
    online = bool(settings.official_url) and not offline
    answers = fetch_official(settings, run, now) if online else []
    try:
        data, reason = official_data(answers, settings.official_url, settings.official_bundled)
    except FileNotFoundError as missing:
        return failed(
            f"No General Staff data: {'the public source failed and ' if online else ''}{missing}."
        )
    frame = check_official(
        official_frame(data.personnel, data.equipment, data.source, now), settings
    )
    with connect(settings.warehouse) as con:
        rows = replace_official(con, frame, run, fetch_log(run, answers), now)
    get_run_logger().info("official_losses: %d rows from %s", rows, data.source)
    return OfficialResult(data.source, rows, reason)


# Runs of article versions per worker process: enough for the processes to share the work evenly.
_PARTS_PER_WORKER = 4


@task(cache_policy=NO_CACHE)
def shape_facts(
    sources: FactSources, pool: Executor | None = None, parts: int = 1
) -> dict[str, pl.DataFrame]:
    """The facts of the versions read (drawn in `pool`'s processes when given, in `parts` runs of
    articles), loss reports beside their official figures."""
    if pool is None:
        frames = fact_frames(sources.versions)
    else:
        frames = joined_frames(pool.map(fact_frames, by_article(sources.versions, parts)))
    frames["loss_reports"] = with_official(frames["loss_reports"], sources.official)
    return frames


@task(cache_policy=NO_CACHE)
def check_facts(
    frames: dict[str, pl.DataFrame], settings: Settings, run_id: str, now: datetime
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """The facts suites: rows that fail go to quarantine (with both numbers, for a loss report that
    disagrees with the official series); what passes is returned with the quarantine frame."""
    logger = get_run_logger()
    try:
        report = shared_gate(
            settings.data_docs_dir / "facts", FACT_SUITES, keep_runs=settings.data_docs_keep_runs
        ).run(frames, instant_bounds(now))
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


def draw_facts(
    settings: Settings, pool: Executor | None = None, *, every: bool = False
) -> dict[str, int]:
    """Draw the facts from the articles of `settings.warehouse` changed since they were last
    drawn (`facts_due`; `every`: from every article), in `pool`'s processes when given; check
    them and replace those facts. Rows per table, and rows quarantined; after a draw of only
    the articles that changed, first how many (`articles`: 0, and nothing loaded, when none did).
    The `facts` flow's work, also a step of `reparse` on the lake it builds."""
    now = datetime.now(UTC)
    run_id = f"facts-{now:%Y%m%dT%H%M%S%f}"
    rules = rules_fingerprint()
    with connect(settings.warehouse) as con:  # read-write: a lake not yet migrated is migrated
        sources = fact_sources(con, rules, every=every)
    urls = sources.due.urls
    drawn = {} if urls is None else {"articles": len(urls)}
    if sources.due.current:
        return {**drawn, **dict.fromkeys(FACT_TABLES, 0), "quarantined": 0}
    frames = shape_facts(sources, pool, _PARTS_PER_WORKER * settings.workers)
    passed, held = check_facts(frames, settings, run_id, now)
    with connect(settings.warehouse) as con:
        counts = replace_facts(
            con, run_id, passed, held, now, rules=rules, urls=urls, drawn_from=sources.snapshot
        )
    return {**drawn, **counts, "quarantined": held.height}


@flow(name="facts", flow_run_name=kyiv_run_name("facts"), log_prints=True)
def facts(warehouse: str | None = None, every: bool = False) -> dict[str, int]:
    """Draw the facts from the articles changed since they were last drawn (every article when
    the rules or the official series changed, or none were drawn), check them, and replace
    those facts (see `draw_facts`).

    Args:
        warehouse: The warehouse (its lake catalog, or its link); empty means the setting
            (`NEWSFLOW_WAREHOUSE`).
        every: Draw the facts of every article again.
    """
    counts = draw_facts(Settings.build(dict(warehouse=warehouse)), every=every)
    create_table_artifact(
        key="facts-counts",
        table=[{"table": k, "rows": v} for k, v in counts.items()],
        description="Rows drawn from the news, per table, and rows quarantined.",
    )
    get_run_logger().info("facts: %s", ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts
