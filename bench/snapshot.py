"""The bundled snapshot ingested into a warehouse, as the benchmarks and the tests start from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def ingest_snapshot(base_url: str, warehouse: Path, **options: Any) -> Any:
    """The ingest flow against a snapshot server: whole sitemap, no pause between requests."""
    from flows.ingest import ingest

    settings: dict[str, Any] = {"lookback_days": 3650, "min_interval_s": 0.0, **options}
    return ingest(base_url=base_url, warehouse=str(warehouse), **settings)
