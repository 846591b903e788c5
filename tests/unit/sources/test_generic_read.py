"""The generic reader's rules on small made pages: what it declares wins, no zone is guessed, odd
pages give problems, never an exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sources.generic.dates import read_instant
from sources.generic.read import read_generic
from sources.records import Tag

LD = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "Person", "@id": "#ann", "name": "Ann Writer"},
        {
            "@type": ["NewsArticle"], "headline": "Headline &amp; more",
            "datePublished": "2024-04-30 16:38:37 +02:00", "dateModified": "2024-05-01T08:00:00Z",
            "author": [{"@id": "#ann"}, {"@type": "Person", "name": "Bo Reporter"}],
            "keywords": "War, Kyiv ,Drones", "inLanguage": "en-GB",
        },
    ],
}  # fmt: skip
PAGE = f"""<html lang="en"><head>
<meta property="og:title" content="Headline | Daily Example">
<meta property="og:site_name" content="Daily Example">
<meta property="og:image" content="/img/a.jpg">
<script type="application/ld+json">{json.dumps(LD)}</script>
<script type="application/ld+json">{{not json</script>
</head><body><nav><p>Home News Sport</p></nav>
<article><div class="story"><p>First paragraph of the story, long enough to count.</p>
<figure><p>A caption under a photo</p></figure>
<div class="related-links"><p>Read also: something else</p></div>
<p>Second paragraph of the story, also long enough to count here.</p></div></article>
<footer><p>Copyright Daily Example</p></footer></body></html>"""


def test_a_page_is_read_from_what_it_declares() -> None:
    parsed = read_generic(PAGE.encode(), "https://www.example.com/world/2024/story-slug")
    a = parsed.article
    assert a is not None and parsed.problems == ()
    assert a.title == "Headline"
    assert a.published_at == datetime(2024, 4, 30, 14, 38, 37, tzinfo=UTC)
    assert (a.published_local, a.zone_stated) == (None, True)
    assert a.modified_at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert a.authors == ("Ann Writer", "Bo Reporter") and a.author == "Ann Writer"
    assert a.tags == (Tag("War", None), Tag("Kyiv", None), Tag("Drones", None))
    assert a.paragraphs == (
        "First paragraph of the story, long enough to count.",
        "Second paragraph of the story, also long enough to count here.",
    )
    assert (a.slug, a.section, a.language) == ("story-slug", "world", "en")
    assert a.image_url == "https://www.example.com/img/a.jpg"


def test_times_keep_their_offset_or_stay_wall_times() -> None:
    assert read_instant("2024-04-27T15:56:35+0100") == datetime.fromisoformat(
        "2024-04-27T15:56:35+01:00"
    )
    assert read_instant("2023-08-30T16:45+0100") == datetime.fromisoformat(
        "2023-08-30T16:45:00+01:00"
    )
    assert read_instant("2023-06-26T12:00:29.055Z") == datetime(2023, 6, 26, 12, 0, 29, tzinfo=UTC)
    assert read_instant("2023-04-28T13:53:25") == datetime(2023, 4, 28, 13, 53, 25)
    assert read_instant("2025-11-03") == datetime(2025, 11, 3)
    assert [read_instant(v) for v in ("", "yesterday", "2024-13-01T00:00Z", None, 5)] == [None] * 5


def test_a_page_without_an_offset_gets_no_instant() -> None:
    page = PAGE.replace("2024-04-30 16:38:37 +02:00", "2024-04-30T16:38:37")
    a = read_generic(page.encode(), "https://example.com/a").article
    assert a is not None
    assert (a.published_at, a.published_local, a.zone_stated) == (
        None, datetime(2024, 4, 30, 16, 38, 37), False,
    )  # fmt: skip


def test_odd_pages_give_problems_not_exceptions() -> None:
    assert read_generic(b"", "https://example.com/a").problems == ("empty page",)
    deep = read_generic(b"<div>" * 5000, "https://example.com/a")
    assert deep.article is None and "nested deeper" in deep.problems[0]
    bare = read_generic(b"<html><body><p>just text</p></body></html>", "https://example.com/a")
    assert bare.article is None
    assert bare.problems == (
        "no title (JSON-LD headline, og:title, h1)",
        "no publication time (JSON-LD datePublished, article:published_time, time)",
    )
    assert read_generic(b"\xff\xfe<h1>x</h1>", "https://example.com/a").article is None


BOXED = """<html><head><meta property="og:title" content="Boxed"></head><body><article>
<p class="byline-section">By Ann Writer, 27 April 2024</p>
<div class="story">First paragraph of the story, set in a div as some sites do.</div>
<p>Second paragraph, with a link<span style="clip:rect(0 0 0 0)">, opens new tab</span> in it.</p>
<blockquote class="twitter-tweet"><p>An embedded post that repeats the news</p></blockquote>
<div class="FactBox-items"><p>A fact box beside the story, not in it.</p></div>
<blockquote class="Pullquote">“A quote pulled out of the story.”</blockquote>
<p>Third paragraph of the story, long enough to hold most of its text here.</p>
<p><a href="/app">CLICK HERE TO GET THE APP</a></p>
<p>Got a story? Get in touch at news@example.com.</p>
<div>Getty Images</div>
<p>Reporting by Bo Reporter; Editing by Cy Editor</p>
</article></body></html>"""


def test_the_body_leaves_out_boxes_embeds_credits_and_calls_to_action() -> None:
    a = read_generic(BOXED.encode(), "https://example.com/a").article
    assert a is not None
    assert a.paragraphs == (
        "First paragraph of the story, set in a div as some sites do.",
        "Second paragraph, with a link in it.",
        "Third paragraph of the story, long enough to hold most of its text here.",
    )
