"""`official_losses`: the General Staff's daily cumulative figures, one row per day and category,
with the day-over-day difference (what a day's report states)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import polars as pl

from facts.categories import OFFICIAL_LOSS_CATEGORIES
from transforms.schemas import OFFICIAL_LOSSES

# newsflow's category (`facts.categories`) → the data set's field(s) (summed when the set splits what reports join).
CATEGORY_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "personnel": (("personnel",),),
    "tank": (("tank",),),
    "apc": (("APC",),),
    "artillery": (("field artillery",),),
    "mlrs": (("MRL",),),
    "air_defence": (("anti-aircraft warfare",),),
    "aircraft": (("aircraft",),),
    "helicopter": (("helicopter",),),
    "drone": (("drone",),),
    "cruise_missile": (("cruise missiles",),),
    "ship": (("naval ship",),),
    "submarine": (("submarines",),),
    # Early days list army trucks and fuel tankers apart; later ones as one figure.
    "vehicle": (("vehicles and fuel tanks",), ("military auto", "fuel tank")),
    "special_equipment": (("special equipment",),),
    "ground_robot": (("ground robotic systems",),),
    "srbm_launcher": (("mobile SRBM system",),),
}


def _figure(day: Mapping[str, Any], choices: tuple[tuple[str, ...], ...]) -> int | None:
    """The first set of fields the day has in full, summed (numbers only)."""
    for fields in choices:
        values = [day.get(f) for f in fields]
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return sum(int(v) for v in values if v is not None)
    return None


def official_losses(
    personnel: Sequence[Mapping[str, Any]],
    equipment: Sequence[Mapping[str, Any]],
    source: str,
    loaded_at: datetime,
) -> pl.DataFrame:
    """Both files of the data set → the `official_losses` frame. `daily` is the difference from
    the day before, and NULL when the day before is missing (the first day, or a gap)."""
    days: dict[date, dict[str, Any]] = {}
    for entry in [*personnel, *equipment]:
        days.setdefault(date.fromisoformat(str(entry["date"])), {}).update(entry)
    rows = [
        {"day": day, "category": category, "cumulative": value}
        for day, entry in days.items()
        for category in OFFICIAL_LOSS_CATEGORIES
        if (value := _figure(entry, CATEGORY_FIELDS[category])) is not None
    ]
    long = pl.DataFrame(
        rows, schema={"day": pl.Date, "category": pl.String, "cumulative": pl.Int64}
    ).sort("category", "day")
    previous_day = pl.col("day").shift(1).over("category")
    return (
        long.with_columns(
            pl.when(previous_day == pl.col("day") - pl.duration(days=1))
            .then(pl.col("cumulative") - pl.col("cumulative").shift(1).over("category"))
            .alias("daily"),
            pl.lit(source).alias("source"),
            pl.lit(loaded_at).dt.convert_time_zone("UTC").alias("loaded_at"),
        )
        .select(OFFICIAL_LOSSES.names())
        .cast(OFFICIAL_LOSSES)
    )
