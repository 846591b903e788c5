"""Keep the raw bytes of responses that could not be used, so a later run or a person can look."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from sources.http import Fetched

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def raw_path(folder: Path, run_id: str, fetched: Fetched) -> Path:
    """`<folder>/<run_id>/<url-path-as-name>.html` for one response."""
    parts = urlsplit(fetched.url)
    name = _UNSAFE.sub(
        "_", (parts.path.strip("/") or "index") + (f"_{parts.query}" if parts.query else "")
    )
    return folder / run_id / f"{name[:150]}.html"


def keep_raw(folder: Path, run_id: str, fetched: Fetched) -> Path:
    """Write the response body to its raw path and return the path."""
    path = raw_path(folder, run_id, fetched)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(fetched.body)
    return path
