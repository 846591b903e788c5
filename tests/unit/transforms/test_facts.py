"""transforms.facts: one row per fact an article version states, in every facts table alike, and
a strike's or combat report's place as the gazetteer entry `places` uses."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from expectations.gate import FACT_SUITES, Gate, suite_json
from transforms.facts import ArticleVersion, by_article, fact_frames, joined_frames
from transforms.schemas import FACT_KEYS, FACT_TABLES
from warehouse.migrate import migrate

URL = "https://global.espreso.tv/a"
AT = datetime(2025, 2, 5, 7, 12, tzinfo=UTC)
P = date(2025, 2, 5)
FEB4 = date(2025, 2, 4)
IZYUM = {"place": "Izyum", "geonameid": 707292, "latitude": 49.20697, "longitude": 37.27679}
KUPYANSK = {"geonameid": 703656, "latitude": 49.71003, "longitude": 37.61581}


def frames(title: str, lead: str) -> dict[str, pl.DataFrame]:
    return fact_frames([ArticleVersion(URL, AT, P, title, lead, current=True, outlet="espreso")])


def table(title: str, lead: str, name: str, *columns: str) -> list[dict[str, Any]]:
    return frames(title, lead)[name].select(columns).to_dicts()


def stated(fields: list[str], rule: str, sentence: str, lead: str | None) -> dict[str, Any]:
    return {"fields": fields, "rule": rule, "sentence": sentence, "lead_sentence": lead}


EXPLAINED = ("fields", "rule", "sentence", "lead_sentence")

# Headline and lead stating the same figures, in other words.
T_LOSS = "Russia loses 1,140 soldiers in one day"
L_LOSS = "Over the past day, the enemy lost 1,140 soldiers, the General Staff reports."
T_STRIKE = "Russian ballistic missile strike on Ukraine’s Izyum kills 5, injures 59"
L_STRIKE = "A Russian ballistic missile struck Izyum, killing 5 people and injuring 59."
T_COMBAT = "Ukrainian defenders repelled 14 assaults in the Kupiansk direction"
L_COMBAT = "In the Kupiansk direction, the enemy attacked 14 times."
T_SWAP = "Ukraine and Russia exchange 84 prisoners each"
L_SWAP = "Ukraine has brought home 84 defenders from Russian captivity, Zelensky said."


def test_a_loss_report_in_headline_and_lead_is_one_row_naming_both() -> None:
    assert table(T_LOSS, L_LOSS, "loss_reports", "report_date", "category", "count", "basis", *EXPLAINED) == [
        {"report_date": P, "category": "personnel", "count": 1140, "basis": "daily",
         **stated(["title", "lead"], "loss.daily_list", T_LOSS, L_LOSS)},
    ]  # fmt: skip


def test_a_strike_in_headline_and_lead_is_one_row_naming_both() -> None:
    assert table(
        T_STRIKE, L_STRIKE, "strike_events", "seq", "place", "geonameid", "latitude", "longitude",
        "place_text", "weapon", "killed", "injured", "event_date", *EXPLAINED,
    ) == [
        {"seq": 0, **IZYUM, "place_text": "Ukraine’s Izyum", "weapon": "ballistic missile",
         "killed": 5, "injured": 59, "event_date": P,
         **stated(["title", "lead"], "strike.kills_injures", T_STRIKE, L_STRIKE)},
    ]  # fmt: skip


def test_a_combat_report_in_headline_and_lead_is_one_row_naming_both() -> None:
    assert table(
        T_COMBAT, L_COMBAT, "combat_reports", "seq", "direction", "geonameid", "latitude",
        "longitude", "direction_text", "counted", "count", "event_date", *EXPLAINED,
    ) == [
        {"seq": 0, "direction": "Kupyansk", **KUPYANSK, "direction_text": "Kupiansk",
         "counted": "attacks", "count": 14, "event_date": P,
         **stated(["title", "lead"], "combat.repelled_near", T_COMBAT, L_COMBAT)},
    ]  # fmt: skip


def test_an_exchange_in_headline_and_lead_is_one_row_per_side_naming_both() -> None:
    # The lead's 84 Ukrainians are the headline's: one row; the Russian side only the headline states.
    assert table(T_SWAP, L_SWAP, "prisoner_exchanges", "seq", "kind", "count", "side", "event_date", *EXPLAINED) == [
        {"seq": 0, "kind": "exchange", "count": 84, "side": "ukrainian", "event_date": P,
         **stated(["title", "lead"], "exchange.swap_each", T_SWAP, L_SWAP)},
        {"seq": 1, "kind": "exchange", "count": 84, "side": "russian", "event_date": P,
         **stated(["title"], "exchange.swap_each", T_SWAP, None)},
    ]  # fmt: skip


def test_a_place_in_headline_and_lead_is_one_row_naming_both() -> None:
    # "Kupiansk direction" and the town are two places (kinds); Izyum twice in the lead is one.
    title = "Russian strike on Izyum; fighting in the Kupiansk direction"
    lead = "Izyum was hit at night. Izyum and Kupiansk have no power."
    assert table(title, lead, "places", "fields", "start", "name", "place", "kind", "geonameid", "rule") == [
        {"fields": ["title", "lead"], "start": 18, "name": "Izyum", "place": "Izyum",
         "kind": "settlement", "geonameid": 707292, "rule": "place.settlement"},
        {"fields": ["title"], "start": 41, "name": "Kupiansk direction", "place": "Kupyansk",
         "kind": "direction", "geonameid": 703656, "rule": "place.direction"},
        {"fields": ["lead"], "start": 34, "name": "Kupiansk", "place": "Kupyansk",
         "kind": "settlement", "geonameid": 703656, "rule": "place.settlement"},
    ]  # fmt: skip


def test_a_lead_with_another_count_and_date_is_another_row() -> None:
    lead = "On Feb. 4, Russia lost 1,200 soldiers in one day."
    assert table(T_LOSS, lead, "loss_reports", "report_date", "count", "fields", "sentence") == [
        {"report_date": P, "count": 1140, "fields": ["title"], "sentence": T_LOSS},
        {"report_date": FEB4, "count": 1200, "fields": ["lead"], "sentence": lead},
    ]
    lead = "On Feb. 4, Ukrainian defenders repelled 12 assaults in the Kupiansk direction."
    assert table(T_COMBAT, lead, "combat_reports", "seq", "direction", "count", "event_date", "fields") == [
        {"seq": 0, "direction": "Kupyansk", "count": 14, "event_date": P, "fields": ["title"]},
        {"seq": 1, "direction": "Kupyansk", "count": 12, "event_date": FEB4, "fields": ["lead"]},
    ]  # fmt: skip
    lead = "A Russian ballistic missile struck Izyum, killing 7 people and injuring 61."
    assert table(
        T_STRIKE, lead, "strike_events", "seq", "place", "killed", "injured", "fields"
    ) == [
        {"seq": 0, "place": "Izyum", "killed": 5, "injured": 59, "fields": ["title"]},
        {"seq": 1, "place": "Izyum", "killed": 7, "injured": 61, "fields": ["lead"]},
    ]


def test_a_place_the_gazetteer_lacks_keeps_its_phrase() -> None:
    title = "Russian missile strike on Ukraine kills 3"
    assert table(title, "", "strike_events", "place", "geonameid", "latitude", "place_text") == [
        {"place": "Ukraine", "geonameid": None, "latitude": None, "place_text": "Ukraine"}
    ]


def test_combat_places_are_gazetteer_entries_and_the_front_is_none() -> None:
    title = "Ukrainian defenders repel 35 Russian attacks near Pokrovsk, 12 in Kursk region"
    lead = "Over the past day, 162 combat engagements took place on the front line."
    columns = ("direction", "geonameid", "latitude", "longitude", "direction_text", "counted")
    assert table(title, lead, "combat_reports", *columns, "count") == [
        {"direction": "Pokrovsk", "geonameid": 704422, "latitude": 48.28014,
         "longitude": 37.17706, "direction_text": "Pokrovsk", "counted": "attacks", "count": 35},
        {"direction": "Kursk Oblast", "geonameid": 538560, "latitude": 51.72689,
         "longitude": 36.18457, "direction_text": "Kursk region", "counted": "attacks", "count": 12},
        {"direction": None, "geonameid": None, "latitude": None, "longitude": None,
         "direction_text": None, "counted": "engagements", "count": 162},
    ]  # fmt: skip


def test_every_version_states_its_own_rows() -> None:
    versions = [
        ArticleVersion(URL, AT, P, T_STRIKE, "", current=False, outlet="espreso"),
        ArticleVersion(
            URL,
            AT.replace(hour=9),
            P,
            T_STRIKE.replace("5,", "7,"),
            "",
            current=True,
            outlet="espreso",
        ),
    ]
    found = fact_frames(versions)
    assert found["strike_events"].select("stated_at", "seq", "killed").rows() == [
        (AT, 0, 5),
        (AT.replace(hour=9), 0, 7),
    ]
    assert found["places"].height == 1  # from the current version only


def test_each_table_has_its_identity_checked_and_keyed(tmp_path: Path) -> None:
    """The suites' key_unique and the tables' primary keys say what FACT_KEYS says: loss
    reports and places by their identity, the numbered tables by (url, stated_at, seq)."""
    for name in FACT_TABLES:
        (check,) = [
            e for e in suite_json(name)["expectations"] if e["meta"]["name"] == "key_unique"
        ]
        assert check["kwargs"]["column_list"] == list(FACT_KEYS[name]), name
    # The keys the file migrations declare (the contract; the lake enforces them in the gate and
    # `integrity_problems`, DuckLake having no PRIMARY KEY).
    with duckdb.connect() as con:
        migrate(con)
        keys = dict(
            con.execute(
                "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
                "WHERE constraint_type = 'PRIMARY KEY' AND table_name IN (SELECT unnest(?))",
                [list(FACT_TABLES)],
            ).fetchall()
        )
    numbered = ["url", "stated_at", "seq"]
    assert keys == {
        "loss_reports": list(FACT_KEYS["loss_reports"]),
        "strike_events": numbered,
        "combat_reports": numbered,
        "prisoner_exchanges": numbered,
        "places": list(FACT_KEYS["places"]),
    }


def test_the_suites_read_fields_in_order() -> None:
    """`fields` reaches the suites as "title,lead": in that order it passes, reversed or
    empty it is quarantined."""
    good = frames(T_LOSS, L_LOSS)
    losses = good["loss_reports"]
    bad = pl.concat(
        [
            losses,
            losses.with_columns(
                pl.lit(["lead", "title"]).alias("fields"), count=pl.lit(1, dtype=pl.Int64)
            ),
            losses.with_columns(
                pl.lit([], dtype=pl.List(pl.String)).alias("fields"),
                count=pl.lit(2, dtype=pl.Int64),
            ),
        ]
    )
    report = Gate(None, FACT_SUITES).run({**good, "loss_reports": bad}, {})
    assert [(q.record["fields"], q.reasons) for q in report.quarantined] == [
        (["lead", "title"], ("loss_reports.fields_are_title_or_lead",)),
        ([], ("loss_reports.fields_are_title_or_lead",)),
    ]
    assert report.passed["loss_reports"]["fields"].to_list() == [["title", "lead"]]


def test_versions_stated_at_one_instant_state_each_fact_once() -> None:
    # An edit that kept the modification time: two versions, one instant, one strike row; a later
    # version with a new toll is a row of its own, numbered within its version.
    later = datetime(2025, 2, 5, 9, 0, tzinfo=UTC)
    got = fact_frames(
        [
            ArticleVersion(URL, AT, P, T_STRIKE, "", current=False, outlet="espreso"),
            ArticleVersion(URL, AT, P, T_STRIKE, L_STRIKE, current=False, outlet="espreso"),
            ArticleVersion(
                URL,
                later,
                P,
                T_STRIKE.replace("kills 5", "kills 6"),
                "",
                current=True,
                outlet="espreso",
            ),
        ]
    )["strike_events"]
    assert got.select("stated_at", "seq", "killed", "injured", "fields").to_dicts() == [
        {"stated_at": AT, "seq": 0, "killed": 5, "injured": 59, "fields": ["title", "lead"]},
        {"stated_at": later, "seq": 0, "killed": 6, "injured": 59, "fields": ["title"]},
    ]  # fmt: skip


def test_runs_of_articles_draw_the_facts_all_versions_draw() -> None:
    # Three articles; the second has two versions stated at one instant (one version, see
    # `numbered`), which no cut may part.
    other, third = f"{URL}-2", f"{URL}-3"
    versions = [
        ArticleVersion(URL, AT, P, T_LOSS, L_LOSS, current=True, outlet="espreso"),
        ArticleVersion(other, AT, P, T_STRIKE, "", current=False, outlet="espreso"),
        ArticleVersion(other, AT, P, T_STRIKE, L_STRIKE, current=True, outlet="espreso"),
        ArticleVersion(third, AT, P, T_COMBAT, L_COMBAT, current=True, outlet="espreso"),
    ]
    assert [[v.url for v in run] for run in by_article(versions, 2)] == [
        [URL, other, other],
        [third],
    ]
    assert [[v.url for v in run] for run in by_article(versions, 4)] == [
        [URL],
        [other, other],
        [third],
    ]
    assert by_article([], 4) == []
    whole = fact_frames(versions)
    assert {name: f.height for name, f in whole.items()} == {
        "loss_reports": 1, "strike_events": 1, "combat_reports": 1, "prisoner_exchanges": 0,
        "places": 2,
    }  # fmt: skip
    for parts in (1, 2, 3, 4, 9):
        joined = joined_frames(map(fact_frames, by_article(versions, parts)))
        assert {name: f.to_dicts() for name, f in joined.items()} == {
            name: f.to_dicts() for name, f in whole.items()
        }, parts
        assert {name: f.schema for name, f in joined.items()} == FACT_TABLES
    assert {name: f.schema for name, f in joined_frames([]).items()} == FACT_TABLES
