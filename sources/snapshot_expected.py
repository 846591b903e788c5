"""The bundled snapshot's ground truth (sources/espreso/snapshot_expected.json, written with the
pages): what parsing each snapshot page must give. Read by the tests and by the parse benchmark."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any

from sources.espreso.dates import kyiv_to_utc
from sources.snapshot_server import LIVE_ORIGIN, SNAPSHOT_DIR

MANIFEST: dict[str, Any] = json.loads(
    (SNAPSHOT_DIR.parent / "snapshot_expected.json").read_text(encoding="utf-8")
)
ARTICLES: list[dict[str, Any]] = MANIFEST["articles"]
LIVE = LIVE_ORIGIN.decode()


def page_bytes(slug: str) -> bytes:
    """The raw bytes of one snapshot article page."""
    return (SNAPSHOT_DIR / "articles" / f"{slug}.html").read_bytes()


def kyiv_instant(item: dict[str, Any]) -> datetime:
    """The UTC instant of a manifest entry's Kyiv date and time."""
    return kyiv_to_utc(date.fromisoformat(item["kyiv_date"]), time.fromisoformat(item["kyiv_time"]))


def iso_utc(value: str | None) -> datetime | None:
    """An ISO instant with offset, in UTC."""
    return datetime.fromisoformat(value).astimezone(UTC) if value else None
