"""Opening the warehouse: one process at a time (the writer lock), in UTC, migrated, owner-only
files, and errors that say what to do when the file or its folder cannot be used.

Only this package writes DuckDB.
"""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.migrate import migrate


def owner_only(*paths: Path) -> None:
    """Make files readable and writable by their owner only (the ones that exist and are ours)."""
    for path in paths:
        if not path.exists():
            continue
        status = path.stat()
        if status.st_mode & 0o077 and status.st_uid == os.getuid():
            path.chmod(0o600)


class WarehouseError(Exception):
    """A warehouse this process cannot use: what is wrong and what to do, in one paragraph."""


def unwritable(folder: Path, error: OSError) -> WarehouseError:
    """The warehouse's folder cannot be created or written (no permission, a read-only disk)."""
    return WarehouseError(
        f"cannot write in {folder} ({error.strerror or error}): the warehouse, its archive and "
        "its Data Docs live there. Make the folder writable, or choose another warehouse with "
        "--warehouse PATH or $NEWSFLOW_WAREHOUSE."
    )


def unreadable(path: Path, error: duckdb.Error) -> WarehouseError:
    """The warehouse file is damaged or not a DuckDB database at all."""
    # DuckDB names the file again, absolute: once is enough.
    reason = re.sub(r'"[^"]*" ', "", str(error).removeprefix("IO Error: ")).rstrip("!.")
    return WarehouseError(
        f"the warehouse {path} cannot be opened: {reason[:1].lower()}{reason[1:]}. The raw archive "
        f"beside it keeps every answer the site gave: move the damaged file aside (mv {path} "
        f"{path}.damaged) and run `newsflow reparse --warehouse {path}` to rebuild the tables "
        "from it (then `newsflow official-losses` for the General Staff series)."
    )


def check_usable(path: Path) -> None:
    """Raise `WarehouseError` unless the warehouse's folder can be written and its file, when
    there is one, opens as a DuckDB database: a command checks this before it starts a run."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise unwritable(folder, error) from error
    if path.exists():
        with connect(path, read_only=True):
            pass


@contextmanager
def writer_lock(path: Path | str, timeout_s: float = 600.0) -> Iterator[None]:
    """Hold `<warehouse>.lock` exclusively: DuckDB allows one process at a time on a file, so runs
    started together (a scheduled and a manual one) take turns instead of failing."""
    if str(path) == ":memory:":
        yield
        return
    lock_path = Path(f"{path}.lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock_fd = os.open(lock_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except PermissionError as error:
        raise unwritable(lock_path.parent, error) from error
    with os.fdopen(lock_fd, "a") as handle:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"warehouse {path} stayed busy for {timeout_s:.0f} s (lock {lock_path})"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# DuckDB's own default is 80 % of the machine's memory. Capped, the big operations (rebuilding the
# full-text index over 100,000 articles takes about 600 MB uncapped) spill to a temporary folder
# beside the file instead, at the same speed, and a run stays well under 1 GB.
MEMORY_LIMIT = "512MB"


@contextmanager
def connect(path: Path | str, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection in UTC that never downloads extensions and uses at most `MEMORY_LIMIT`;
    read-write ones migrate the schema.

    The connection holds the warehouse's lock while open (see `writer_lock`).
    """
    file = Path(path)
    with writer_lock(path):
        con = _open(file, read_only=read_only)
        try:
            con.execute("SET TimeZone = 'UTC'")
            con.execute("SET enable_progress_bar = false")  # no bars in logs and CLI output
            if not read_only:
                migrate(con)
            yield con
        finally:
            con.close()
            if not read_only:
                owner_only(file, Path(f"{path}.wal"))


def _open(file: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """DuckDB's connection; a damaged file is a `WarehouseError`. A file an older version left
    readable by others (or a kill, before it was closed) is made owner-only first."""
    memory = str(file) == ":memory:"
    if not memory:
        if not read_only:
            file.parent.mkdir(parents=True, exist_ok=True)
        owner_only(file, Path(f"{file}.wal"))
    try:
        return duckdb.connect(
            str(file),
            read_only=read_only,
            config={
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
                "memory_limit": MEMORY_LIMIT,
            },
        )
    except duckdb.IOException as error:
        if memory or not file.exists() or "Permission denied" in str(error):
            raise
        raise unreadable(file, error) from error
