"""The rows the rules produce: one dataclass per kind of fact, and `Facts`, all of one text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Source = Literal["title", "lead"]
Basis = Literal["daily", "cumulative"]
Side = Literal["ukrainian", "russian"]
Counted = Literal["attacks", "engagements"]


@dataclass(frozen=True, slots=True)
class LossReport:
    """One figure of the General Staff's report on Russian losses, as reported."""

    report_date: date
    category: str
    count: int
    basis: Basis
    rule: str
    source: Source
    sentence: str


@dataclass(frozen=True, slots=True)
class StrikeEvent:
    """An attack on a place with people killed and/or injured."""

    place: str
    weapon: str | None
    killed: int | None
    injured: int | None
    event_date: date
    rule: str
    source: Source
    sentence: str


@dataclass(frozen=True, slots=True)
class CombatReport:
    """Attacks repelled (or combat engagements) in one direction, or front-wide when None."""

    direction: str | None
    counted: Counted
    count: int
    event_date: date
    rule: str
    source: Source
    sentence: str


@dataclass(frozen=True, slots=True)
class PrisonerEvent:
    """People of one side freed in an exchange, or servicemen who surrendered."""

    kind: Literal["exchange", "surrender"]
    count: int
    side: Side
    event_date: date
    rule: str
    source: Source
    sentence: str


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything extracted from one article's title and lead, in reading order."""

    losses: tuple[LossReport, ...]
    strikes: tuple[StrikeEvent, ...]
    combats: tuple[CombatReport, ...]
    prisoners: tuple[PrisonerEvent, ...]
