"""Facts from the news end to end: articles in a real warehouse, the General Staff's real series
(../shared/realdata/general-staff) loaded by the `official-losses` flow, the `facts` flow with its
Great Expectations suites, and the reconciliation view."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path

import polars as pl
import pytest

from flows.cli import main
from flows.news_facts import OfficialResult, facts, official_losses
from flows.settings import OFFICIAL_BUNDLED_DIR as BUNDLED_DIR
from sources.espreso.dates import kyiv_to_utc
from sources.general_staff import EQUIPMENT, PERSONNEL
from sources.records import Article, FetchedArticle
from sources.snapshot_server import Response, SnapshotServer
from tests.snapshot import rows
from transforms.articles import articles
from transforms.schemas import TABLES, of_batch
from warehouse.connection import connect
from warehouse.integrity import integrity_problems
from warehouse.load import load_batch
from warehouse.runs import RunKind

# The General Staff series is real data in ../shared (the `realdata` fixture: there in CI).
pytestmark = pytest.mark.realdata

SITE = "https://global.espreso.tv"


def kyiv(day: date, clock: str) -> datetime:
    return kyiv_to_utc(day, time.fromisoformat(clock))


def article(
    slug: str,
    title: str,
    published: datetime,
    modified: datetime | None = None,
    lead: str | None = None,
) -> Article:
    return Article(
        url=f"{SITE}/{slug}", slug=slug, section="News", badge="Updated" if modified else None,
        title=title, lead=lead, author=None, author_url=None, published_at=published,
        modified_at=modified, body_text=f"{title}. The General Staff reports.", image_url=None,
        language="en", tags=(), related=(),
    )  # fmt: skip


def load(warehouse: Path, run_id: str, items: list[Article], fetched_at: datetime) -> None:
    frames = {name: pl.DataFrame(schema=schema) for name, schema in TABLES.items()}
    shaped = articles([FetchedArticle(a, fetched_at) for a in items], fetched_at)
    frames["articles"] = of_batch("articles", shaped, {"outlet": "espreso", "reader": "espreso"})
    with connect(warehouse) as con:
        load_batch(
            con, run_id, frames, kind=RunKind.CRAWL, started_at=fetched_at, finished_at=fetched_at
        )


FEB5, FEB6 = date(2025, 2, 5), date(2025, 2, 6)
# 00:30 in Kyiv on both DST days is still the previous day in UTC: the report date is Kyiv's.
SPRING, AUTUMN = date(2024, 3, 31), date(2024, 10, 27)
IZYUM_AT = kyiv(date(2025, 6, 17), "10:05")
UPDATED_AT = kyiv(date(2025, 6, 17), "14:20")
ARTICLES = [
    article("russia-loses-1140-soldiers", "Russia loses 1,140 soldiers, 52 artillery systems, 9 tanks in one day", kyiv(FEB5, "09:12")),
    article("russia-losses-reach-844070", "Russia's losses in Ukraine reach 844,070 troops", kyiv(FEB5, "10:00")),
    # Deliberately wrong: the official difference for 6 February is 1,240 soldiers (18 tanks is right).
    article("russia-loses-1200-soldiers", "Russia loses 1,200 soldiers and 18 tanks in one day", kyiv(FEB6, "08:30")),
    article("spring-losses", "Russia loses 650 soldiers and 15 tanks in one day", kyiv(SPRING, "00:30")),
    article("autumn-losses", "Russia loses 1,440 soldiers, 39 artillery systems, 4 tanks in one day", kyiv(AUTUMN, "00:30")),
    article("izyum-strike", "Russian ballistic missile strike on Izyum kills 5, injures 59", IZYUM_AT),
]  # fmt: skip


@pytest.fixture(scope="module")
def warehouse(realdata: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("facts") / "newsflow.duckdb"
    first_fetch = kyiv(date(2025, 6, 17), "10:30")
    load(path, "run-1", ARTICLES, first_fetch)
    # The strike article is updated: the death toll rises. The first version is kept as a revision.
    updated = article(
        "izyum-strike",
        "Russian ballistic missile strike on Izyum kills 7, injures 61",
        IZYUM_AT,
        modified=UPDATED_AT,
    )
    load(path, "run-2", [updated], kyiv(date(2025, 6, 17), "14:40"))
    assert realdata / "general-staff" == BUNDLED_DIR
    result = official_losses(warehouse=str(path), offline=True)
    assert isinstance(result, OfficialResult)
    assert (result.source, result.rows, result.fallback_reason) == (str(BUNDLED_DIR), 22248, None)
    assert facts(warehouse=str(path)) == {
        "loss_reports": 10,
        "strike_events": 2,
        "combat_reports": 0,
        "prisoner_exchanges": 0,
        "places": 1,
        "quarantined": 1,
    }
    return path


def test_official_series_is_the_day_over_day_difference(warehouse: Path) -> None:
    assert rows(
        warehouse,
        "SELECT category, cumulative, daily FROM official_losses WHERE day = DATE '2025-02-05' "
        "AND category IN ('personnel', 'artillery', 'tank', 'vehicle') ORDER BY category",
    ) == [("artillery", 22707, 52), ("personnel", 844070, 1140), ("tank", 9947, 9), ("vehicle", 36078, 157)]  # fmt: skip
    # The first day has no day before it.
    assert rows(
        warehouse, "SELECT cumulative, daily FROM official_losses WHERE day = DATE '2022-02-25' AND category = 'tank'"
    ) == [(80, None)]  # fmt: skip


def test_reports_that_match_load_and_a_wrong_one_is_quarantined_with_both_numbers(
    warehouse: Path,
) -> None:
    assert rows(
        warehouse,
        "SELECT report_date, category, count, basis, official FROM loss_reports ORDER BY ALL",
    ) == [
        (SPRING, "personnel", 650, "daily", 650),
        (SPRING, "tank", 15, "daily", 15),
        (AUTUMN, "artillery", 39, "daily", 39),
        (AUTUMN, "personnel", 1440, "daily", 1440),
        (AUTUMN, "tank", 4, "daily", 4),
        (FEB5, "artillery", 52, "daily", 52),
        (FEB5, "personnel", 1140, "daily", 1140),
        (FEB5, "personnel", 844070, "cumulative", 844070),
        (FEB5, "tank", 9, "daily", 9),
        (FEB6, "tank", 18, "daily", 18),
    ]
    held = rows(warehouse, "SELECT table_name, record, reasons FROM quarantine")
    assert [(t, r) for t, _, r in held] == [("loss_reports", ["loss_reports.matches_official"])]
    record = json.loads(str(held[0][1]))
    assert (record["report_date"], record["category"], record["count"], record["official"]) == (
        "2025-02-06",
        "personnel",
        1200,
        1240,
    )
    assert record["sentence"] == "Russia loses 1,200 soldiers and 18 tanks in one day"
    assert (record["fields"], record["lead_sentence"]) == (["title"], None)
    assert record["rule"] == "loss.daily_list"


def test_reconciliation_view_shows_reported_against_official_per_day(warehouse: Path) -> None:
    assert rows(
        warehouse,
        "SELECT report_date, category, basis, reported, official, difference, status, quarantined "
        "FROM v_loss_reconciliation WHERE report_date >= DATE '2025-01-01'",
    ) == [
        (FEB5, "artillery", "daily", 52, 52, 0, "match", False),
        (FEB5, "personnel", "daily", 1140, 1140, 0, "match", False),
        (FEB5, "personnel", "cumulative", 844070, 844070, 0, "match", False),
        (FEB5, "tank", "daily", 9, 9, 0, "match", False),
        (FEB6, "personnel", "daily", 1200, 1240, -40, "mismatch", True),
        (FEB6, "tank", "daily", 18, 18, 0, "match", False),
    ]
    # A quarantined report names its fields too (from its record).
    assert rows(
        warehouse,
        "SELECT category, fields, quarantined FROM v_loss_reconciliation "
        "WHERE report_date = DATE '2025-02-06'",
    ) == [("personnel", ["title"], True), ("tank", ["title"], False)]


IZYUM = ("Izyum", 707292, 49.20697, 37.27679)  # the gazetteer's name, geonameid and point


def test_an_updated_article_keeps_each_stated_version(warehouse: Path) -> None:
    assert rows(
        warehouse,
        "SELECT stated_at, place, geonameid, latitude, longitude, place_text, weapon, killed, "
        "injured, event_date, fields, rule FROM strike_events ORDER BY stated_at",
    ) == [
        (IZYUM_AT, *IZYUM, "Izyum", "ballistic missile", 5, 59, date(2025, 6, 17), ["title"],
         "strike.kills_injures"),
        (UPDATED_AT, *IZYUM, "Izyum", "ballistic missile", 7, 61, date(2025, 6, 17), ["title"],
         "strike.kills_injures"),
    ]  # fmt: skip
    # Places come from the version the site shows now.
    assert rows(
        warehouse, "SELECT fields, start, name, kind, country, geonameid, rule FROM places"
    ) == [(["title"], 36, "Izyum", "settlement", "UA", 707292, "place.settlement")]


def test_one_row_per_fact_in_headline_and_lead(realdata: Path, tmp_path: Path) -> None:
    """The same figures in headline and lead are one row naming both fields; a lead stating
    another count and date than its headline is a row of its own (its key holds both)."""
    path = tmp_path / "newsflow.duckdb"
    published = kyiv(FEB5, "09:12")
    both = article(
        "izyum-strike-title-and-lead",
        "Russian ballistic missile strike on Ukraine’s Izyum kills 5, injures 59",
        published,
        lead="A Russian ballistic missile struck Izyum, killing 5 people and injuring 59.",
    )
    other = article(
        "losses-title-and-lead",
        "Russia loses 1,140 soldiers in one day",
        published,
        lead="On Feb. 4, Russia lost 1,200 soldiers in one day.",
    )
    load(path, "run-1", [both, other], kyiv(FEB5, "10:00"))
    assert facts(warehouse=str(path)) == {
        "loss_reports": 2,
        "strike_events": 1,
        "combat_reports": 0,
        "prisoner_exchanges": 0,
        "places": 1,
        "quarantined": 0,
    }
    assert rows(
        path,
        "SELECT place, geonameid, latitude, longitude, place_text, killed, injured, fields, "
        "sentence, lead_sentence FROM strike_events",
    ) == [
        (*IZYUM, "Ukraine’s Izyum", 5, 59, ["title", "lead"], both.title, both.lead),
    ]
    assert rows(path, "SELECT fields, start, name, place FROM places") == [
        (["title", "lead"], 46, "Izyum", "Izyum")
    ]
    assert rows(
        path,
        "SELECT report_date, category, count, basis, fields, sentence, lead_sentence "
        "FROM loss_reports ORDER BY report_date",
    ) == [
        (date(2025, 2, 4), "personnel", 1200, "daily", ["lead"], other.lead, None),
        (FEB5, "personnel", 1140, "daily", ["title"], other.title, None),
    ]
    assert rows(
        path, "SELECT report_date, reported, status, fields FROM v_loss_reconciliation"
    ) == [
        (date(2025, 2, 4), 1200, "no official figure", ["lead"]),
        (FEB5, 1140, "no official figure", ["title"]),
    ]


def test_facts_flow_is_idempotent(warehouse: Path) -> None:
    before = rows(warehouse, "SELECT * FROM loss_reports ORDER BY ALL")
    again = facts(warehouse=str(warehouse), every=True)
    assert (again["loss_reports"], again["quarantined"]) == (10, 1)
    assert rows(warehouse, "SELECT * FROM loss_reports ORDER BY ALL") == before
    assert rows(warehouse, "SELECT count(*) FROM quarantine") == [(1,)]
    # Each facts run is a load of its own; the only inconsistencies are this test's own articles,
    # loaded without the requests that would have fetched them.
    assert rows(warehouse, "SELECT count(*) FROM load_runs WHERE run_id LIKE 'facts-%'") == [(2,)]
    with connect(warehouse, read_only=True) as con:
        assert integrity_problems(con) == [
            "6 articles never fetched",
            "2 runs without their requests",
        ]


FACT_TABLES_AND_HELD = [
    *(f"SELECT * FROM {t} ORDER BY ALL" for t in ("loss_reports", "strike_events", "places")),
    "SELECT table_name, record, reasons FROM quarantine ORDER BY ALL",
]
NOTHING_DRAWN = {
    "articles": 0, "loss_reports": 0, "strike_events": 0, "combat_reports": 0,
    "prisoner_exchanges": 0, "places": 0, "quarantined": 0,
}  # fmt: skip


def test_a_facts_run_draws_again_only_the_articles_that_changed(
    realdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "newsflow.duckdb"
    load(path, "run-1", ARTICLES, kyiv(date(2025, 6, 17), "10:30"))
    official_losses(warehouse=str(path), offline=True)
    # Never drawn: every article (no `articles` count).
    assert facts(warehouse=str(path)) == {
        "loss_reports": 10, "strike_events": 1, "combat_reports": 0, "prisoner_exchanges": 0,
        "places": 1, "quarantined": 1,
    }  # fmt: skip
    assert facts(warehouse=str(path)) == NOTHING_DRAWN
    # The strike's toll rises, and a new loss report is wrong (1,240 is the official figure).
    updated = article(
        "izyum-strike", "Russian ballistic missile strike on Izyum kills 7, injures 61", IZYUM_AT,
        modified=UPDATED_AT,
    )  # fmt: skip
    wrong = article(
        "russia-loses-1300", "Russia loses 1,300 soldiers in one day", kyiv(FEB6, "09:00")
    )
    load(path, "run-2", [updated, wrong], kyiv(date(2025, 6, 17), "14:40"))
    assert main(["facts", "--warehouse", str(path)]) == 0
    assert capsys.readouterr().out.endswith(
        "Facts from the news, drawn again for the 2 articles that changed: loss_reports 0, "
        "strike_events 2, combat_reports 0, prisoner_exchanges 0, places 1, quarantined 1\n"
    )
    assert rows(path, "SELECT count(*) FROM strike_events") == [(2,)]
    assert rows(path, "SELECT record->>'url' FROM quarantine ORDER BY ALL") == [
        (f"{SITE}/russia-loses-1200-soldiers",),  # the first draw's, of an article left alone
        (f"{SITE}/russia-loses-1300",),
    ]
    assert facts(warehouse=str(path)) == NOTHING_DRAWN
    # The same tables as drawing every article again.
    drawn = [rows(path, query) for query in FACT_TABLES_AND_HELD]
    assert main(["facts", "--all", "--warehouse", str(path)]) == 0
    assert capsys.readouterr().out.endswith(
        "Facts from the news: loss_reports 10, strike_events 2, combat_reports 0, "
        "prisoner_exchanges 0, places 1, quarantined 2\n"
    )
    assert [rows(path, query) for query in FACT_TABLES_AND_HELD] == drawn
    # Each facts load names the lake snapshot it read the articles at.
    assert rows(path, "SELECT count(*), count(drawn_from) FROM load_runs WHERE kind = 'facts'") == [
        (3, 3)
    ]


def test_official_series_from_the_public_address_over_http(realdata: Path, tmp_path: Path) -> None:
    files = {
        f"/data/{name}": Response(200, (BUNDLED_DIR / name).read_bytes(), "application/json")
        for name in (PERSONNEL, EQUIPMENT)
    }
    path = tmp_path / "newsflow.duckdb"
    with SnapshotServer(overrides=files) as server:
        result = official_losses(warehouse=str(path), url=f"{server.base_url}/data")
        assert isinstance(result, OfficialResult)
        assert sorted(server.requests) == [
            "/data/" + EQUIPMENT,
            "/data/" + PERSONNEL,
            "/robots.txt",
        ]
    assert (result.source, result.rows, result.fallback_reason) == (
        f"{server.base_url}/data",
        22248,
        None,
    )
    assert rows(path, "SELECT DISTINCT source FROM official_losses") == [
        (f"{server.base_url}/data",)
    ]
    # Every answer is archived and logged, like a crawl's.
    assert rows(
        path,
        "SELECT kind, url, status, warc_file IS NOT NULL FROM fetch_log ORDER BY kind, url",
    ) == [
        ("official", f"{server.base_url}/data/{EQUIPMENT}", 200, True),
        ("official", f"{server.base_url}/data/{PERSONNEL}", 200, True),
        ("robots", f"{server.base_url}/robots.txt", 200, True),
    ]


def test_official_series_falls_back_to_the_bundled_copy(realdata: Path, tmp_path: Path) -> None:
    broken = {f"/data/{PERSONNEL}": Response(200, b"<html>maintenance</html>", "text/html")}
    broken[f"/data/{EQUIPMENT}"] = Response(500, b"oops", "text/plain")
    path = tmp_path / "newsflow.duckdb"
    with SnapshotServer(overrides=broken) as server:
        result = official_losses(warehouse=str(path), url=f"{server.base_url}/data")
    assert isinstance(result, OfficialResult)
    assert (result.source, result.rows) == (str(BUNDLED_DIR), 22248)
    assert (
        result.fallback_reason == f"{server.base_url}/data/{EQUIPMENT}: HTTP 500 (after 2 attempts)"
    )
    assert rows(path, "SELECT url, error FROM fetch_log WHERE kind = 'official' ORDER BY url") == [
        (f"{server.base_url}/data/{EQUIPMENT}", "HTTP 500 (after 2 attempts)"),
        (f"{server.base_url}/data/{PERSONNEL}", None),
    ]
    assert rows(path, "SELECT count(*), min(day), max(day) FROM official_losses WHERE category = 'personnel'") == [
        (1626, date(2022, 2, 25), date(2026, 8, 8))
    ]  # fmt: skip


QUERIES = Path(__file__).resolve().parents[2] / "warehouse" / "queries"


def test_the_facts_queries(warehouse: Path) -> None:
    def query(name: str) -> list[tuple[object, ...]]:
        return rows(warehouse, (QUERIES / name).read_text(encoding="utf-8"))

    assert query("13_news_against_official_losses.sql") == [
        (FEB6, "personnel", "daily", 1200, 1240, -40, f"{SITE}/russia-loses-1200-soldiers",
         "Russia loses 1,200 soldiers and 18 tanks in one day"),
    ]  # fmt: skip
    assert query("14_places_in_the_news.sql") == [
        ("Izyum", "settlement", "UA", 49.20697, 37.27679, 1)
    ]
    assert query("15_latest_strike_tolls.sql") == [
        ("Izyum", "ballistic missile", date(2025, 6, 17), 7, 61, 2, f"{SITE}/izyum-strike")
    ]


def test_the_commands(
    warehouse: Path, realdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`newsflow official-losses --offline` and `newsflow facts`, as a person runs them (after the
    module's flows, so Prefect's log handlers were set up outside any captured output)."""
    path = tmp_path / "newsflow.duckdb"
    assert main(["official-losses", "--offline", "--warehouse", str(path)]) == 0
    assert main(["facts", "--warehouse", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"official_losses: 22248 rows from {realdata / 'general-staff'}\n" in out
    assert (
        "Facts from the news: loss_reports 0, strike_events 0, combat_reports 0, "
        "prisoner_exchanges 0, places 0, quarantined 0\n" in out
    )
