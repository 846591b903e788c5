"""The loss categories: what the General Staff counts, as newsflow names it."""

from __future__ import annotations

LOSS_CATEGORIES: tuple[str, ...] = (
    "personnel",
    "tank",
    "apc",
    "artillery",
    "mlrs",
    "air_defence",
    "aircraft",
    "helicopter",
    "drone",
    "cruise_missile",
    "ship",
    "submarine",
    "vehicle",
    "special_equipment",
)
