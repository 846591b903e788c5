"""Attacks repelled and combat engagements, by direction or front-wide (rules `combat.*`)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

from facts.dates import PAST_DAY_RE, explicit_date
from facts.records import CombatReport, Counted, Source
from facts.text import NUM, PLACE, PLACE_CORE, TOLL_VERB, count_of, is_place

_ATTACKS = (
    r"(?:(?:Russian|enemy|hostile)\s+)?(?:attacks?|assaults?|offensive\s+actions?|offensives?"
    r"|assault\s+actions?|storming\s+attempts?|attempts\s+to\s+advance)"
)
_ENGAGEMENTS = r"(?:combat\s+engagements|combat\s+clashes|clashes|battles|combat\s+actions)"
_FRONT_WIDE = r"(?:on|along|across|at)\s+the\s+(?:entire\s+|whole\s+)?front(?:[\s-]?line)?\b"
_PLACE_PHRASE_RE: Final = re.compile(
    rf"\s*(?:(?i:in|on)\s+(?:(?i:the)\s+)?(?P<dir>{PLACE_CORE})\s+(?i:direction|sector|axis|front)\b"
    rf"|(?i:in|on)\s+(?:(?i:the)\s+)?(?P<region>{PLACE_CORE}\s+(?:region|Region|oblast|Oblast))"
    rf"|(?i:near|around|close\s+to|in\s+the\s+vicinity\s+of)\s+(?P<near>{PLACE})"
    rf"|(?P<front>(?i:{_FRONT_WIDE}))"
    rf"|(?i:in)\s+(?P<city>{PLACE}))"
)
_REPEL_RE: Final = re.compile(
    r"\b(?:repel(?:s|led)?|repuls(?:e|es|ed)|stop(?:s|ped)?|thwart(?:s|ed)?|foil(?:s|ed)?)\s+"
    rf"(?P<n>{NUM})\s+{_ATTACKS}\b",
    re.I,
)
_CONTINUATION_RE: Final = re.compile(
    rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?P<n>{NUM})\s+(?:more\s+)?(?:{_ATTACKS}\s+)?(?=\S)", re.I
)
_DIRECTION_FIRST_RE: Final = re.compile(
    rf"^(?i:in\s+the)\s+(?P<dir>{PLACE_CORE})\s+(?i:direction|sector|axis),?\s+"
    rf"[^;:]*?(?P<n>{NUM})\s+(?i:times\b|{_ATTACKS}|(?P<engagements>{_ENGAGEMENTS}))"
)
_ATTACKED_TIMES_RE: Final = re.compile(
    r"\b(?:the\s+enemy|the\s+occupiers|Russian\s+(?:forces|troops|occupiers)|Russians)\s+"
    r"(?:attacked|tried\s+to\s+advance|launched\s+attacks)\s+(?:(?:Ukrainian\s+)?positions\s+)?"
    rf"(?P<n>{NUM})\s+times\b",
    re.I,
)
_ENGAGEMENTS_RE: Final = re.compile(
    rf"(?P<n>{NUM})\s+{_ENGAGEMENTS}\b"
    rf"|\bnumber\s+of\s+{_ENGAGEMENTS}\s+(?:has\s+)?{TOLL_VERB}\s+to\s+(?P<n2>{NUM})",
    re.I,
)
_FRONT_WIDE_RE: Final = re.compile(_FRONT_WIDE, re.I)
_OF_THEM_RE: Final = re.compile(rf"(?P<n>{NUM})\s+of\s+them\b", re.I)


def _place_phrase(sentence: str, pos: int) -> tuple[bool, str | None, int]:
    """(found, direction, end) for a place phrase at ``pos``; direction None means front-wide."""
    match = _PLACE_PHRASE_RE.match(sentence, pos)
    if match is None or match.group("front"):
        return (match is not None, None, match.end() if match else pos)
    place = (
        match.group("dir") or match.group("region") or match.group("near") or match.group("city")
    )
    if not is_place(place):
        return (False, None, pos)
    return (True, place, match.end())


def combats(sentence: str, source: Source, published: date) -> list[CombatReport]:
    """The combat counts one sentence states."""
    event_date = explicit_date(sentence, published)
    if event_date is None:
        past_day = PAST_DAY_RE.search(sentence) is not None
        event_date = published - timedelta(days=1) if past_day else published

    def row(
        direction: str | None, count: int, rule: str, counted: Counted = "attacks"
    ) -> CombatReport:
        return CombatReport(direction, counted, count, event_date, rule, source, sentence)

    rows: list[CombatReport] = []
    for repel in _REPEL_RE.finditer(sentence):
        found, direction, pos = _place_phrase(sentence, repel.end())
        if not found:
            continue
        rows.append(row(direction, count_of(repel), "combat.repelled_near"))
        while more := _CONTINUATION_RE.match(sentence, pos):
            found, direction, end = _place_phrase(sentence, more.end())
            if not found:
                break
            rows.append(row(direction, count_of(more), "combat.repelled_near"))
            pos = end
    if rows:
        return rows
    first = _DIRECTION_FIRST_RE.search(sentence)
    if first and is_place(first.group("dir")):
        counted: Counted = "engagements" if first.group("engagements") else "attacks"
        return [row(first.group("dir"), count_of(first), "combat.direction_first", counted)]
    for attacked in _ATTACKED_TIMES_RE.finditer(sentence):
        found, direction, _ = _place_phrase(sentence, attacked.end())
        if found:
            rows.append(row(direction, count_of(attacked), "combat.attacked_times"))
    for engagements in _ENGAGEMENTS_RE.finditer(sentence):
        count = count_of(engagements, "n" if engagements.group("n") else "n2")
        found, direction, _ = _place_phrase(sentence, engagements.end())
        if found and direction is not None:
            rows.append(row(direction, count, "combat.engagements_direction", "engagements"))
        elif _FRONT_WIDE_RE.search(sentence):
            rows.append(row(None, count, "combat.engagements_front", "engagements"))
    if rows:
        # "<n> of them" shares out the count before it: engagements when there were any.
        of: Counted = "engagements" if any(r.counted == "engagements" for r in rows) else "attacks"
        for share in _OF_THEM_RE.finditer(sentence):
            found, direction, _ = _place_phrase(sentence, share.end())
            if found and direction is not None:
                rows.append(row(direction, count_of(share), "combat.of_them", of))
    return rows
