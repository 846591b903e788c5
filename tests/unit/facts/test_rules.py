"""facts.rules: exact rows from Espreso Global-style headlines and leads, and nothing from the rest."""

from __future__ import annotations

from datetime import date
from typing import Literal

import pytest

from facts.categories import LOSS_CATEGORIES
from facts.records import (
    CombatReport,
    Counted,
    Facts,
    LossReport,
    PrisonerEvent,
    Source,
    StrikeEvent,
)
from facts.rules import extract_facts
from facts.text import parse_number, split_sentences

P = date(2025, 2, 5)
NOTHING = Facts((), (), (), ())

Row = LossReport | StrikeEvent | CombatReport | PrisonerEvent


def facts(*rows: Row) -> Facts:
    """Rows sorted into their tuples, order kept."""
    return Facts(
        tuple(r for r in rows if isinstance(r, LossReport)),
        tuple(r for r in rows if isinstance(r, StrikeEvent)),
        tuple(r for r in rows if isinstance(r, CombatReport)),
        tuple(r for r in rows if isinstance(r, PrisonerEvent)),
    )


def loss(
    sentence: str,
    category: str,
    count: int,
    basis: Literal["daily", "cumulative"],
    rule: str,
    source: Source = "title",
    day: date = P,
) -> LossReport:
    return LossReport(day, category, count, basis, rule, source, sentence)


def strike(
    sentence: str,
    place: str,
    weapon: str | None,
    killed: int | None,
    injured: int | None,
    rule: str,
    source: Source = "title",
    day: date = P,
) -> StrikeEvent:
    return StrikeEvent(place, weapon, killed, injured, day, rule, source, sentence)


# What each combat rule counts (combat.direction_first: whichever noun follows the number).
COUNTED: dict[str, Counted] = {
    "combat.repelled_near": "attacks",
    "combat.direction_first": "attacks",
    "combat.attacked_times": "attacks",
    "combat.engagements_front": "engagements",
    "combat.engagements_direction": "engagements",
    "combat.of_them": "engagements",
}


def combat(
    sentence: str,
    direction: str | None,
    count: int,
    rule: str,
    source: Source = "title",
    day: date = P,
    counted: Counted | None = None,
) -> CombatReport:
    return CombatReport(direction, counted or COUNTED[rule], count, day, rule, source, sentence)


def prisoners(
    sentence: str,
    kind: Literal["exchange", "surrender"],
    count: int,
    side: Literal["ukrainian", "russian"],
    rule: str,
    source: Source = "title",
    day: date = P,
) -> PrisonerEvent:
    return PrisonerEvent(kind, count, side, day, rule, source, sentence)


# Losses

T_DAILY = "Russia loses 1,140 soldiers, 52 artillery systems, 9 tanks in one day"
T_REACH = "General Staff: Russia's losses in Ukraine reach 844,070 troops"
T_PAST_DAY = (
    "Russian losses over the past day: 1,250 personnel, 30 artillery systems, 3 tanks, 78 drones"
)
T_ELIMINATE = "Ukraine's Armed Forces eliminate 1,140 Russian soldiers in one day"
L_SINCE = (
    "Since the start of the full-scale invasion, Russia has lost 844,070 soldiers, 10,021 tanks, "
    "20,845 armored combat vehicles, 22,987 artillery systems, 1,276 MLRS, 1,066 air defense "
    "systems, 369 aircraft, 331 helicopters, 23,726 operational-tactical drones, 3,051 cruise "
    "missiles, 28 ships/boats, 1 submarine, 34,963 vehicles and fuel tanks, and 3,698 units of "
    "special equipment."
)
L_STAFF = (
    "The total combat losses of the enemy from 24.02.22 to 05.02.25 were approximately: "
    "personnel ‒ about 844,070 (+1,140) persons, tanks ‒ 10,021 (+9), "
    "UAV operational-tactical level ‒ 23,726 (+78), warships / boats ‒ 28 (+0), "
    "vehicles and fuel tanks ‒ 34,963 (+74)."
)
# In LOSS_CATEGORIES order, as listed in L_SINCE.
SINCE_TOTALS = (844070, 10021, 20845, 22987, 1276, 1066, 369, 331, 23726, 3051, 28, 1, 34963, 3698)
T_AS_OF = "Russian losses in Ukraine as of Feb. 5: 844,070 troops, 10,021 tanks"
L_AS_OF_DAILY = (
    "As of February 5, 2025, Russia had lost 1,140 soldiers, 9 tanks and 52 artillery systems "
    "over the past day."
)
T_BRINGING = "Russia loses 1,140 soldiers in one day, bringing total losses to 844,070 soldiers"
T_SPACES = "Russia loses 1 140 soldiers and 9 tanks per day"
T_WORDS = "Russian army loses one aircraft, two helicopters and 15 MLRS in a day"
L_UK = (
    "Over the past day, the enemy lost 1,310 personnel, 14 armoured fighting vehicles, "
    "3 air defence systems and 40 vehicles and fuel tanks."
)
T_DAY_ONLY = "Russia loses 1,140 soldiers in one day"
L_TOTAL = (
    "In total, Russia has lost 844,070 soldiers and 10,021 tanks since the start of the "
    "full-scale invasion, the General Staff reports."
)
T_NEUTRALISE = "Ukrainian forces neutralise 1,390 occupiers over the past day"
L_DEC_31 = "On Dec. 31, Russia lost 1,180 soldiers in one day."
T_4_FEBRUARY = "Russia's losses on 4 February: 1,200 soldiers and 11 tanks in one day"
T_UAVS = "Russia loses 95 UAVs, 60 trucks and 2 cruise missiles per day"
T_UNITS = "Russia loses 52 units of artillery and 4 units of special equipment in one day"
L_BEGAN_2022 = "Since the full-scale invasion began in 2022, Russia has lost 844,070 soldiers."
L_SINCE_24 = "Since February 24, 2022, Russia's army has lost 10,021 tanks and 331 helicopters."
T_SINCE_RISE = "Russian losses since the start of the full-scale invasion rise to 844,070 soldiers"

