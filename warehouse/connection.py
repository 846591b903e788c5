"""Opening the warehouse (a DuckLake, see `warehouse.lake`): one writer at a time (the writer
lock) and any number of readers beside it, in UTC, migrated, owner-only files, and errors that say
what to do when the catalog or its folder cannot be used.

Only this package writes DuckDB.
"""

from __future__ import annotations

import fcntl
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import duckdb

from warehouse.catalog import CatalogError, catalog_at, file_kind
from warehouse.lake import (
    LAKE,
    attach_statements,
    connection_config,
    create_catalog,
    search_statements,
)
from warehouse.migrate import migrate_lake
from warehouse.transaction import retried


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


class NoWarehouse(WarehouseError):
    """Nothing to read yet: no file at the path, or a shared catalog no run has created."""


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
    """Raise `WarehouseError` unless the warehouse's folder can be written and its catalog, when
    there is one, opens as a lake: a command checks this before it starts a run."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise unwritable(folder, error) from error
    if file_kind(path) != "empty":
        try:
            with connect(path, read_only=True):
                pass
        except NoWarehouse:
            pass  # a shared catalog no run has created yet: this run creates it


@contextmanager
def writer_lock(path: Path | str, timeout_s: float = 600.0) -> Iterator[None]:
    """Hold `<warehouse>.lock` exclusively: a SQLite catalog takes one writer at a time (a second
    one's commit fails), so runs started together (a scheduled and a manual one) take turns."""
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


def lake_files(catalog: Path) -> list[Path]:
    """The files of a lake that hold data: its catalog (with SQLite's WAL and shared memory)."""
    return [catalog, Path(f"{catalog}-wal"), Path(f"{catalog}-shm")]


def _owner_only_lake(catalog: Path) -> None:
    """The lake's catalog and the data files this user wrote: owner-only (a shared folder's
    files written by other machines' users are theirs to keep)."""
    owner_only(*lake_files(catalog))
    folder = catalog_at(catalog).data
    if not folder.exists():
        return
    me = os.getuid()
    for sub in (folder, *folder.rglob("*")):
        status = sub.stat()
        wanted = 0o700 if sub.is_dir() else 0o600
        if status.st_uid == me and stat.S_IMODE(status.st_mode) != wanted:
            sub.chmod(wanted)


@contextmanager
def connect(
    path: Path | str, *, read_only: bool = False, lock_held: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection with the warehouse's lake attached and `USE`d (see `warehouse.lake`), in UTC,
    never downloading an extension, using at most `MEMORY_LIMIT`; read-write ones migrate it.

    A read-write connection holds the warehouse's lock while open (see `writer_lock`); a
    read-only one takes no lock: it reads the last committed snapshot while a writer loads.
    `lock_held`: the caller holds that lock already (a rebuild swapping its lake in).
    `:memory:` is a lake in a temporary folder, gone when the connection closes.
    """
    if str(path) == ":memory:":
        with (
            tempfile.TemporaryDirectory(prefix="newsflow-lake-") as folder,
            connect(Path(folder) / "memory.ducklake", read_only=False) as con,
        ):
            yield con
        return
    file = Path(path)
    with writer_lock(path) if not (read_only or lock_held) else nullcontext():
        con = _open(file, read_only=read_only)
        try:
            con.execute("SET TimeZone = 'UTC'")
            con.execute("SET enable_progress_bar = false")  # no bars in logs and CLI output
            if not read_only:
                migrate_lake(con)
            elif not _created(con):
                raise no_warehouse_yet(file)
            yield con
        finally:
            con.close()
            if not read_only:
                _owner_only_lake(file)


def _created(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the lake attached to `con` holds newsflow's tables: a lake the first writer (on
    this machine, or another sharing its catalog) is still creating has none yet, and then all
    at once (the baseline migration is one transaction)."""
    # No bound parameter: DuckDB would import pandas to check its type (the read commands' cost).
    found = con.execute(
        f"SELECT count(*) FROM duckdb_tables() WHERE database_name = '{LAKE}' "
        "AND table_name = 'schema_migrations'"
    ).fetchone()
    if not found or not found[0]:
        return False
    applied = con.execute("SELECT count(*) FROM schema_migrations").fetchone()
    return bool(applied and applied[0])


def old_format(path: Path) -> WarehouseError:
    """A DuckDB-file warehouse (what newsflow wrote before the lake)."""
    return WarehouseError(
        f"the warehouse {path} is a DuckDB file, the format before the lake: run `newsflow "
        f"migrate-warehouse {path} --warehouse NEW` to copy it into a lake (the file is only "
        "read), or `newsflow reparse --warehouse NEW` to rebuild one from the raw archive."
    )


def _open(file: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """DuckDB's connection with the lake attached; a damaged catalog is a `WarehouseError`. A
    catalog an older version left readable by others is made owner-only first."""
    kind = file_kind(file)
    if kind == "duckdb":
        raise old_format(file)
    if kind == "other":
        raise unreadable(
            file, duckdb.IOException("the file exists, but it is not a DuckLake catalog")
        )
    if not read_only:
        if kind == "empty":
            create_catalog(file)
        _owner_only_lake(file)
    elif kind == "empty":
        raise no_warehouse_yet(file)
    else:
        owner_only(*lake_files(file))  # the catalog; its data files wait for the next writer
    try:
        statements = [*attach_statements(file, read_only=read_only), *search_statements(file)]
    except CatalogError as error:
        raise WarehouseError(str(error)) from error

    def attached() -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(
            config={
                **connection_config(),
                "memory_limit": MEMORY_LIMIT,
                "temp_directory": f"{file}.tmp",
            }
        )
        try:
            for statement in statements:
                con.execute(statement)
        except BaseException:
            con.close()
            raise
        return con

    # Several machines attaching a new shared catalog at once: one creates its tables, the
    # others fail to, and find them on the next try.
    def catalog_being_created(error: Exception) -> bool:
        return kind == "link" and "Failed to initialize DuckLake" in str(error)

    try:
        con, _ = retried(attached, catalog_being_created, attempts=5, pause_s=0.1)
    except duckdb.Error as error:
        if "Permission denied" in str(error):
            raise
        if kind != "link":
            raise unreadable(file, error) from error
        if "creating a new DuckLake is explicitly disabled" in str(error):
            raise no_warehouse_yet(file) from error
        raise unreachable(file, error) from error
    return con


def no_warehouse_yet(path: Path) -> NoWarehouse:
    """Nothing to read at `path` (or in the shared catalog it links to): no run made it yet."""
    return NoWarehouse(
        f"there is no warehouse at {path} yet: a run creates it (`newsflow run`), or choose "
        "another with --warehouse PATH or $NEWSFLOW_WAREHOUSE."
    )


def unreachable(path: Path, error: duckdb.Error) -> WarehouseError:
    """The shared catalog the warehouse's link names cannot be attached (no server, refused)."""
    reason = str(error).splitlines()[0][:300]
    return WarehouseError(
        f"the shared catalog of the warehouse {path} cannot be attached ({reason}): check that "
        "its PostgreSQL server is running and reachable, and that $NEWSFLOW_CATALOG names "
        "it; a password belongs in ~/.pgpass or $PGPASSWORD."
    )
