"""The generic reader on real pages of many publishers (the Fundus corpus in ../shared, read at
test time): exact title, instant, authors, and the first and last body paragraphs as Fundus's
hand-written parser for each publisher extracts them."""

from __future__ import annotations

from datetime import datetime

import pytest

from bench.fundus import FUNDUS, Page, expected_paragraphs, pages
from sources.generic.read import read_generic

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not FUNDUS.is_dir(), reason=f"no corpus at {FUNDUS}"),
]

# page, title, published_at (UTC), authors, first and last paragraph's opening.
KNOWN = [
    ("BBC_2026_04_25", "What is Nato and which countries are in it?", "2012-05-10T14:29:05+00:00", ("Duncan Walker",), "The US is considering options fo", "However, individual member state"),
    ("EuronewsEN_2024_04_30", "Swedish police to investigate reports of leaks to violent gangs", "2024-04-30T14:38:37+00:00", ("Euronews",), "An investigation in Sweden has r", "Sweden has struggled to contain "),
    ("Express_2024_07_18", "'Whingers' Harry and Meghan 'won't recover' from 'terrible' snub", "2024-07-18T10:48:00+00:00", ("Jon King",), "Prince Harry and Meghan Markle w", "One post from her blog, which wa"),
    ("TheMirror_2026_01_06", "Man kept six women chained in hole in basement before cooking body parts", "2026-01-06T08:39:42+00:00", ("Steffan Rhys",), "Millions of people are familiar ", "Silence of The Lambs author Thom"),
    ("TheTelegraph_2024_09_17", "Starmer defiant over taking gifts from Lord Alli", "2024-09-16T20:33:00+00:00", ("Amy Gibbons",), "Sir Keir Starmer has defended ac", "On Monday night, Number 10 said "),
    ("APNews_2023_04_28", "Mexico's economy grew 1.1% in 1st quarter, 3.8% year on year", "2023-04-28T17:40:08+00:00", ("Associated Press",), "MEXICO CITY (AP) — Mexico’s econ", "Mexico’s economy has recovered f"),
    ("BusinessInsider_2025_04_01", "A woman who lost 130 pounds shares 7 changes she wasn't expecting — from people being nicer to her to food tasting different", "2025-03-29T11:36:01+00:00", ("Serafina Kenny",), "On a family trip in 2022, Emma R", "She said surrounding herself wit"),
    ("CNBC_2023_04_28", "31% of new crypto buyers influenced by friends. Here’s why that can be 'a horrible idea,' advisor says", "2023-04-28T18:23:00+00:00", ("Greg Iacurci",), "When it comes to cryptocurrency ", '"If you\'re doing some investigat'),
    ("FoxNews_2023_04_28", "House China Committee demands answers from FBI on Chinese police stations in US", "2023-04-26T18:20:55+00:00", ("Aaron Kliegman",), "The new House committee on China", 'That timing raises "concerns tha'),
    ("OccupyDemocrats_2023_06_20", "SCANDAL! GOP House Speaker in NC accused of blackmail and group sex", "2023-06-19T23:48:21+00:00", ("Stephanie Bazzle",), "North Carolina is one of a few s", "However, the allegation that Moo"),
    ("RestOfWorld_2025_10_21", "The world needs more spaceports. Oman wants to help", "2025-10-21T10:00:00+00:00", ("Laura Jedeed",), "Oman’s dream for a spaceport sit", "“Yes, we are a little bit late,”"),
    ("TheIntercept_2023_04_28", "An Insider’s View of the Montana Legislature’s Attacks on Trans Rep. Zooey Zephyr", "2023-04-28T15:54:24+00:00", ("Ryan Devereaux",), "The tenor of Montana’s legislati", "“I think this is the moment. I’v"),
    ("TheNation_2023_05_15", "Inside a Teamster Rebellion: This Is What Union Democracy Looks Like", "2023-05-15T09:00:37+00:00", ("Sarah Lazare",), "In the early morning of April 12", "“Maybe when I have some time, we"),
    ("TheNewYorker_2023_05_16", "A Heat Shield for the Most Important Ice on Earth", "2023-04-25T10:00:00+00:00", ("Rachel Riederer",), "On a clear morning in late March", "It stayed cold in Minnesota for "),
]  # fmt: skip


def _page(name: str) -> Page:
    return next(p for p in pages() if p.name == name)


@pytest.mark.parametrize(("name", "title", "published_at", "authors", "first", "last"), KNOWN)
def test_known_pages_read_exactly(name, title, published_at, authors, first, last) -> None:
    page = _page(name)
    parsed = read_generic(page.body, page.url)
    article = parsed.article
    assert article is not None, parsed.problems
    assert article.title == title
    assert article.published_at == datetime.fromisoformat(published_at)
    assert (article.published_local, article.zone_stated) == (None, True)
    assert article.authors == authors
    expected = expected_paragraphs(page.expected)
    assert (article.paragraphs[0], article.paragraphs[-1]) == (expected[0], expected[-1])
    assert (article.paragraphs[0][:32], article.paragraphs[-1][:32]) == (first, last)
    assert article.body_text == "\n\n".join(article.paragraphs)


def test_a_time_without_an_offset_is_kept_as_wall_time() -> None:
    # The page says 2023-04-28T13:53:25 and no zone: no instant is made from a guess.
    page = _page("WashingtonTimes_2023_04_28")
    article = read_generic(page.body, page.url).article
    assert article is not None
    assert article.published_at is None
    assert article.published_local == datetime(2023, 4, 28, 13, 53, 25)
    assert article.zone_stated is False


def test_a_date_alone_is_a_wall_time_at_midnight() -> None:
    page = _page("Nature_2025_11_04")
    article = read_generic(page.body, page.url).article
    assert article is not None
    assert (article.published_at, article.published_local, article.zone_stated) == (
        None, datetime(2025, 11, 3), False,
    )  # fmt: skip


def test_the_corpus_pairs_every_page_with_its_version() -> None:
    corpus = pages()
    assert (len(corpus), len({p.publisher for p in corpus})) == (53, 35)
    # BBC has versions V1 and V2; its later page goes with V2.
    bbc = [p for p in corpus if p.publisher == "BBC"]
    assert [p.expected["title"] for p in bbc] == [
        "Office for Budget Responsibility: What is the OBR and what does it do?",
        "What is Nato and which countries are in it?",
    ]
