"""`--outlet` on the commands that list rows, run as processes on a warehouse holding two
outlets' articles: only that outlet's rows, and a clear line when the outlet has none."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from sources.records import Article, FetchedArticle
from tests.snapshot import rows
from transforms.articles import articles
from transforms.quarantine import quarantine
from transforms.schemas import TABLES, of_batch
from warehouse.connection import connect
from warehouse.load import load_batch
from warehouse.runs import RunKind
from warehouse.search import ensure_search_index

BIN = Path(sys.executable).parent
FETCHED = datetime(2025, 6, 17, 7, 30, tzinfo=UTC)
ESPRESO = "https://global.espreso.tv/pokrovsk-front-holds"
KYIV_INDEPENDENT = "https://kyivindependent.com/pokrovsk-evacuation-continues/"


def _article(url: str, slug: str, title: str, published: datetime) -> Article:
    return Article(
        url=url, slug=slug, section="News", badge=None, title=title, lead=None, author=None,
        author_url=None, published_at=published, modified_at=None,
        body_text=f"{title}. Pokrovsk is under fire.", image_url=None, language="en", tags=(),
        related=(),
    )  # fmt: skip


def _load(
    con: duckdb.DuckDBPyConnection, run_id: str, outlet: str, reader: str, item: Article
) -> None:
    frames = {name: pl.DataFrame(schema=schema) for name, schema in TABLES.items()}
    shaped = articles([FetchedArticle(item, FETCHED)], FETCHED, outlet)
    frames["articles"] = of_batch("articles", shaped, {"outlet": outlet, "reader": reader})
    broken = item.url.replace(item.slug, "broken-page")
    frames["quarantine"] = quarantine(
        run_id,
        FETCHED,
        [("articles", {"url": broken, "problems": ["no title"]}, ["parse: no title"])],
    )
    load_batch(con, run_id, frames, kind=RunKind.CRAWL, started_at=FETCHED, finished_at=FETCHED)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outlets") / "newsflow.duckdb"
    with connect(path) as con:
        _load(con, "run-1", "espreso", "espreso", _article(ESPRESO, "pokrovsk-front-holds", "Pokrovsk front holds", datetime(2025, 6, 17, 6, 0, tzinfo=UTC)))  # fmt: skip
        _load(con, "run-2", "kyiv-independent", "generic", _article(KYIV_INDEPENDENT, "pokrovsk-evacuation-continues", "Pokrovsk evacuation continues", datetime(2025, 6, 17, 5, 0, tzinfo=UTC)))  # fmt: skip
        ensure_search_index(con, articles_changed=True)
    return path


def _newsflow(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BIN / "newsflow", *args], capture_output=True, text=True, timeout=120)


def test_search_lists_only_the_outlets_articles(warehouse: Path) -> None:
    done = _newsflow(
        "search", "Pokrovsk", "--outlet", "kyiv-independent", "--warehouse", str(warehouse)
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == [
        " 1. Pokrovsk evacuation continues",
        f"    2025-06-17 08:00 Kyiv · - · {KYIV_INDEPENDENT}",
    ]
    assert ESPRESO not in done.stdout
    both = _newsflow("search", "Pokrovsk", "--warehouse", str(warehouse))
    assert [line.split(" · ")[-1] for line in both.stdout.splitlines()[1::3]] == [
        ESPRESO,
        KYIV_INDEPENDENT,
    ]


def test_search_says_when_the_outlet_has_no_match(warehouse: Path) -> None:
    done = _newsflow("search", "Pokrovsk", "--outlet", "ukrinform", "--warehouse", str(warehouse))
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "2 articles match 'Pokrovsk', but none is from the outlet 'ukrinform'.\n"
    )


def test_an_unknown_outlet_is_refused(warehouse: Path) -> None:
    done = _newsflow("search", "Pokrovsk", "--outlet", "nowhere", "--warehouse", str(warehouse))
    assert done.returncode == 2
    assert done.stderr.startswith(
        "newsflow search: Invalid value for '--outlet': no outlet named 'nowhere'; the outlets "
        "are: espreso, kyiv-independent,"
    ), done.stderr


def test_quarantine_lists_only_the_records_on_the_outlets_site(warehouse: Path) -> None:
    done = _newsflow("quarantine", "--outlet", "kyiv-independent", "--warehouse", str(warehouse))
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "2025-06-17 10:30  articles         https://kyivindependent.com/broken-page/\n"
        "    parse: no title\n"
    )
    none = _newsflow("quarantine", "--outlet", "ukrinform", "--warehouse", str(warehouse))
    assert none.stdout == "Nothing of ukrinform is quarantined.\n"
    every = _newsflow("quarantine", "--warehouse", str(warehouse))
    assert every.stdout.count("/broken-page") == 2


def test_v_articles_shows_the_outlet(warehouse: Path) -> None:
    assert rows(warehouse, "SELECT url, outlet FROM v_articles ORDER BY url") == [
        (ESPRESO, "espreso"),
        (KYIV_INDEPENDENT, "kyiv-independent"),
    ]
