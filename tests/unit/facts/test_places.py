"""Places in headlines and leads: settlements, oblasts and front directions, with coordinates."""

from __future__ import annotations

import pytest

from facts import places
from facts.places import PlaceMention, find_places, place_in

# (name, place, kind, country, geonameid, latitude, longitude, start, rule), coordinates to 2 dp.
Row = tuple[str, str, str, str, int, float, float, int, str]

KUPYANSK = ("Kupyansk", "UA", 703656, 49.71, 37.62)
POKROVSK = ("Pokrovsk", "UA", 704422, 48.28, 37.18)


def rows(text: str) -> list[Row]:
    return [
        (
            m.name,
            m.place,
            m.kind,
            m.country,
            m.geonameid,
            round(m.latitude, 2),
            round(m.longitude, 2),
            m.start,
            m.rule,
        )
        for m in find_places(text)
    ]


def test_two_places_in_one_headline() -> None:
    text = (
        "Russian ballistic missile strike on Izyum kills 5, injures 59; drones hit Kharkiv region"
    )
    assert find_places(text) == [
        PlaceMention(
            name="Izyum",
            place="Izyum",
            kind="settlement",
            country="UA",
            geonameid=707292,
            latitude=49.20697,
            longitude=37.27679,
            start=36,
            rule="place.settlement",
            precision="point",
            admin1="UA.07",
        ),
        PlaceMention(
            name="Kharkiv region",
            place="Kharkiv Oblast",
            kind="oblast",
            country="UA",
            geonameid=706483,  # Kharkiv, the oblast's administrative centre
            latitude=49.98177,
            longitude=36.25475,
            start=74,
            rule="place.oblast_region",
            precision="admin_centre",
            admin1="UA.07",
        ),
    ]


def test_no_place() -> None:
    assert find_places("Zelensky arrives in Oslo for talks with Nordic leaders") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The word, not the town: lower case, and capitalised at the start of a sentence.
        ("Bar owners protest new curfew", []),
        ("Police closed a bar in the centre", []),
        # The town, with a place cue before or after it.
        (
            "Shelling near Bar: a bar and a school damaged",
            [("Bar", "Bar", "settlement", "UA", 712861, 49.07, 27.67, 14, "place.settlement")],
        ),
        (
            "Bar, Vinnytsia region: a drone hit a school",
            [
                ("Bar", "Bar", "settlement", "UA", 712861, 49.07, 27.67, 0, "place.settlement"),
                (
                    "Vinnytsia region",
                    "Vinnytsia Oblast",
                    "oblast",
                    "UA",
                    689558,
                    49.23,
                    28.47,
                    5,
                    "place.oblast_region",
                ),
            ],
        ),
        # A town "Vladimir" and a Putin: the town only with a cue.
        ("Vladimir Putin met envoys in the Kremlin", []),
        (
            "Drones attacked an oil depot in Vladimir",
            [
                (
                    "Vladimir",
                    "Vladimir",
                    "settlement",
                    "RU",
                    473247,
                    56.14,
                    40.4,
                    32,
                    "place.settlement",
                )
            ],
        ),
        # English words, first names, units and newspapers that GeoNames also has as places.
        ("Smile, Progress and Record: Olga and Artem joined Azov, says Ukrainska Pravda", []),
        (
            "Ukraine's Energy Ministry warns of scheduled power outages in five regions on Monday",
            [],
        ),
    ],
)
def test_place_names_that_are_also_words(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected


def test_oblast_is_one_mention_not_also_the_city() -> None:
    assert rows("Russians attacked Kharkiv and Kharkiv Oblast overnight") == [
        ("Kharkiv", "Kharkiv", "settlement", "UA", 706483, 49.98, 36.25, 18, "place.settlement"),
        (
            "Kharkiv Oblast",
            "Kharkiv Oblast",
            "oblast",
            "UA",
            706483,
            49.98,
            36.25,
            30,
            "place.oblast_region",
        ),
    ]


def test_oblast_mentions_carry_the_admin_centre_and_its_division() -> None:
    (city, oblast) = find_places("Kyiv's mayor said Kyiv region was hit")
    assert (city.place, city.precision, city.admin1) == ("Kyiv", "point", "UA.12")
    # Kyiv is the centre of Kyiv Oblast, which GeoNames counts as a division of its own.
    assert (oblast.name, oblast.place, oblast.geonameid) == ("Kyiv region", "Kyiv Oblast", 703448)
    assert (oblast.precision, oblast.admin1) == ("admin_centre", "UA.13")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ukrainian defenders repelled 14 assaults in the Kupiansk direction",
            [("Kupiansk direction", *KUPYANSK[:1], "direction", *KUPYANSK[1:], 48)],
        ),
        (
            "Heavy fighting on the Lyman axis and in the Pokrovsk and Kurakhove directions",
            [
                ("Lyman axis", "Lyman", "direction", "UA", 704204, 48.99, 37.81, 22),
                ("Pokrovsk", *POKROVSK[:1], "direction", *POKROVSK[1:], 44),
                ("Kurakhove directions", "Kurakhove", "direction", "UA", 695357, 47.98, 37.28, 57),
            ],
        ),
        (
            "Enemy pressure grows in the Pokrovsk-Myrnohrad direction",
            [
                ("Pokrovsk", *POKROVSK[:1], "direction", *POKROVSK[1:], 28),
                ("Myrnohrad direction", "Myrnohrad", "direction", "UA", 710035, 48.31, 37.27, 37),
            ],
        ),
    ],
)
def test_directions(text: str, expected: list[tuple[object, ...]]) -> None:
    assert [row[:8] for row in rows(text)] == expected