LOSS_CASES = [
    pytest.param(
        T_DAILY,
        "",
        P,
        facts(
            loss(T_DAILY, "personnel", 1140, "daily", "loss.daily_list"),
            loss(T_DAILY, "artillery", 52, "daily", "loss.daily_list"),
            loss(T_DAILY, "tank", 9, "daily", "loss.daily_list"),
        ),
        id="loss-daily-list-headline",
    ),
    pytest.param(
        T_REACH,
        "",
        P,
        facts(loss(T_REACH, "personnel", 844070, "cumulative", "loss.reach_total")),
        id="loss-reach-total",
    ),
    pytest.param(
        T_PAST_DAY,
        "",
        P,
        facts(
            loss(T_PAST_DAY, "personnel", 1250, "daily", "loss.daily_list"),
            loss(T_PAST_DAY, "artillery", 30, "daily", "loss.daily_list"),
            loss(T_PAST_DAY, "tank", 3, "daily", "loss.daily_list"),
            loss(T_PAST_DAY, "drone", 78, "daily", "loss.daily_list"),
        ),
        id="loss-past-day-colon-list",
    ),
    pytest.param(
        T_ELIMINATE,
        "",
        P,
        facts(loss(T_ELIMINATE, "personnel", 1140, "daily", "loss.eliminated_daily")),
        id="loss-eliminated-daily",
    ),
    pytest.param(
        "Russia's losses in Ukraine: General Staff update",
        L_SINCE,
        P,
        facts(
            *(
                loss(L_SINCE, category, count, "cumulative", "loss.cumulative_list", "lead")
                for category, count in zip(
                    LOSS_CATEGORIES,
                    SINCE_TOTALS,
                    strict=True,
                )
            )
        ),
        id="loss-cumulative-every-category",
    ),
    pytest.param(
        "General Staff updates Russian losses",
        L_STAFF,
        P,
        facts(
            loss(L_STAFF, "personnel", 844070, "cumulative", "loss.staff_table", "lead"),
            loss(L_STAFF, "personnel", 1140, "daily", "loss.staff_table", "lead"),
            loss(L_STAFF, "tank", 10021, "cumulative", "loss.staff_table", "lead"),
            loss(L_STAFF, "tank", 9, "daily", "loss.staff_table", "lead"),
            loss(L_STAFF, "drone", 23726, "cumulative", "loss.staff_table", "lead"),
            loss(L_STAFF, "drone", 78, "daily", "loss.staff_table", "lead"),
            loss(L_STAFF, "ship", 28, "cumulative", "loss.staff_table", "lead"),
            loss(L_STAFF, "ship", 0, "daily", "loss.staff_table", "lead"),
            loss(L_STAFF, "vehicle", 34963, "cumulative", "loss.staff_table", "lead"),
            loss(L_STAFF, "vehicle", 74, "daily", "loss.staff_table", "lead"),
        ),
        id="loss-staff-table-total-and-delta",
    ),
    pytest.param(
        T_AS_OF,
        "",
        date(2025, 2, 6),
        facts(
            loss(T_AS_OF, "personnel", 844070, "cumulative", "loss.cumulative_list", day=P),
            loss(T_AS_OF, "tank", 10021, "cumulative", "loss.cumulative_list", day=P),
        ),
        id="loss-as-of-date-is-total-and-dated",
    ),
    pytest.param(
        "",
        L_AS_OF_DAILY,
        P,
        facts(
            loss(L_AS_OF_DAILY, "personnel", 1140, "daily", "loss.daily_list", "lead"),
            loss(L_AS_OF_DAILY, "tank", 9, "daily", "loss.daily_list", "lead"),
            loss(L_AS_OF_DAILY, "artillery", 52, "daily", "loss.daily_list", "lead"),
        ),
        id="loss-as-of-with-daily-marker-is-daily",
    ),
    pytest.param(
        T_BRINGING,
        "",
        P,
        facts(
            loss(T_BRINGING, "personnel", 1140, "daily", "loss.daily_list"),
            loss(T_BRINGING, "personnel", 844070, "cumulative", "loss.cumulative_list"),
        ),
        id="loss-daily-bringing-total",
    ),
    pytest.param(
        T_SPACES,
        "",
        P,
        facts(
            loss(T_SPACES, "personnel", 1140, "daily", "loss.daily_list"),
            loss(T_SPACES, "tank", 9, "daily", "loss.daily_list"),
        ),
        id="loss-space-grouped-number",
    ),
    pytest.param(
        T_WORDS,
        "",
        P,
        facts(
            loss(T_WORDS, "aircraft", 1, "daily", "loss.daily_list"),
            loss(T_WORDS, "helicopter", 2, "daily", "loss.daily_list"),
            loss(T_WORDS, "mlrs", 15, "daily", "loss.daily_list"),
        ),
        id="loss-number-words",
    ),
    pytest.param(
        "",
        L_UK,
        P,
        facts(
            loss(L_UK, "personnel", 1310, "daily", "loss.daily_list", "lead"),
            loss(L_UK, "apc", 14, "daily", "loss.daily_list", "lead"),
            loss(L_UK, "air_defence", 3, "daily", "loss.daily_list", "lead"),
            loss(L_UK, "vehicle", 40, "daily", "loss.daily_list", "lead"),
        ),
        id="loss-uk-spelling-and-fuel-tanks",
    ),
    pytest.param(
        T_DAY_ONLY,
        L_TOTAL,
        P,
        facts(
            loss(T_DAY_ONLY, "personnel", 1140, "daily", "loss.daily_list"),
            loss(L_TOTAL, "personnel", 844070, "cumulative", "loss.cumulative_list", "lead"),
            loss(L_TOTAL, "tank", 10021, "cumulative", "loss.cumulative_list", "lead"),
        ),
        id="loss-daily-title-cumulative-lead",
    ),
    pytest.param(
        T_NEUTRALISE,
        "",
        P,
        facts(loss(T_NEUTRALISE, "personnel", 1390, "daily", "loss.eliminated_daily")),
        id="loss-neutralise-occupiers",
    ),
    pytest.param(
        "",
        L_DEC_31,
        date(2025, 1, 2),
        facts(
            loss(
                L_DEC_31, "personnel", 1180, "daily", "loss.daily_list", "lead", date(2024, 12, 31)
            )
        ),
        id="loss-month-day-after-publication-is-last-year",
    ),
    pytest.param(
        T_4_FEBRUARY,
        "",
        date(2025, 2, 6),
        facts(
            loss(T_4_FEBRUARY, "personnel", 1200, "daily", "loss.daily_list", day=date(2025, 2, 4)),
            loss(T_4_FEBRUARY, "tank", 11, "daily", "loss.daily_list", day=date(2025, 2, 4)),
        ),
        id="loss-day-month-date",
    ),
    pytest.param(
        T_UAVS,
        "",
        P,
        facts(
            loss(T_UAVS, "drone", 95, "daily", "loss.daily_list"),
            loss(T_UAVS, "vehicle", 60, "daily", "loss.daily_list"),
            loss(T_UAVS, "cruise_missile", 2, "daily", "loss.daily_list"),
        ),
        id="loss-uavs-trucks-cruise-missiles",
    ),
    pytest.param(
        T_UNITS,
        "",
        P,
        facts(
            loss(T_UNITS, "artillery", 52, "daily", "loss.daily_list"),
            loss(T_UNITS, "special_equipment", 4, "daily", "loss.daily_list"),
        ),
        id="loss-units-of",
    ),
    pytest.param(
        T_SINCE_RISE,
        "",
        P,
        facts(loss(T_SINCE_RISE, "personnel", 844070, "cumulative", "loss.cumulative_list")),
        id="loss-explicit-total-marker-beats-reach",
    ),
    pytest.param(
        "",
        L_BEGAN_2022,
        P,
        facts(
            loss(L_BEGAN_2022, "personnel", 844070, "cumulative", "loss.cumulative_list", "lead")
        ),
        id="loss-invasion-year-is-not-a-year-total",
    ),
    pytest.param(
        "",
        L_SINCE_24,
        P,
        facts(
            loss(L_SINCE_24, "tank", 10021, "cumulative", "loss.cumulative_list", "lead"),
            loss(L_SINCE_24, "helicopter", 331, "cumulative", "loss.cumulative_list", "lead"),
        ),
        id="loss-since-date-is-no-report-date",
    ),
]

