"""The HTML report of a warehouse built by the whole flow on the snapshot, opened in headless Chromium."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from tests.conftest import CHROMIUM_ARGS
from warehouse.connection import connect
from warehouse.report import ReportSummary, build_report

GENERATED = datetime(2025, 10, 28, 9, 0, tzinfo=UTC)
TITLES = [
    "Articles per day by badge",
    "Top tags",
    "Top headline sources",
    "Feed dwell: minutes in the top 10",
    "Freshness: minutes from publication to first sight",
]
KYIV_DATE = "CAST(timezone('Europe/Kyiv', published_at) AS DATE)"


@pytest.fixture(scope="module")
def warehouse(snapshot_run: tuple[str, Path]) -> Path:
    return snapshot_run[1]


@pytest.fixture(scope="module")
def report(warehouse: Path) -> ReportSummary:
    with connect(warehouse, read_only=True) as con:
        return build_report(con, warehouse.parent / "report.html", generated_at=GENERATED)


def _scalar(warehouse: Path, sql: str) -> int:
    with connect(warehouse, read_only=True) as con:
        row = con.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_summary_and_self_contained_page(report: ReportSummary, warehouse: Path) -> None:
    assert report == ReportSummary(
        path=warehouse.parent / "report.html", articles=21, charts=TITLES, since=None
    )
    page = report.path.read_text(encoding="utf-8")
    assert '<script src="http' not in page
    assert re.search(r"<script[^>]+src=", page) is None
    # plotly.js is inlined exactly once: one banner, and the page is not twice its size.
    assert page.count(f"plotly.js v{get_plotlyjs_version()}") == 1
    assert page.count(get_plotlyjs()[:2000]) == 1
    assert len(get_plotlyjs()) < len(page) < 2 * len(get_plotlyjs())
    assert "<h1>newsflow — Espreso Global report</h1>" in page
    assert "<dd>2025-03-29 to 2025-10-27</dd>" in page
    assert "<dd>21</dd>" in page
    assert "<dd>2025-10-28T09:00:00+00:00</dd>" in page
    assert page.count('class="plotly-graph-div"') == 5


def test_since_filters_and_empty_charts(warehouse: Path, tmp_path: Path) -> None:
    with connect(warehouse, read_only=True) as con:
        recent = build_report(
            con, tmp_path / "recent.html", since=date(2025, 10, 26), generated_at=GENERATED
        )
        future = build_report(
            con, tmp_path / "future.html", since=date(2100, 1, 1), generated_at=GENERATED
        )
    expected = _scalar(
        warehouse, f"SELECT count(*) FROM articles WHERE {KYIV_DATE} >= DATE '2025-10-26'"
    )
    assert expected == 15
    assert (recent.articles, recent.charts, recent.since) == (15, TITLES, date(2025, 10, 26))
    assert "<dd>2025-10-26 to 2025-10-27</dd>" in recent.path.read_text(encoding="utf-8")
    assert (future.articles, future.charts, future.since) == (0, TITLES, date(2100, 1, 1))
    page = future.path.read_text(encoding="utf-8")
    assert "<dd>no articles since 2100-01-01</dd>" in page
    assert page.count('"text":"no data"') == 5


def test_charts_render_in_chromium(
    report: ReportSummary, warehouse: Path, tmp_path: Path, chromium: Path
) -> None:
    from playwright.sync_api import Route, sync_playwright

    # One bar per (Kyiv day, badge) that has articles; one trace per badge.
    bars = _scalar(
        warehouse,
        f"SELECT count(*) FROM (SELECT DISTINCT {KYIV_DATE}, coalesce(badge, '(none)') FROM articles)",
    )
    badges = _scalar(warehouse, "SELECT count(DISTINCT coalesce(badge, '(none)')) FROM articles")
    tags = _scalar(
        warehouse, "SELECT least(count(DISTINCT tag), 15) FROM article_tags WHERE tag <> 'News'"
    )
    sources = _scalar(warehouse, "SELECT count(*) FROM headline_sources")
    assert (bars, badges) == (14, 7)
    screenshot = tmp_path / "report.png"
    remote: list[str] = []
    errors: list[str] = []

    def refuse(route: Route) -> None:
        remote.append(route.request.url)
        route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route(re.compile(r"^(https?|wss?)://"), refuse)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(report.path.as_uri(), wait_until="load")
            page.wait_for_function(
                "[...document.querySelectorAll('.js-plotly-plot')]"
                ".filter(d => d.querySelector('svg.main-svg')).length === 5",
                timeout=30_000,
            )
            plots = page.locator(".js-plotly-plot")
            assert plots.count() == 5
            for n in range(5):
                assert plots.nth(n).locator("svg.main-svg").count() > 0
            titles = page.locator(".js-plotly-plot .gtitle").all_text_contents()
            assert titles == TITLES
            assert page.locator("#chart-1 .barlayer g.trace").count() == badges
            assert page.locator("#chart-1 .barlayer g.point").count() == bars
            assert page.locator("#chart-1 .legend .traces").count() == badges
            assert page.locator("#chart-2 .barlayer g.point").count() == tags
            # expert (role), ISW (organisation), military expert Kovalenko (person).
            assert sources == 4
            assert page.locator("#chart-3 .barlayer g.point").count() == 3
            assert page.locator("#chart-3 .legend .traces").count() == 3
            # One feed reading: every item spent 0 minutes in the top 10, one bin of 18.
            assert page.locator("#chart-4 .barlayer g.point").count() == 1
            assert page.locator("#chart-5 .barlayer g.point").count() > 0
            assert page.locator(".annotation-text").all_text_contents() == []
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    assert remote == []
    assert errors == []
    assert screenshot.exists()
    assert screenshot.stat().st_size > 10_000
