"""Rule-based, explainable extraction of hard numbers from a headline and its lead.

Grain: one statement per fact stated in one sentence. Title and lead are read separately and every
statement says where it came from (``source``), the exact sentence (``sentence``) and the rule that
matched (``rule``). A fact repeated in the title and the lead gives one statement per field;
`transforms.facts` merges the statements of one fact into one row (``fields`` names both) and
places a strike or combat report's raw place phrase in the gazetteer (`facts.places`).

Rule ids and what they match (examples are the shapes in the tests):

==================================  ===========================================================
rule                                matches
==================================  ===========================================================
loss.staff_table                    General Staff list "tanks ‒ 10,021 (+9)": one cumulative and
                                    one daily row per item
loss.daily_list                     "<n> <category>, ..." with a loss word (lose/lost/losses) and
                                    a daily marker ("in one day", "over the past day", "daily")
loss.eliminated_daily               as above, worded "eliminate/neutralise/liquidate <n> soldiers"
loss.cumulative_list                "<n> <category>, ..." with a loss word and a total marker
                                    ("since the start of the full-scale invasion", "in total",
                                    "total"), or "losses as of <date>: ..."
loss.reach_total                    "losses reach / rise to / amount to / stand at <n> troops"
strike.kills_injures                attack + place + active verbs "kills 5, injures 59"
strike.killed_injured               attack + place + counts "3 killed, 12 wounded",
                                    "5 people were killed"
strike.death_toll_rises             revision: "death toll ... rises to 12",
                                    "number of injured rises to 30"
combat.repelled_near                "repel 35 attacks near Pokrovsk, 12 in Kursk region"
combat.direction_first              "In the Pokrovsk direction, the enemy attacked 35 times"
combat.attacked_times               "the enemy attacked 35 times in the Pokrovsk direction"
combat.engagements_front            "162 combat engagements took place on the front line"
                                    (direction None)
combat.engagements_direction        "35 combat engagements in the Pokrovsk direction"
combat.of_them                      "..., 35 of them in the Pokrovsk direction"
exchange.swap_each                  "exchange 84 prisoners each", "prisoner exchange: 84 for 84":
                                    one ukrainian and one russian row
exchange.frees_from_captivity       "frees/brings home <n> defenders" + captivity/exchange word
exchange.return_home                "<n> Ukrainian defenders return home from captivity"
surrender.servicemen_surrender      "<n> Russian servicemen surrender"
==================================  ===========================================================

Gates that drop a whole sentence, for every family: a forecast, proposal or condition ("could",
"will", "may", "proposes", "demands", "agree to", "if", ...) and a period total ("in 2024",
"in a week", "per month", "since the start of the year"). For losses also: an attack report
("launched", "shot down", "attacked Ukraine with <n> drones"), a sentence naming no Russian side
(Russia, enemy, occupiers, General Staff) and Ukrainian losses ("Ukraine lost ...").

Decisions worth knowing:

* Numbers are exact counts: "1,140", "1 140", "1140", "one".."twenty". Vague quantities
  ("dozens"), percentages, ordinals ("1,000th"), ranges ("1-2"), money ("$20") and bounds
  ("over 1,000", "more than", "nearly", "almost", "up to") are not counts. "about 844,070" is
  accepted (the General Staff's own wording), and so is "kills at least 5" (how tolls are
  reported; a later "death toll rises to" row revises it).
* A space-grouped number is read greedily: "Feb. 4 162 attacks" would read 4162. The site writes
  "1,140"; the space form is accepted for copy-pasted General Staff figures.
* Dates: the first explicit date in the same sentence ("Feb. 4", "February 4", "4 February",
  "as of February 5, 2025", "05.02.25"), except dates opened by "since"/"from" and 24 February
  2022 (period starts, not report dates). A month-day after the publication date belongs to
  the previous year. Without a date: the publication date; combat reports "over the past day"
  or "yesterday" get the day before publication.
* Losses: each item takes the basis of the nearest daily/total marker in its sentence, so
  "1,140 soldiers in one day, bringing the total to 844,070 soldiers" gives one row of each.
  "reach ..." and "as of <date>" count as total markers only when no other marker is present.
* Strikes: killed/injured count people, not soldiers ("kills 20 soldiers" is no strike
  casualty). Subsets ("including two children", "among them") are not counted. The weapon is
  the first one named in the sentence. A strike needs a place; "Ukraine" is a place.
* Combat: a repel count needs a place phrase or a front-wide phrase; without one it is skipped.
  ``counted`` says what was counted: ``attacks`` (repelled, "attacked <n> times") or
  ``engagements`` (combat engagements, and "<n> of them" after them).
* Exchanges: "exchange <n> prisoners" without "each" or "<n> for <n>" is skipped (per side or
  total is unclear), as are unequal "<n> for <m>" swaps. Freed/returned people are Ukrainian
  unless the text says Russian.
* Surrenders: the side comes from "Russian"/"Ukrainian" before the noun, from "occupiers", or
  from "to Ukrainian forces" (→ russian); otherwise the sentence is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

Source = Literal["title", "lead"]
Basis = Literal["daily", "cumulative"]
Side = Literal["ukrainian", "russian"]
Counted = Literal["attacks", "engagements"]

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


# Numbers

_NUMBER_WORDS: Final[dict[str, int]] = {
    word: value
    for value, word in enumerate(
        (
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ),
        start=1,
    )
}
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+"
_DIGITS_RE: Final = re.compile(_DIGITS)
# Longest words first so "seventeen" is not read as "seven".
_WORDS = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
# Lower bounds ("over 1,000", "more than 1,000") are not counts; fixed-width lookbehinds, one
# per phrase, because Python's lookbehind cannot vary in width.
_BOUNDS = ("over", "more than", "nearly", "almost", "up to", "less than", "fewer than", "under")
_NOT_AFTER = "".join(rf"(?<!(?i:{phrase}) )" for phrase in (*_BOUNDS, "some"))
_NUM: Final = (
    rf"(?<![\w$€£₴.,/–-]){_NOT_AFTER}"
    rf"(?:{_DIGITS}|(?i:{_WORDS}))"
    r"(?!\w|[.,]\d|[-–]\w|\s?%|\s+per\s?cent)"
)
_SEPARATORS_RE: Final = re.compile(r"[,\s\u00a0\u202f]")


def parse_number(text: str) -> int | None:
    """An exact count from "1,140", "1 140", "1140" or "one".."twenty"; None for anything else."""
    token = text.strip()
    word = _NUMBER_WORDS.get(token.lower())
    if word is not None:
        return word
    if _DIGITS_RE.fullmatch(token):
        return int(_SEPARATORS_RE.sub("", token))
    return None


def _num(match: re.Match[str], group: str = "n") -> int:
    value = parse_number(match.group(group))
    if value is None:  # _NUM only matches parseable tokens; this is a bug in a pattern
        raise ValueError(f"not a count: {match.group(group)!r} in {match.string!r}")
    return value


# Sentences

_ABBREVIATIONS: Final = frozenset(
    {"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"}
    | {"Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Lt", "Col", "Maj", "Capt", "Sgt", "Adm", "Sen"}
    | {"Rep", "Gov", "Pres", "Prof", "Jr", "Sr", "No", "vs", "approx"}
)
_BOUNDARY_RE: Final = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9])|\n+")
_TOKEN_BEFORE_RE: Final = re.compile(r"[\w.]+$")
_INITIALS_RE: Final = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-Z]")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as exact, trimmed substrings.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` followed by a capital or a digit, or at a line
    break; not after abbreviations ("Feb.", "Mr."), initials ("U.S.") or inside "1.5".
    """
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        if match.group().startswith("\n"):
            end = match.start()
        else:
            if match.group()[0] == "." and _ends_with_abbreviation(text[: match.start()]):
                continue
            end = match.end()
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = end
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _ends_with_abbreviation(before: str) -> bool:
    token = _TOKEN_BEFORE_RE.search(before)
    if token is None:
        return False
    word = token.group()
    return word in _ABBREVIATIONS or _INITIALS_RE.fullmatch(word) is not None


