"""`article_tags`: one row per tag of the newest fetch of each article, in page order."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from sources.records import Tag
from transforms.article_tags import article_tags
from transforms.schemas import ARTICLE_TAGS

from .records import AFTER_DST_END, BEFORE_DST_END, SITE, fetched


def test_tags_of_the_newest_fetch_numbered_from_zero() -> None:
    old = fetched("a", BEFORE_DST_END, tags=(Tag("Old", None),))
    new = fetched("a", AFTER_DST_END)
    bare = fetched("b", AFTER_DST_END, tags=())
    expected = pl.DataFrame(
        {
            "url": [f"{SITE}/a", f"{SITE}/a"],
            "position": [0, 1],
            "tag": ["War", "Kharkiv"],
            "tag_url": [f"{SITE}/tag/war", None],
        },
        schema=ARTICLE_TAGS,
    )
    assert_frame_equal(article_tags([old, new, bare]), expected)
    assert_frame_equal(article_tags([bare]), pl.DataFrame(schema=ARTICLE_TAGS))
