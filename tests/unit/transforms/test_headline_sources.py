"""The `headline_sources` frame: one row per url, the first headline naming a source, the table's schema."""

from __future__ import annotations

import polars as pl

from transforms.headline_sources import headline_sources
from transforms.schemas import HEADLINE_SOURCES

ORG, PERSON = "organisation", "person"


def test_headline_sources_frame() -> None:
    frame = headline_sources(
        [
            ("https://global.espreso.tv/a", "Russia is regrouping near Huliaipole – ISW"),
            ("https://global.espreso.tv/b", "Russia launched 50 drones overnight"),
            ("https://global.espreso.tv/c", "Україна не віддасть Донбас, - Зеленський"),
            ("https://global.espreso.tv/d", "Ukraine will hold Kupiansk — Western media"),
        ]
    )
    assert frame.schema == pl.Schema(
        {"url": pl.String, "source": pl.String, "source_kind": pl.String, "claim": pl.String}
    )
    assert frame.schema == HEADLINE_SOURCES
    assert frame.rows() == [
        ("https://global.espreso.tv/a", "ISW", ORG, "Russia is regrouping near Huliaipole"),
        ("https://global.espreso.tv/c", "Зеленський", PERSON, "Україна не віддасть Донбас"),
        ("https://global.espreso.tv/d", "Western media", None, "Ukraine will hold Kupiansk"),
    ]


def test_headline_sources_keeps_first_row_per_url() -> None:
    frame = headline_sources(
        [
            ("https://global.espreso.tv/a", "Russia is regrouping near Huliaipole"),
            ("https://global.espreso.tv/a", "Russia is regrouping near Huliaipole — ISW"),
            ("https://global.espreso.tv/a", "Russia is regrouping near Huliaipole — expert"),
            ("https://global.espreso.tv/b", "Russia is short of shells — Syrskyi"),
            ("https://global.espreso.tv/b", "Russia is short of shells — analyst"),
        ]
    )
    assert frame.to_dicts() == [
        {
            "url": "https://global.espreso.tv/a",
            "source": "ISW",
            "source_kind": ORG,
            "claim": "Russia is regrouping near Huliaipole",
        },
        {
            "url": "https://global.espreso.tv/b",
            "source": "Syrskyi",
            "source_kind": PERSON,
            "claim": "Russia is short of shells",
        },
    ]


def test_headline_sources_empty() -> None:
    for rows in ([], [("https://global.espreso.tv/b", "Russia launched 50 drones overnight")]):
        frame = headline_sources(rows)
        assert frame.height == 0
        assert frame.columns == ["url", "source", "source_kind", "claim"]
        assert frame.dtypes == [pl.String, pl.String, pl.String, pl.String]
