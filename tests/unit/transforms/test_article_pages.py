"""`article_pages`: which template parts each page had, and nothing below three pages."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from sources.espreso.site import LAYOUT_PARTS
from sources.records import ArticleParse
from transforms.article_pages import LAYOUT_MIN_PAGES, article_pages
from transforms.schemas import ARTICLE_PAGES

from .records import SITE


def _page(slug: str, *found: str) -> ArticleParse:
    return ArticleParse(f"{SITE}/{slug}", None, (), frozenset(found))


def test_one_row_per_page_with_each_part_found_or_not() -> None:
    pages = [_page("a", *LAYOUT_PARTS), _page("b", "headline", "body"), _page("c"), _page("c")]
    expected = pl.DataFrame(
        {
            "url": [f"{SITE}/a", f"{SITE}/b", f"{SITE}/c", f"{SITE}/c"],
            "headline_found": [True, True, False, False],
            "date_line_found": [True, False, False, False],
            "body_found": [True, True, False, False],
        },
        schema=ARTICLE_PAGES,
    )
    assert_frame_equal(article_pages(pages), expected)


def test_fewer_than_three_pages_say_nothing_about_the_layout() -> None:
    assert LAYOUT_MIN_PAGES == 3
    assert_frame_equal(article_pages([_page("a"), _page("b")]), pl.DataFrame(schema=ARTICLE_PAGES))
    assert article_pages([_page("a"), _page("b"), _page("c")]).height == 3