# Strikes

T_IZYUM = "Russian ballistic missile strike on Izyum kills 5, injures 59"
T_KHARKIV_KAB = "Russia struck Kharkiv with guided bombs: 17 injured, including two children"
T_KHERSON = "Russians shelled Kherson 37 times in one day: two killed"
T_ODESA = "Drone attack on Odesa: 3 killed, 12 wounded"
T_DNIPRO = "Death toll from Russian missile strike on Dnipro rises to 12"
T_ZAPORIZHZHIA = "Russian attack on Zaporizhzhia region injures 8 people"
L_KHARKIV = (
    "As a result of the Russian attack on Kharkiv, 5 people were killed and 12 others were injured."
)
T_NIGHT = "Russian drone attack on Kherson on the night of March 30 kills 2"
L_KYIV = "On Dec. 31, Russian drones attacked Kyiv, killing 1 and injuring 4."
T_CIVILIANS = "Russians kill 2 civilians in Kherson region"
T_NIKOPOL = "Russian troops attacked Nikopol with artillery and drones: one killed, three wounded"
T_TOLLS = "Russian strike on Kyiv: death toll rises to 23, number of injured rises to 50"
T_LVIV = "Russian cruise missile strike on Lviv kills 7, injures 42"
T_SUMY = "Russian MLRS attack on Sumy region kills one, injures five"
T_POLTAVA = "Russian missile strike on Poltava kills 3"
L_POLTAVA = "Another 20 people were injured in the attack, the regional administration reports."
T_AT_LEAST = "Russian strike on Kharkiv kills at least 5"

