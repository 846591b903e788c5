"""Great Expectations Data Docs offline, in Chromium with the network cut: the index lists every
validation of the kept runs with its result, the pages are styled by the vendored libraries, nothing
is requested from the network, the folder is owner-only, and only the newest runs keep their pages."""

from __future__ import annotations

import re
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from expectations.data_docs import LEDGER, index_row, offline_page
from expectations.gate import SUITES, Gate, GateReport, gate_parameters, shared_gate
from sources.records import FetchedArticle
from sources.snapshot_expected import LIVE
from tests.conftest import CHROMIUM_ARGS
from tests.unit.expectations.test_gate import GOOD, NOW, _frames, _item, _row


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GateReport]:
    """A clean batch, then one with a template-junk lead (quarantined), a new badge (warned) and
    a feed title that swallowed its badge (quarantined): (the Data Docs folder, the second report)."""
    docs = tmp_path_factory.mktemp("warehouse") / "data_docs"
    gate = Gate(docs)
    params = gate_parameters(LIVE, NOW, 1)
    gate.run(_frames([_item(GOOD[0])], [_row(0, GOOD[0], "Title")]), params)
    base = _item(GOOD[0]).article
    junk = replace(
        base, url=f"{LIVE}/junk-lead", slug="junk-lead", lead="Kyiv. client/title.list_title"
    )
    badge = replace(base, url=f"{LIVE}/new-badge", slug="new-badge", badge="Breaking")
    items = [_item(GOOD[0]), FetchedArticle(junk, NOW), FetchedArticle(badge, NOW)]
    rows = [_row(0, GOOD[0], "Title"), _row(1, "swallowed", "Exclusive Russia is stockpiling")]
    report = gate.run(_frames(items, rows), params)
    return docs, report


def test_the_run_artifact_names_each_check_with_its_result_and_counts(
    two_runs: tuple[Path, GateReport],
) -> None:
    docs, report = two_runs
    rows = report.summary_rows()
    failed = [r for r in rows if r["result"] != "passed"]
    assert failed == [
        {"suite": "articles", "check": "lead_not_template_junk",
         "expectation": "expect_column_values_to_not_match_regex_list", "on_failure": "quarantine",
         "result": "quarantined", "unexpected_rows": 1, "rows": 3},
        {"suite": "articles", "check": "badge_known", "expectation": "expect_column_values_to_be_in_set",
         "on_failure": "warn", "result": "warned", "unexpected_rows": 1, "rows": 3},
        {"suite": "feed_items", "check": "title_without_time_or_badge",
         "expectation": "expect_column_values_to_not_match_regex_list", "on_failure": "quarantine",
         "result": "quarantined", "unexpected_rows": 1, "rows": 2},
    ]  # fmt: skip
    assert {r["suite"] for r in rows} == set(SUITES)
    markdown = report.summary_markdown(docs).splitlines()
    page = next(v.page for v in report.validations if v.suite == "articles")
    assert markdown[0] == f"- **articles**: quarantined, 19 of 21 checks passed; page `{page}`"
    assert markdown[1:3] == [
        "  - `lead_not_template_junk` (expect_column_values_to_not_match_regex_list): quarantined, 1 of 3 rows",
        "  - `badge_known` (expect_column_values_to_be_in_set): warned, 1 of 3 rows",
    ]
    assert markdown[-1] == f"Data Docs, on the machine that ran the flow: `{docs / 'index.html'}`"


