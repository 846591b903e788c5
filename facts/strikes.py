"""Attacks on a place with people killed or injured (rules `strike.*`)."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from facts.dates import explicit_date
from facts.records import Source, StrikeEvent
from facts.text import NUM, PLACE, TOLL_VERB, count_of, is_place

_WEAPONS: Final[tuple[tuple[str, str], ...]] = (
    ("ballistic missile", r"ballistic\s+missiles?|Iskanders?(?:-M)?|KN-23"),
    ("cruise missile", r"cruise\s+missiles?|Kalibrs?|Kh-101|Kh-555"),
    (
        "MLRS",
        r"MLRS|multiple\s+(?:launch\s+)?rocket\s+(?:systems?|launchers?)|Grads?|Smerch"
        r"|Uragan|Tornado-S",
    ),
    ("guided bomb", r"guided\s+(?:aerial\s+|air\s+)?bombs?|glide\s+bombs?|KABs?|aerial\s+bombs?"),
    ("drone", r"drones?|UAVs?|Shaheds?|Gerans?|FPVs?"),
    ("missile", r"missiles?|rockets?"),
    ("artillery", r"artillery|shell(?:s|ed|ing)?|mortars?|howitzers?"),
)
_WEAPON_ALT = "|".join(pattern for _, pattern in _WEAPONS)
_WEAPON_RE: Final = re.compile(
    "|".join(rf"\b(?P<w{index}>{pattern})\b" for index, (_, pattern) in enumerate(_WEAPONS)),
    re.I,
)
_ATTACK = (
    r"strikes?|attacks?|attacked|struck|shell(?:s|ed|ing)?|bomb(?:s|ed|ing)|bombardment|hits?"
    r"|targeted|targets?|air\s*strikes?"
)
_STRIKE_CUE_RE: Final = re.compile(
    rf"\b(?:{_ATTACK}|{_WEAPON_ALT})\b|\bRussians\b"
    r"|\bRussian\s+(?:troops|forces|army|military|occupiers)\b|\boccupiers\b",
    re.I,
)
_ATTACK_PLACE_RE: Final = re.compile(
    rf"\b(?i:{_ATTACK})\s+(?:(?i:on|against|at|of|in|upon)\s+)?(?:(?i:the)\s+)?(?P<place>{PLACE})"
)
_IN_PLACE_RE: Final = re.compile(rf"\b(?i:in|on|near)\s+(?:(?i:the)\s+)?(?P<place>{PLACE})")
_SUBSET_RE: Final = re.compile(
    r"\b(?:including|among\s+them|among\s+whom|of\s+whom|of\s+them)\b[^,;:]*", re.I
)
_MILITARY = (
    r"\s+(?:Russian\s+|enemy\s+|Ukrainian\s+)?(?:soldiers|troops|servicem[ae]n|occupiers"
    r"|invaders|military|personnel|fighters)\b"
)
_KILLS_RE: Final = re.compile(
    r"\b(?:kills?|killed|killing|claim(?:s|ed)?\s+(?:the\s+)?lives\s+of"
    r"|t(?:akes?|ook)\s+(?:the\s+)?lives\s+of)\s+(?:at\s+least\s+)?"
    rf"(?P<n>{NUM})(?!{_MILITARY})",
    re.I,
)
_INJURES_RE: Final = re.compile(
    r"\b(?:injur(?:es?|ed|ing)|wound(?:s|ed|ing)?|hurt(?:s|ing)?)\s+(?:at\s+least\s+)?"
    rf"(?P<n>{NUM})(?!{_MILITARY})",
    re.I,
)
_PEOPLE = (
    r"(?:(?:more|other|others|people|persons|civilians|residents|locals|children|men|women)\s+)?"
    r"(?:(?:were|was|are|is|have\s+been|has\s+been)\s+)?"
)
_KILLED_RE: Final = re.compile(rf"(?P<n>{NUM})\s+{_PEOPLE}(?:killed|dead|died)\b", re.I)
_INJURED_RE: Final = re.compile(rf"(?P<n>{NUM})\s+{_PEOPLE}(?:injured|wounded|hurt)\b", re.I)
_DEATH_TOLL_RE: Final = re.compile(
    rf"\bdeath\s+toll\b[^.;]*?\b{TOLL_VERB}\s+to\s+(?:at\s+least\s+)?(?P<n>{NUM})", re.I
)
_INJURED_TOLL_RE: Final = re.compile(
    r"\bnumber\s+of\s+(?:the\s+)?(?:injured|wounded)(?:\s+people)?\b[^.;]*?"
    rf"\b{TOLL_VERB}\s+to\s+(?:at\s+least\s+)?(?P<n>{NUM})",
    re.I,
)


def _first_count(text: str, *patterns: re.Pattern[str]) -> int | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return count_of(match)
    return None


def strikes(sentence: str, source: Source, published: date) -> list[StrikeEvent]:
    """The strike one sentence reports, as a list of none or one."""
    if not _STRIKE_CUE_RE.search(sentence):
        return []
    # Blank out subsets ("including two children") so they are not read as extra casualties.
    text = _SUBSET_RE.sub(lambda m: " " * len(m.group()), sentence)
    killed = _first_count(text, _DEATH_TOLL_RE)
    injured = _first_count(text, _INJURED_TOLL_RE)
    if killed is not None or injured is not None:
        rule = "strike.death_toll_rises"
    else:
        killed = _first_count(text, _KILLS_RE)
        injured = _first_count(text, _INJURES_RE)
        rule = "strike.kills_injures"
        if killed is None and injured is None:
            rule = "strike.killed_injured"
        if killed is None:
            killed = _first_count(text, _KILLED_RE)
        if injured is None:
            injured = _first_count(text, _INJURED_RE)
    if killed is None and injured is None:
        return []
    place = _strike_place(sentence)
    if place is None:
        return []
    weapon_match = _WEAPON_RE.search(sentence)
    weapon = None
    if weapon_match and weapon_match.lastgroup:
        weapon = _WEAPONS[int(weapon_match.lastgroup[1:])][0]
    event_date = explicit_date(sentence, published) or published
    return [StrikeEvent(place, weapon, killed, injured, event_date, rule, source, sentence)]


def _strike_place(sentence: str) -> str | None:
    for pattern in (_ATTACK_PLACE_RE, _IN_PLACE_RE):
        for match in pattern.finditer(sentence):
            if is_place(match.group("place")):
                return match.group("place")
    return None