# Dates

_MONTH_NAMES: Final = (
    ("January", "Jan"),
    ("February", "Feb"),
    ("March", "Mar"),
    ("April", "Apr"),
    ("May",),
    ("June", "Jun"),
    ("July", "Jul"),
    ("August", "Aug"),
    ("September", "Sept", "Sep"),
    ("October", "Oct"),
    ("November", "Nov"),
    ("December", "Dec"),
)
_MONTHS: Final[dict[str, int]] = {
    name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_FULL = "|".join(names[0] for names in _MONTH_NAMES)
_YEAR = r"(?:19|20)\d{2}"
_DATE_RE: Final = re.compile(
    rf"\b(?P<mon>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*[-–]\s*\d)"
    rf"(?:,?\s+(?P<year>{_YEAR})\b)?"
    rf"|(?<![\d,.])(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{_MONTH})\b\.?"
    rf"(?:,?\s+(?P<year2>{_YEAR})\b)?"
    r"|(?<![\d.])(?P<day3>\d{1,2})\.(?P<mon3>\d{1,2})\.(?P<year3>\d{4}|\d{2})(?![\d])"
)
_PERIOD_START_RE: Final = re.compile(r"\b(?:since|from)\s+(?:the\s+)?$", re.I)
_INVASION_DAY: Final = date(2022, 2, 24)
_PAST_DAY_RE: Final = re.compile(
    r"\b(?:over|in|during|for)\s+the\s+(?:past|last|previous)\s+(?:day|24\s+hours)\b"
    r"|\byesterday\b",
    re.I,
)


def _explicit_date(sentence: str, published: date) -> date | None:
    for match in _DATE_RE.finditer(sentence):
        if _PERIOD_START_RE.search(sentence[max(0, match.start() - 12) : match.start()]):
            continue
        if match.group("mon"):
            month, day, year = _MONTHS[match.group("mon")], match.group("day"), match.group("year")
        elif match.group("mon2"):
            month, day, year = (
                _MONTHS[match.group("mon2")],
                match.group("day2"),
                match.group("year2"),
            )
        else:
            month, day = int(match.group("mon3")), match.group("day3")
            year = match.group("year3")
            if len(year) == 2:
                year = "20" + year
        try:
            if year is not None:
                found = date(int(year), month, int(day))
            else:
                found = date(published.year, month, int(day))
                if found > published:
                    found = date(published.year - 1, month, int(day))
        except ValueError:
            continue
        if found == _INVASION_DAY:
            continue
        return found
    return None


# Shared vocabulary

_IRREALIS_RE: Final = re.compile(
    r"\b(?:could|would|might|(?-i:may)|will|shall|should|propos(?:e|es|ed|ing|al|als)"
    r"|demand(?:s|ed|ing)?|plan(?:s|ned)?\s+to|agree(?:s|d)?\s+to|expect(?:s|ed)?|forecasts?"
    r"|predict(?:s|ed)?|threaten(?:s|ed)?|intend(?:s|ed)?\s+to|ready\s+to|prepared\s+to"
    r"|if|unless)\b",
    re.I,
)
_PERIOD_TOTAL_RE: Final = re.compile(
    r"\b(?:in|during|for|throughout|over)\s+(?:the\s+)?"
    r"(?:(?:past|last|first|second|whole|entire|previous)\s+)?(?:(?:a|one|two|three|\d+)\s+)?"
    rf"(?:weeks?|months?|years?|{_YEAR}\b|(?-i:{_MONTH_FULL})\b(?!\.?\s+\d))"
    r"|\bper\s+(?:week|month|year)\b|\b(?:weekly|monthly|annual|yearly)\b"
    rf"|\bsince\s+the\s+(?:start|beginning)\s+of\s+(?:the\s+|this\s+)?(?:year|month|week|{_YEAR})",
    re.I,
)
# The invasion's start is no period total: "since the invasion began in 2022" stays readable.
_INVASION_START_RE: Final = re.compile(
    r"\b(?:invasion|war)\s+(?:(?:began|started|was\s+launched)\s+)?(?:on|in)\s+"
    r"(?:February\s+24,?\s+|24\s+February\s+|February\s+)?2022\b",
    re.I,
)


def _is_period_total(sentence: str) -> bool:
    return _PERIOD_TOTAL_RE.search(_INVASION_START_RE.sub("", sentence)) is not None


_PLACE_WORD = r"[A-Z][a-zA-Z'’]*(?:-[A-Za-z][a-zA-Z'’]*)*"
_PLACE_CORE = rf"{_PLACE_WORD}(?:\s{_PLACE_WORD}){{0,2}}"
_REGION = r"(?:region|Region|oblast|Oblast|district|District|community|hromada)"
_PLACE = rf"(?-i:{_PLACE_CORE}(?:\s{_REGION})?)"
_NOT_PLACES: Final = frozenset(
    {"Russia", "Russian", "Russians", "Ukrainian", "Ukrainians", "The", "A", "An", "General"}
    | {"Armed", "Air", "Defense", "Defence", "Staff", "Over", "Since", "According"}
    | {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
    | set(_MONTHS)
)


def _is_place(text: str) -> bool:
    return text.split()[0] not in _NOT_PLACES


# Losses

_CATEGORY_PATTERNS: Final[dict[str, str]] = {
    "personnel": r"military\s+personnel|personnel|soldiers?|troops|servicem[ae]n|occupiers"
    r"|invaders",
    "tank": r"tanks?",
    "apc": r"armou?red\s+(?:combat|fighting|personnel)\s+vehicles?"
    r"|armou?red\s+personnel\s+carriers?|armou?red\s+vehicles?|APCs?",
    "artillery": r"artillery\s+(?:systems?|pieces?|guns?)|artillery",
    "mlrs": r"MLRS(?:s|es)?|multiple\s+(?:launch\s+)?rocket\s+(?:systems?|launchers?)",
    "air_defence": r"(?:air|anti-aircraft)\s+defen[cs]e\s+(?:systems?|means|units?)"
    r"|anti-aircraft\s+(?:warfare\s+)?systems?|air\s+defen[cs]e",
    "aircraft": r"aircraft|(?:war|air)?planes?|(?:fighter\s+)?jets?",
    "helicopter": r"helicopters?",
    "drone": r"(?:operational[-\s]tactical\s+)?(?:drones?|UAVs?)|unmanned\s+aerial\s+vehicles?"
    r"|UAV\s+operational[-\s]tactical\s+level",
    "cruise_missile": r"cruise\s+missiles?",
    "ship": r"(?:war)?ships?(?:\s*(?:/|and)\s*boats?)?|boats?",
    "submarine": r"submarines?",
    "vehicle": r"vehicles?\s+and\s+fuel\s+tank(?:s|ers)|(?:automotive|motor)\s+vehicles?"
    r"|automotive\s+equipment(?:\s+and\s+fuel\s+tanks)?|vehicles?|trucks?|fuel\s+tank(?:s|ers)",
    "special_equipment": r"special\s+equipment",
}
_CATEGORY = "|".join(f"(?P<c_{name}>{pattern})" for name, pattern in _CATEGORY_PATTERNS.items())
_LOSS_ITEM_RE: Final = re.compile(
    rf"(?P<n>{_NUM})\s+(?:(?:units|pieces)\s+of\s+)?(?:(?:Russian|enemy|occupying|hostile)\s+)?"
    rf"(?:{_CATEGORY})\b",
    re.I,
)
_STAFF_ITEM_RE: Final = re.compile(
    rf"(?<![\w-])(?:{_CATEGORY})\s*[‒–—:-]\s*(?:about\s+|approximately\s+|around\s+)?"
    rf"(?P<total>{_NUM})\s*(?:persons|people|units)?\s*\(\s*\+\s*(?P<daily>{_NUM})\s*\)",
    re.I,
)
_LOSS_WORD_RE: Final = re.compile(r"\b(?:los(?:e|es|t|ing|ses|s))\b", re.I)
_ELIMINATE_RE: Final = re.compile(
    r"\b(?:eliminat|neutrali[sz]|liquidat)(?:e|es|ed|ing)\b",
    re.I,
)
_DAILY_RE: Final = re.compile(
    r"\b(?:in|over|during|for)\s+the\s+(?:past|last|previous)\s+(?:day|24\s+hours)\b"
    r"|\bin\s+(?:one|a|a\s+single|1)\s+day\b|\bper\s+day\b|\bdaily\b",
    re.I,
)
_TOTAL_RE: Final = re.compile(
    r"\bsince\s+(?:the\s+)?(?:(?:start|beginning|outset)\s+of\s+(?:the\s+)?)?(?:Russia's\s+)?"
    r"(?:full[-\s]scale\s+|large[-\s]scale\s+)?(?:Russian\s+)?(?:invasion|war)\b"
    r"|\bsince\s+(?:February\s+24,?\s+2022|24\s+February,?\s+2022)\b"
    r"|\bin\s+total\b|\btotal\b|\boverall\b|\baltogether\b",
    re.I,
)
_REACH_RE: Final = re.compile(
    r"\b(?:reach(?:es|ed)?|ris(?:es|en)\s+to|rose\s+to|amount(?:s|ed)?\s+to"
    r"|st(?:and|ands|ood)\s+at)\b",
    re.I,
)
_AS_OF_RE: Final = re.compile(r"\bas\s+of\b", re.I)
_ATTACK_REPORT_RE: Final = re.compile(
    r"\b(?:launch(?:ed|es|ing)?|downed|shot\s+down|intercepted|attack(?:ed|s)?\s+\w+\s+with)\b",
    re.I,
)
_RUSSIAN_SIDE_RE: Final = re.compile(
    r"\b(?:Russia|Russia's|Russian|Russians|enemy|enemy's|occupiers|invaders|General\s+Staff)\b",
    re.I,
)
_UKRAINIAN_LOSS_RE: Final = re.compile(
    r"\bUkrain(?:e|e's|ian)\s+(?:(?:has|had|forces|army|troops|military|Armed\s+Forces)\s+)?"
    r"(?:loses|lost|losses)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class _Marker:
    start: int
    end: int
    basis: Basis
    rule: str


def _category(match: re.Match[str]) -> str:
    return next(name for name in LOSS_CATEGORIES if match.group(f"c_{name}"))


def _losses(sentence: str, source: Source, published: date) -> list[LossReport]:
    if (
        _ATTACK_REPORT_RE.search(sentence)
        or _UKRAINIAN_LOSS_RE.search(sentence)
        or not _RUSSIAN_SIDE_RE.search(sentence)
    ):
        return []
    report_date = _explicit_date(sentence, published) or published
    staff = [
        row
        for match in _STAFF_ITEM_RE.finditer(sentence)
        for row in (
            LossReport(
                report_date,
                _category(match),
                _num(match, "total"),
                "cumulative",
                "loss.staff_table",
                source,
                sentence,
            ),
            LossReport(
                report_date,
                _category(match),
                _num(match, "daily"),
                "daily",
                "loss.staff_table",
                source,
                sentence,
            ),
        )
    ]
    if staff:
        return staff
    eliminated = _ELIMINATE_RE.search(sentence) is not None
    if not (_LOSS_WORD_RE.search(sentence) or eliminated):
        return []
    markers = _markers(sentence, eliminated)
    if not markers:
        return []
    rows: list[LossReport] = []
    for item in _LOSS_ITEM_RE.finditer(sentence):
        nearest = min(markers, key=lambda m: (_gap(m, item), m.start))
        rows.append(
            LossReport(
                report_date,
                _category(item),
                _num(item),
                nearest.basis,
                nearest.rule,
                source,
                sentence,
            )
        )
    return rows


def _markers(sentence: str, eliminated: bool) -> list[_Marker]:
    daily_rule = "loss.eliminated_daily" if eliminated else "loss.daily_list"
    markers = [
        _Marker(m.start(), m.end(), "daily", daily_rule) for m in _DAILY_RE.finditer(sentence)
    ] + [
        _Marker(m.start(), m.end(), "cumulative", "loss.cumulative_list")
        for m in _TOTAL_RE.finditer(sentence)
    ]
    if markers:
        return markers
    # Weak total markers: only when nothing says daily or total outright.
    return [
        _Marker(m.start(), m.end(), "cumulative", "loss.reach_total")
        for m in _REACH_RE.finditer(sentence)
    ] + [
        _Marker(m.start(), m.end(), "cumulative", "loss.cumulative_list")
        for m in _AS_OF_RE.finditer(sentence)
    ]


def _gap(marker: _Marker, item: re.Match[str]) -> int:
    return max(marker.start - item.end(), item.start() - marker.end, 0)


# Strikes

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
    rf"\b(?i:{_ATTACK})\s+(?:(?i:on|against|at|of|in|upon)\s+)?(?:(?i:the)\s+)?(?P<place>{_PLACE})"
)
_IN_PLACE_RE: Final = re.compile(rf"\b(?i:in|on|near)\s+(?:(?i:the)\s+)?(?P<place>{_PLACE})")
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
    rf"(?P<n>{_NUM})(?!{_MILITARY})",
    re.I,
)
_INJURES_RE: Final = re.compile(
    r"\b(?:injur(?:es?|ed|ing)|wound(?:s|ed|ing)?|hurt(?:s|ing)?)\s+(?:at\s+least\s+)?"
    rf"(?P<n>{_NUM})(?!{_MILITARY})",
    re.I,
)
_PEOPLE = (
    r"(?:(?:more|other|others|people|persons|civilians|residents|locals|children|men|women)\s+)?"
    r"(?:(?:were|was|are|is|have\s+been|has\s+been)\s+)?"
)
_KILLED_RE: Final = re.compile(rf"(?P<n>{_NUM})\s+{_PEOPLE}(?:killed|dead|died)\b", re.I)
_INJURED_RE: Final = re.compile(rf"(?P<n>{_NUM})\s+{_PEOPLE}(?:injured|wounded|hurt)\b", re.I)
_TOLL_VERB = (
    r"(?:rises|rose|has\s+risen|climbs|climbed|has\s+climbed|increases|increased|has\s+increased"
    r"|reaches|reached|has\s+reached|grows|grew|has\s+grown|jumps|jumped|goes\s+up|went\s+up)"
)
_DEATH_TOLL_RE: Final = re.compile(
    rf"\bdeath\s+toll\b[^.;]*?\b{_TOLL_VERB}\s+to\s+(?:at\s+least\s+)?(?P<n>{_NUM})", re.I
)
_INJURED_TOLL_RE: Final = re.compile(
    r"\bnumber\s+of\s+(?:the\s+)?(?:injured|wounded)(?:\s+people)?\b[^.;]*?"
    rf"\b{_TOLL_VERB}\s+to\s+(?:at\s+least\s+)?(?P<n>{_NUM})",
    re.I,
)


def _first_count(text: str, *patterns: re.Pattern[str]) -> int | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return _num(match)
    return None


def _strikes(sentence: str, source: Source, published: date) -> list[StrikeEvent]:
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
    event_date = _explicit_date(sentence, published) or published
    return [StrikeEvent(place, weapon, killed, injured, event_date, rule, source, sentence)]


def _strike_place(sentence: str) -> str | None:
    for pattern in (_ATTACK_PLACE_RE, _IN_PLACE_RE):
        for match in pattern.finditer(sentence):
            if _is_place(match.group("place")):
                return match.group("place")
    return None


# Combat

_ATTACKS = (
    r"(?:(?:Russian|enemy|hostile)\s+)?(?:attacks?|assaults?|offensive\s+actions?|offensives?"
    r"|assault\s+actions?|storming\s+attempts?|attempts\s+to\s+advance)"
)
_ENGAGEMENTS = r"(?:combat\s+engagements|combat\s+clashes|clashes|battles|combat\s+actions)"
_FRONT_WIDE = r"(?:on|along|across|at)\s+the\s+(?:entire\s+|whole\s+)?front(?:[\s-]?line)?\b"
_PLACE_PHRASE_RE: Final = re.compile(
    rf"\s*(?:(?i:in|on)\s+(?:(?i:the)\s+)?(?P<dir>{_PLACE_CORE})\s+(?i:direction|sector|axis|front)\b"
    rf"|(?i:in|on)\s+(?:(?i:the)\s+)?(?P<region>{_PLACE_CORE}\s+(?:region|Region|oblast|Oblast))"
    rf"|(?i:near|around|close\s+to|in\s+the\s+vicinity\s+of)\s+(?P<near>{_PLACE})"
    rf"|(?P<front>(?i:{_FRONT_WIDE}))"
    rf"|(?i:in)\s+(?P<city>{_PLACE}))"
)
_REPEL_RE: Final = re.compile(
    r"\b(?:repel(?:s|led)?|repuls(?:e|es|ed)|stop(?:s|ped)?|thwart(?:s|ed)?|foil(?:s|ed)?)\s+"
    rf"(?P<n>{_NUM})\s+{_ATTACKS}\b",
    re.I,
)
_CONTINUATION_RE: Final = re.compile(
    rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?P<n>{_NUM})\s+(?:more\s+)?(?:{_ATTACKS}\s+)?(?=\S)", re.I
)
_DIRECTION_FIRST_RE: Final = re.compile(
    rf"^(?i:in\s+the)\s+(?P<dir>{_PLACE_CORE})\s+(?i:direction|sector|axis),?\s+"
    rf"[^;:]*?(?P<n>{_NUM})\s+(?i:times\b|{_ATTACKS}|(?P<engagements>{_ENGAGEMENTS}))"
)
_ATTACKED_TIMES_RE: Final = re.compile(
    r"\b(?:the\s+enemy|the\s+occupiers|Russian\s+(?:forces|troops|occupiers)|Russians)\s+"
    r"(?:attacked|tried\s+to\s+advance|launched\s+attacks)\s+(?:(?:Ukrainian\s+)?positions\s+)?"
    rf"(?P<n>{_NUM})\s+times\b",
    re.I,
)
_ENGAGEMENTS_RE: Final = re.compile(
    rf"(?P<n>{_NUM})\s+{_ENGAGEMENTS}\b"
    rf"|\bnumber\s+of\s+{_ENGAGEMENTS}\s+(?:has\s+)?{_TOLL_VERB}\s+to\s+(?P<n2>{_NUM})",
    re.I,
)
_FRONT_WIDE_RE: Final = re.compile(_FRONT_WIDE, re.I)
_OF_THEM_RE: Final = re.compile(rf"(?P<n>{_NUM})\s+of\s+them\b", re.I)


