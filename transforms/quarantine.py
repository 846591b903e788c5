"""`quarantine`: one row per record kept out of its table, with the reasons."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import polars as pl

from transforms.schemas import QUARANTINE, frame


def quarantine(
    run_id: str, at: datetime, records: Iterable[tuple[str, Mapping[str, Any], Iterable[str]]]
) -> pl.DataFrame:
    """The `quarantine` frame from (table, record, reasons) triples; records become JSON text."""
    rows = [
        {
            "table_name": table,
            "record": json.dumps(dict(record), default=str, ensure_ascii=False, sort_keys=True),
            "reasons": list(reasons),
            "run_id": run_id,
            "quarantined_at": at,
        }
        for table, record, reasons in records
    ]
    return frame(rows, QUARANTINE)
