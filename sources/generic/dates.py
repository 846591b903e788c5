"""Times as pages write them: ISO 8601 and its common variants, aware when an offset is given."""

from __future__ import annotations

import re
from datetime import datetime

# `2024-04-30 16:38:37 +02:00`, `2024-04-27T15:56:35+0100`, `…Z`, `…T16:45+0100`, fractions.
_ISO = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?\s*$",
    re.IGNORECASE,
)


def read_instant(value: object) -> datetime | None:
    """An ISO 8601 time: aware when it states an offset (or `Z`), else the naive wall time (a date
    alone is its midnight); None for anything else."""
    if not isinstance(value, str):
        return None
    match = _ISO.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    text = f"{year}-{month}-{day}T{int(hour or 0):02d}:{minute or '00'}:{second or '00'}"
    if offset and hour is not None:
        offset = "+00:00" if offset.upper() == "Z" else offset
        digits = offset[1:].replace(":", "")
        text += f"{offset[0]}{digits[:2]}:{digits[2:4] or '00'}"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
