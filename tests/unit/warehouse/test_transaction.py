"""`transaction()`: everything the block wrote, or nothing, whatever ends the block."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.transaction import transaction


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)")
    con.execute("INSERT INTO t VALUES (1)")
    return con


def _rows(con: duckdb.DuckDBPyConnection) -> list[tuple[int]]:
    return con.execute("SELECT n FROM t ORDER BY n").fetchall()


def test_a_block_that_ends_commits_all_of_it(con: duckdb.DuckDBPyConnection) -> None:
    with transaction(con):
        con.execute("INSERT INTO t VALUES (2), (3)")
        con.execute("DELETE FROM t WHERE n = 1")
    assert _rows(con) == [(2,), (3,)]
    # Committed: a rollback now has no transaction to undo.
    with pytest.raises(duckdb.TransactionException, match="no transaction is active"):
        con.execute("ROLLBACK")


def test_an_error_rolls_back_and_propagates(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(duckdb.ConstraintException), transaction(con):
        con.execute("INSERT INTO t VALUES (2), (3)")
        con.execute("INSERT INTO t VALUES (1)")  # the key is taken
    assert _rows(con) == [(1,)]


def test_an_exception_of_the_caller_rolls_back(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="refused"), transaction(con):
        con.execute("INSERT INTO t VALUES (2)")
        raise ValueError("refused")
    assert _rows(con) == [(1,)]


@pytest.mark.parametrize("stop", [KeyboardInterrupt, SystemExit])
def test_an_interrupt_rolls_back_too(
    con: duckdb.DuckDBPyConnection, stop: type[BaseException]
) -> None:
    with pytest.raises(stop), transaction(con):
        con.execute("INSERT INTO t VALUES (2), (3)")
        con.execute("DELETE FROM t WHERE n = 1")
        raise stop()
    assert _rows(con) == [(1,)]
    # The connection is usable again, outside any transaction.
    with transaction(con):
        con.execute("INSERT INTO t VALUES (4)")
    assert _rows(con) == [(1,), (4,)]
