"""Reparse of an archive of many small runs (a backfill's): the runs of a batch checked together and
loaded in one transaction leave exactly the tables the same runs leave loaded one at a time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bench.archive.generate import CONTENT_TYPE
from bench.archive.pages import page
from bench.archive.runs import FIRST_RUN, PAGE_GAP, RUN_GAP
from bench.archive.warc import RunFile
from expectations.gate import GateReport, gate_parameters, shared_gate
from flows.reparse import reparse
from flows.replay import replayed
from sources.archive import read_runs
from sources.records import Fetched
from sources.snapshot_expected import LIVE
from transforms.schemas import TABLES
from warehouse.connection import connect
from warehouse.load import LoadResult, load_batch
from warehouse.runs import RunKind

EDITED = 2
"""The page a later run reads edited, and a later one again as first read."""
FUTURE = 12
"""The page whose instants say 2027: the gate quarantines it (its modification is after the run)."""
RUN_PAGES: tuple[tuple[int, ...], ...] = (
    (0, 1, 2, 3),
    (4, 5, 6, 7),
    (EDITED, 8, 9, 10),
    (11, FUTURE, 13, 14),
    (15, 16, 17, 18),
    (EDITED, 19),
)


def _body(index: int, run: int) -> bytes:
    _, body, _ = page(index)
    if index == EDITED and run == 2:
        body = body.replace(b"</h1>", b" (updated)</h1>", 1)
    if index == FUTURE:
        body = body.replace(b"2025-", b"2027-")
    return body


def _started_at(run: int) -> datetime:
    return FIRST_RUN + run * RUN_GAP


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six small runs: the third edits an article of the first, the fourth reads a page the gate
    quarantines, the sixth reads the edited article as the first read it."""
    folder = tmp_path_factory.mktemp("raw")
    for run, pages in enumerate(RUN_PAGES):
        started_at = _started_at(run)
        with RunFile(folder, f"small-{run + 1}", started_at, LIVE, compresslevel=1) as warc:
            for n, index in enumerate(pages, start=1):
                url, _, _ = page(index)
                warc.write(
                    Fetched(
                        url=url,
                        requested_at=started_at + n * PAGE_GAP,
                        status=200,
                        body=_body(index, run),
                        encoding="utf-8",
                        elapsed_ms=7,
                        error=None,
                        final_url=url,
                        headers=(("Content-Type", CONTENT_TYPE),),
                    ),
                    kind="article",
                )
    return folder


LOADED = (*TABLES, "article_revisions")
"""The tables a run's load writes (beside `load_runs`)."""


def _one_at_a_time(raw: Path, warehouse: Path) -> list[LoadResult]:
    """Each archived run replayed, checked alone and loaded alone, in archive order: the way
    `reparse` loaded a backfill's runs before it grouped them."""
    gate = shared_gate(None)
    results = []
    with connect(warehouse) as con:
        for run in read_runs(raw):
            done = replayed(run)
            report = gate.run(
                done.frames, gate_parameters(run.site_url, run.started_at, done.feed_pages)
            )
            frames = report.loadable(done.frames["quarantine"], run.run_id, run.started_at)
            results.append(
                load_batch(
                    con,
                    run.run_id,
                    frames,
                    kind=RunKind.CRAWL,
                    started_at=run.started_at,
                    finished_at=datetime.now(UTC),
                )
            )
    return results


