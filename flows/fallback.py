"""When Espreso's article template is gone (the gate's layout checks block the batch), the same
pages are read again by the generic reader and loaded marked `reader = 'generic'`, with a loud
warning in the log and the run summary: analysts keep getting articles while the site's own
parser is fixed. Only articles not loaded before are taken: nothing already loaded changes. When
the generic reader cannot read the new pages either (every one quarantined), the block stands."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import polars as pl
from prefect import get_run_logger

from expectations.gate import GateBlocked, GateReport
from flows.settings import Settings
from flows.tasks import Known, gate, shape_tables
from sources.generic.crawl import read_pages
from sources.records import Discovery, LoggedFetch, Parsed


def layout_blocked(report: GateReport) -> list[str]:
    """The layout checks (`article_pages`) among the checks that blocked a batch."""
    return [c.label for c in report.blocking if c.table == "article_pages"]


def new_articles(parsed: Parsed, known: Known) -> Parsed:
    """The pages as read, only the articles not loaded before kept."""
    return replace(
        parsed, items=[i for i in parsed.items if i.article.url not in known.article_urls]
    )


def fallback_warning(checks: list[str], parsed: Parsed) -> str:
    """What the run says, loudly, when the generic reader stood in for Espreso's."""
    return (
        f"Espreso's article template is gone (layout checks {', '.join(checks)} blocked the "
        f"batch): its pages were read by the generic reader instead, {len(parsed.items)} new "
        "articles loaded with reader = 'generic' (those loaded before are left as they were); "
        "fix sources/espreso/ for the site's new layout"
    )


def gated_batch(
    settings: Settings,
    run_id: str,
    found: Discovery,
    parsed: Parsed,
    answers: list[LoggedFetch],
    known: Known,
    now: datetime,
) -> tuple[dict[str, pl.DataFrame], Parsed, str | None]:
    """The run's batch through the gate: the frames, the pages as read, and the fallback's
    warning (None when the outlet's own reader passed). Any other block stands."""
    pages_read = len(found.feeds)
    site = settings.site
    try:
        shaped = shape_tables(run_id, found, parsed, now, site)
        return gate(shaped, settings, run_id, now, pages_read), parsed, None
    except GateBlocked as blocked:
        checks = layout_blocked(blocked.report)
        if site.reader != "espreso" or not checks:
            raise
        espreso_block = blocked
    again = new_articles(read_pages(answers), known)
    shaped = shape_tables(run_id, found, again, now, site, "generic")
    frames = gate(shaped, settings, run_id, now, pages_read)
    if again.items and frames["articles"].is_empty():
        # The generic reader cannot read the new pages either (all quarantined): the block stands.
        raise espreso_block
    warning = fallback_warning(checks, again)
    get_run_logger().error("%s", warning)
    return frames, again, warning
