"""Where a lake's catalog lives. The warehouse path is always a local file: by default the lake's
own SQLite catalog; for a lake shared by several machines, a small link file naming the shared
PostgreSQL catalog and the shared folder of its Parquet files. Everything beside the warehouse
path (the writer lock, the search index, the raw archive, Data Docs) stays local either way.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

_SQLITE_MAGIC = b"SQLite format 3\x00"
_DUCKDB_MAGIC = b"DUCK"  # at offset 8 of a DuckDB database file
_LINK_HEADER = "# newsflow: shared lake catalog"
_LINK_MAX_BYTES = 4096
POSTGRES_PREFIX = "postgres:"
# libpq's key=value form: the keys DuckDB's postgres extension passes on; values plain words.
_POSTGRES_DSN = re.compile(r"postgres:(?:\s*[a-z_]+=[^\s'\"\\]+)+\s*")


class CatalogError(ValueError):
    """A shared-catalog setting or link file this process cannot use (what is wrong, what to do)."""


@dataclass(frozen=True, slots=True)
class Catalog:
    """A lake's catalog as DuckDB attaches it: the `ducklake:` URL, the folder of its data files
    and the extension that reads the catalog's database."""

    url: str
    data: Path
    extension: str
    shared: bool


def file_kind(path: Path) -> str:
    """'sqlite', 'duckdb', 'link' (a shared catalog's link file), 'empty' (absent or zero bytes)
    or 'other': what the file at `path` is."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(_LINK_HEADER))
    except FileNotFoundError:
        return "empty"
    if not head:
        return "empty"
    if head.startswith(_SQLITE_MAGIC):
        return "sqlite"
    if head[8:12] == _DUCKDB_MAGIC:
        return "duckdb"
    if head == _LINK_HEADER.encode():
        return "link"
    return "other"


def check_postgres(dsn: str) -> str:
    """`dsn` when it is a PostgreSQL catalog DuckDB can attach (`postgres:` then libpq
    `key=value` words, no quotes); otherwise a `CatalogError` saying the form."""
    if not _POSTGRES_DSN.fullmatch(dsn):
        raise CatalogError(
            "a shared catalog is `postgres:` followed by libpq key=value words without quotes, "
            "for example `postgres:dbname=newsflow host=db.example port=5432 user=newsflow` "
            "(a password belongs in ~/.pgpass or $PGPASSWORD, not here)"
        )
    return dsn.strip()


def link_text(postgres: str, data: Path) -> str:
    """The link file's content: the header, then the catalog and the data folder as TOML."""
    data_folder = str(data.absolute()).replace("\\", "\\\\").replace('"', '\\"')
    return (
        f"{_LINK_HEADER} (written from $NEWSFLOW_CATALOG and $NEWSFLOW_LAKE_DATA; set those, not this)\n"
        f'catalog = "{check_postgres(postgres)}"\n'
        f'data = "{data_folder}/"\n'
    )


def link_shared_catalog(path: Path, postgres: str, data: Path) -> None:
    """Make the warehouse path a link to the shared catalog `postgres` with its data in `data`
    (owner-only; rewritten only when it says something else). A warehouse path holding a lake of
    its own or a DuckDB file is never overwritten: that is a `CatalogError`."""
    text = link_text(postgres, data)
    kind = file_kind(path)
    if kind not in ("empty", "link"):
        raise CatalogError(
            f"{path} holds a warehouse of its own ({kind}); a shared catalog needs a warehouse "
            "path of its own: choose a new --warehouse PATH (or $NEWSFLOW_WAREHOUSE) for the link"
        )
    if kind == "link" and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.link")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)


def catalog_at(path: Path) -> Catalog:
    """The catalog of the warehouse at `path`: the SQLite file itself (data in `<path>.files/`),
    or the shared one its link file names."""
    if file_kind(path) != "link":
        return Catalog(
            url=f"ducklake:sqlite:{path.absolute()}",
            data=data_path(path),
            extension="sqlite",
            shared=False,
        )
    with open(path, "rb") as handle:
        raw = handle.read(_LINK_MAX_BYTES + 1)
    try:
        if len(raw) > _LINK_MAX_BYTES:
            raise ValueError(f"longer than {_LINK_MAX_BYTES} bytes")
        fields = tomllib.loads(raw.decode("utf-8"))
        postgres, data = str(fields["catalog"]), Path(str(fields["data"]))
    except (ValueError, KeyError, UnicodeDecodeError) as error:
        raise CatalogError(
            f"the link file {path} is damaged ({error}): set $NEWSFLOW_CATALOG and "
            "$NEWSFLOW_LAKE_DATA again and it is written anew"
        ) from error
    return Catalog(
        url=f"ducklake:{check_postgres(postgres)}", data=data, extension="postgres", shared=True
    )


def data_path(catalog: Path) -> Path:
    """A local lake's Parquet folder: beside its catalog file, named after it."""
    return catalog.with_name(f"{catalog.name}.files")