def test_direction_rules() -> None:
    text = "Fighting in the Pokrovsk and Kurakhove directions"
    assert [row[8] for row in rows(text)] == ["place.direction_list", "place.direction"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Drones attacked Bryansk overnight; explosions in Kursk region and Belgorod",
            [
                ("Bryansk", "Bryansk", "settlement", "RU", 571476, 53.27, 34.32, 16),
                ("Kursk region", "Kursk Oblast", "oblast", "RU", 538560, 51.73, 36.18, 49),
                ("Belgorod", "Belgorod", "settlement", "RU", 578072, 50.6, 36.58, 66),
            ],
        ),
        (
            "Governor: Belgorod Oblast shelled 40 times, Sudzha under fire",
            [
                ("Belgorod Oblast", "Belgorod Oblast", "oblast", "RU", 578072, 50.6, 36.58, 10),
                ("Sudzha", "Sudzha", "settlement", "RU", 486816, 51.19, 35.27, 44),
            ],
        ),
        (
            "Crimea, Krasnodar Krai and Chechnya",
            [
                (
                    "Crimea",
                    "Autonomous Republic of Crimea",
                    "oblast",
                    "UA",
                    693805,
                    44.96,
                    34.11,
                    0,
                ),
                ("Krasnodar Krai", "Krasnodar Krai", "oblast", "RU", 542420, 45.05, 38.98, 8),
                ("Chechnya", "Chechen Republic", "oblast", "RU", 558418, 43.31, 45.69, 27),
            ],
        ),
    ],
)
def test_russian_places_and_regions(text: str, expected: list[tuple[object, ...]]) -> None:
    assert [row[:8] for row in rows(text)] == expected


