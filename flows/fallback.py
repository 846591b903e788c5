"""When Espreso's article template is gone (the gate's layout checks block the batch), the same
pages are read again by the generic reader and loaded marked `reader = 'generic'`, with a loud
warning in the log and the run summary: analysts keep getting articles while the site's own
parser is fixed. Only articles not loaded before are taken: nothing already loaded changes. When
the generic reader cannot read the new pages either (every one quarantined), the block stands.
`reparse` takes the same decisions here (`stands_in`, `read_generically`), so a rebuild keeps the
rows a live run loaded this way."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

import polars as pl
from prefect import get_run_logger

from expectations.gate import GateBlocked, GateReport
from flows.settings import Settings
from flows.tasks import Known, gate, shape_tables
from sources.generic.crawl import read_pages
from sources.outlets import Outlet
from sources.records import Discovery, LoggedFetch, Parsed


def layout_blocked(report: GateReport) -> list[str]:
    """The layout checks (`article_pages`) among the checks that blocked a batch."""
    return [c.label for c in report.blocking if c.table == "article_pages"]


def stands_in(site: Outlet, blocked: GateBlocked) -> list[str]:
    """The layout checks that blocked a batch of an outlet read by Espreso's reader: when there
    are any, the generic reader stands in; none, the block stands."""
    return layout_blocked(blocked.report) if site.reader == "espreso" else []


def new_articles(parsed: Parsed, loaded: set[str]) -> Parsed:
    """The pages as read, only the articles whose URL is not among those `loaded` before kept."""
    return replace(parsed, items=[i for i in parsed.items if i.article.url not in loaded])


def fallback_warning(checks: list[str], parsed: Parsed) -> str:
    """What the run says, loudly, when the generic reader stood in for Espreso's."""
    return (
        f"Espreso's article template is gone (layout checks {', '.join(checks)} blocked the "
        f"batch): its pages were read by the generic reader instead, {len(parsed.items)} new "
        "articles loaded with reader = 'generic' (those loaded before are left as they were); "
        "fix sources/espreso/ for the site's new layout"
    )


def read_generically(
    blocked: GateBlocked,
    checks: list[str],
    answers: Sequence[LoggedFetch],
    loaded: set[str],
    shaped_and_checked: Callable[[Parsed], dict[str, pl.DataFrame]],
) -> tuple[dict[str, pl.DataFrame], Parsed, str]:
    """The article `answers` of a batch `blocked` by the layout `checks` read by the generic
    reader, the articles not `loaded` before kept, through `shaped_and_checked` (shaped with
    reader "generic" and gated): its frames, the pages as read, and the loud warning, logged.
    Raises `blocked` when the generic reader cannot read the new pages either."""
    again = new_articles(read_pages(answers), loaded)
    frames = shaped_and_checked(again)
    if again.items and frames["articles"].is_empty():
        # The generic reader cannot read the new pages either (all quarantined): the block stands.
        raise blocked
    warning = fallback_warning(checks, again)
    get_run_logger().error("%s", warning)
    return frames, again, warning


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
        if not (checks := stands_in(site, blocked)):
            raise
        espreso_block = blocked

    def generic(again: Parsed) -> dict[str, pl.DataFrame]:
        shaped = shape_tables(run_id, found, again, now, site, "generic")
        return gate(shaped, settings, run_id, now, pages_read)

    return read_generically(espreso_block, checks, answers, known.article_urls, generic)
