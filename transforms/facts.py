"""The facts tables: what the rules in `facts/` find in each article version's headline and lead,
one row per fact (a fact stated in the headline and again in the lead is one row naming both), as
frames, and each loss report beside the official figure it should equal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import polars as pl

from facts.places import find_places, place_in
from facts.rules import extract_facts
from transforms.schemas import FACT_KEYS, FACT_TABLES, frame

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


@dataclass(frozen=True, slots=True)
class ArticleVersion:
    """One stated version of an article: its headline and lead, when it was stated, and the Kyiv
    date it was published (dates the text leaves implicit are read against it). `current` marks
    the version the site shows now (places are read from it only); `outlet` is the article's,
    which every fact it states carries."""

    url: str
    stated_at: datetime
    published: date
    title: str
    lead: str
    current: bool
    outlet: str | None


def fact_frames(versions: Iterable[ArticleVersion]) -> dict[str, pl.DataFrame]:
    """One frame per facts table, one row per fact each version states (see `facts_of` and
    `numbered`); a
    strike's place and a combat report's direction as their gazetteer entries (`placed`).
    `official` of `loss_reports` is still empty: see `with_official`."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in FACT_TABLES}
    for version in versions:
        stated = {"url": version.url, "stated_at": version.stated_at, "outlet": version.outlet}
        found = extract_facts(version.title, version.lead, version.published)
        statements: dict[str, list[dict[str, Any]]] = {
            "loss_reports": [row_of(x) for x in found.losses],
            "strike_events": [
                {**row_of(x), **placed(x.sentence, x.place, "place")} for x in found.strikes
            ],
            "combat_reports": [
                {**row_of(x), **placed(x.sentence, x.direction, "direction")} for x in found.combats
            ],
            "prisoner_exchanges": [row_of(x) for x in found.prisoners],
        }
        if version.current:
            statements["places"] = [
                {"source": source, **row_of(m)}
                for source, text in (("title", version.title), ("lead", version.lead))
                for m in find_places(text)
            ]
        for name, said in statements.items():
            rows[name] += [{**stated, **row} for row in said]
    return {
        name: frame(
            [
                {k: v for k, v in row.items() if k in schema}
                for row in numbered(facts_of(rows[name], FACT_KEYS[name]))
            ],
            schema,
        )
        for name, schema in FACT_TABLES.items()
    }


def row_of(record: DataclassInstance) -> dict[str, Any]:
    """A fact record's fields by name. Shallow, unlike `dataclasses.asdict` (a fifth of the rules'
    time): the records of `facts.records` and `facts.places` hold plain values only."""
    return {field.name: getattr(record, field.name) for field in fields(record)}


def by_article(versions: Sequence[ArticleVersion], parts: int) -> list[list[ArticleVersion]]:
    """`versions` (each article's together, as `article_versions` gives them) cut into at most
    `parts` runs of consecutive versions of about equal size, never between two versions of one
    article (two of them may be one version, see `numbered`): the runs' `fact_frames`, joined
    in order (`joined_frames`), are the `fact_frames` of all."""
    size = max(1, -(-len(versions) // max(parts, 1)))
    out: list[list[ArticleVersion]] = []
    for version in versions:
        if not out or (len(out[-1]) >= size and version.url != out[-1][-1].url):
            out.append([])
        out[-1].append(version)
    return out


def joined_frames(parts: Iterable[Mapping[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    """The facts tables' frames of several runs of versions (`by_article`), each table's rows in
    the runs' order."""
    drawn = list(parts)
    return {
        name: pl.concat([part[name] for part in drawn]) if drawn else frame([], schema)
        for name, schema in FACT_TABLES.items()
    }


def numbered(facts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facts numbered (`seq`) in reading order within each article version (url, stated_at); two
    versions stated at the same instant are one version, so a fact they both state is one row.
    Tables without `seq` drop it."""
    counts: dict[tuple[Any, Any], int] = {}
    out = []
    for fact in facts:
        version = (fact["url"], fact["stated_at"])
        out.append({**fact, "seq": counts.get(version, 0)})
        counts[version] = counts.get(version, 0) + 1
    return out


def facts_of(statements: Sequence[Mapping[str, Any]], key: Sequence[str]) -> list[dict[str, Any]]:
    """Statements (in reading order: the headline's, then the lead's) merged into facts: those
    with equal `key` values state one fact, whose row is its first statement's with `fields`
    naming each field that states it (["title", "lead"]) and, when the headline states it and the
    lead does too, the lead's sentence as `lead_sentence`. Facts come in reading order."""
    facts: dict[tuple[Any, ...], dict[str, Any]] = {}
    for statement in statements:
        identity = tuple(statement[column] for column in key)
        fact = facts.get(identity)
        if fact is None:
            facts[identity] = {**statement, "fields": [statement["source"]], "lead_sentence": None}
        elif statement["source"] not in fact["fields"]:
            fact["fields"].append(statement["source"])
            fact["lead_sentence"] = statement.get("sentence")
    return list(facts.values())


def placed(sentence: str, phrase: str | None, column: str) -> dict[str, Any]:
    """A place phrase of a sentence as its gazetteer entry, the one `places` rows use: `column`
    is the gazetteer's name for it ("Izyum" for "Ukraine's Izyum", "Kursk Oblast" for "Kursk
    region"), or the phrase itself when the gazetteer has none (geonameid NULL: "Ukraine");
    `<column>_text` keeps the phrase. A phrase of None (the whole front) stays None."""
    mention = place_in(sentence, phrase) if phrase is not None else None
    return {
        column: mention.place if mention else phrase,
        f"{column}_text": phrase,
        "geonameid": mention.geonameid if mention else None,
        "latitude": mention.latitude if mention else None,
        "longitude": mention.longitude if mention else None,
    }


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
