"""Rebuilding beside the warehouse in use: what the archive cannot give back is carried over,
with the kind of each load, from a target that is only read; the rebuilt lake swapped in by one
commit, the old rows kept for time travel, the search index rebuilt."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.unit.warehouse.test_search import _article
from warehouse.catalog import data_path, file_kind
from warehouse.connection import connect, writer_lock
from warehouse.convert import migrate_warehouse
from warehouse.lake import search_index_path
from warehouse.rebuild import (
    carry_over,
    discard,
    index_scratch,
    rebuild_problems,
    scratch_path,
    swap_in,
)
from warehouse.search import ensure_search_index, search

LOADS_WITHOUT_REQUESTS = [
    ("20251027T094000-cd34", "crawl"),
    ("bench-fill", "synthetic"),
    ("facts-20251027T091000000000", "facts"),
    ("official-20251027T092000000000", "official"),
]


def test_loads_of_a_target_at_migration_6_are_carried_over_with_their_kind(
    warehouse_at_6: Path,
) -> None:
    before = hashlib.sha256(warehouse_at_6.read_bytes()).hexdigest()
    scratch = scratch_path(warehouse_at_6)
    assert carry_over(scratch, warehouse_at_6) == {
        "official_losses": 0,
        "backfill_progress": 0,
        "backfill_queue": 0,
    }
    with connect(scratch, read_only=True) as con:
        assert (
            con.execute("SELECT run_id, kind FROM load_runs ORDER BY run_id").fetchall()
            == LOADS_WITHOUT_REQUESTS
        )
    assert rebuild_problems(scratch) == []
    # Only read: still at migration 6, byte for byte.
    assert hashlib.sha256(warehouse_at_6.read_bytes()).hexdigest() == before


def test_loads_of_a_current_target_keep_their_recorded_kind(
    warehouse_at_6: Path, tmp_path: Path
) -> None:
    target = tmp_path / "current.ducklake"
    migrate_warehouse(warehouse_at_6, target)  # a lake, at the last migration
    with connect(target) as con:
        con.execute("UPDATE load_runs SET kind = 'official' WHERE run_id = 'bench-fill'")
    scratch = tmp_path / "scratch.ducklake"
    carry_over(scratch, target)
    with connect(scratch, read_only=True) as con:
        assert con.execute("SELECT run_id, kind FROM load_runs ORDER BY run_id").fetchall() == [
            ("20251027T094000-cd34", "crawl"),
            ("bench-fill", "official"),
            ("facts-20251027T091000000000", "facts"),
            ("official-20251027T092000000000", "official"),
        ]


@pytest.mark.parametrize("stem", ["old", "replaced"])
def test_a_target_named_like_the_attached_alias_is_carried_over(
    warehouse_at_6: Path, tmp_path: Path, stem: str
) -> None:
    # DuckDB names a database after its file's stem; `old.duckdb` once clashed with `AS old`.
    target = tmp_path / f"{stem}.duckdb"
    target.write_bytes(warehouse_at_6.read_bytes())
    scratch = scratch_path(target)
    carry_over(scratch, target)
    with connect(scratch, read_only=True) as con:
        assert (
            con.execute("SELECT run_id, kind FROM load_runs ORDER BY run_id").fetchall()
            == LOADS_WITHOUT_REQUESTS
        )


@pytest.mark.parametrize("prebuilt_index", [False, True])
def test_a_swap_replaces_every_table_in_one_commit_and_time_travel_keeps_the_old_rows(
    tmp_path: Path, prebuilt_index: bool
) -> None:
    target, scratch = tmp_path / "w.ducklake", scratch_path(tmp_path / "w.ducklake")
    with connect(target) as con:
        _article(con, "drones", "Drones over Kharkiv")
        ensure_search_index(con, articles_changed=True)
        before = con.execute("SELECT max(snapshot_id) FROM newsflow.snapshots()").fetchall()[0][0]
    with connect(scratch) as con:
        _article(con, "grain", "Grain corridor reopens")
    # The scratch lake's own index (built while the facts are drawn), else one built at the swap.
    index = index_scratch(scratch) if prebuilt_index else None
    inode = index.stat().st_ino if index is not None else None
    with writer_lock(target):
        swap_in(scratch, target, index)
    if index is not None:  # moved in, not built again
        assert search_index_path(target).stat().st_ino == inode
    assert search_index_path(target).stat().st_mode & 0o777 == 0o600
    with connect(target, read_only=True) as con:
        assert con.execute("SELECT url FROM articles").fetchall() == [
            ("https://global.espreso.tv/grain",)
        ]
        # One commit: a session read the old rows or the new ones, and the old ones are still there.
        assert con.execute(
            "SELECT snapshot_id FROM newsflow.snapshots() WHERE snapshot_id > ?", [before]
        ).fetchall() == [(before + 1,)]
        assert con.execute(f"SELECT url FROM articles AT (VERSION => {before})").fetchall() == [
            ("https://global.espreso.tv/drones",)
        ]
        assert [hit.url for hit in search(con, "corridor")] == ["https://global.espreso.tv/grain"]
        assert search(con, "drones") == []
    assert file_kind(scratch) == "empty" and not data_path(scratch).exists()
    assert not search_index_path(scratch).exists()


@pytest.mark.parametrize("prebuilt_index", [True, False])
def test_a_rebuild_into_a_new_warehouse_is_moved_into_place(
    tmp_path: Path, prebuilt_index: bool
) -> None:
    target, scratch = tmp_path / "new.ducklake", scratch_path(tmp_path / "new.ducklake")
    with connect(scratch) as con:
        _article(con, "grain", "Grain corridor reopens")
        snapshots = con.execute("SELECT snapshot_id FROM newsflow.snapshots()").fetchall()
    index = index_scratch(scratch) if prebuilt_index else None
    catalog = scratch.stat().st_ino
    with writer_lock(target):
        swap_in(scratch, target, index)
    # Nothing to replace: the rebuilt lake itself, its history with it, not a copy.
    assert target.stat().st_ino == catalog
    with connect(target, read_only=True) as con:
        assert con.execute("SELECT snapshot_id FROM newsflow.snapshots()").fetchall() == snapshots
        assert con.execute("SELECT url, title FROM articles").fetchall() == [
            ("https://global.espreso.tv/grain", "Grain corridor reopens")
        ]
        assert [hit.url for hit in search(con, "corridor")] == ["https://global.espreso.tv/grain"]
    # The scratch lake's files are gone (SQLite keeps a WAL and its index beside any catalog).
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        "new.ducklake", "new.ducklake.files", "new.ducklake.lock", "new.ducklake.search.duckdb"
    ]  # fmt: skip
    for path in (target, search_index_path(target), *data_path(target).rglob("*.parquet")):
        assert path.stat().st_mode & 0o777 == 0o600, path


def test_a_rebuilt_lake_a_session_still_reads_is_copied_into_a_new_warehouse(
    tmp_path: Path,
) -> None:
    target, scratch = tmp_path / "new.ducklake", scratch_path(tmp_path / "new.ducklake")
    with connect(scratch) as con:
        _article(con, "drones", "Drones over Kharkiv")
    # Another process reads the catalog and holds its snapshot (SQLite's locks are per process).
    holding = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
        "c.execute('BEGIN'); c.execute('SELECT count(*) FROM sqlite_master').fetchall(); "
        "print('holding', flush=True); sys.stdin.read()"
    )
    reader = subprocess.Popen(
        [sys.executable, "-c", holding, str(scratch)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline() == "holding\n"
        with connect(scratch) as con:  # written after its snapshot: the WAL cannot be emptied
            _article(con, "grain", "Grain corridor reopens")
        catalog = scratch.stat().st_ino
        with writer_lock(target):
            swap_in(scratch, target)
    finally:
        reader.communicate("", timeout=30)
    assert target.stat().st_ino != catalog  # copied, table by table
    with connect(target, read_only=True) as con:
        assert con.execute("SELECT url FROM articles ORDER BY url").fetchall() == [
            ("https://global.espreso.tv/drones",),
            ("https://global.espreso.tv/grain",),
        ]
        assert [hit.url for hit in search(con, "corridor")] == ["https://global.espreso.tv/grain"]
    assert file_kind(scratch) == "empty" and not data_path(scratch).exists()


def test_the_scratch_lake_opens_while_its_search_index_is_being_built(tmp_path: Path) -> None:
    """The facts are drawn from the scratch lake while its index is built in a thread: every
    connection to the lake attaches its own index path, so the build must be elsewhere."""
    scratch = scratch_path(tmp_path / "w.ducklake")
    with connect(scratch) as con:
        _article(con, "grain", "Grain corridor reopens")
    built = index_scratch(scratch)
    with duckdb.connect(str(built)):  # the builder's connection, still open
        for read_only in (False, True):
            with connect(scratch, read_only=read_only) as con:
                assert con.execute("SELECT count(*) FROM articles").fetchall() == [(1,)]
    discard(scratch)
    assert not built.exists()
