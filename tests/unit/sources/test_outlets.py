"""The outlets file: the shipped one reads, a bad one is refused in one line naming what is wrong."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from flows.settings import DEFAULT_SITE, Settings
from sources.espreso.discover import RSS_PATH, SITEMAP_PATH
from sources.outlets import EARLIEST, OutletsError, UnknownOutlet, outlet, outlets, read_outlets

GOOD = """
[outlets.espreso]
base_url = "https://global.espreso.tv"
reader = "espreso"

[outlets.paper]
title = "A Paper"
base_url = "https://paper.example"
reader = "generic"
feeds = ["/rss", "https://paper.example/atom.xml"]
news_sitemaps = ["/news.xml"]
min_interval_s = 3
"""


def test_the_shipped_outlets_start_with_espreso_as_it_is_read_today() -> None:
    shipped = outlets()
    espreso = shipped["espreso"]
    assert next(iter(shipped)) == "espreso"
    assert (espreso.base_url, espreso.reader, espreso.source) == (
        DEFAULT_SITE,
        "espreso",
        "espreso-global",
    )
    assert (espreso.feeds, espreso.sitemaps) == ((RSS_PATH,), (SITEMAP_PATH,))
    assert espreso.launched == date(2013, 11, 24)
    assert espreso.badges == (
        "Exclusive",
        "OPINION",
        "Updated",
        "Company news",
        "Review",
        "Interview",
    )
    generic = [o for o in shipped.values() if o.reader == "generic"]
    assert len(generic) == 9
    assert {o.name for o in shipped.values() if not o.confirmed} == {"unn"}
    assert outlet("kyiv-independent").feeds == ("/news-archive/rss/",)
    assert outlet("kyiv-independent").launched == EARLIEST


def test_an_outlet_reads_its_keys_and_places_addresses_on_the_site_crawled() -> None:
    paper = read_outlets(GOOD)["paper"]
    assert (paper.title, paper.source, paper.min_interval_s, paper.languages) == (
        "A Paper",
        "paper",
        3.0,
        ("en",),
    )
    assert paper.at("http://127.0.0.1:8000", "https://paper.example/atom.xml") == (
        "http://127.0.0.1:8000/atom.xml"
    )
    assert paper.at("http://127.0.0.1:8000/", "/rss") == "http://127.0.0.1:8000/rss"
    assert paper.is_article("http://127.0.0.1:8000/world/2025/a-story", "http://127.0.0.1:8000")
    assert not paper.is_article("http://elsewhere.example/a-story", "http://127.0.0.1:8000")
    assert paper.politeness() == {"min_interval_s": 3.0}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[outlets.espreso\n", "outlets.toml: not TOML: "),
        ("[other]\n", "outlets.toml: unknown table 'other': outlets are [outlets.<name>] tables"),
        (
            GOOD.replace('reader = "generic"', 'reader = "magic"'),
            "outlets.toml: outlet 'paper': reader must be one of espreso, generic, found 'magic'",
        ),
        (
            GOOD.replace("min_interval_s = 3", "min_interval = 3"),
            "outlets.toml: outlet 'paper': unknown key 'min_interval'; the keys are ",
        ),
        (
            GOOD.replace('"/news.xml"', '"https://other.example/news.xml"'),
            "outlets.toml: outlet 'paper': news_sitemaps 'https://other.example/news.xml' is not "
            "on https://paper.example (only its own host is asked)",
        ),
        (
            GOOD.replace('"/rss", ', '"rss", '),
            "outlets.toml: outlet 'paper': feeds 'rss' must be a path starting with / or a full URL",
        ),
        (
            GOOD.replace("min_interval_s = 3", "min_interval_s = -1"),
            "outlets.toml: outlet 'paper': min_interval_s must be 0 or more, found -1",
        ),
        (
            GOOD.replace('base_url = "https://paper.example"', 'base_url = "paper.example"'),
            "outlets.toml: outlet 'paper': base_url must be http(s)://host, found 'paper.example'",
        ),
        (
            GOOD.replace("[outlets.espreso]", "[outlets.espresso]"),
            "outlets.toml: the default outlet 'espreso' is missing",
        ),
        (
            GOOD.replace("[outlets.paper]", "[outlets.Paper]"),
            "outlets.toml: outlet 'Paper': a name is lower-case letters, digits and single hyphens",
        ),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_in_one_line(text: str, message: str) -> None:
    with pytest.raises(OutletsError) as refused:
        read_outlets(text)
    said = str(refused.value)
    assert "\n" not in said
    assert said.startswith(message)


def test_a_file_on_disk_is_named_in_its_errors(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(GOOD.replace('reader = "espreso"\n', ""), encoding="utf-8")
    with pytest.raises(OutletsError, match=rf"^{path}: outlet 'espreso': reader is missing$"):
        outlets(path)


def test_an_unknown_name_lists_the_names() -> None:
    with pytest.raises(UnknownOutlet) as refused:
        outlet("nope")
    assert str(refused.value) == (
        "no outlet named 'nope'; the outlets are: espreso, kyiv-independent, ukrainska-pravda, "
        "ukrinform, kyiv-post, euromaidan-press, new-voice, unian, interfax-ukraine, unn"
    )


def test_settings_take_the_outlets_site_and_the_environment_still_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings.build({}).base_url == DEFAULT_SITE
    chosen = Settings.build({"outlet": "new-voice"})
    assert (chosen.base_url, chosen.site.reader) == ("https://english.nv.ua", "generic")
    assert (chosen.min_interval_s, Settings.build({}).min_interval_s) == (2.0, 1.0)
    assert Settings.build({"outlet": "new-voice", "min_interval_s": 0.5}).min_interval_s == 0.5
    monkeypatch.setenv("NEWSFLOW_BASE_URL", "http://127.0.0.1:9")
    assert Settings.build({"outlet": "new-voice"}).base_url == "http://127.0.0.1:9"
    monkeypatch.setenv("NEWSFLOW_OUTLET", "ukrinform")
    assert Settings.build({}).site.name == "ukrinform"
