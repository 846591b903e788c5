"""`record_run`: the `load_runs` row of a load, with its kind."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from warehouse.connection import connect
from warehouse.runs import RunKind, record_run
from warehouse.transaction import transaction

T0 = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
T1 = datetime(2025, 10, 27, 9, 10, tzinfo=UTC)


def test_the_kinds_are_the_four_loads_newsflow_makes() -> None:
    assert [kind.value for kind in RunKind] == ["crawl", "official", "facts", "synthetic"]


def test_a_run_is_recorded_with_its_kind_and_times(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        record_run(
            con,
            "run-1",
            RunKind.CRAWL,
            started_at=T0,
            finished_at=T1,
            rows_in=5,
            rows_loaded=4,
            rows_quarantined=1,
        )
        with transaction(con):
            record_run(
                con,
                "facts-1",
                RunKind.FACTS,
                started_at=T0,
                finished_at=None,
                rows_in=2,
                rows_loaded=2,
                rows_quarantined=0,
            )
            now = con.execute("SELECT now()").fetchall()[0][0]
        assert con.execute(
            "SELECT run_id, started_at, finished_at, rows_in, rows_loaded, rows_quarantined, "
            "state, kind FROM load_runs ORDER BY run_id"
        ).fetchall() == [
            ("facts-1", T0, now, 2, 2, 0, "loaded", "facts"),
            ("run-1", T0, T1, 5, 4, 1, "loaded", "crawl"),
        ]


def test_the_readme_names_every_kind() -> None:
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    *others, last = [kind.value for kind in RunKind]
    assert f"| `load_runs` | load of a run: its kind ({', '.join(others)} or {last}: " in readme