def _tables(warehouse: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The loaded tables' rows, sorted; the replayed runs' `load_runs` rows without the instant
    each load ended."""
    with connect(warehouse, read_only=True) as con:
        out = {
            name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in LOADED
        }
        out["load_runs"] = con.execute(
            "SELECT * EXCLUDE (finished_at) FROM load_runs WHERE kind = 'crawl' ORDER BY ALL"
        ).fetchall()
    return out


def test_grouped_reparse_gives_the_tables_of_the_runs_loaded_one_at_a_time(
    prefect_harness: None, archive: Path, tmp_path: Path
) -> None:
    one_by_one = tmp_path / "one.ducklake"
    grouped = tmp_path / "grouped.ducklake"
    alone = _one_at_a_time(archive, one_by_one)
    together = reparse(warehouse=str(grouped), raw_dir=str(archive), batch_pages=1000)
    assert isinstance(together, list)
    assert together == alone
    assert [(r.run_id, r.rows_quarantined) for r in together] == [
        ("small-1", 0),
        ("small-2", 0),
        ("small-3", 0),
        ("small-4", 2),
        ("small-5", 0),
        ("small-6", 0),
    ]
    expected = _tables(one_by_one)
    got = _tables(grouped)
    assert list(got) == list(expected)
    for name, rows in expected.items():
        assert got[name] == rows, name
    # The values that make the comparison worth something are there.
    assert [r[0] for r in expected["load_runs"]] == [f"small-{n}" for n in range(1, 7)]
    url, _, _ = page(EDITED)
    with connect(grouped, read_only=True) as con:
        assert con.execute(
            "SELECT title LIKE '% (updated)', fetched_at FROM article_revisions "
            "WHERE url = ? ORDER BY fetched_at",
            [url],
        ).fetchall() == [
            (False, _started_at(0) + 3 * PAGE_GAP),
            (True, _started_at(2) + 1 * PAGE_GAP),
        ]
        assert con.execute(
            "SELECT title NOT LIKE '% (updated)', fetched_at FROM articles WHERE url = ?", [url]
        ).fetchall() == [(True, _started_at(5) + 1 * PAGE_GAP)]
        assert con.execute(
            "SELECT table_name, reasons, run_id, record::JSON->>'url' FROM quarantine ORDER BY ALL"
        ).fetchall() == [
            ("article_tags", ["articles.row_quarantined"], "small-4", page(FUTURE)[0]),
            ("articles", ["articles.modified_at_plausible"], "small-4", page(FUTURE)[0]),
        ]
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (19,)


def test_runs_that_share_no_key_and_quarantine_nothing_pass_together(archive: Path) -> None:
    """The runs checked together; those whose rows a check named checked again alone: the
    first, third and sixth read the same article, the fourth has a page from the future."""
    runs = read_runs(archive)
    gate = shared_gate(None)
    checks, outcomes = gate.run_together(
        [
            (
                (done := replayed(run)).frames,
                gate_parameters(run.site_url, run.started_at, done.feed_pages),
            )
            for run in runs
        ]
    )
    assert {c.label for c in checks if not c.success} == {
        "articles.url_unique",
        "articles.modified_at_plausible",
        "article_tags.key_unique",
        "article_related.key_unique",
    }
    checked_alone = [
        run.run_id
        for run, outcome in zip(runs, outcomes, strict=True)
        if isinstance(outcome, GateReport) and outcome.checks
    ]
    assert checked_alone == ["small-1", "small-3", "small-4", "small-6"]
    quarantined = [
        [q.reasons for q in outcome.quarantined]
        for outcome in outcomes
        if isinstance(outcome, GateReport)
    ]
    assert quarantined == [
        [],
        [],
        [],
        [("articles.modified_at_plausible",), ("articles.row_quarantined",)],
        [],
        [],
    ]


def test_parsed_batches_are_checked_and_loaded_several_at_a_time(
    prefect_harness: None, archive: Path, tmp_path: Path
) -> None:
    """Six parsed batches of one run each (`batch_pages` 4): one check and load for all six,
    with the tables the runs loaded one at a time leave."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    one_by_one = tmp_path / "one.ducklake"
    grouped = tmp_path / "grouped.ducklake"
    alone = _one_at_a_time(archive, one_by_one)
    state = reparse(warehouse=str(grouped), raw_dir=str(archive), batch_pages=4, return_state=True)
    assert state.result() == alone
    runs_of = FlowRunFilter(id=FlowRunFilterId(any_=[state.state_details.flow_run_id]))
    with get_client(sync_client=True) as client:
        names = sorted(task.name for task in client.read_task_runs(flow_run_filter=runs_of))
    assert [n for n in names if n.startswith("parse and shape")] == [
        f"parse and shape small-{n} (1 runs)" for n in range(1, 7)
    ]
    assert [n for n in names if n.startswith("check and load")] == ["check and load 6 runs"]
    assert _tables(grouped) == _tables(one_by_one)
