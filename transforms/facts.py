"""The facts tables: what the rules in `facts/` find in each article version's headline and lead,
as frames, and each loss report beside the official figure it should equal."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

import polars as pl

from facts.places import find_places
from facts.rules import CombatReport, PrisonerEvent, StrikeEvent, extract_facts
from transforms.schemas import FACT_KEYS, FACT_TABLES, frame


@dataclass(frozen=True, slots=True)
class ArticleVersion:
    """One stated version of an article: its headline and lead, when it was stated, and the Kyiv
    date it was published (dates the text leaves implicit are read against it). `current` marks
    the version the site shows now (places are read from it only)."""

    url: str
    stated_at: datetime
    published: date
    title: str
    lead: str
    current: bool


def fact_frames(versions: Iterable[ArticleVersion]) -> dict[str, pl.DataFrame]:
    """One frame per facts table (`official` of `loss_reports` still empty: see `with_official`)."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in FACT_TABLES}
    for version in versions:
        stated = {"url": version.url, "stated_at": version.stated_at}
        found = extract_facts(version.title, version.lead, version.published)
        rows["loss_reports"] += [{**stated, **asdict(x), "official": None} for x in found.losses]
        rows["strike_events"] += _numbered(stated, found.strikes)
        rows["combat_reports"] += _numbered(stated, found.combats)
        rows["prisoner_exchanges"] += _numbered(stated, found.prisoners)
        if version.current:
            for source, text in (("title", version.title), ("lead", version.lead)):
                rows["places"] += [
                    {"url": version.url, "source": source, **asdict(m)} for m in find_places(text)
                ]
    return {
        name: frame(
            [{k: v for k, v in row.items() if k in schema} for row in rows[name]],
            schema,
        ).unique(subset=list(FACT_KEYS[name]), keep="first", maintain_order=True)
        for name, schema in FACT_TABLES.items()
    }


def _numbered(
    stated: dict[str, Any], items: Sequence[StrikeEvent | CombatReport | PrisonerEvent]
) -> list[dict[str, Any]]:
    return [{**stated, "seq": n, **asdict(x)} for n, x in enumerate(items)]


def with_official(losses: pl.DataFrame, official: pl.DataFrame) -> pl.DataFrame:
    """`loss_reports` with `official` filled: the official difference from the day before for a
    daily figure, the official total for a cumulative one; NULL when the series lacks that day."""
    figures = official.select(pl.col("day").alias("report_date"), "category", "daily", "cumulative")
    return (
        losses.drop("official")
        .join(figures, on=["report_date", "category"], how="left", maintain_order="left")
        .with_columns(
            pl.when(pl.col("basis") == "daily")
            .then(pl.col("daily"))
            .otherwise(pl.col("cumulative"))
            .alias("official")
        )
        .select(losses.columns)
    )
