"""The loss categories: what the General Staff counts, as newsflow names it."""

from __future__ import annotations

# What the rules read from headlines and leads (`facts.losses`).
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
# The official data set counts these too; headlines do not report them.
OFFICIAL_LOSS_CATEGORIES: tuple[str, ...] = (*LOSS_CATEGORIES, "ground_robot", "srbm_launcher")
