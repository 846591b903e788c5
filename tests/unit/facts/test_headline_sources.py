"""Headline → attributed source: the rules on real-style Espreso headlines."""

from __future__ import annotations

import pytest

from facts.headline_sources import HeadlineSource, headline_source

ORG, ROLE, PERSON = "organisation", "role", "person"

NAMES_A_SOURCE = [
    # ", says X"
    (
        "Russia is stockpiling missiles for a massive winter strike, says military expert Kovalenko",
        (
            "military expert Kovalenko",
            PERSON,
            "Russia is stockpiling missiles for a massive winter strike",
        ),
    ),
    (
        "Kremlin is not ready for real peace talks, says ISW",
        ("ISW", ORG, "Kremlin is not ready for real peace talks"),
    ),
    (
        "Russia is hiding its real losses in Kursk region, says journalist",
        ("journalist", ROLE, "Russia is hiding its real losses in Kursk region"),
    ),
    (
        "Ukraine will get more Patriot systems this winter, says MP Honcharenko",
        ("MP Honcharenko", PERSON, "Ukraine will get more Patriot systems this winter"),
    ),
    (
        "Russian shadow fleet tankers carry anti-ship weapons, says the Foreign Intelligence Service",
        (
            "the Foreign Intelligence Service",
            ORG,
            "Russian shadow fleet tankers carry anti-ship weapons",
        ),
    ),
    (
        "Moscow wants a pause only to regroup, said Budanov",
        ("Budanov", PERSON, "Moscow wants a pause only to regroup"),
    ),
    # ", X says" / ", X said"
    (
        "Russia used North Korean missiles to strike Kyiv, Zelenskyy says",
        ("Zelenskyy", PERSON, "Russia used North Korean missiles to strike Kyiv"),
    ),
    (
        "Ukraine must withdraw from Donbas before any ceasefire, Kremlin says",
        ("Kremlin", ORG, "Ukraine must withdraw from Donbas before any ceasefire"),
    ),
    (
        "Ukraine needs 25 Patriot systems to close its sky, the president said",
        ("the president", ROLE, "Ukraine needs 25 Patriot systems to close its sky"),
    ),
    # ", according to X"
    (
        "Russian army advanced near Siversk, according to DeepState",
        ("DeepState", ORG, "Russian army advanced near Siversk"),
    ),
    (
        "Russia breaks the Black Sea grain corridor rules, according to the Ukrainian Navy",
        ("the Ukrainian Navy", ORG, "Russia breaks the Black Sea grain corridor rules"),
    ),
    (
        "Moscow is stalling peace talks to buy time, according to Reuters",
        ("Reuters", ORG, "Moscow is stalling peace talks to buy time"),
    ),
    (
        "Russia is preparing a new offensive in Zaporizhzhia, according to the Ministry of Defense",
        ("the Ministry of Defense", ORG, "Russia is preparing a new offensive in Zaporizhzhia"),
    ),
    (
        "Russia keeps 600,000 troops in Ukraine, according to the Institute for the Study of War",
        ("the Institute for the Study of War", ORG, "Russia keeps 600,000 troops in Ukraine"),
    ),
    (
        "Trump is ready to supply Tomahawks to Ukraine, according to media reports",
        ("media reports", None, "Trump is ready to supply Tomahawks to Ukraine"),
    ),
    # em dash
    (
        "Russia is recruiting migrants to cover losses near Pokrovsk — expert",
        ("expert", ROLE, "Russia is recruiting migrants to cover losses near Pokrovsk"),
    ),
    (
        '"Pokrova" system to broadcast air raid alerts via FM radio in frontline regions — expert',
        (
            "expert",
            ROLE,
            '"Pokrova" system to broadcast air raid alerts via FM radio in frontline regions',
        ),
    ),
    (
        "Ukraine will not withdraw from Donbas — Zelenskyy",
        ("Zelenskyy", PERSON, "Ukraine will not withdraw from Donbas"),
    ),
    (
        "Putin is preparing a new mobilisation wave — analyst",
        ("analyst", ROLE, "Putin is preparing a new mobilisation wave"),
    ),
    (
        "Russia is moving S-400 systems to Crimea — Navy spokesperson Pletenchuk",
        ("Navy spokesperson Pletenchuk", PERSON, "Russia is moving S-400 systems to Crimea"),
    ),
    (
        "Russia launched 120 drones and 7 missiles overnight — the General Staff",
        ("the General Staff", ORG, "Russia launched 120 drones and 7 missiles overnight"),
    ),
    (
        "Kyiv's F-16s need more long-range missiles — military expert Zgurets",
        ("military expert Zgurets", PERSON, "Kyiv's F-16s need more long-range missiles"),
    ),
    (
        "Russia could attack the Baltics within two years — political scientist",
        ("political scientist", ROLE, "Russia could attack the Baltics within two years"),
    ),
    (
        "Sanctions are finally hurting Russia's oil revenues — economist",
        ("economist", ROLE, "Sanctions are finally hurting Russia's oil revenues"),
    ),
    (
        "Russia has no reserves for a large offensive — MP",
        ("MP", ROLE, "Russia has no reserves for a large offensive"),
    ),
    (
        "Putin will not stop at Donbas — Ukraine's ambassador to the UK Zaluzhnyi",
        ("Ukraine's ambassador to the UK Zaluzhnyi", PERSON, "Putin will not stop at Donbas"),
    ),
    (
        "Pentagon confirms delivery of new air defense systems — Bloomberg",
        ("Bloomberg", ORG, "Pentagon confirms delivery of new air defense systems"),
    ),
    (
        "Russia's economy will enter recession next year — Welt",
        ("Welt", ORG, "Russia's economy will enter recession next year"),
    ),
    (
        "The oil price cap is finally working — The Economist",
        ("The Economist", ORG, "The oil price cap is finally working"),
    ),
    (
        "Russia will not be able to take Zaporizhzhia this year — Western media",
        ("Western media", None, "Russia will not be able to take Zaporizhzhia this year"),
    ),
    (
        "Russia–Ukraine talks in Istanbul stall again — Reuters",
        ("Reuters", ORG, "Russia–Ukraine talks in Istanbul stall again"),
    ),
    (
        "Is Putin preparing a new offensive on Kharkiv? — ISW",
        ("ISW", ORG, "Is Putin preparing a new offensive on Kharkiv?"),
    ),
    # en dash
    (
        "Russian forces are trying to bypass Pokrovsk from the east – ISW",
        ("ISW", ORG, "Russian forces are trying to bypass Pokrovsk from the east"),
    ),
    (
        "Ukrainian pilots shot down a Russian Su-34 near Zaporizhzhia – Air Force",
        ("Air Force", ORG, "Ukrainian pilots shot down a Russian Su-34 near Zaporizhzhia"),
    ),
    (
        "Zaporizhzhia NPP is again on the brink of blackout – IAEA",
        ("IAEA", ORG, "Zaporizhzhia NPP is again on the brink of blackout"),
    ),
    (
        "Russians are trying to encircle Kostiantynivka – brigade commander",
        ("brigade commander", ROLE, "Russians are trying to encircle Kostiantynivka"),
    ),
    (
        "Occupiers shell Kherson with guided bombs – Southern Defense Forces spokesperson",
        ("Southern Defense Forces spokesperson", ROLE, "Occupiers shell Kherson with guided bombs"),
    ),
    # hyphen
    (
        "Russia has lost the initiative in Kupiansk direction - Syrskyi",
        ("Syrskyi", PERSON, "Russia has lost the initiative in Kupiansk direction"),
    ),
    (
        "North Korean troops are back on the front line - GUR",
        ("GUR", ORG, "North Korean troops are back on the front line"),
    ),
    (
        "Russia is preparing provocations on the Belarus border - SBU",
        ("SBU", ORG, "Russia is preparing provocations on the Belarus border"),
    ),
    (
        "Russians use kamikaze drones to hunt civilians in Kherson - volunteer",
        ("volunteer", ROLE, "Russians use kamikaze drones to hunt civilians in Kherson"),
    ),
    # Ukrainian edition: comma, space, dash
    (
        "Росіяни тішаться, що тримають українців у концтаборах, - журналіст Хилюк",
        ("журналіст Хилюк", PERSON, "Росіяни тішаться, що тримають українців у концтаборах"),
    ),
    (
        "Росія окупувала населений пункт Толстой на Донеччині, - DeepState",
        ("DeepState", ORG, "Росія окупувала населений пункт Толстой на Донеччині"),
    ),
    (
        "Україна не віддасть Донбас, - Зеленський",
        ("Зеленський", PERSON, "Україна не віддасть Донбас"),
    ),
    (
        "Росія накопичує ракетоносії у Чорному морі, – речник ВМС Плетенчук",
        ("речник ВМС Плетенчук", PERSON, "Росія накопичує ракетоносії у Чорному морі"),
    ),
    (
        "Росіяни готують новий наступ на Запоріжжі, - військовий експерт",
        ("військовий експерт", ROLE, "Росіяни готують новий наступ на Запоріжжі"),
    ),
    (
        "Окупанти атакували Херсон дронами, - ОВА",
        ("ОВА", ORG, "Окупанти атакували Херсон дронами"),
    ),
]

