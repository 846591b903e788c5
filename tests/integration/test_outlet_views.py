"""Facts, views, export and the report per outlet and across outlets, on a small lake holding two
outlets' articles (loaded by the loaders, facts drawn by the facts flow's own steps); the
commands' `--outlet` run as processes."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from sources.records import Article, FetchedArticle, Tag
from tests.snapshot import rows
from transforms.article_tags import article_tags
from transforms.articles import articles
from transforms.facts import fact_frames, with_official
from transforms.headline_sources import headline_sources
from transforms.quarantine import quarantine
from transforms.schemas import (
    FACT_TABLES,
    FEED_OBSERVATIONS,
    FETCH_LOG,
    OFFICIAL_LOSSES,
    TABLES,
    of_batch,
)
from warehouse.connection import connect
from warehouse.export import export_parquet
from warehouse.facts import article_versions, official_series, replace_facts, replace_official
from warehouse.load import load_batch
from warehouse.migrate import migrations
from warehouse.report import build_report
from warehouse.runs import RunKind

BIN = Path(sys.executable).parent
T0 = datetime(2025, 6, 17, 7, 0, tzinfo=UTC)
ES = "https://global.espreso.tv"
KI = "https://kyivindependent.com"
# (outlet, slug, headline, tag): Espreso states a strike, a loss figure and quotes ISW; the Kyiv
# Independent states an exchange and quotes ISW too.
ARTICLES = [
    ("espreso", f"{ES}/izyum-strike", "Russian ballistic missile strike on Ukraine’s Izyum kills 5, injures 59", "tag-of-espreso"),
    ("espreso", f"{ES}/losses", "Russia loses 1,140 soldiers in one day", "tag-of-espreso"),
    ("espreso", f"{ES}/bypass", "Russian forces are trying to bypass Pokrovsk from the east – ISW", "tag-of-espreso"),
    ("kyiv-independent", f"{KI}/swap/", "Ukraine and Russia exchange 84 prisoners each", "tag-of-kyiv"),
    ("kyiv-independent", f"{KI}/east/", "Russian forces are massing near Kupiansk – ISW", "tag-of-kyiv"),
]  # fmt: skip


def _frames(outlet: str, n0: int) -> dict[str, pl.DataFrame]:
    mine = [a for a in ARTICLES if a[0] == outlet]
    items = [
        FetchedArticle(
            Article(
                url=url, slug=url.rstrip("/").rsplit("/", 1)[1], section="News", badge=None,
                title=title, lead=None, author=None, author_url=None,
                published_at=T0 - timedelta(hours=n0 + n), modified_at=None,
                body_text=f"{title}.", image_url=None, language="en",
                tags=(Tag(tag, None),), related=(),
            ),
            T0,
        )
        for n, (_, url, title, tag) in enumerate(mine)
    ]  # fmt: skip
    batch = {"outlet": outlet, "reader": "generic"}
    frames = {name: pl.DataFrame(schema=schema) for name, schema in TABLES.items()}
    frames["articles"] = of_batch("articles", articles(items, T0, outlet), batch)
    frames["article_tags"] = of_batch("article_tags", article_tags(items), batch)
    heads = headline_sources([(url, title) for _, url, title, _ in mine])
    frames["headline_sources"] = of_batch("headline_sources", heads, batch)
    # The outlet's feed page read twice, its first article on top both times: at 09:00 and 09:10
    # (Espreso), at 09:05 and 09:20 (the Kyiv Independent).
    reads = [T0 + timedelta(hours=2, minutes=m) for m in ((0, 10) if n0 == 0 else (5, 20))]
    observed = pl.DataFrame(
        [{"observed_at": at, "page_url": f"{mine[0][1]}-feed", "position": 0, "url": mine[0][1]}
         for at in reads],
        schema=FEED_OBSERVATIONS,
    )  # fmt: skip
    frames["feed_observations"] = of_batch("feed_observations", observed, batch)
    # The page that did not parse was fetched by the outlet's run.
    fetched = {"run_id": f"run-{outlet}", "url": f"{mine[0][1]}-broken", "kind": "article",
               "requested_at": T0, "status": 200, "bytes": 10, "elapsed_ms": 5, "attempts": 1}  # fmt: skip
    frames["fetch_log"] = of_batch("fetch_log", pl.DataFrame([fetched], schema=FETCH_LOG), batch)
    frames["quarantine"] = quarantine(
        f"run-{outlet}",
        T0,
        [
            (
                "articles",
                {"url": f"{mine[0][1]}-broken", "problems": ["no title"]},
                ["parse: no title"],
            )
        ],
    )
    return frames


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outlet-views") / "newsflow.duckdb"
    with connect(path) as con:
        for outlet, n0 in (("espreso", 0), ("kyiv-independent", 3)):
            load_batch(
                con, f"run-{outlet}", _frames(outlet, n0), kind=RunKind.CRAWL,
                started_at=T0, finished_at=T0,
            )  # fmt: skip
        official = pl.DataFrame(
            [{"day": date(2025, 6, 17), "category": "personnel", "cumulative": 1_000_000,
              "daily": 1140, "source": "test", "loaded_at": T0}],
            schema=OFFICIAL_LOSSES,
        )  # fmt: skip
        requests = pl.DataFrame(schema=TABLES["fetch_log"])
        replace_official(con, official, "official-1", requests, T0)
        frames = fact_frames(article_versions(con))
        frames["loss_reports"] = with_official(frames["loss_reports"], official_series(con))
        # A place quarantined as it was before facts had an outlet (its record names none).
        held = quarantine("facts-1", T0, [("places", {"url": f"{KI}/east/"}, ["places: test"])])
        replace_facts(con, "facts-1", frames, held, T0, rules="rules-1")
    return path


def test_every_fact_carries_its_articles_outlet(warehouse: Path) -> None:
    counts = {
        table: rows(warehouse, f"SELECT outlet, count(*) FROM {table} GROUP BY 1 ORDER BY 1")
        for table in FACT_TABLES
    }
    assert counts == {
        "loss_reports": [("espreso", 1)],
        "strike_events": [("espreso", 1)],
        "combat_reports": [],
        "prisoner_exchanges": [("kyiv-independent", 2)],
        "places": [("espreso", 2), ("kyiv-independent", 1)],
    }


def test_the_views_show_the_outlet(warehouse: Path) -> None:
    day = date(2025, 6, 17)
    assert rows(warehouse, "SELECT * FROM v_daily_volume ORDER BY ALL") == [
        (day, "(none)", 2, "kyiv-independent"),
        (day, "(none)", 3, "espreso"),
    ]
    # Each outlet's headlines are ranked on their own.
    assert rows(warehouse, "SELECT * FROM v_source_ranking ORDER BY ALL") == [
        ("2025-06", "ISW", "organisation", 1, 1, "espreso"),
        ("2025-06", "ISW", "organisation", 1, 1, "kyiv-independent"),
    ]
    # Minutes in the top 10 run to the next reading of the same outlet's feed, not of any feed
    # (across outlets they would be 15 and 5).
    assert rows(
        warehouse, "SELECT url, minutes_in_top10, outlet FROM v_feed_dwell ORDER BY url"
    ) == [
        (f"{ES}/izyum-strike", 10.0, "espreso"),
        (f"{KI}/swap/", 15.0, "kyiv-independent"),
    ]
    assert rows(warehouse, "SELECT outlet, count(*) FROM v_freshness GROUP BY 1 ORDER BY 1") == [
        ("espreso", 3),
        ("kyiv-independent", 2),
    ]
    assert rows(warehouse, "SELECT tag, articles, outlet FROM v_tag_trends ORDER BY ALL") == [
        ("tag-of-espreso", 3, "espreso"),
        ("tag-of-kyiv", 2, "kyiv-independent"),
    ]
    assert rows(
        warehouse, "SELECT reported, official, status, url, outlet FROM v_loss_reconciliation"
    ) == [(1140, 1140, "match", f"{ES}/losses", "espreso")]
    # A page that did not parse is its run's outlet's; the place, its article's.
    assert rows(warehouse, "SELECT url, run_id, outlet FROM v_quarantine ORDER BY url") == [
        (f"{ES}/izyum-strike-broken", "run-espreso", "espreso"),
        (f"{KI}/east/", "facts-1", "kyiv-independent"),
        (f"{KI}/swap/-broken", "run-kyiv-independent", "kyiv-independent"),
    ]


def _newsflow(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BIN / "newsflow", *args], capture_output=True, text=True, timeout=120)


# Tables of no outlet, written whole in one outlet's export (as the README and --help say).
WHOLE = ["backfill_progress", "backfill_queue", "load_runs", "official_losses", "schema_migrations"]
ONE_OUTLET = {
    "article_related": 0, "article_revisions": 0, "article_tags": 2, "articles": 2,
    "backfill_progress": 0, "backfill_queue": 0, "combat_reports": 0, "feed_items": 0,
    "feed_observations": 2, "fetch_log": 1, "headline_sources": 1, "load_runs": 4,
    "loss_reports": 0, "official_losses": 1, "places": 1, "prisoner_exchanges": 2,
    "quarantine": 2, "schema_migrations": len(migrations()), "strike_events": 0,
}  # fmt: skip


def test_export_of_one_outlet_writes_its_rows_and_the_tables_of_no_outlet_whole(
    warehouse: Path, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    done = _newsflow("export", out, "--outlet", "kyiv-independent", "--warehouse", warehouse)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert sorted(p.name for p in out.iterdir()) == list(ONE_OUTLET)
    assert {line.split()[0]: int(line.split()[1]) for line in lines[:-1]} == ONE_OUTLET
    assert [line.split()[0] for line in lines[:-1] if line.endswith("written whole)")] == WHOLE
    assert (
        f"official_losses          1 rows → {out}/official_losses/data_0.parquet (one file: a "
        "daily series; its day column dates each row; belongs to no outlet: written whole)"
    ) in lines
    assert lines[-1].startswith(f"19 tables, {sum(ONE_OUTLET.values())} rows of kyiv-independent")
    for table in ("articles", "article_tags", "feed_observations", "prisoner_exchanges", "places"):
        frame = pl.read_parquet(out / table / "**" / "*.parquet", hive_partitioning=True)
        assert frame["outlet"].unique().to_list() == ["kyiv-independent"], table
    with connect(warehouse, read_only=True) as con:
        quarantined = con.execute(
            f"SELECT record ->> 'url' FROM read_parquet('{out}/quarantine/**/*.parquet')"
        ).fetchall()
    assert sorted(quarantined) == [(f"{KI}/east/",), (f"{KI}/swap/-broken",)]


def test_export_of_every_outlet_is_unchanged_by_the_option(warehouse: Path, tmp_path: Path) -> None:
    with connect(warehouse, read_only=True) as con:
        written = {e.table: (e.rows, e.why_whole) for e in export_parquet(con, tmp_path / "all")}
    assert written["articles"] == (5, None)
    assert written["quarantine"] == (3, None)
    assert written["places"] == (3, None)
    assert written["load_runs"] == (4, None)


def test_an_unknown_outlet_is_refused_naming_the_known_ones(
    warehouse: Path, tmp_path: Path
) -> None:
    commands: list[list[str | Path]] = [
        ["export", tmp_path / "out"],
        ["report", "--out", tmp_path / "r.html"],
    ]
    for command in commands:
        done = _newsflow(*command, "--outlet", "nowhere", "--warehouse", warehouse)
        assert done.returncode == 2
        assert done.stderr.startswith(
            f"newsflow {command[0]}: Invalid value for '--outlet': no outlet named 'nowhere'; "
            "the outlets are: espreso, kyiv-independent, ukrainska-pravda,"
        ), done.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_report_across_outlets_counts_each(warehouse: Path, tmp_path: Path) -> None:
    with connect(warehouse, read_only=True) as con:
        summary = build_report(con, tmp_path / "r.html", generated_at=T0)
    page = summary.path.read_text(encoding="utf-8")
    assert (summary.articles, summary.outlet) == (5, None)
    assert "<h1>newsflow — report across 2 outlets</h1>" in page
    assert "<dt>Articles per outlet</dt><dd>Espreso Global 3 · The Kyiv Independent 2</dd>" in page
    assert "tag-of-espreso" in page and "tag-of-kyiv" in page


def test_the_report_of_one_outlet_names_it_and_shows_its_rows_only(
    warehouse: Path, tmp_path: Path
) -> None:
    done = _newsflow(
        "report", "--outlet", "kyiv-independent", "--out", tmp_path / "r.html",
        "--warehouse", warehouse,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout
        == f"Report of 2 articles of kyiv-independent with 5 charts: {tmp_path}/r.html\n"
    )
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<h1>newsflow — The Kyiv Independent report</h1>" in page
    assert "<dt>Articles</dt><dd>2</dd>" in page
    assert "Articles per outlet" not in page
    assert "tag-of-kyiv" in page and "tag-of-espreso" not in page
