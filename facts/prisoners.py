"""Prisoner exchanges and surrenders (rules `exchange.*` and `surrender.*`)."""

from __future__ import annotations

import re
from datetime import date
from typing import Final, Literal

from facts.dates import explicit_date
from facts.records import PrisonerEvent, Side, Source
from facts.text import NUM, count_of, parse_number

_CAPTIVITY_RE: Final = re.compile(r"\b(?:captivity|exchanges?|swaps?|prisoners?|POWs?)\b", re.I)
_FREED = (
    r"(?:defenders|soldiers|servicem[ae]n|prisoners(?:\s+of\s+war)?|POWs|people|civilians"
    r"|citizens|Ukrainians|warriors|fighters|military\s+personnel|troops|marines)"
)
_SWAP_RE: Final = re.compile(
    r"\b(?:exchang(?:e|es|ed|ing)|swap(?:s|ped|ping)?)\s+"
    rf"(?P<n>{NUM})\s+(?:prisoners(?:\s+of\s+war)?|POWs|captives|servicem[ae]n|soldiers|people"
    rf"|military\s+personnel|defenders)\s+(?:each\b|for\s+(?P<m>{NUM}))"
    rf"|\bexchange(?:\s+of)?\s*:?\s+(?P<n2>{NUM})\s+for\s+(?P<m2>{NUM})",
    re.I,
)
_FREES_RE: Final = re.compile(
    r"\b(?:frees?|freed|releas(?:e|es|ed)|brings?\s+(?:back\s+)?home|brought\s+(?:back\s+)?home"
    r"|returns?|returned|gets?\s+back|got\s+back)\s+(?:another\s+)?"
    rf"(?P<n>{NUM})\s+(?:more\s+)?(?:(?P<nat>Ukrainian|Russian)\s+)?(?P<who>{_FREED})\b",
    re.I,
)
_RETURN_HOME_RE: Final = re.compile(
    rf"(?P<n>{NUM})\s+(?:more\s+)?(?:(?P<nat>Ukrainian|Russian)\s+)?(?P<who>{_FREED})\s+"
    r"(?:have\s+|has\s+|were\s+|are\s+)?(?:return(?:s|ed)?(?:\s+back)?\s+home|c(?:o|a)me\s+home"
    r"|(?:released|freed)\s+from|return(?:s|ed)?\s+from)\b",
    re.I,
)
_CAPTIVITY_OF_RE: Final = re.compile(r"\bfrom\s+(?P<nat>Russian|Ukrainian)\s+captivity\b", re.I)
_SURRENDER_RE: Final = re.compile(
    rf"(?P<n>{NUM})\s+(?:more\s+)?(?:(?P<nat>Russian|Ukrainian|North\s+Korean)\s+)?"
    r"(?P<who>servicem[ae]n|soldiers|troops|occupiers|invaders|marines|paratroopers"
    r"|military(?:\s+personnel)?|fighters|infantrymen)\s+(?:have\s+|has\s+)?(?:voluntarily\s+)?"
    r"(?:surrender(?:s|ed)?|l(?:ay|aid)\s+down\s+(?:their\s+)?arms)\b",
    re.I,
)
_SURRENDER_TO_RE: Final = re.compile(r"\bto\s+(?:the\s+)?(?P<nat>Ukrainian|Russian)\b", re.I)


def _side_of(nationality: str | None) -> Side | None:
    lowered = (nationality or "").lower()
    if lowered == "ukrainian":
        return "ukrainian"
    if lowered == "russian":
        return "russian"
    return None


def _other(side: Side) -> Side:
    return "russian" if side == "ukrainian" else "ukrainian"


def prisoners(sentence: str, source: Source, published: date) -> list[PrisonerEvent]:
    """The exchange or surrender one sentence reports."""
    event_date = explicit_date(sentence, published) or published

    def row(
        kind: Literal["exchange", "surrender"], count: int, side: Side, rule: str
    ) -> PrisonerEvent:
        return PrisonerEvent(kind, count, side, event_date, rule, source, sentence)

    if _CAPTIVITY_RE.search(sentence):
        swap = _SWAP_RE.search(sentence)
        if swap:
            ours = count_of(swap, "n" if swap.group("n") else "n2")
            theirs_text = swap.group("m") or swap.group("m2")
            theirs = ours if theirs_text is None else parse_number(theirs_text)
            if theirs != ours:
                return []
            return [
                row("exchange", ours, "ukrainian", "exchange.swap_each"),
                row("exchange", ours, "russian", "exchange.swap_each"),
            ]
        for pattern, rule in (
            (_FREES_RE, "exchange.frees_from_captivity"),
            (_RETURN_HOME_RE, "exchange.return_home"),
        ):
            match = pattern.search(sentence)
            if match:
                side = _side_of(match.group("nat"))
                if side is None:
                    # Held by one side means the people are of the other; the site's default
                    # reading of "frees"/"return home" is Ukrainians.
                    held_by = _CAPTIVITY_OF_RE.search(sentence)
                    holder = _side_of(held_by.group("nat")) if held_by else None
                    side = _other(holder) if holder else "ukrainian"
                return [row("exchange", count_of(match), side, rule)]
    surrender = _SURRENDER_RE.search(sentence)
    if surrender:
        side = _side_of(surrender.group("nat"))
        if surrender.group("nat") is None:
            if surrender.group("who").lower() in ("occupiers", "invaders"):
                side = "russian"
            elif to := _SURRENDER_TO_RE.search(sentence, surrender.end()):
                captor = _side_of(to.group("nat"))
                side = _other(captor) if captor else None
        if side is not None:
            return [row("surrender", count_of(surrender), side, "surrender.servicemen_surrender")]
    return []