@pytest.mark.parametrize(
    ("spelling", "place", "geonameid"),
    [
        ("Kiev", "Kyiv", 703448),
        ("Kyiv", "Kyiv", 703448),
        ("Izium", "Izyum", 707292),
        ("Izyum", "Izyum", 707292),
        ("Zaporizhzhia", "Zaporizhzhya", 687700),
        ("Zaporizhia", "Zaporizhzhya", 687700),
        ("Zaporozhye", "Zaporizhzhya", 687700),
        ("Kupiansk", "Kupyansk", 703656),
        ("Kupyansk", "Kupyansk", 703656),
        ("Odesa", "Odesa", 698740),
        ("Odessa", "Odesa", 698740),
        ("Sloviansk", "Slovyansk", 693468),
        ("Slovyansk", "Slovyansk", 693468),
        ("Kharkov", "Kharkiv", 706483),
        ("Mykolaiv", "Mykolayiv", 700569),
        ("Dnipro", "Dnipro", 709930),
        ("Chernihiv", "Chernihiv", 710735),
        ("Kramatorsk", "Kramatorsk", 704508),
        ("Avdiivka", "Avdiyivka", 713122),
        ("Huliaipole", "Hulyaypole", 707898),
        ("Kostiantynivka", "Kostyantynivka", 705104),
        ("Sievierodonetsk", "Siverskodonetsk", 691999),
        ("Sviatohirsk", "Svyatohirsk", 692016),
        ("Chasiv Yar", "Chasiv Yar", 710915),
        ("Tyotkino", "Tëtkino", 483166),
        ("Oryol", "Orël", 515012),
        ("St. Petersburg", "Saint Petersburg", 498817),
    ],
)
def test_spelling_variants(spelling: str, place: str, geonameid: int) -> None:
    (mention,) = find_places(f"Explosions reported in {spelling} tonight")
    assert (mention.name, mention.place, mention.geonameid) == (spelling, place, geonameid)
    assert (mention.start, mention.kind, mention.rule) == (23, "settlement", "place.settlement")


def test_ukrainian_place_beats_russian_unless_far_larger() -> None:
    # Pokrovsk in Donetsk Oblast, not the Yakutian town; Voronezh the Russian city, not the
    # Ukrainian village that GeoNames also knows by that name.
    assert [(m.place, m.country, m.geonameid) for m in find_places("Voronezh and Pokrovsk")] == [
        ("Voronezh", "RU", 472045),
        ("Pokrovsk", "UA", 704422),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Russians shelled Kherson 37 times in one day: two killed",
            [("Kherson", "Kherson", "settlement", "UA", 706448, 46.64, 32.61, 17)],
        ),
        (
            "Week at the front: Russian offensive near Pokrovsk stalls, Kupiansk holds",
            [
                ("Pokrovsk", *POKROVSK[:1], "settlement", *POKROVSK[1:], 42),
                ("Kupiansk", *KUPYANSK[:1], "settlement", *KUPYANSK[1:], 59),
            ],
        ),
    ],
)
def test_real_style_headlines(text: str, expected: list[tuple[object, ...]]) -> None:
    assert [row[:8] for row in rows(text)] == expected


def test_a_list_of_regions_is_one_oblast_each() -> None:
    headline = (
        "Ukraine's Energy Ministry warns of scheduled power outages in five regions on Monday"
    )
    lead = (
        "Hourly outage schedules will be applied in Chernihiv, Sumy, Kharkiv, Poltava and "
        "Dnipropetrovsk regions on October 27"
    )
    assert find_places(headline) == []
    assert rows(lead) == [
        (
            "Chernihiv",
            "Chernihiv Oblast",
            "oblast",
            "UA",
            710735,
            51.51,
            31.29,
            43,
            "place.oblast_list",
        ),
        ("Sumy", "Sumy Oblast", "oblast", "UA", 692194, 50.92, 34.8, 54, "place.oblast_list"),
        (
            "Kharkiv",
            "Kharkiv Oblast",
            "oblast",
            "UA",
            706483,
            49.98,
            36.25,
            60,
            "place.oblast_list",
        ),
        (
            "Poltava",
            "Poltava Oblast",
            "oblast",
            "UA",
            696643,
            49.59,
            34.55,
            69,
            "place.oblast_list",
        ),
        (
            "Dnipropetrovsk regions",
            "Dnipropetrovsk Oblast",
            "oblast",
            "UA",
            709930,
            48.47,
            35.04,
            81,
            "place.oblast_region",
        ),
    ]


