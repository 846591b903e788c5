"""One DuckDB transaction: all of what the block writes lands, or none of it; and a load's
transaction, which takes its turn and is retried whole when another writer committed first."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import duckdb

T = TypeVar("T")


class CommitConflict(Exception):
    """The transaction's COMMIT failed because another writer committed a conflicting change (or
    held the catalog) first: nothing of it landed, and running it again may succeed."""


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block in one transaction: commit when it ends, roll back when anything escapes it
    (an error, KeyboardInterrupt, SystemExit) and let that propagate. A failed COMMIT (DuckDB has
    rolled it back already) is a `CommitConflict`."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    try:
        con.execute("COMMIT")
    except duckdb.TransactionException as error:
        raise CommitConflict(str(error)) from error


MAX_ATTEMPTS = 8
"""How many times a load's transaction runs before its conflict is the run's error."""


def retried(
    work: Callable[[], T],
    retryable: Callable[[Exception], bool],
    *,
    attempts: int = MAX_ATTEMPTS,
    pause_s: float = 0.05,
) -> tuple[T, int]:
    """Run `work`; when it raises an error `retryable` accepts, run it again, up to `attempts`
    times, waiting a little longer each time. Its result, and how many times it was retried."""
    for attempt in range(attempts):
        try:
            return work(), attempt
        except Exception as error:
            if not retryable(error) or attempt + 1 == attempts:
                raise
            time.sleep(pause_s * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def load_transaction(
    con: duckdb.DuckDBPyConnection,
    write: Callable[[], object],
    *,
    attempts: int = MAX_ATTEMPTS,
    pause_s: float = 0.05,
) -> int:
    """Run `write` in one transaction that first bumps the lake's one-row `load_turn`, so any two
    loads at once conflict (DuckLake lets plain inserts into one table pass each other, which could
    store a key twice); on a `CommitConflict`, run it all again, up to `attempts` times, waiting a
    little longer each time. Returns how many times it was retried."""

    def turn() -> None:
        with transaction(con):
            con.execute("UPDATE load_turn SET n = n + 1")
            write()

    _, retries = retried(
        turn, lambda error: isinstance(error, CommitConflict), attempts=attempts, pause_s=pause_s
    )
    return retries
