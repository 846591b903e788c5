"""Text utilities the rules share: exact counts, sentences, the gates that drop a whole sentence
(forecasts, period totals) and place phrases."""

from __future__ import annotations

import re
from typing import Final

from facts.dates import MONTH_FULL, MONTHS, YEAR

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
NUM: Final = (
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


def count_of(match: re.Match[str], group: str = "n") -> int:
    """The count a pattern built on `NUM` matched in ``group``."""
    value = parse_number(match.group(group))
    if value is None:  # NUM only matches parseable tokens; this is a bug in a pattern
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


# Shared vocabulary

IRREALIS_RE: Final = re.compile(
    r"\b(?:could|would|might|(?-i:may)|will|shall|should|propos(?:e|es|ed|ing|al|als)"
    r"|demand(?:s|ed|ing)?|plan(?:s|ned)?\s+to|agree(?:s|d)?\s+to|expect(?:s|ed)?|forecasts?"
    r"|predict(?:s|ed)?|threaten(?:s|ed)?|intend(?:s|ed)?\s+to|ready\s+to|prepared\s+to"
    r"|if|unless)\b",
    re.I,
)
_PERIOD_TOTAL_RE: Final = re.compile(
    r"\b(?:in|during|for|throughout|over)\s+(?:the\s+)?"
    r"(?:(?:past|last|first|second|whole|entire|previous)\s+)?(?:(?:a|one|two|three|\d+)\s+)?"
    rf"(?:weeks?|months?|years?|{YEAR}\b|(?-i:{MONTH_FULL})\b(?!\.?\s+\d))"
    r"|\bper\s+(?:week|month|year)\b|\b(?:weekly|monthly|annual|yearly)\b"
    rf"|\bsince\s+the\s+(?:start|beginning)\s+of\s+(?:the\s+|this\s+)?(?:year|month|week|{YEAR})",
    re.I,
)
# The invasion's start is no period total: "since the invasion began in 2022" stays readable.
_INVASION_START_RE: Final = re.compile(
    r"\b(?:invasion|war)\s+(?:(?:began|started|was\s+launched)\s+)?(?:on|in)\s+"
    r"(?:February\s+24,?\s+|24\s+February\s+|February\s+)?2022\b",
    re.I,
)


def is_period_total(sentence: str) -> bool:
    """Whether the sentence totals a period ("in 2024", "per month"), not a day or the war."""
    return _PERIOD_TOTAL_RE.search(_INVASION_START_RE.sub("", sentence)) is not None


_PLACE_WORD = r"[A-Z][a-zA-Z'’]*(?:-[A-Za-z][a-zA-Z'’]*)*"
PLACE_CORE = rf"{_PLACE_WORD}(?:\s{_PLACE_WORD}){{0,2}}"
_REGION = r"(?:region|Region|oblast|Oblast|district|District|community|hromada)"
PLACE = rf"(?-i:{PLACE_CORE}(?:\s{_REGION})?)"
_NOT_PLACES: Final = frozenset(
    {"Russia", "Russian", "Russians", "Ukrainian", "Ukrainians", "The", "A", "An", "General"}
    | {"Armed", "Air", "Defense", "Defence", "Staff", "Over", "Since", "According"}
    | {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
    | set(MONTHS)
)


def is_place(text: str) -> bool:
    """Whether a capitalised phrase the place patterns matched can be a place ("Russia" is not)."""
    return text.split()[0] not in _NOT_PLACES


TOLL_VERB = (
    r"(?:rises|rose|has\s+risen|climbs|climbed|has\s+climbed|increases|increased|has\s+increased"
    r"|reaches|reached|has\s+reached|grows|grew|has\s+grown|jumps|jumped|goes\s+up|went\s+up)"
)
