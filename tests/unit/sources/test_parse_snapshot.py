"""The English snapshot pages parse to exactly what they show (ground truth: the manifest)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from sources.espreso.article import parse_article
from sources.espreso.feed import parse_feed
from sources.snapshot_expected import ARTICLES, LIVE, MANIFEST, iso_utc, kyiv_instant, page_bytes
from sources.snapshot_server import SNAPSHOT_DIR


@pytest.mark.parametrize("expected", ARTICLES, ids=[a["slug"][:48] for a in ARTICLES])
def test_article_matches_manifest(expected: dict[str, Any]) -> None:
    url = f"{LIVE}/{expected['slug']}"
    result = parse_article(page_bytes(expected["slug"]), url)
    a = result.article
    assert result.problems == ()
    assert a is not None
    assert a.url == url
    assert a.slug == expected["slug"]
    assert a.title == expected["title"]
    assert a.lead == expected["lead"]
    assert a.author == expected["author"]
    assert a.author_url == expected["author_url"]
    assert a.badge == expected["badge"]
    assert a.section == expected["section"]
    assert a.language == "en"
    assert a.published_at == kyiv_instant(expected)
    assert a.modified_at == iso_utc(expected["date_modified_iso"])
    assert [t.name for t in a.tags] == expected["tags"]
    assert [t.url for t in a.tags] == expected["tag_urls"]
    assert [r.url for r in a.related] == [f"{LIVE}/{slug}" for slug in expected["related_slugs"]]
    paragraphs = a.body_text.split("\n\n")
    assert len(paragraphs) == expected["paragraph_count"]
    assert paragraphs[0] == expected["first_paragraph"]
    for junk in (
        "client/title.list_title",
        "list_title",
        "Share:",
        "Read Espreso in Telegram",
        "Tags:",
    ):
        assert junk not in a.body_text
        assert junk not in (a.lead or "")


OSLO = "world-about-ukraine-zelensky-arrives-in-oslo-for-talks-with-nordic-leaders"
OSLO_LEAD = (
    "President Volodymyr Zelensky has arrived in Norway, where he will meet the prime ministers of "
    "the Nordic countries to discuss air defense, long-range weapons and the use of frozen Russian assets."
)


def _oslo_with(old: bytes, new: bytes) -> bytes:
    page = page_bytes(OSLO)
    assert page.count(old) == 1
    return page.replace(old, new)


def test_a_lead_of_template_junk_only_is_a_problem_and_kept_for_the_gate() -> None:
    page = _oslo_with(OSLO_LEAD.encode() + b"</h2>", b" client/title.list_title </h2>")
    result = parse_article(page, f"{LIVE}/{OSLO}")
    assert result.problems == (
        "lead (h2.text-subtitle): it is only template junk 'client/title.list_title'",
    )
    assert result.article is not None
    assert result.article.lead == "client/title.list_title"


def test_a_junk_line_after_a_real_lead_is_stripped_silently() -> None:
    page = _oslo_with(
        OSLO_LEAD.encode() + b"</h2>", OSLO_LEAD.encode() + b"<br>\n client/title.list_title</h2>"
    )
    result = parse_article(page, f"{LIVE}/{OSLO}")
    assert result.problems == ()
    assert result.article is not None
    assert result.article.lead == OSLO_LEAD


def test_a_headline_or_body_of_template_junk_only_says_so() -> None:
    title = b"Zelensky arrives in Oslo for talks with Nordic leaders</h1>"
    page = _oslo_with(title, b"{{ title }}</h1>")
    result = parse_article(page, f"{LIVE}/{OSLO}")
    assert result.article is None
    assert result.problems == (
        "no headline (h1.text-title in section.header_current_article): "
        "it is only template junk '{{ title }}'",
    )
    start = page_bytes(OSLO).index(b'<div class="news-content">')
    end = page_bytes(OSLO).index(b"</div>", start)
    body = page_bytes(OSLO)[start:end]
    page = _oslo_with(body, b'<div class="news-content"><p>client/news.body</p><p>list_title</p>')
    result = parse_article(page, f"{LIVE}/{OSLO}")
    assert result.article is None
    assert result.problems == (
        "no body text (div.news-content p, li): it is only template junk "
        "'client/news.body\\n\\nlist_title'",
    )


def test_page_without_json_ld_is_read_from_html_alone() -> None:
    slug = "world-about-ukraine-denmark-to-host-first-ukrainian-arms-factory-abroad"
    assert b"application/ld+json" not in page_bytes(slug)
    a = parse_article(page_bytes(slug), f"{LIVE}/{slug}").article
    assert a is not None
    # 21:15 on Saturday 25 October 2025 is summer time (+03:00).
    assert a.published_at == datetime(2025, 10, 25, 18, 15, tzinfo=UTC)
    assert a.modified_at is None
    assert a.section == "World about Ukraine"
    assert a.author == "Olena Kovalchuk"


def test_dst_sides_of_the_snapshot() -> None:
    by_slug = {a["slug"]: a for a in ARTICLES}
    cases = {
        # Saturday 29 March 2025, winter (+02:00), the day before the spring change.
        "economics-ukraine-and-us-resume-talks-on-minerals-deal-after-new-draft-from-washington": datetime(2025, 3, 29, 16, 20, tzinfo=UTC),
        # Sunday 30 March 2025 after 04:00, summer (+03:00).
        "russia-ukraine-war-russia-launched-111-drones-at-ukraine-on-the-night-of-march-30": datetime(2025, 3, 30, 7, 15, tzinfo=UTC),
        # Sunday 26 October 2025: 01:30 is still summer time, 04:20 already winter time.
        "russia-ukraine-war-explosions-reported-in-bryansk-fuel-depot-on-fire": datetime(2025, 10, 25, 22, 30, tzinfo=UTC),
        "russia-ukraine-war-russia-attacked-ukraine-with-104-drones-overnight-air-defense-downed-86": datetime(2025, 10, 26, 2, 20, tzinfo=UTC),
    }  # fmt: skip
    for slug, instant in cases.items():
        assert slug in by_slug
        article = parse_article(page_bytes(slug), f"{LIVE}/{slug}").article
        assert article is not None
        assert article.published_at == instant


@pytest.mark.parametrize(
    ("path", "file"), [("/", "index.html"), ("/news?page=2", "news-page-2.html")]
)
def test_feed_matches_manifest(path: str, file: str) -> None:
    page_url = f"{LIVE}{path}"
    feed = parse_feed((SNAPSHOT_DIR / file).read_bytes(), page_url)
    expected = MANIFEST["feed_pages"][path]
    assert feed.problems == ()
    assert [r.url for r in feed.rows] == [f"{LIVE}/{row['slug']}" for row in expected]
    assert [r.title for r in feed.rows] == [row["title"] for row in expected]
    assert [r.subtitle for r in feed.rows] == [row["subtitle"] for row in expected]
    assert [r.badge for r in feed.rows] == [row["badge"] for row in expected]
    assert [r.published_at for r in feed.rows] == [kyiv_instant(row) for row in expected]
    assert [r.position for r in feed.rows] == list(range(len(expected)))


def test_feed_details() -> None:
    feed = parse_feed((SNAPSHOT_DIR / "index.html").read_bytes(), f"{LIVE}/")
    assert len(feed.rows) == 12
    assert {r.badge for r in feed.rows} == {
        None,
        "Exclusive",
        "OPINION",
        "Updated",
        "Company news",
        "Review",
        "Interview",
    }
    oslo = feed.rows[2]
    assert oslo.title == "Zelensky arrives in Oslo for talks with Nordic leaders"
    assert oslo.subtitle == "Air defense and long-range capabilities top the agenda"
    # Midnight: the newest row is 27 October (+02:00); the last rows are on 26 October, across the DST change.
    assert feed.rows[0].published_at == datetime(2025, 10, 27, 9, 40, tzinfo=UTC)
    times = [r.published_at for r in feed.rows]
    dated = [t for t in times if t is not None]
    assert times == sorted(dated, reverse=True)  # every row has a time, newest first
    assert feed.next_page_url == f"{LIVE}/news?page=2"
    page2 = parse_feed((SNAPSHOT_DIR / "news-page-2.html").read_bytes(), f"{LIVE}/news?page=2")
    assert page2.next_page_url == f"{LIVE}/news?page=3"
    assert page2.rows[-1].published_at == datetime(2025, 10, 25, 16, 40, tzinfo=UTC)
