"""Who a headline says its claim comes from (the rules of the `headline_sources` table).

Espreso headlines often end with who said it: "… — expert", "… – ISW", "…, says military
expert Kovalenko", "…, according to DeepState", or, in the Ukrainian edition, "…, - Зеленський".
The rules below are deliberately small and explainable:

1. `…, says X` / `…, said X` / `…, X says` / `…, X said` / `…, according to X` at the end,
   X at most 8 words.
2. `… — X`, `… – X`, `… - X`, `…, - X` at the end, X at most 6 words. The dash needs a space or
   comma before it and a space after it, so "Rolls-Royce", "Su-34" and "2026–2027" never split.
3. Either way X must read like a name, not a clause: at most 60 characters, no digits (years,
   ranges, percentages), not a question, and every word is capitalised, a role word ("military
   expert"), a joining word ("of", "the") or a generic source noun ("media").
4. `source_kind` is "organisation", "role" or "person" when the wording tells, else None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SOURCE_WORDS = 6
# An explicit "says"/"according to" earns a little more room: "the Institute for the Study of War".
MAX_SAID_SOURCE_WORDS = 8
MAX_SOURCE_CHARS = 60
# A claim is a statement; "Ukraine – EU" is a topic pair, not "EU" saying "Ukraine".
MIN_CLAIM_WORDS = 3

# Compared case-insensitively, as written and without a leading "the ".
KNOWN_ORGANISATIONS = frozenset(
    {
        "deepstate", "reuters", "bloomberg", "pentagon", "kremlin", "general staff",
        "air force", "ukrainian navy", "ministry of defense", "ministry of defence", "welt",
        "die welt", "the economist", "financial times", "politico", "axios", "cnn", "bbc", "bild",
        "oryx", "white house", "state department", "new york times", "washington post",
        "wall street journal", "генштаб", "повітряні сили", "міноборони", "пентагон", "кремль",
    }
)  # fmt: skip
# Capitalised words that make a phrase an organisation ("the Foreign Intelligence Service").
ORGANISATION_WORDS = frozenset(
    {
        "Ministry", "Office", "Service", "Staff", "Command", "Forces", "Force", "Agency",
        "Institute", "Council", "Commission", "Navy", "Army", "Committee", "Directorate",
    }
)  # fmt: skip
# Lowercase nouns naming what someone is; a phrase ending in one is a role.
ROLE_NOUNS = frozenset(
    {
        "expert", "experts", "analyst", "analysts", "economist", "scientist", "spokesperson",
        "spokesman", "spokeswoman", "journalist", "officer", "ambassador", "mp", "president",
        "volunteer", "soldier", "soldiers", "commander", "ecologist", "official", "officials",
        "minister", "diplomat", "historian", "sociologist", "general", "pilot", "serviceman",
        "veteran", "adviser", "advisor", "governor", "mayor", "blogger", "colonel", "head",
        "експерт", "експертка", "аналітик", "аналітикиня", "речник", "речниця", "журналіст",
        "журналістка", "політолог", "економіст", "волонтер", "командир", "посол", "нардеп",
        "президент", "генерал", "військовий",
    }
)  # fmt: skip
# Lowercase words that may precede a role noun ("military expert", "former ambassador").
ROLE_MODIFIERS = frozenset(
    {
        "military", "political", "former", "retired", "senior", "top", "chief", "deputy",
        "foreign", "defense", "defence", "presidential", "brigade", "battalion", "колишній",
    }
)  # fmt: skip
JOINING_WORDS = frozenset({"of", "the", "for", "to", "and", "de", "von", "van", "der"})
# A source that is real but says nothing about who: "Western media", "media reports".
GENERIC_SOURCE_NOUNS = frozenset({"media", "reports", "sources", "intelligence", "poll", "survey"})

_SAYS_X = re.compile(r"^(?P<claim>.+),\s+(?i:says|said)\s+(?P<source>[^,]+)$")
_X_SAYS = re.compile(r"^(?P<claim>.+),\s+(?P<source>[^,]+?)\s+(?i:says|said)$")
_ACCORDING_TO_X = re.compile(r"^(?P<claim>.+),\s+(?i:according\s+to)\s+(?P<source>[^,]+)$")
# Greedy claim, so the last separator wins: "Russia – Ukraine talks stall — Reuters".
_DASH_X = re.compile(r"^(?P<claim>.+)[\s,][—–-]\s+(?P<source>.+)$")
_ACRONYM = re.compile(r"^[A-ZА-ЯІЇЄҐ]{2,6}$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
# Punctuation left dangling once the attribution is cut off; quotes, "?" and "!" stay.
_DANGLING = re.compile(r"[\s,;:—–-]+$")


@dataclass(frozen=True, slots=True)
class HeadlineSource:
    """Who a headline attributes its claim to, and the claim without the attribution."""

    source: str
    source_kind: str | None
    claim: str


def headline_source(headline: str) -> HeadlineSource | None:
    """The source a headline names at its end, or None when it names none."""
    text = headline.strip()
    for pattern in (_SAYS_X, _X_SAYS, _ACCORDING_TO_X):
        if match := pattern.match(text):
            found = _attribution(match, MAX_SAID_SOURCE_WORDS)
            if found:
                return found
    if match := _DASH_X.match(text):
        return _attribution(match, MAX_SOURCE_WORDS)
    return None


def _attribution(match: re.Match[str], max_words: int) -> HeadlineSource | None:
    source = match["source"].strip()
    claim = _DANGLING.sub("", match["claim"])
    words = source.split()
    if len(claim.split()) < MIN_CLAIM_WORDS:
        return None
    if len(words) > max_words or len(source) > MAX_SOURCE_CHARS:
        return None
    # Years, ranges, percentages and questions are part of the story, not who told it.
    if source.endswith("?") or any(ch.isdigit() or ch == "%" for ch in source):
        return None
    if not all(map(_name_like_word, words)):
        return None
    kind = _source_kind(words)
    if kind is None and words[-1].casefold() not in GENERIC_SOURCE_NOUNS:
        return None
    return HeadlineSource(source=source, source_kind=kind, claim=claim)


def _source_kind(words: list[str]) -> str | None:
    bare = _LEADING_THE.sub("", " ".join(words))
    lowered = [word.casefold() for word in words]
    if {bare.casefold(), " ".join(lowered)} & KNOWN_ORGANISATIONS:
        return "organisation"
    # Before the acronym rule, so that "MP" is a role.
    if lowered[-1] in ROLE_NOUNS:
        return "role"
    if _ACRONYM.match(bare):
        return "organisation"
    if any(w in ORGANISATION_WORDS for w in words) and not any(w in ROLE_NOUNS for w in lowered):
        return "organisation"
    if _is_name(words[-1]):
        return "person"
    return None


def _is_name(word: str) -> bool:
    """Capitalised but not all capitals: "Zelenskyy", "Зеленський", not "ISW"."""
    return word[0].isupper() and any(ch.islower() for ch in word)


def _name_like_word(word: str) -> bool:
    lowered = word.casefold()
    return (
        word[0].isupper()
        or lowered in ROLE_NOUNS
        or lowered in ROLE_MODIFIERS
        or lowered in JOINING_WORDS
        or lowered in GENERIC_SOURCE_NOUNS
    )
