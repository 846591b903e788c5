"""A lake whose catalog several machines share: a real PostgreSQL server on 127.0.0.1 (started
here), the catalog set through the environment as people set it, warehouses of their own that
link to it, loads at once from separate processes, and a commit race lost, retried and counted."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.postgres import Postgres, postgres_server
from tests.unit.warehouse.test_load import T0, _frames
from warehouse.catalog import file_kind
from warehouse.connection import WarehouseError, connect
from warehouse.load import load_batch
from warehouse.runs import RunKind

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    with postgres_server() as server:
        yield server


def _machine_env(postgres: Postgres, database: str, shared: Path, home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "NEWSFLOW_CATALOG": postgres.catalog(database),
        "NEWSFLOW_LAKE_DATA": str(shared),
        "NEWSFLOW_WAREHOUSE": str(home / "newsflow.ducklake"),
    }


def test_the_environment_makes_the_warehouse_a_link_to_the_shared_catalog(
    postgres: Postgres, tmp_path: Path
) -> None:
    catalog = postgres.create_database("linked")
    env = _machine_env(postgres, "linked", tmp_path / "shared", tmp_path / "machine-1")
    link = tmp_path / "machine-1" / "newsflow.ducklake"
    sql: list[str | Path] = [BIN / "newsflow", "sql", "--attach-sql"]
    done = subprocess.run(sql, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stderr) == (
        2,
        f"newsflow sql: there is no warehouse at {link} yet: a run creates it (`newsflow run`), "
        "or choose another with --warehouse PATH or $NEWSFLOW_WAREHOUSE.\n",
    )
    with connect(link):  # what a run does first
        pass
    done = subprocess.run(sql, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert file_kind(link) == "link"
    assert stat.S_IMODE(link.stat().st_mode) == 0o600
    assert link.read_text().splitlines()[1:] == [
        f'catalog = "{catalog}"',
        f'data = "{tmp_path / "shared"}/"',
    ]
    assert "LOAD postgres;" in done.stdout
    assert (
        f"ATTACH 'ducklake:{catalog}' AS newsflow (DATA_PATH '{tmp_path / 'shared'}/', "
        "OVERRIDE_DATA_PATH true, READ_ONLY);"
    ) in done.stdout


_LOADS = """
import sys
from datetime import timedelta
from flows.settings import Settings
from tests.unit.warehouse.test_load import T0, _frames
from warehouse.connection import connect
from warehouse.load import load_batch
from warehouse.runs import RunKind

machine = sys.argv[1]
settings = Settings.build()
for i in range(6):
    at = T0 + timedelta(minutes=i)
    with connect(settings.warehouse) as con:
        load_batch(con, f"{machine}-{i}", _frames(f"Title {i}", at, ["News", f"Tag {i}"]),
                   kind=RunKind.CRAWL, started_at=at, finished_at=at)
"""


def test_two_machines_loading_the_same_article_at_once_store_it_once(
    postgres: Postgres, tmp_path: Path
) -> None:
    postgres.create_database("two_machines")
    shared = tmp_path / "shared"
    machines = [
        subprocess.Popen(
            [sys.executable, "-c", _LOADS, name],
            env=_machine_env(postgres, "two_machines", shared, tmp_path / name),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("one", "two")
    ]
    for machine in machines:
        _, err = machine.communicate(timeout=600)
        assert machine.returncode == 0, err
    with connect(tmp_path / "one" / "newsflow.ducklake", read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchall() == [
            (1, 1)
        ]
        runs = con.execute("SELECT run_id FROM load_runs ORDER BY 1").fetchall()
        assert runs == [(f"{m}-{i}",) for m in ("one", "two") for i in range(6)]
        # Each load replaced the tags whole: the last to commit left its two, never a mixture.
        tags = con.execute("SELECT position, tag FROM article_tags ORDER BY 1").fetchall()
        assert len(tags) == 2 and tags[0] == (0, "News")
        turns = con.execute("SELECT n FROM load_turn").fetchall()
        assert turns == [(12,)]
    assert not list(shared.glob("**/*.parquet")) or all(
        stat.S_IMODE(p.stat().st_mode) == 0o600 for p in shared.glob("**/*.parquet")
    )


def test_a_load_that_loses_the_commit_race_runs_again_and_says_so(
    postgres: Postgres, tmp_path: Path
) -> None:
    catalog = postgres.create_database("race")
    from warehouse.catalog import link_shared_catalog

    mine, theirs = tmp_path / "mine.ducklake", tmp_path / "theirs.ducklake"
    for path in (mine, theirs):
        link_shared_catalog(path, catalog, tmp_path / "shared")
    slipped_in: list[str] = []

    def the_other_machine_commits_first(_con: object) -> None:
        if not slipped_in:
            slipped_in.append("theirs-1")
            with connect(theirs) as other:
                load_batch(other, "theirs-1", _frames("Theirs", T0, ["Theirs"]),
                           kind=RunKind.CRAWL, started_at=T0, finished_at=T0)  # fmt: skip

    at = T0 + timedelta(hours=1)
    with connect(mine) as con:
        result = load_batch(
            con, "mine-1", _frames("Mine", at, ["Mine"]), kind=RunKind.CRAWL,
            started_at=at, finished_at=at, also=the_other_machine_commits_first,
        )  # fmt: skip
        assert result.retries == 1
        assert con.execute(
            "SELECT run_id, commit_retries FROM load_runs ORDER BY run_id"
        ).fetchall() == [("mine-1", 1), ("theirs-1", 0)]
        assert con.execute("SELECT title FROM articles").fetchall() == [("Mine",)]


def test_a_shared_catalog_that_cannot_be_reached_is_one_paragraph(tmp_path: Path) -> None:
    from warehouse.catalog import link_shared_catalog

    path = tmp_path / "w.ducklake"
    link_shared_catalog(path, "postgres:dbname=x host=127.0.0.1 port=9 user=newsflow", tmp_path)
    with pytest.raises(WarehouseError) as raised, connect(path, read_only=True):
        pass
    assert str(raised.value).startswith(f"the shared catalog of the warehouse {path} cannot be")
    assert "check that its PostgreSQL server is running" in str(raised.value)