STRIKE_CASES = [
    pytest.param(
        T_IZYUM,
        "",
        P,
        facts(strike(T_IZYUM, "Izyum", "ballistic missile", 5, 59, "strike.kills_injures")),
        id="strike-ballistic-izyum",
    ),
    pytest.param(
        T_KHARKIV_KAB,
        "",
        P,
        facts(strike(T_KHARKIV_KAB, "Kharkiv", "guided bomb", None, 17, "strike.killed_injured")),
        id="strike-guided-bombs-subset-not-added",
    ),
    pytest.param(
        T_KHERSON,
        "",
        P,
        facts(strike(T_KHERSON, "Kherson", "artillery", 2, None, "strike.killed_injured")),
        id="strike-shelling-count-is-not-casualties",
    ),
    pytest.param(
        T_ODESA,
        "",
        P,
        facts(strike(T_ODESA, "Odesa", "drone", 3, 12, "strike.killed_injured")),
        id="strike-drone-odesa",
    ),
    pytest.param(
        T_DNIPRO,
        "",
        P,
        facts(strike(T_DNIPRO, "Dnipro", "missile", 12, None, "strike.death_toll_rises")),
        id="strike-death-toll-rises",
    ),
    pytest.param(
        T_ZAPORIZHZHIA,
        "",
        P,
        facts(strike(T_ZAPORIZHZHIA, "Zaporizhzhia region", None, None, 8, "strike.kills_injures")),
        id="strike-region-no-weapon",
    ),
    pytest.param(
        "Russian attack on Kharkiv: casualties reported",
        L_KHARKIV,
        P,
        facts(strike(L_KHARKIV, "Kharkiv", None, 5, 12, "strike.killed_injured", "lead")),
        id="strike-lead-passive-counts",
    ),
    pytest.param(
        T_NIGHT,
        "",
        date(2025, 3, 31),
        facts(
            strike(
                T_NIGHT, "Kherson", "drone", 2, None, "strike.kills_injures", day=date(2025, 3, 30)
            )
        ),
        id="strike-night-of-date",
    ),
    pytest.param(
        "",
        L_KYIV,
        date(2025, 1, 1),
        facts(
            strike(
                L_KYIV, "Kyiv", "drone", 1, 4, "strike.kills_injures", "lead", date(2024, 12, 31)
            )
        ),
        id="strike-killing-injuring-last-year",
    ),
    pytest.param(
        T_CIVILIANS,
        "",
        P,
        facts(strike(T_CIVILIANS, "Kherson region", None, 2, None, "strike.kills_injures")),
        id="strike-russians-kill-civilians",
    ),
    pytest.param(
        T_NIKOPOL,
        "",
        P,
        facts(strike(T_NIKOPOL, "Nikopol", "artillery", 1, 3, "strike.killed_injured")),
        id="strike-first-named-weapon",
    ),
    pytest.param(
        T_TOLLS,
        "",
        P,
        facts(strike(T_TOLLS, "Kyiv", None, 23, 50, "strike.death_toll_rises")),
        id="strike-both-tolls-rise",
    ),
    pytest.param(
        T_LVIV,
        "",
        P,
        facts(strike(T_LVIV, "Lviv", "cruise missile", 7, 42, "strike.kills_injures")),
        id="strike-cruise-missile",
    ),
    pytest.param(
        T_SUMY,
        "",
        P,
        facts(strike(T_SUMY, "Sumy region", "MLRS", 1, 5, "strike.kills_injures")),
        id="strike-mlrs-number-words",
    ),
    pytest.param(
        T_POLTAVA,
        L_POLTAVA,
        P,
        facts(strike(T_POLTAVA, "Poltava", "missile", 3, None, "strike.kills_injures")),
        id="strike-lead-without-place-skipped",
    ),
    pytest.param(
        T_AT_LEAST,
        "",
        P,
        facts(strike(T_AT_LEAST, "Kharkiv", None, 5, None, "strike.kills_injures")),
        id="strike-at-least-is-a-count",
    ),
]

