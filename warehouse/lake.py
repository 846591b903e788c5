"""The warehouse as a DuckLake: a catalog (a SQLite file by default) plus a folder of Parquet files,
attached to any DuckDB connection by the same few statements.

The DuckLake, SQLite and PostgreSQL extensions come from their PyPI packages
(`duckdb-extension-ducklake`, `-sqlite`, `-postgres`, built for our duckdb) and are installed once
from those files into a private extension directory: nothing is ever downloaded.
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import duckdb

from warehouse.catalog import Catalog, catalog_at, data_path

LAKE = "newsflow"
"""The name the lake is attached under (and `USE`d, so unqualified SQL finds its tables)."""
_WAREHOUSE_VARIABLE = "newsflow_warehouse"  # the attached lake's warehouse path

# Package name → the extension name DuckDB installs it under (sqlite and postgres are aliases).
EXTENSIONS = {
    "ducklake": "ducklake",
    "sqlite": "sqlite_scanner",
    "postgres": "postgres_scanner",
    "fts": "fts",
}
_NO_DOWNLOADS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def extension_file(name: str) -> Path:
    """The extension file the package `duckdb-extension-<name>` ships for the installed duckdb."""
    spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the warehouse needs the package duckdb-extension-{name} (pyproject)")
    path = (
        Path(spec.submodule_search_locations[0])
        / "extensions"
        / f"v{duckdb.__version__}"
        / f"{name}.duckdb_extension"
    )
    if not path.is_file():
        raise RuntimeError(
            f"no {name} extension for duckdb {duckdb.__version__} at {path}; pin matching versions"
        )
    return path


def extension_directory() -> Path:
    """Where the extensions are installed: inside the environment, beside the packages that ship
    them, so every warehouse and the `duckdb` CLI of this environment share one install."""
    return Path(sys.prefix) / "duckdb_extensions"


def install_extensions() -> Path:
    """Install the lake's extensions from their package files into `extension_directory()` once
    (owner-only, under a lock so processes starting together install once); return the folder."""
    folder = extension_directory()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(folder / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        con = duckdb.connect(config={**_NO_DOWNLOADS, "extension_directory": str(folder)})
        try:
            installed = {
                name
                for (name,) in con.execute(
                    "SELECT extension_name FROM duckdb_extensions() WHERE installed"
                ).fetchall()
            }
            for package, name in EXTENSIONS.items():
                if name not in installed:
                    con.execute(f"INSTALL '{_quoted(str(extension_file(package)))}'")
        finally:
            con.close()
    return folder


def _quoted(text: str) -> str:
    return text.replace("'", "''")


SEARCH = "newsflow_search"
"""The name the search index (a DuckDB file beside the lake) is attached under, read-only."""


def search_index_path(catalog: Path) -> Path:
    """The full-text index of the lake's articles: a DuckDB file beside the catalog (DuckLake
    tables cannot hold an FTS index), replaced whole after loads (`warehouse.search`)."""
    return catalog.with_name(f"{catalog.name}.search.duckdb")


def search_statements(catalog: Path) -> list[str]:
    """Attach the search index read-only and put it on the search path after the lake, so
    `search_articles(q)` and the index schema it reads answer unqualified ([] without an index)."""
    index = search_index_path(catalog)
    if not index.exists():
        return []
    return [
        "LOAD fts",  # search_articles(q) calls its functions (stem, tokenize)
        f"ATTACH '{_quoted(str(index.absolute()))}' AS {SEARCH} (READ_ONLY)",
        f"SET search_path = '{LAKE}.main,{SEARCH}.main,{SEARCH}.fts_main_articles'",
    ]


def create_catalog(catalog: Path) -> None:
    """A new, empty SQLite catalog file, owner-only, in WAL mode: with WAL a reader's open
    transaction never blocks a writer's commit (with SQLite's default journal it does)."""
    catalog.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(catalog, os.O_WRONLY | os.O_CREAT, 0o600))
    with sqlite3.connect(catalog) as con:
        con.execute("PRAGMA journal_mode = WAL")
    con.close()


def attach_statements(catalog: Path, *, read_only: bool) -> list[str]:
    """The statements that attach the lake of the warehouse at `catalog` to a connection whose
    extension directory is `install_extensions()`'s, and make it the default database. A local
    lake's data folder is always the one beside its catalog (the catalog also records where it was
    created): a lake copied or moved as its two parts keeps working, and never reads or writes
    the original's files. A shared one's is the folder its link names."""
    found = catalog_at(catalog)
    return [
        "LOAD ducklake",
        f"LOAD {found.extension}",
        _attach(found, LAKE, read_only=read_only),
        f"USE {LAKE}",
        f"SET VARIABLE {_WAREHOUSE_VARIABLE} = '{_quoted(str(catalog.absolute()))}'",
    ]


def attach_lake(
    con: duckdb.DuckDBPyConnection, catalog: Path, alias: str, *, read_only: bool
) -> None:
    """Attach the lake of the warehouse at `catalog` to `con` (a lake connection) as `alias`."""
    found = catalog_at(catalog)
    con.execute(f"LOAD {found.extension}")
    con.execute(_attach(found, alias, read_only=read_only))


def _attach(found: Catalog, alias: str, *, read_only: bool) -> str:
    """The ATTACH of the lake whose catalog is `found`, as `alias` (extensions loaded)."""
    folder = _quoted(f"{found.data.absolute()}/")
    options = f"DATA_PATH '{folder}', OVERRIDE_DATA_PATH true" + (", READ_ONLY" * read_only)
    return f"ATTACH '{_quoted(found.url)}' AS {alias} ({options})"


def copy_lake(source: Path, target: Path) -> None:
    """Copy a lake (catalog and data folder) to `target`, owner-only; the source may be in use
    (SQLite's backup copies a consistent catalog; files the catalog names are never rewritten)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    create_catalog(target)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    if data_path(source).exists():
        shutil.copytree(data_path(source), data_path(target))


def move_lake(source: Path, target: Path) -> bool:
    """Move a local lake (catalog and data folder) to `target`, where there is none; False, and
    nothing moved, when its WAL cannot be emptied into the catalog first (a session still has
    it open). The data folder is moved before the catalog, so a lake at `target` is whole as
    soon as it is there."""
    with sqlite3.connect(source, timeout=0) as con:  # a session reading it: do not wait
        found = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    con.close()
    wal = Path(f"{source}-wal")
    if (found is not None and found[0]) or (wal.exists() and wal.stat().st_size):
        return False
    for leftover in (wal, Path(f"{source}-shm")):
        leftover.unlink(missing_ok=True)
    if data_path(source).exists():
        os.replace(data_path(source), data_path(target))
    os.replace(source, target)
    return True


def attach_sql(catalog: Path | str, *, read_only: bool = True) -> str:
    """The SQL that opens the warehouse in any DuckDB client of this environment (the `duckdb`
    CLI, a notebook, `duckdb.connect().execute(attach_sql(path))`): no download, the lake attached
    read-only by default and used, so its tables and views answer unqualified."""
    folder = install_extensions()
    statements = [
        "SET autoinstall_known_extensions = false",
        "SET autoload_known_extensions = false",
        f"SET extension_directory = '{_quoted(str(folder))}'",
        *attach_statements(Path(catalog), read_only=read_only),
        *search_statements(Path(catalog)),
    ]
    return "".join(f"{statement};\n" for statement in statements)


def connection_config() -> dict[str, str | bool]:
    """The config of a connection that attaches the lake: extensions only from our directory."""
    # Its files come from the pinned packages (hash-checked by uv.lock) into an owner-only folder
    # of this environment, and nothing is downloaded or autoloaded. DuckDB would check their
    # signatures again at each connection (about 0.25 s of CPU per extension; a run opens the lake
    # several times): whoever could swap a file there could as well change this code.
    return {
        **_NO_DOWNLOADS,
        "extension_directory": str(install_extensions()),
        "allow_unsigned_extensions": True,
    }


def catalog_of(con: duckdb.DuckDBPyConnection) -> Path:
    """The warehouse path of the lake attached to `con` (by `attach_statements`, as `LAKE`)."""
    try:
        found = con.execute(f"SELECT getvariable('{_WAREHOUSE_VARIABLE}')").fetchone()
    except duckdb.Error:
        found = None
    if not found or not found[0]:
        raise RuntimeError(f"this connection has no lake attached as {LAKE!r}")
    return Path(str(found[0]))
