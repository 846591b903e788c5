"""The analyst's warehouse on the snapshot: views, headline sources, search, the queries, export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from sources.snapshot_expected import ARTICLES, kyiv_instant
from sources.snapshot_server import SNAPSHOT_CAPTURED_AT
from warehouse.connection import connect
from warehouse.search import search
from warehouse.summary import Freshness, summarize

QUERIES = Path(__file__).resolve().parents[2] / "warehouse" / "queries"
KOVALENKO = "russia-ukraine-war-russia-is-stockpiling-missiles-for-a-massive-winter-strike-says-military-expert-kovalenko"
MINERALS = "economics-ukraine-and-us-resume-talks-on-minerals-deal-after-new-draft-from-washington"


@pytest.fixture
def built(snapshot_run: tuple[str, Path]) -> tuple[str, Path]:
    return snapshot_run


def _q(warehouse: Path, sql: str, base: str = "") -> list[tuple[object, ...]]:
    """Rows of a query, URLs shortened to their slug."""
    with connect(warehouse) as con:
        con.execute("SET VARIABLE topic = 'Pokrovsk'")
        con.execute("SET VARIABLE as_of = TIMESTAMPTZ '2025-10-27 12:00:00+02'")
        rows = con.execute(sql).fetchall()
    return [
        tuple(v.removeprefix(base + "/") if isinstance(v, str) and base else v for v in row)
        for row in rows
    ]


def _file(name: str) -> str:
    return (QUERIES / name).read_text(encoding="utf-8")


def test_every_view_says_what_a_row_is(built: tuple[str, Path]) -> None:
    _, warehouse = built
    rows = _q(
        warehouse,
        "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' ORDER BY 1",
    )
    assert [name for name, _ in rows] == [
        "v_articles",
        "v_daily_volume",
        "v_failures",
        "v_feed_dwell",
        "v_freshness",
        "v_loss_reconciliation",
        "v_quarantine",
        "v_source_ranking",
        "v_tag_trends",
    ]
    assert all(
        isinstance(comment, str) and comment.startswith("One row per") for _, comment in rows
    )


def test_views_on_the_snapshot(built: tuple[str, Path]) -> None:
    base, warehouse = built
    assert _q(
        warehouse,
        f"SELECT url, kyiv_date, kyiv_time, tags FROM v_articles WHERE slug IN ('{KOVALENKO}', '{MINERALS}') ORDER BY kyiv_date",
        base,
    ) == [
        (MINERALS, date(2025, 3, 29), "18:20", []),
        (KOVALENKO, date(2025, 10, 27), "10:55", ["News", "missiles", "air defense", "energy"]),
    ]
    assert _q(warehouse, "SELECT * FROM v_daily_volume WHERE kyiv_date >= DATE '2025-10-26' ORDER BY ALL") == [
        (date(2025, 10, 26), "(none)", 4, "espreso"), (date(2025, 10, 26), "Company news", 1, "espreso"), (date(2025, 10, 26), "Exclusive", 1, "espreso"),
        (date(2025, 10, 26), "Interview", 1, "espreso"), (date(2025, 10, 26), "OPINION", 1, "espreso"), (date(2025, 10, 26), "Review", 1, "espreso"),
        (date(2025, 10, 26), "Updated", 2, "espreso"), (date(2025, 10, 27), "(none)", 2, "espreso"), (date(2025, 10, 27), "Exclusive", 1, "espreso"),
        (date(2025, 10, 27), "OPINION", 1, "espreso"),
    ]  # fmt: skip
    assert _q(warehouse, "SELECT iso_year, iso_week, week_start, articles FROM v_tag_trends WHERE tag = 'air defense' ORDER BY ALL") == [
        (2025, 13, date(2025, 3, 24), 1), (2025, 29, date(2025, 7, 14), 1),
        (2025, 43, date(2025, 10, 20), 1), (2025, 44, date(2025, 10, 27), 2),
    ]  # fmt: skip
    assert _q(
        warehouse,
        "SELECT count(*), count(DISTINCT url), min(best_position), max(best_position) FROM v_feed_dwell",
    ) == [(18, 18, 0, 11)]
    assert _q(
        warehouse,
        "SELECT count(*) FROM v_freshness WHERE minutes_to_first_seen = date_diff('minute', published_at, first_seen_at)",
    ) == [(21,)]


def test_headline_sources_and_their_ranking(built: tuple[str, Path]) -> None:
    base, warehouse = built
    assert _q(warehouse, "SELECT url, source, source_kind, claim FROM headline_sources ORDER BY url", base) == [
        (
            "pokrova-system-to-broadcast-air-raid-alerts-via-fm-radio-in-frontline-regions-expert", "expert", "role",
            '"Pokrova" system to broadcast air raid alerts via FM radio in frontline regions',
        ),
        (
            "russia-ukraine-war-russia-is-recruiting-migrants-to-cover-losses-near-pokrovsk-expert", "expert", "role",
            "Russia is recruiting migrants to cover losses near Pokrovsk",
        ),
        (KOVALENKO, "military expert Kovalenko", "person", "Russia is stockpiling missiles for a massive winter strike"),
        (
            "russia-ukraine-war-russian-forces-are-trying-to-bypass-pokrovsk-from-the-east-isw", "ISW", "organisation",
            "Russian forces are trying to bypass Pokrovsk from the east",
        ),
    ]  # fmt: skip
    assert _q(warehouse, "SELECT * FROM v_source_ranking ORDER BY rank, source") == [
        ("2025-10", "expert", "role", 2, 1, "espreso"),
        ("2025-10", "ISW", "organisation", 1, 2, "espreso"),
        ("2025-10", "military expert Kovalenko", "person", 1, 2, "espreso"),
    ]


def test_search_ranks_the_known_best_hit_first(
    built: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    base, warehouse = built
    with connect(warehouse) as con:
        minerals = search(con, "minerals deal")
        exclusive = search(con, "Pokrovsk", badge="Exclusive")
        recent = search(con, "Patriot air defense", since=date(2025, 10, 1))
        nothing = search(con, "zzzyx")
        # The documented SQL macro answers the same.
        macro = con.execute("SELECT url FROM search_articles('minerals deal') LIMIT 1").fetchone()
    assert minerals[0].url == f"{base}/{MINERALS}"
    assert minerals[0].kyiv_time == "18:20"
    # The words are only in the title: the snippet is the start of the lead.
    assert minerals[0].snippet == (
        "Kyiv has received a new version of the agreement on natural resources from the United States "
        "and will study it before talks resume next week, the Ministry of…"
    )
    assert exclusive[0].snippet.startswith("…") and "Pokrovsk" in exclusive[0].snippet
    assert macro == (f"{base}/{MINERALS}",)
    assert [h.url.removeprefix(base + "/") for h in exclusive] == [
        "russia-ukraine-war-russia-is-recruiting-migrants-to-cover-losses-near-pokrovsk-expert"
    ]
    assert all(h.kyiv_date >= date(2025, 10, 1) for h in recent)
    assert "world-about-ukraine-germany-to-finance-two-more-patriot-systems-for-ukraine" not in [
        h.url.removeprefix(base + "/") for h in recent
    ]
    assert nothing == []
    assert main(["search", "minerals deal", "--warehouse", str(warehouse), "--limit", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        out[0] == " 1. Ukraine and US resume talks on minerals deal after new draft from Washington"
    )
    assert out[1] == f"    2025-03-29 18:20 Kyiv · - · {base}/{MINERALS}"


OPINION = "opinion-why-europes-patience-with-the-kremlin-is-running-out"


def test_search_filters_ignore_case_and_an_empty_answer_names_the_filter(
    built: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    base, warehouse = built

    def slugs(badge: str) -> list[str]:
        with connect(warehouse) as con:
            return [h.url.removeprefix(base + "/") for h in search(con, "drones", badge=badge)]

    # The site writes OPINION in capitals and Exclusive in title case: any case finds them.
    assert slugs("opinion") == slugs("OPINION") == [OPINION]
    assert slugs("exclusive") == slugs(" EXCLUSIVE ") == slugs("Exclusive") == [KOVALENKO]
    assert main(["search", "Pokrovsk", "--badge", "exclusive", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        " 1. Russia is recruiting migrants to cover losses near Pokrovsk — expert",
        f"    2025-10-26 00:20 Kyiv · Exclusive · {base}/russia-ukraine-war-russia-is-recruiting-migrants-to-cover-losses-near-pokrovsk-expert",
    ]
    answers = {
        ("zzzyx", "--badge", "exclusive"): "No article matches 'zzzyx'.",
        ("Pokrovsk", "--badge", "opinion"): (
            "4 articles match 'Pokrovsk', but none of them has the badge 'opinion'."
        ),
        ("Pokrovsk", "--badge", "Breaking"): (
            "4 articles match 'Pokrovsk', but none of them has the badge 'Breaking' (no article "
            "has it; badges: Company news, Exclusive, Interview, OPINION, Review, Updated)."
        ),
        ("Pokrovsk", "--since", "2025-10-27"): (
            "4 articles match 'Pokrovsk', but none was published on or after 2025-10-27 (Kyiv date)."
        ),
        ("missiles", "--badge", "opinion", "--since", "2025-10-28"): (
            "3 articles match 'missiles', but none of them has the badge 'opinion' and none was "
            "published on or after 2025-10-28 (Kyiv date)."
        ),
        # Each filter alone leaves an article; together they leave none.
        ("drones", "--badge", "interview", "--since", "2025-10-27"): (
            "10 articles match 'drones', but none of them has the badge 'interview' and was "
            "published on or after 2025-10-27."
        ),
    }
    for argv, answer in answers.items():
        assert main(["search", *argv, "--warehouse", str(warehouse)]) == 0
        assert capsys.readouterr().out == answer + "\n", argv


def test_the_analyst_queries(built: tuple[str, Path]) -> None:
    base, warehouse = built
    assert sorted(p.name for p in QUERIES.glob("*.sql")) == [
        "01_about_topic_this_week.sql", "02_experts_in_exclusives.sql", "03_longest_at_top_of_feed.sql",
        "04_opinion_per_day.sql", "05_edited_after_publication.sql", "06_daily_volume_by_badge.sql",
        "07_top_tags_this_week.sql", "08_most_active_authors.sql", "09_freshness_by_badge.sql",
        "10_sources_by_kind.sql", "11_articles_per_section.sql", "12_feed_items_without_article.sql",
        "13_news_against_official_losses.sql", "14_places_in_the_news.sql", "15_latest_strike_tolls.sql",
    ]  # fmt: skip
    assert [r[3] for r in _q(warehouse, _file("01_about_topic_this_week.sql"))] == [
        "Week at the front: Russian offensive near Pokrovsk stalls, Kupiansk holds",
        "Russian forces are trying to bypass Pokrovsk from the east – ISW",
        "Russia is recruiting migrants to cover losses near Pokrovsk — expert",
    ]
    assert _q(warehouse, _file("02_experts_in_exclusives.sql")) == [
        ("expert", "role", 1),
        ("military expert Kovalenko", "person", 1),
    ]
    top = _q(warehouse, _file("03_longest_at_top_of_feed.sql"), base)
    assert len(top) == 18
    assert top[0][:3] == (
        "Russia struck Kharkiv with guided bombs: 17 injured, including two children",
        0.0,
        0,
    )
    assert _q(warehouse, _file("04_opinion_per_day.sql")) == [
        (date(2025, 10, 26), 1),
        (date(2025, 10, 27), 1),
    ]
    assert [(r[1], r[4]) for r in _q(warehouse, _file("05_edited_after_publication.sql"))] == [
        ("Exclusive", 5),
        ("Updated", 315),
        ("Updated", 380),
    ]
    assert _q(warehouse, _file("06_daily_volume_by_badge.sql"))[-1] == (
        date(2025, 10, 27),
        2,
        None,
        1,
        None,
        1,
        None,
        None,
    )
    assert _q(warehouse, _file("07_top_tags_this_week.sql"))[:2] == [("air defense", 2), ("EU", 1)]
    assert _q(warehouse, _file("08_most_active_authors.sql"))[:2] == [
        ("Kateryna Shevchuk", 4, ["Exclusive"]),
        ("Andrii Hrytsenko", 3, ["Exclusive"]),
    ]
    freshness = _q(warehouse, _file("09_freshness_by_badge.sql"))
    assert [(r[0], r[1]) for r in freshness] == [
        ("(none)", 11),
        ("Company news", 1),
        ("Exclusive", 3),
        ("Interview", 1),
        ("OPINION", 2),
        ("Review", 1),
        ("Updated", 2),
    ]
    assert _q(warehouse, _file("10_sources_by_kind.sql")) == [
        ("role", 2, 1),
        ("organisation", 1, 1),
        ("person", 1, 1),
    ]
    assert _q(warehouse, _file("11_articles_per_section.sql")) == [
        ("Russia-Ukraine war", 11, 792), ("World about Ukraine", 4, 238), ("Economics", 3, 186), ("Opinion", 2, 226), ("Technologies", 1, 54),
    ]  # fmt: skip
    assert _q(warehouse, _file("12_feed_items_without_article.sql")) == []


def test_export_parquet_partitioned_by_kyiv_date(built: tuple[str, Path], tmp_path: Path) -> None:
    _, warehouse = built
    out = tmp_path / "export"
    assert main(["export", "--format", "parquet", str(out), "--warehouse", str(warehouse)]) == 0
    assert sorted(p.name for p in (out / "articles").iterdir()) == [
        "kyiv_date=2025-03-29", "kyiv_date=2025-03-30", "kyiv_date=2025-07-15",
        "kyiv_date=2025-10-25", "kyiv_date=2025-10-26", "kyiv_date=2025-10-27",
    ]  # fmt: skip
    with duckdb.connect() as con:
        counts = {
            table: con.execute(
                f"SELECT count(*) FROM read_parquet('{out}/{table}/*/*.parquet', hive_partitioning = true)"
            ).fetchone()
            for table in (
                "articles",
                "article_tags",
                "article_related",
                "feed_items",
                "feed_observations",
                "headline_sources",
            )
        }
        day = con.execute(
            f"SELECT count(*) FROM read_parquet('{out}/articles/*/*.parquet', hive_partitioning = true) WHERE kyiv_date = DATE '2025-10-26'"
        ).fetchone()
    assert counts == {
        "articles": (21,), "article_tags": (80,), "article_related": (36,),
        "feed_items": (18,), "feed_observations": (18,), "headline_sources": (4,),
    }  # fmt: skip
    assert day == (11,)
    # A second export replaces the first, it does not add to it.
    assert main(["export", str(out), "--warehouse", str(warehouse)]) == 0
    with duckdb.connect() as con:
        assert con.execute(
            f"SELECT count(*) FROM read_parquet('{out}/articles/*/*.parquet')"
        ).fetchone() == (21,)


def test_freshness_on_the_snapshot_is_measured_to_its_capture(built: tuple[str, Path]) -> None:
    """The snapshot is read long after its capture (27 Oct 2025, 12:00 Kyiv): first sight is then
    the capture, so the figures are the same whenever the demo runs."""
    _, warehouse = built
    with connect(warehouse) as con:
        summary = summarize(con, as_of=SNAPSHOT_CAPTURED_AT)
    # From the manifest: the newest article was 20 minutes old, the oldest (29 March, 18:20) 212 days.
    ages = sorted((SNAPSHOT_CAPTURED_AT - kyiv_instant(a)).total_seconds() // 60 for a in ARTICLES)
    assert (len(ages), ages[0], ages[10], ages[-1]) == (21, 20, 2150, 304900)
    assert summary.freshness == Freshness(
        articles=21, median_minutes=2150.0, longest_minutes=304900
    )