# Combat

T_FEB4 = "Ukrainian defenders repel 35 Russian attacks near Pokrovsk, 12 in Kursk region on Feb. 4"
T_KUPIANSK = "Ukrainian defenders repelled 14 assaults in the Kupiansk direction"
L_FRONT = (
    "Over the past day, 162 combat engagements took place on the front line, the General Staff "
    "of the Armed Forces of Ukraine reports."
)
L_PAST_DAY = "Over the past day, Ukrainian defenders repelled 35 Russian attacks near Pokrovsk."
L_DIRECTION_FIRST = (
    "In the Pokrovsk direction, the enemy attacked 35 times near Myrnohrad, Pokrovsk and Kotlyne."
)
L_ATTACKED = (
    "The enemy attacked 28 times in the Kurakhove direction, trying to advance near Andriivka."
)
L_SINCE_DAY = (
    "Since the beginning of the day, 80 combat engagements have taken place on the front, "
    "almost half of them in the Pokrovsk direction."
)
L_OF_THEM = (
    "Over the past day, 162 combat engagements took place on the front line, 41 of them in the "
    "Pokrovsk direction."
)
T_ENTIRE = "Ukrainian defenders repel 162 attacks along the entire front line"
L_4_FEBRUARY = "On 4 February, Ukrainian defenders repelled 35 Russian attacks near Pokrovsk."
T_ENGAGEMENTS = "Pokrovsk remains the hottest spot: 35 combat engagements in the Pokrovsk direction"
T_THREE = "Defenders repel 30 attacks near Pokrovsk, 12 near Toretsk and 8 in the Lyman direction"
L_YESTERDAY = "Ukrainian defenders repelled 20 assaults in the Kursk region yesterday."
L_DIRECTION_ENGAGEMENTS = "In the Pokrovsk direction, 35 combat engagements took place."
L_ATTACKED_OF_THEM = (
    "Russian forces attacked 150 times along the front line, 41 of them in the Pokrovsk direction."
)

