"""`article_related`: one row per "Read also" link of the newest fetch of each article."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from sources.records import Related
from transforms.article_related import article_related
from transforms.schemas import ARTICLE_RELATED

from .records import AFTER_DST_END, BEFORE_DST_END, SITE, fetched


def test_links_of_the_newest_fetch_numbered_from_zero() -> None:
    old = fetched(
        "a", AFTER_DST_END, related=(Related(f"{SITE}/x", "X"), Related(f"{SITE}/y", "Y"))
    )
    older = fetched("a", BEFORE_DST_END)
    other = fetched("b", BEFORE_DST_END)
    expected = pl.DataFrame(
        {
            "url": [f"{SITE}/a", f"{SITE}/a", f"{SITE}/b"],
            "position": [0, 1, 0],
            "related_url": [f"{SITE}/x", f"{SITE}/y", f"{SITE}/other"],
            "related_title": ["X", "Y", "Other story"],
        },
        schema=ARTICLE_RELATED,
    )
    assert_frame_equal(article_related([old, older, other]), expected)
    assert_frame_equal(article_related([]), pl.DataFrame(schema=ARTICLE_RELATED))