NAMES_NO_SOURCE = [
    # no attribution at all
    "Russia launched 50 drones and 3 missiles at Ukraine overnight",
    "Zelenskyy meets Trump in Washington: what was agreed",
    "Everything is going according to plan in Kupiansk",
    # dashes inside names and numbers
    "EU leaders agree to cover Ukraine’s financing needs for 2026–2027",
    "Ukraine signs a small reactor deal with Rolls-Royce",
    "Air defense shot down a Russian Su-34",
    "Netherlands hands over its last F-16",
    "Russia moves S-400 closer to Kharkiv",
    "Kharkiv-based drone makers double production",
    "Kyiv–Warsaw train resumes after drone attack",
    # a dash mid-headline, then a tail that is a clause, not a source
    "Bila Tserkva – Kyiv highway closed",
    "Bila Tserkva – Kyiv highway closed after drone debris fell on the road",
    "Explosions in Kharkiv - Russia attacks energy facilities",
    "Russia strikes Odesa port — three dead",
    # too short to be a claim: a topic pair
    "Ukraine – EU",
    # questions
    "Will Russia launch a new offensive in Zaporizhzhia?",
    "Can Ukraine hold Pokrovsk — or is it already too late?",
    # numbers after the dash: a range, a percentage, a year
    "Russian losses per day near Pokrovsk – 1,000–1,200",
    "Ukraine's inflation slowed in November — 11.2%",
    "Top drone strikes on Russian refineries — 2025",
    # Ukrainian
    "Обстріл Харкова: поранено 12 людей",
    "Ціни на електроенергію у 2026–2027 роках",
]


@pytest.mark.parametrize(("headline", "expected"), NAMES_A_SOURCE)
def test_headline_source(headline: str, expected: tuple[str, str | None, str]) -> None:
    source, kind, claim = expected
    assert headline_source(headline) == HeadlineSource(source=source, source_kind=kind, claim=claim)


@pytest.mark.parametrize("headline", NAMES_NO_SOURCE)
def test_headline_without_source(headline: str) -> None:
    assert headline_source(headline) is None


def test_table_sizes() -> None:
    cyrillic = [h for h, _ in NAMES_A_SOURCE if any("а" <= ch <= "я" for ch in h)]
    assert len(NAMES_A_SOURCE) - len(cyrillic) == 41
    assert len(cyrillic) == 6
    assert len(NAMES_NO_SOURCE) == 22


def test_surrounding_whitespace_is_ignored() -> None:
    assert headline_source(
        "  Russia is regrouping near Huliaipole —\u00a0ISW \n"
    ) == HeadlineSource(source="ISW", source_kind=ORG, claim="Russia is regrouping near Huliaipole")