COMBAT_CASES = [
    pytest.param(
        T_FEB4,
        "",
        P,
        facts(
            combat(T_FEB4, "Pokrovsk", 35, "combat.repelled_near", day=date(2025, 2, 4)),
            combat(T_FEB4, "Kursk region", 12, "combat.repelled_near", day=date(2025, 2, 4)),
        ),
        id="combat-two-places-dated",
    ),
    pytest.param(
        T_KUPIANSK,
        "",
        P,
        facts(combat(T_KUPIANSK, "Kupiansk", 14, "combat.repelled_near")),
        id="combat-direction-word-stripped",
    ),
    pytest.param(
        "",
        L_FRONT,
        P,
        facts(combat(L_FRONT, None, 162, "combat.engagements_front", "lead", date(2025, 2, 4))),
        id="combat-front-wide-past-day",
    ),
    pytest.param(
        "",
        L_PAST_DAY,
        P,
        facts(combat(L_PAST_DAY, "Pokrovsk", 35, "combat.repelled_near", "lead", date(2025, 2, 4))),
        id="combat-repelled-past-day",
    ),
    pytest.param(
        "",
        L_DIRECTION_FIRST,
        P,
        facts(combat(L_DIRECTION_FIRST, "Pokrovsk", 35, "combat.direction_first", "lead")),
        id="combat-direction-first",
    ),
    pytest.param(
        "",
        L_ATTACKED,
        P,
        facts(combat(L_ATTACKED, "Kurakhove", 28, "combat.attacked_times", "lead")),
        id="combat-attacked-times",
    ),
    pytest.param(
        "",
        L_SINCE_DAY,
        P,
        facts(combat(L_SINCE_DAY, None, 80, "combat.engagements_front", "lead")),
        id="combat-since-start-of-day-half-is-no-count",
    ),
    pytest.param(
        "",
        L_OF_THEM,
        P,
        facts(
            combat(L_OF_THEM, None, 162, "combat.engagements_front", "lead", date(2025, 2, 4)),
            combat(L_OF_THEM, "Pokrovsk", 41, "combat.of_them", "lead", date(2025, 2, 4)),
        ),
        id="combat-front-and-of-them",
    ),
    pytest.param(
        T_ENTIRE,
        "",
        P,
        facts(combat(T_ENTIRE, None, 162, "combat.repelled_near")),
        id="combat-repelled-entire-front",
    ),
    pytest.param(
        "",
        L_4_FEBRUARY,
        P,
        facts(
            combat(L_4_FEBRUARY, "Pokrovsk", 35, "combat.repelled_near", "lead", date(2025, 2, 4))
        ),
        id="combat-day-month-date",
    ),
    pytest.param(
        T_ENGAGEMENTS,
        "",
        P,
        facts(combat(T_ENGAGEMENTS, "Pokrovsk", 35, "combat.engagements_direction")),
        id="combat-engagements-direction",
    ),
    pytest.param(
        T_THREE,
        "",
        P,
        facts(
            combat(T_THREE, "Pokrovsk", 30, "combat.repelled_near"),
            combat(T_THREE, "Toretsk", 12, "combat.repelled_near"),
            combat(T_THREE, "Lyman", 8, "combat.repelled_near"),
        ),
        id="combat-three-places-and",
    ),
    pytest.param(
        "",
        L_YESTERDAY,
        P,
        facts(
            combat(
                L_YESTERDAY, "Kursk region", 20, "combat.repelled_near", "lead", date(2025, 2, 4)
            )
        ),
        id="combat-yesterday",
    ),
    pytest.param(
        "",
        L_DIRECTION_ENGAGEMENTS,
        P,
        facts(
            combat(
                L_DIRECTION_ENGAGEMENTS,
                "Pokrovsk",
                35,
                "combat.direction_first",
                "lead",
                counted="engagements",
            )
        ),
        id="combat-direction-first-counts-engagements",
    ),
    pytest.param(
        "",
        L_ATTACKED_OF_THEM,
        P,
        facts(
            combat(L_ATTACKED_OF_THEM, None, 150, "combat.attacked_times", "lead"),
            combat(L_ATTACKED_OF_THEM, "Pokrovsk", 41, "combat.of_them", "lead", counted="attacks"),
        ),
        id="combat-of-them-shares-out-attacks",
    ),
]

# Prisoners

T_FREES = "Ukraine frees 150 defenders from Russian captivity"
T_EACH = "Ukraine and Russia exchange 84 prisoners each"
T_SURRENDER = "21 Russian servicemen surrender to Ukrainian forces in Kursk region"
T_ANOTHER = "Another 303 Ukrainian defenders return home from captivity"
T_FOR = "Ukraine, Russia conduct prisoner exchange: 84 for 84"
L_BROUGHT = "On Feb. 4, Ukraine brought home 150 defenders from Russian captivity."
T_OCCUPIERS = "12 occupiers surrender to Ukrainian soldiers in Kursk region"
T_ARMS = "Seven Russian soldiers lay down their arms near Vovchansk"
L_EACH = "Ukraine has brought home 84 defenders from Russian captivity, Zelensky said."
T_RELEASED = "150 Ukrainians released from Russian captivity"