def test_a_list_stops_at_a_name_that_is_no_region() -> None:
    text = "Drones hit Pokrovsk, while Kharkiv and Sumy regions lost power"
    assert [(m.name, m.kind) for m in find_places(text)] == [
        ("Pokrovsk", "settlement"),
        ("Kharkiv", "oblast"),
        ("Sumy regions", "oblast"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # A product and a ship: quoted names are excluded.
        'Ukraine launches "Pokrova" system to broadcast air raid alerts',
        "The “Kursk” submarine sank in 2000",
        # A river, a sea, a strait and a power plant named after towns.
        "Boats crossed the Dnipro at night",
        "The Dnipro River rose after the dam was blown up",
        "Russian ships left the Sea of Azov through the Kerch Strait",
        "Zaporizhzhia NPP lost external power again",
        # Countries are not places here.
        "Russia and Ukraine exchanged prisoners; Georgia and Moldova watched",
    ],
)
def test_names_that_are_not_the_settlement(text: str) -> None:
    assert find_places(text) == []


def test_mentions_are_in_text_order_and_do_not_overlap() -> None:
    text = (
        "Kiev's Kyiv region, Izium-Kupiansk axis; in Odesa, Mykolaiv and Kherson regions and "
        "near Bar, Vinnytsia region — Moscow says Belgorod Oblast and Bryansk were hit."
    )
    mentions = find_places(text)
    assert [m.name for m in mentions] == [
        "Kiev",
        "Kyiv region",
        "Izium",
        "Kupiansk axis",
        "Odesa",
        "Mykolaiv",
        "Kherson regions",
        "Bar",
        "Vinnytsia region",
        "Moscow",
        "Belgorod Oblast",
        "Bryansk",
    ]
    for m in mentions:
        assert text[m.start : m.start + len(m.name)] == m.name
    ends = [m.start + len(m.name) for m in mentions]
    assert all(end <= nxt.start for end, nxt in zip(ends, mentions[1:], strict=False))


def test_every_region_centre_lies_in_its_region() -> None:
    index = places._index()
    for key, entry in index.entries.items():
        for region in (entry.stem_of, entry.region):
            if region is None or region.name == "Kyiv Oblast":
                continue
            assert region.centre.admin1 == region.admin1, (key, region)
            assert region.centre.country == region.country, (key, region)


@pytest.mark.parametrize(
    ("sentence", "phrase", "expected"),
    [
        pytest.param(
            "Russian strike on Ukraine’s Izyum kills 5",
            "Ukraine’s Izyum",
            ("Izyum", "Izyum", "settlement", 707292, 49.21, 37.28, 28),
            id="possessive-country-before-town",
        ),
        pytest.param(
            "Ukrainian defenders repelled 14 assaults in the Kupiansk direction",
            "Kupiansk",
            ("Kupiansk direction", "Kupyansk", "direction", 703656, 49.71, 37.62, 48),
            id="direction-read-in-its-sentence",
        ),
        pytest.param(
            "Russian attack on Zaporizhzhia region injures 8 people",
            "Zaporizhzhia region",
            ("Zaporizhzhia region", "Zaporizhzhia Oblast", "oblast", 687700, 47.85, 35.12, 18),
            id="oblast",
        ),
        # "Bar" alone needs a cue; in its sentence it has one.
        pytest.param(
            "Russian strike on Bar kills 2",
            "Bar",
            ("Bar", "Bar", "settlement", 712861, 49.07, 27.67, 18),
            id="cue-from-the-sentence",
        ),
        pytest.param(
            "Pokrovsk holds: 35 combat engagements in the Pokrovsk direction",
            "Pokrovsk",
            ("Pokrovsk", "Pokrovsk", "settlement", 704422, 48.28, 37.18, 0),
            id="first-occurrence",
        ),
        pytest.param("Russian missile strike on Ukraine kills 3", "Ukraine", None, id="no-entry"),
    ],
)
def test_place_in(
    sentence: str, phrase: str, expected: tuple[str, str, str, int, float, float, int] | None
) -> None:
    found = place_in(sentence, phrase)
    assert (
        None
        if found is None
        else (
            found.name,
            found.place,
            found.kind,
            found.geonameid,
            round(found.latitude, 2),
            round(found.longitude, 2),
            found.start,
        )
    ) == expected


def test_place_in_needs_the_phrase_in_the_sentence() -> None:
    with pytest.raises(ValueError, match="'Izyum' is not in 'Kharkiv was hit'"):
        place_in("Kharkiv was hit", "Izyum")
