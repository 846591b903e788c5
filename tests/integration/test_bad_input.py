"""Bad pages never stop a run: each failure is recorded with its reason, raw bytes are kept, the good
articles load, and the next run retries what failed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from bench.snapshot import ingest_snapshot
from flows.ingest import ingest
from sources.snapshot_expected import page_bytes
from sources.snapshot_server import Response, SnapshotServer
from tests.snapshot import rows

KHERSON = "russia-ukraine-war-russians-shelled-kherson-37-times-in-one-day-two-killed"
DENMARK = "world-about-ukraine-denmark-to-host-first-ukrainian-arms-factory-abroad"
ENERGY = (
    "economics-ukraines-energy-ministry-warns-of-scheduled-power-outages-in-five-regions-on-monday"
)
KUPIANSK = "russia-ukraine-war-ukrainian-defenders-repelled-14-assaults-in-the-kupiansk-direction"
POKROVA = "pokrova-system-to-broadcast-air-raid-alerts-via-fm-radio-in-frontline-regions-expert"
ISW = "russia-ukraine-war-russian-forces-are-trying-to-bypass-pokrovsk-from-the-east-isw"


def _broken_layout(page: bytes) -> bytes:
    """The page with its headline, date line and JSON-LD gone, as after a redesign."""
    page = re.sub(rb'<h1 class="text-title">.*?</h1>', b"", page, flags=re.S)
    page = re.sub(rb'<div class="news__author_date__(date|time)">.*?</div>', b"", page, flags=re.S)
    return re.sub(rb'<script type="application/ld\+json">.*?</script>', b"", page, flags=re.S)


def _windows_1251(page: bytes) -> bytes:
    """The page in windows-1251 with a Ukrainian headline, declared only in its <meta>."""
    text = page.decode("utf-8").replace('<meta charset="utf-8">', '<meta charset="windows-1251">')
    text = re.sub(
        r'<h1 class="text-title">.*?</h1>',
        '<h1 class="text-title">Система «Покрова» на FM</h1>',
        text,
        flags=re.S,
    )
    return text.encode("windows-1251")


def _invalid_utf8(page: bytes) -> bytes:
    """Stray bytes that are not UTF-8, in a page that declares UTF-8."""
    marker = b'<div class="news-content">'
    assert marker in page
    return page.replace(marker, marker + b"<p>Invalid \xff\xfe bytes</p>", 1)


def _warc_body(path: Path, offset: int) -> bytes:
    with path.open("rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        assert record.rec_type == "response"
        body: bytes = record.content_stream().read()
        return body


def test_bad_pages_are_recorded_and_retried(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSFLOW_BACKOFF_S", "0.01")
    warehouse = tmp_path / "newsflow.duckdb"
    overrides = {
        f"/{KHERSON}": Response(500, b"<html>Internal Server Error</html>"),
        f"/{DENMARK}": Response(200, b""),
        f"/{ENERGY}": Response(404, b"<html>gone</html>"),
        f"/{KUPIANSK}": Response(200, _broken_layout(page_bytes(KUPIANSK))),
        f"/{POKROVA}": Response(200, _windows_1251(page_bytes(POKROVA)), "text/html"),
        f"/{ISW}": Response(200, _invalid_utf8(page_bytes(ISW)), "text/html"),
    }
    with SnapshotServer(overrides=overrides) as server:
        ingest_snapshot(server.base_url, warehouse)
        base = server.base_url

    assert rows(warehouse, "SELECT count(*) FROM articles") == [(17,)]
    errors = dict(rows(warehouse, "SELECT url, error FROM fetch_log WHERE error IS NOT NULL"))
    assert errors == {
        f"{base}/{KHERSON}": "HTTP 500 (after 4 attempts)",
        f"{base}/{DENMARK}": "empty body",
        f"{base}/{ENERGY}": "HTTP 404",
        f"{base}/{KUPIANSK}": "parse: no headline (h1.text-title in section.header_current_article); "
        "no publication date (div.news__author_date__date/__time, JSON-LD datePublished)",
        f"{base}/{ISW}": "parse: page is not valid UTF-8 and declares no usable charset",
    }
    assert rows(warehouse, f"SELECT title FROM articles WHERE slug = '{POKROVA}'") == [
        ("Система «Покрова» на FM",)
    ]
    isw_body = rows(warehouse, f"SELECT body_text FROM articles WHERE slug = '{ISW}'")[0][0]
    assert isinstance(isw_body, str) and isw_body.startswith(
        "Invalid \ufffd\ufffd bytes\n\nThis is stated in the ISW report of October 25."
    )

    # Every answer is in the WARC archive, findable from fetch_log.
    kept = rows(
        warehouse,
        f"SELECT url, warc_file, warc_offset FROM fetch_log WHERE url IN ('{base}/{KHERSON}', '{base}/{ENERGY}', '{base}/{KUPIANSK}', '{base}/{DENMARK}')",
    )
    bodies = {
        url.rsplit("/", 1)[1]: _warc_body(tmp_path / "raw" / str(file), int(str(offset)))
        for url, file, offset in kept
    }
    assert bodies == {
        KHERSON: b"<html>Internal Server Error</html>",
        ENERGY: b"<html>gone</html>",
        KUPIANSK: _broken_layout(page_bytes(KUPIANSK)).replace(
            b"https://global.espreso.tv", base.encode()
        ),
        DENMARK: b"",
    }

    # The site recovers; the next run (no sitemap lookback, feed unchanged) retries exactly the four failures.
    with SnapshotServer(port=int(base.rsplit(":", 1)[1])) as server:
        ingest(
            base_url=server.base_url, warehouse=str(warehouse), lookback_days=0, min_interval_s=0.0
        )
        fetched_articles = sorted(
            p.lstrip("/")
            for p in server.requests
            if p.count("/") == 1
            and p not in ("/news", "/rss", "/robots.txt", "/sitemap.xml", "/sitemap_news_1.xml")
        )
    assert fetched_articles == sorted([KHERSON, DENMARK, ENERGY, KUPIANSK])
    assert rows(warehouse, "SELECT count(*) FROM articles") == [(21,)]
