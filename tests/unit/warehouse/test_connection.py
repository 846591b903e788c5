"""Opening the warehouse: migrated, in UTC, owner-only, one process at a time, clear errors."""

from __future__ import annotations

import stat
from pathlib import Path

import duckdb
import pytest

from flows.tasks import read_validators
from warehouse.connection import (
    NoWarehouse,
    WarehouseError,
    check_usable,
    connect,
    owner_only,
    writer_lock,
)
from warehouse.lake import attach_statements, connection_config, create_catalog


def test_a_read_write_connection_is_migrated_and_in_utc(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with connect(path) as con:
        assert con.execute("SELECT current_setting('TimeZone')").fetchall() == [("UTC",)]
        assert con.execute("SELECT max(version) FROM schema_migrations").fetchall() == [(13,)]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with connect(path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM load_runs").fetchall() == [(0,)]


def test_owner_only_takes_the_others_rights_away(tmp_path: Path) -> None:
    file = tmp_path / "f"
    file.write_text("x")
    file.chmod(0o644)
    owner_only(file, tmp_path / "missing")
    assert stat.S_IMODE(file.stat().st_mode) == 0o600


def test_a_busy_warehouse_times_out_naming_its_lock(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with writer_lock(path), pytest.raises(TimeoutError) as raised, writer_lock(path, timeout_s=0.1):
        pass
    assert str(raised.value) == f"warehouse {path} stayed busy for 0 s (lock {path}.lock)"
    with writer_lock(path, timeout_s=0.1):  # released: free again
        pass


def test_a_file_that_is_not_a_warehouse_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    path.write_bytes(b"not a database at all" * 300)
    with pytest.raises(WarehouseError) as raised:
        check_usable(path)
    said = str(raised.value)
    assert said.startswith(f"the warehouse {path} cannot be opened: ")
    assert said.endswith(
        f"move the damaged file aside (mv {path} {path}.damaged) and run `newsflow reparse "
        f"--warehouse {path}` to rebuild the tables from it (then `newsflow official-losses` for "
        "the General Staff series)."
    )


def test_a_lake_the_first_writer_is_still_creating_is_no_warehouse_yet_to_a_reader(
    tmp_path: Path,
) -> None:
    """Another machine sharing the catalog (or a first run here) has attached a new lake and
    made its `schema_migrations`, but not yet committed the baseline: a reader finds no
    warehouse yet (a run reads that as a first run), never a missing table."""
    path = tmp_path / "w.ducklake"
    create_catalog(path)
    with duckdb.connect(config={**connection_config()}) as con:
        for statement in attach_statements(path, read_only=False):
            con.execute(statement)
        con.execute("CREATE TABLE schema_migrations (version INTEGER, applied_at TIMESTAMPTZ)")
    with pytest.raises(NoWarehouse) as raised, connect(path, read_only=True):
        pass
    assert str(raised.value).startswith(f"there is no warehouse at {path} yet: a run creates it")
    assert read_validators.fn(path, ["https://global.espreso.tv/a"]) == {}
    with connect(path) as con:  # the writer's baseline: then a reader sees the tables
        pass
    with connect(path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM fetch_log").fetchall() == [(0,)]
