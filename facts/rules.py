"""Rule-based, explainable extraction of hard numbers from a headline and its lead.

`extract_facts` reads each sentence with one module per kind of fact (`facts.losses`,
`facts.strikes`, `facts.combat`, `facts.prisoners`) after the gates in `facts.text`; the rows
are `facts.records`.

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

from datetime import date

from facts.combat import combats
from facts.losses import losses
from facts.prisoners import prisoners
from facts.records import CombatReport, Facts, LossReport, PrisonerEvent, Source, StrikeEvent
from facts.strikes import strikes
from facts.text import IRREALIS_RE, is_period_total, split_sentences


def extract_facts(title: str, lead: str, published: date) -> Facts:
    """All facts stated in ``title`` and ``lead``; ``published`` is the Kyiv publication date."""
    found_losses: list[LossReport] = []
    found_strikes: list[StrikeEvent] = []
    found_combats: list[CombatReport] = []
    found_prisoners: list[PrisonerEvent] = []
    fields: tuple[tuple[Source, str], ...] = (("title", title), ("lead", lead))
    for source, text in fields:
        for sentence in split_sentences(text):
            if IRREALIS_RE.search(sentence) or is_period_total(sentence):
                continue
            found_losses.extend(losses(sentence, source, published))
            found_strikes.extend(strikes(sentence, source, published))
            found_combats.extend(combats(sentence, source, published))
            found_prisoners.extend(prisoners(sentence, source, published))
    return Facts(
        tuple(found_losses), tuple(found_strikes), tuple(found_combats), tuple(found_prisoners)
    )