PRISONER_CASES = [
    pytest.param(
        T_FREES,
        "",
        P,
        facts(prisoners(T_FREES, "exchange", 150, "ukrainian", "exchange.frees_from_captivity")),
        id="exchange-frees-from-captivity",
    ),
    pytest.param(
        T_EACH,
        "",
        P,
        facts(
            prisoners(T_EACH, "exchange", 84, "ukrainian", "exchange.swap_each"),
            prisoners(T_EACH, "exchange", 84, "russian", "exchange.swap_each"),
        ),
        id="exchange-each-one-row-per-side",
    ),
    pytest.param(
        T_SURRENDER,
        "",
        P,
        facts(prisoners(T_SURRENDER, "surrender", 21, "russian", "surrender.servicemen_surrender")),
        id="surrender-russian-servicemen",
    ),
    pytest.param(
        T_ANOTHER,
        "",
        P,
        facts(prisoners(T_ANOTHER, "exchange", 303, "ukrainian", "exchange.return_home")),
        id="exchange-another-return-home",
    ),
    pytest.param(
        T_FOR,
        "",
        P,
        facts(
            prisoners(T_FOR, "exchange", 84, "ukrainian", "exchange.swap_each"),
            prisoners(T_FOR, "exchange", 84, "russian", "exchange.swap_each"),
        ),
        id="exchange-n-for-n",
    ),
    pytest.param(
        "",
        L_BROUGHT,
        P,
        facts(
            prisoners(
                L_BROUGHT,
                "exchange",
                150,
                "ukrainian",
                "exchange.frees_from_captivity",
                "lead",
                date(2025, 2, 4),
            )
        ),
        id="exchange-brought-home-dated",
    ),
    pytest.param(
        T_OCCUPIERS,
        "",
        P,
        facts(prisoners(T_OCCUPIERS, "surrender", 12, "russian", "surrender.servicemen_surrender")),
        id="surrender-occupiers",
    ),
    pytest.param(
        T_ARMS,
        "",
        P,
        facts(prisoners(T_ARMS, "surrender", 7, "russian", "surrender.servicemen_surrender")),
        id="surrender-lay-down-arms",
    ),
    pytest.param(
        T_EACH,
        L_EACH + " Among them are National Guard soldiers.",
        P,
        facts(
            prisoners(T_EACH, "exchange", 84, "ukrainian", "exchange.swap_each"),
            prisoners(T_EACH, "exchange", 84, "russian", "exchange.swap_each"),
            prisoners(L_EACH, "exchange", 84, "ukrainian", "exchange.frees_from_captivity", "lead"),
        ),
        id="exchange-title-and-lead-both-kept",
    ),
    pytest.param(
        T_RELEASED,
        "",
        P,
        facts(prisoners(T_RELEASED, "exchange", 150, "ukrainian", "exchange.return_home")),
        id="exchange-released-passive",
    ),
]

# Nothing to extract

NOTHING_CASES = [
    pytest.param(
        "Putin proposes 30-day ceasefire, Zelensky demands prisoner exchange 'all for all'",
        "",
        id="none-ceasefire-proposal",
    ),
    pytest.param("Russia lost 430,790 soldiers in 2024 – General Staff", "", id="none-year-total"),
    pytest.param("Russian attacks near Pokrovsk down 30% in a week", "", id="none-percentage"),
    pytest.param(
        "EU leaders agree to cover Ukraine's financing needs for 2026–2027",
        "",
        id="none-year-range",
    ),
    pytest.param("Russia launched 400 drones on Oct. 1-2", "", id="none-date-range-attack"),
    pytest.param(
        "Ukrainian defense startup raises $20 million to build 1,000 drones",
        "",
        id="none-money",
    ),
    pytest.param(
        "Russia attacked Ukraine with 104 drones overnight: air defense downed 86",
        "",
        id="none-drone-attack-is-no-loss",
    ),
    pytest.param(
        "Russia could lose 100,000 soldiers by summer, expert says", "", id="none-forecast"
    ),
    pytest.param(
        "Zelensky arrives in Oslo for talks with Nordic leaders",
        "The President will discuss air defense and the next prisoner exchange.",
        id="none-diplomacy",
    ),
    pytest.param("Ukraine marks 1,000th day of full-scale war", "", id="none-ordinal"),
    pytest.param(
        "Russia and Ukraine exchange 390 prisoners", "", id="none-exchange-per-side-unclear"
    ),
    pytest.param("Russia loses over 1,000 soldiers in one day", "", id="none-lower-bound"),
    pytest.param("Russia's losses in Ukraine exceed 850,000 troops", "", id="none-threshold"),
    pytest.param(
        "Ukrainian drone strike on Russian positions kills 20 soldiers",
        "",
        id="none-soldiers-are-not-strike-casualties",
    ),
    pytest.param("Dozens of Russian soldiers surrender near Pokrovsk", "", id="none-dozens"),
    pytest.param(
        "Zelensky: Ukraine and Russia agree to exchange 1,000 prisoners each",
        "",
        id="none-agreement-not-event",
    ),
    pytest.param(
        "",
        "In 2024, 1,358 Ukrainians returned home from Russian captivity.",
        id="none-yearly-exchange-total",
    ),
    pytest.param(
        "Ukraine's Defense Forces destroyed 86 of 104 Russian drones overnight",
        "",
        id="none-shot-down-drones",
    ),
    pytest.param("Ukraine lost 3 jets in one day", "", id="none-ukrainian-losses"),
    pytest.param(
        "In January, Russia lost on average 1,300 soldiers per day", "", id="none-monthly-average"
    ),
    pytest.param(
        "Russian attacks near Pokrovsk, Kurakhove: Ukrainian troops repel 40 assaults",
        "",
        id="none-repel-without-place",
    ),
]