def _place_phrase(sentence: str, pos: int) -> tuple[bool, str | None, int]:
    """(found, direction, end) for a place phrase at ``pos``; direction None means front-wide."""
    match = _PLACE_PHRASE_RE.match(sentence, pos)
    if match is None or match.group("front"):
        return (match is not None, None, match.end() if match else pos)
    place = (
        match.group("dir") or match.group("region") or match.group("near") or match.group("city")
    )
    if not _is_place(place):
        return (False, None, pos)
    return (True, place, match.end())


def _combats(sentence: str, source: Source, published: date) -> list[CombatReport]:
    event_date = _explicit_date(sentence, published)
    if event_date is None:
        past_day = _PAST_DAY_RE.search(sentence) is not None
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
        rows.append(row(direction, _num(repel), "combat.repelled_near"))
        while more := _CONTINUATION_RE.match(sentence, pos):
            found, direction, end = _place_phrase(sentence, more.end())
            if not found:
                break
            rows.append(row(direction, _num(more), "combat.repelled_near"))
            pos = end
    if rows:
        return rows
    first = _DIRECTION_FIRST_RE.search(sentence)
    if first and _is_place(first.group("dir")):
        counted: Counted = "engagements" if first.group("engagements") else "attacks"
        return [row(first.group("dir"), _num(first), "combat.direction_first", counted)]
    for attacked in _ATTACKED_TIMES_RE.finditer(sentence):
        found, direction, _ = _place_phrase(sentence, attacked.end())
        if found:
            rows.append(row(direction, _num(attacked), "combat.attacked_times"))
    for engagements in _ENGAGEMENTS_RE.finditer(sentence):
        count = _num(engagements, "n" if engagements.group("n") else "n2")
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
                rows.append(row(direction, _num(share), "combat.of_them", of))
    return rows