def test_the_index_lists_every_validation_offline_in_chromium(
    two_runs: tuple[Path, GateReport], chromium: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import Route, sync_playwright

    docs, report = two_runs
    requested: list[str] = []
    refused: list[str] = []
    errors: list[str] = []

    def refuse(route: Route) -> None:
        refused.append(route.request.url)
        route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route(re.compile(r"^(?!file://)"), refuse)
            page.on("request", lambda request: requested.append(request.url))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto((docs / "index.html").as_uri(), wait_until="load")
            listed = page.eval_on_selector_all(
                "#validations tbody tr",
                "rows => rows.map(r => [...r.cells].slice(1).map(c => c.innerText.trim()))",
            )
            body_font = page.evaluate("getComputedStyle(document.body).fontFamily")
            table_margin = page.evaluate(
                "getComputedStyle(document.querySelector('#validations')).marginBottom"
            )
            icon_font = page.evaluate(
                "getComputedStyle(document.querySelector('.fas'), '::before').fontFamily"
            )
            page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
            # The second run's articles page, from its index link.
            page.click("#validations tbody tr:nth-child(7) a")
            page.wait_for_load_state("load")
            assert page.url.endswith(
                next(v.page for v in report.validations if v.suite == "articles")
            )
            status = page.locator("text=Failed").first.is_visible()
            page_font = page.evaluate("getComputedStyle(document.body).fontFamily")
            page.screenshot(path=str(tmp_path / "articles.png"), full_page=True)
        finally:
            browser.close()

    first = [
        ["headline_sources", "Succeeded", "4 of 4", "passed"],
        ["feed_observations", "Succeeded", "4 of 4", "passed"],
        ["feed_items", "Succeeded", "8 of 8", "passed"],
        ["article_related", "Succeeded", "4 of 4", "passed"],
        ["article_tags", "Succeeded", "5 of 5", "passed"],
        ["article_pages", "Succeeded", "3 of 3", "passed"],
        ["articles", "Succeeded", "21 of 21", "passed"],
    ]
    second = [row.copy() for row in first]
    second[2] = ["feed_items", "Failed", "7 of 8", "quarantined"]
    second[6] = ["articles", "Failed", "19 of 21", "quarantined"]
    assert listed == second + first
    assert len(listed) == 2 * len(SUITES)
    assert refused == []
    assert requested and all(url.startswith("file://") for url in requested)
    assert any(url.endswith("static/vendor/bootstrap/bootstrap.min.css") for url in requested)
    # Bootstrap's font stack and table margin, Font Awesome's icon font: the vendored CSS applied.
    assert body_font.startswith("-apple-system")
    assert page_font.startswith("-apple-system")
    assert table_margin == "16px"
    assert icon_font == '"Font Awesome 6 Free"'
    assert status
    assert errors == []


def test_the_data_docs_are_owner_only(two_runs: tuple[Path, GateReport]) -> None:
    docs, _ = two_runs
    paths = [docs, *docs.rglob("*")]
    assert len(paths) > 40
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path


def test_every_page_loads_nothing_from_the_network(two_runs: tuple[Path, GateReport]) -> None:
    docs, _ = two_runs
    pages = list(docs.rglob("*.html"))
    assert len(pages) == 1 + len(SUITES) + 2 * len(SUITES)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src="|<link [^>]*href="|url\(['"]?)https?://""", html), page


def test_a_page_still_loading_from_a_cdn_is_refused() -> None:
    page = '<head><link rel="stylesheet" href="https://cdn.example/a.css"/>\n<script src="https://cdn.example/b.js"></script>\n</head><body><img src="https://elsewhere.example/x.png"></body>'
    with pytest.raises(
        RuntimeError, match=r"still loads from the network: <img src=\"https://elsewhere"
    ):
        offline_page(page, "../")


def test_only_the_newest_runs_keep_their_pages_and_index_rows(tmp_path: Path) -> None:
    """With keep_runs=2, the third run deletes the first run's pages and the folders they leave
    empty, keeps the pages of runs 2 and 3 untouched, and the index says one run was pruned; a
    page of the first run already deleted by hand does not stop it."""
    docs = tmp_path / "warehouse" / "data_docs"
    gate = Gate(docs, keep_runs=2)
    frames = _frames([_item(GOOD[0])], [_row(0, GOOD[0], "Title")])
    params = gate_parameters(LIVE, NOW, 1)
    runs = [gate.run(frames, params).validations for _ in range(2)]
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert 'id="pruned"' not in index
    assert index.count("<tr><td>") == 2 * len(SUITES)
    (docs / runs[0][0].page).unlink()
    kept_mtimes = {v.page: (docs / v.page).stat().st_mtime_ns for v in runs[1]}
    runs.append(gate.run(frames, params).validations)

    kept = [*runs[1], *runs[2]]
    assert len({v.page for r in runs for v in r}) == 3 * len(SUITES)
    pages = {p.relative_to(docs).as_posix() for p in (docs / "validations").rglob("*.html")}
    assert pages == {v.page for v in kept}
    folders = {p for p in (docs / "validations").rglob("*") if p.is_dir()}
    assert folders == {
        folder
        for v in kept
        for folder in (docs / v.page).parents
        if (docs / "validations") in folder.parents
    }
    assert {v.page: (docs / v.page).stat().st_mtime_ns for v in runs[1]} == kept_mtimes
    ledger = (docs / LEDGER).read_text(encoding="utf-8").splitlines()
    assert ledger == [
        *(f"2\t{v.page}\t{index_row(v)}" for v in runs[1]),
        *(f"3\t{v.page}\t{index_row(v)}" for v in runs[2]),
    ]
    index = (docs / "index.html").read_text(encoding="utf-8")
    rows = [line for line in index.splitlines() if line.startswith("<tr><td>")]
    assert rows == [index_row(v) for v in reversed(kept)]
    assert len(rows) == 2 * len(SUITES)
    pruned = [line for line in index.splitlines() if 'id="pruned"' in line]
    assert pruned == [
        '<p id="pruned">Older validations pruned: 1 run; keeps the newest 2 runs.</p>'
    ]

    runs.append(gate.run(frames, params).validations)
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert '<p id="pruned">Older validations pruned: 2 runs; keeps the newest 2 runs.</p>' in index
    assert {p.relative_to(docs).as_posix() for p in (docs / "validations").rglob("*.html")} == {
        v.page for v in [*runs[2], *runs[3]]
    }
    for path in [docs, *docs.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path


def test_a_retention_that_keeps_no_run_is_refused(tmp_path: Path) -> None:
    with pytest.raises(
        ValueError,
        match=r"^Data Docs keep_runs must be at least 1 \(the run just written\), got 0$",
    ):
        Gate(tmp_path / "data_docs", keep_runs=0)


def test_the_shared_gate_keeps_100_runs_unless_told(tmp_path: Path) -> None:
    docs = tmp_path / "data_docs"
    gate = shared_gate(docs)
    assert gate.keep_runs == 100
    assert shared_gate(docs, SUITES, keep_runs=100) is gate
