"""A page without a doctype is parsed in quirks mode, where class selectors match whatever the
case: its feed rows are still read, never an exception."""

from __future__ import annotations

from datetime import UTC, datetime

from sources.espreso.feed import parse_feed

FEED = (
    '<html><body><div id="js-newsTapeContent">'
    '<div class="date_title"><div class="year_date">2025, неділя</div> 14 грудня</div>'
    '<div class="NEWS-TAPE-ITEM"><a class="news-tape-item_link" href="https://espreso.tv/a"></a>'
    '<div class="Main_Time">19:03</div><div class="TTX"> Ціни зросли </div></div>'
    "</div></body></html>"
)


def test_classes_in_another_case_on_a_quirks_mode_page_are_read() -> None:
    feed = parse_feed(FEED.encode(), "https://espreso.tv/news")
    assert feed.problems == ()
    assert [(r.url, r.title, r.published_at) for r in feed.rows] == [
        ("https://espreso.tv/a", "Ціни зросли", datetime(2025, 12, 14, 17, 3, tzinfo=UTC))
    ]


def test_the_same_page_with_a_doctype_matches_classes_exactly() -> None:
    feed = parse_feed(("<!DOCTYPE html>" + FEED).encode(), "https://espreso.tv/news")
    assert feed.rows == ()