@pytest.mark.parametrize(
    ("title", "lead", "published", "expected"),
    LOSS_CASES + STRIKE_CASES + COMBAT_CASES + PRISONER_CASES,
)
def test_extract_facts(title: str, lead: str, published: date, expected: Facts) -> None:
    assert extract_facts(title, lead, published) == expected


@pytest.mark.parametrize(("title", "lead"), NOTHING_CASES)
def test_extract_facts_nothing(title: str, lead: str) -> None:
    assert extract_facts(title, lead, P) == NOTHING


def test_rows_carry_their_sentence_and_source() -> None:
    lead = "Kharkiv was hit again. Drone attack on Odesa: 3 killed, 12 wounded. Repairs go on."
    assert extract_facts("Night of attacks", lead, P).strikes == (
        strike(
            "Drone attack on Odesa: 3 killed, 12 wounded.",
            "Odesa",
            "drone",
            3,
            12,
            "strike.killed_injured",
            "lead",
        ),
    )


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        pytest.param("", [], id="empty"),
        pytest.param("  One sentence only  ", ["One sentence only"], id="trimmed"),
        pytest.param(
            "Russia loses 1,140 soldiers. Ukraine frees 150 defenders!",
            ["Russia loses 1,140 soldiers.", "Ukraine frees 150 defenders!"],
            id="two",
        ),
        pytest.param(
            "On Feb. 4 the enemy attacked. Mr. Zelensky spoke.",
            ["On Feb. 4 the enemy attacked.", "Mr. Zelensky spoke."],
            id="abbreviations",
        ),
        pytest.param(
            "The U.S. State Department agreed. Kyiv welcomed it.",
            ["The U.S. State Department agreed.", "Kyiv welcomed it."],
            id="initials",
        ),
        pytest.param(
            "Inflation slowed to 1.5 percent. Prices rose.",
            ["Inflation slowed to 1.5 percent.", "Prices rose."],
            id="decimal",
        ),
        pytest.param(
            'He said: "It is over." Then he left.',
            ['He said: "It is over."', "Then he left."],
            id="closing-quote",
        ),
        pytest.param(
            "Losses fell in 2024. 1,140 soldiers were lost in one day.",
            ["Losses fell in 2024.", "1,140 soldiers were lost in one day."],
            id="digit-starts-sentence",
        ),
        pytest.param("First line\nSecond line", ["First line", "Second line"], id="line-break"),
        pytest.param(
            "Figures from 24.02.22 to 05.02.25 are final. See below.",
            ["Figures from 24.02.22 to 05.02.25 are final.", "See below."],
            id="dotted-date",
        ),
        pytest.param(
            "what happened in kursk. no capital follows",
            ["what happened in kursk. no capital follows"],
            id="no-capital-no-split",
        ),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,140", 1140),
        ("1 140", 1140),
        ("1\u00a0140", 1140),
        ("1140", 1140),
        ("844,070", 844070),
        ("1,000,000", 1000000),
        ("0", 0),
        ("one", 1),
        ("Seven", 7),
        ("seventeen", 17),
        ("twenty", 20),
        ("dozens", None),
        ("hundreds", None),
        ("twenty-one", None),
        ("1,14", None),
        ("1.5", None),
        ("30%", None),
        ("", None),
    ],
)
def test_parse_number(text: str, value: int | None) -> None:
    assert parse_number(text) == value
