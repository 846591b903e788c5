"""`articles`: one row per article URL and content, the newest fetch winning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
from polars.testing import assert_frame_equal

from transforms.articles import articles, latest_per_url
from transforms.schemas import ARTICLES

from .records import AFTER_DST_END, BEFORE_DST_END, SITE, article, fetched

RUN = datetime(2025, 10, 26, 6, 0, tzinfo=UTC)


def test_the_newest_fetch_of_one_content_wins_and_a_tie_goes_to_the_later_item() -> None:
    old = fetched("a", BEFORE_DST_END)
    new = fetched("a", AFTER_DST_END)
    tie = fetched("a", AFTER_DST_END, author="Tie")  # the author is not part of the content
    same = fetched("a", AFTER_DST_END)
    assert latest_per_url([new, old]) == [new]
    assert latest_per_url([old, new]) == [new]
    assert latest_per_url([new, same]) == [same]
    assert latest_per_url([new, same])[0] is same
    # One key: of the fetches at the newest time, the last in the list wins.
    assert latest_per_url([old, tie, new]) == [new]


def test_two_contents_of_one_url_both_stay_in_first_seen_order() -> None:
    a = fetched("a", BEFORE_DST_END)
    b = fetched("b", BEFORE_DST_END)
    other = fetched("a", BEFORE_DST_END - timedelta(hours=1), title="Another headline")
    assert latest_per_url([a, b, other]) == [a, b, other]
    assert latest_per_url([]) == []


def test_the_frame_has_the_contract_and_this_runs_time_as_first_seen() -> None:
    item = fetched("a", AFTER_DST_END, modified_at=AFTER_DST_END, badge="Exclusive")
    got = articles([fetched("a", BEFORE_DST_END), item], RUN)
    a = article("a")
    expected = pl.DataFrame(
        [
            {
                "url": f"{SITE}/a", "source": "espreso-global", "slug": "a", "section": "News",
                "badge": "Exclusive", "title": "Title of a", "lead": "Lead of a",
                "author": "Olena Koval", "author_url": f"{SITE}/author/olena-koval",
                "published_at": datetime(2025, 10, 25, 21, 30, tzinfo=UTC),
                "modified_at": datetime(2025, 10, 26, 2, 30, tzinfo=UTC),
                "body_text": "Four words of body.", "word_count": 4, "image_url": None,
                "language": "en", "content_hash": a.content_hash,
                "first_seen_at": datetime(2025, 10, 26, 6, 0, tzinfo=UTC),
                "fetched_at": datetime(2025, 10, 26, 2, 30, tzinfo=UTC),
                "authors": ["Olena Koval"], "published_local": None, "zone_stated": True,
            }
        ],
        schema=ARTICLES,
    )  # fmt: skip
    assert_frame_equal(got, expected)


def test_no_items_give_an_empty_frame_of_the_contract() -> None:
    assert_frame_equal(articles([], RUN), pl.DataFrame(schema=ARTICLES))
