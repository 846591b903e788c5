"""A value derived from slow inputs, kept on disk between processes as plain JSON.

One file per value, in a folder beside the Python environment (`<sys.prefix>/var/cache/newsflow`,
or `$NEWSFLOW_CACHE_DIR`). The file holds a header line, `{"key": …, "sha256": …}`, then the
document. A file is used only when it is a regular file that the current user owns and alone may
read or write (0600), its key is the one asked for (the caller's key covers every input of the
value) and its digest matches; any other file is ignored and written anew, atomically (a temporary
file in the same folder, then a rename). The document is data, never code: JSON, decoded and
checked by the caller. Where the folder cannot be written the value is built in every process,
as it would be without a cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

CACHE_DIR_ENV = "NEWSFLOW_CACHE_DIR"

T = TypeVar("T")


def cache_dir() -> Path:
    """The folder of the cache files: `$NEWSFLOW_CACHE_DIR`, else one beside the environment."""
    chosen = os.environ.get(CACHE_DIR_ENV)
    return Path(chosen) if chosen else Path(sys.prefix) / "var" / "cache" / "newsflow"


def read_document(path: Path, key: str) -> object | None:
    """The JSON document stored at `path` under `key`; None when there is none or the file is
    another key's, damaged, not a regular file, or not the current user's alone."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as file:
        status = os.fstat(file.fileno())
        if (
            not stat.S_ISREG(status.st_mode)
            or status.st_uid != os.geteuid()
            or status.st_mode & 0o077
        ):
            return None
        try:
            data = file.read()
        except OSError:
            return None
    header, _, payload = data.partition(b"\n")
    try:
        head = json.loads(header)
        if (
            not isinstance(head, dict)
            or head.get("key") != key
            or head.get("sha256") != hashlib.sha256(payload).hexdigest()
        ):
            return None
        document: object = json.loads(payload)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    return document


def write_document(path: Path, key: str, document: object) -> None:
    """Store `document` at `path` under `key`, owner-only, replacing any file there atomically."""
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = json.dumps({"key": key, "sha256": hashlib.sha256(payload).hexdigest()})
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:  # mkstemp creates it 0600
            file.write(header.encode("utf-8") + b"\n" + payload)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def cached(
    name: str,
    key: str,
    build: Callable[[], T],
    encode: Callable[[T], object],
    decode: Callable[[object], T],
) -> T:
    """The value stored in the cache file `name` under `key` (read by `decode`, which raises
    ValueError, TypeError, KeyError or IndexError on a document it cannot trust), else `build()`,
    stored for the next process."""
    path = cache_dir() / name
    document = read_document(path, key)
    if document is not None:
        try:
            return decode(document)
        except (ValueError, TypeError, KeyError, IndexError):
            pass
    value = build()
    with contextlib.suppress(OSError):  # a read-only environment builds it each time
        write_document(path, key, encode(value))
    return value