# Prisoners

_CAPTIVITY_RE: Final = re.compile(r"\b(?:captivity|exchanges?|swaps?|prisoners?|POWs?)\b", re.I)
_FREED = (
    r"(?:defenders|soldiers|servicem[ae]n|prisoners(?:\s+of\s+war)?|POWs|people|civilians"
    r"|citizens|Ukrainians|warriors|fighters|military\s+personnel|troops|marines)"
)
_SWAP_RE: Final = re.compile(
    r"\b(?:exchang(?:e|es|ed|ing)|swap(?:s|ped|ping)?)\s+"
    rf"(?P<n>{_NUM})\s+(?:prisoners(?:\s+of\s+war)?|POWs|captives|servicem[ae]n|soldiers|people"
    rf"|military\s+personnel|defenders)\s+(?:each\b|for\s+(?P<m>{_NUM}))"
    rf"|\bexchange(?:\s+of)?\s*:?\s+(?P<n2>{_NUM})\s+for\s+(?P<m2>{_NUM})",
    re.I,
)
_FREES_RE: Final = re.compile(
    r"\b(?:frees?|freed|releas(?:e|es|ed)|brings?\s+(?:back\s+)?home|brought\s+(?:back\s+)?home"
    r"|returns?|returned|gets?\s+back|got\s+back)\s+(?:another\s+)?"
    rf"(?P<n>{_NUM})\s+(?:more\s+)?(?:(?P<nat>Ukrainian|Russian)\s+)?(?P<who>{_FREED})\b",
    re.I,
)
_RETURN_HOME_RE: Final = re.compile(
    rf"(?P<n>{_NUM})\s+(?:more\s+)?(?:(?P<nat>Ukrainian|Russian)\s+)?(?P<who>{_FREED})\s+"
    r"(?:have\s+|has\s+|were\s+|are\s+)?(?:return(?:s|ed)?(?:\s+back)?\s+home|c(?:o|a)me\s+home"
    r"|(?:released|freed)\s+from|return(?:s|ed)?\s+from)\b",
    re.I,
)
_CAPTIVITY_OF_RE: Final = re.compile(r"\bfrom\s+(?P<nat>Russian|Ukrainian)\s+captivity\b", re.I)
_SURRENDER_RE: Final = re.compile(
    rf"(?P<n>{_NUM})\s+(?:more\s+)?(?:(?P<nat>Russian|Ukrainian|North\s+Korean)\s+)?"
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


def _prisoners(sentence: str, source: Source, published: date) -> list[PrisonerEvent]:
    event_date = _explicit_date(sentence, published) or published

    def row(
        kind: Literal["exchange", "surrender"], count: int, side: Side, rule: str
    ) -> PrisonerEvent:
        return PrisonerEvent(kind, count, side, event_date, rule, source, sentence)

    if _CAPTIVITY_RE.search(sentence):
        swap = _SWAP_RE.search(sentence)
        if swap:
            ours = _num(swap, "n" if swap.group("n") else "n2")
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
                return [row("exchange", _num(match), side, rule)]
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
            return [row("surrender", _num(surrender), side, "surrender.servicemen_surrender")]
    return []


def extract_facts(title: str, lead: str, published: date) -> Facts:
    """All facts stated in ``title`` and ``lead``; ``published`` is the Kyiv publication date."""
    losses: list[LossReport] = []
    strikes: list[StrikeEvent] = []
    combats: list[CombatReport] = []
    prisoners: list[PrisonerEvent] = []
    fields: tuple[tuple[Source, str], ...] = (("title", title), ("lead", lead))
    for source, text in fields:
        for sentence in split_sentences(text):
            if _IRREALIS_RE.search(sentence) or _is_period_total(sentence):
                continue
            losses.extend(_losses(sentence, source, published))
            strikes.extend(_strikes(sentence, source, published))
            combats.extend(_combats(sentence, source, published))
            prisoners.extend(_prisoners(sentence, source, published))
    return Facts(tuple(losses), tuple(strikes), tuple(combats), tuple(prisoners))
