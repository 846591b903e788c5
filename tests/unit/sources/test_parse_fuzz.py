"""Property-based: the parsers, fed mutated real pages (parts removed, duplicated, moved, text replaced
by random Unicode, the page cut short), never raise and never hang; they return a usable record or
say what is missing. Pages with drawn paragraphs put in their body check what the parser reads
against what was put there, computed without the parser.

CI runs a few hundred cases; `make test-slow` runs thousands (NEWSFLOW_FUZZ_EXAMPLES)."""

from __future__ import annotations

import html
import os
import re
from datetime import UTC
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sources.espreso.article import parse_article
from sources.espreso.feed import parse_feed
from sources.espreso.template import TEMPLATE_JUNK
from sources.snapshot_server import SNAPSHOT_DIR

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("NEWSFLOW_FUZZ_EXAMPLES", "150"))
PAGES = [p.read_bytes().decode("utf-8") for p in sorted((SNAPSHOT_DIR / "articles").iterdir())[:6]]
MISSING = (
    "no headline", "no publication date", "no body text", "HTML nested", "HTML makes", "empty page",
)  # fmt: skip
# A start or end tag, a comment or a doctype: what text read from a page never holds.
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!][^<>]*>")
BODY_START = '<div class="news-content">'
ROW_LINK = re.compile(r'<a href="([^"]*)" class="news-tape-item_link">')


@st.composite
def mutated_pages(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(PAGES)).splitlines()
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        kind = draw(st.sampled_from(["remove", "duplicate", "move", "text", "truncate"]))
        start = draw(st.integers(0, len(lines) - 1))
        end = min(len(lines), start + draw(st.integers(1, 40)))
        chunk = lines[start:end]
        if kind == "remove":
            del lines[start:end]
        elif kind == "duplicate":
            lines[end:end] = chunk
        elif kind == "move":
            del lines[start:end]
            at = draw(st.integers(0, len(lines)))
            lines[at:at] = chunk
        elif kind == "truncate":
            line = lines[start]
            lines[start:] = [line[: draw(st.integers(0, len(line)))]]
        else:
            noise = draw(st.text(min_size=1, max_size=60))
            line = lines[start]
            cut = line.find(">") + 1
            lines[start] = line[:cut] + noise + line[cut:] if cut else noise
    return "\n".join(lines)


@settings(max_examples=EXAMPLES, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
@given(page=mutated_pages())
def test_article_parser_returns_a_usable_record_or_says_what_is_missing(page: str) -> None:
    result = parse_article(
        page.encode("utf-8", "surrogatepass"), "https://global.espreso.tv/fuzzed"
    )
    if result.article is None:
        assert any(p.startswith(MISSING) for p in result.problems), result.problems
        return
    a = result.article
    assert a.title and a.body_text
    assert a.published_at is not None
    assert a.published_at.tzinfo is not None and a.published_at.utcoffset() == UTC.utcoffset(None)
    visible = " ".join(html.unescape(page).split())
    at = 0
    for paragraph in a.body_text.split("\n\n"):
        # Each paragraph is text of the page, trimmed and with whitespace collapsed, after the last.
        assert paragraph and paragraph == " ".join(paragraph.split())
        first_word = paragraph.split()[0]
        found = visible.find(first_word, at)
        assert found >= 0, (first_word, at)
        at = found
    for text in (a.title, a.lead or "", a.author or "", *(t.name for t in a.tags)):
        assert not MARKUP.search(text), text
    for text in (a.title, a.lead or "", a.body_text):
        assert not TEMPLATE_JUNK.search(text)


# Words of letters, digits and punctuation (no template keys), with any whitespace between.
WORD = st.text(
    st.characters(categories=["L", "N", "P"], exclude_characters="{}/"), min_size=1, max_size=12
)
SPACE = st.sampled_from([" ", "  ", "\n", "\t", " \n  "])
# A template key the parser strips (`list_title`) is not a paragraph's text.
PARAGRAPH = st.lists(st.tuples(WORD, SPACE), min_size=1, max_size=30).map(
    lambda parts: "".join(word + space for word, space in parts)
).filter(lambda text: not TEMPLATE_JUNK.search(text))  # fmt: skip


@settings(max_examples=EXAMPLES, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from(PAGES), drawn=st.lists(PARAGRAPH, min_size=1, max_size=8))
def test_the_body_is_the_pages_paragraphs_in_order_and_its_words_are_counted(
    base: str, drawn: list[str]
) -> None:
    original = parse_article(base.encode(), "https://global.espreso.tv/fuzzed").article
    assert original is not None
    inserted = "".join(f"<p>{html.escape(p)}</p>\n" for p in drawn)
    page = base.replace(BODY_START, BODY_START + inserted, 1)
    a = parse_article(page.encode(), "https://global.espreso.tv/fuzzed").article
    assert a is not None
    # What a browser shows of each drawn paragraph: its words, one space apart.
    expected = [" ".join(re.findall(r"\S+", p)) for p in drawn]
    assert a.body_text.split("\n\n") == expected + original.body_text.split("\n\n")
    assert a.word_count == sum(len(re.findall(r"\S+", p)) for p in drawn) + len(
        re.findall(r"\S+", original.body_text)
    )


@settings(max_examples=EXAMPLES, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
@given(page=mutated_pages())
def test_feed_rows_are_numbered_in_document_order(page: str) -> None:
    feed = parse_feed(page.encode("utf-8", "surrogatepass"), "https://global.espreso.tv/news")
    assert [r.position for r in feed.rows] == list(range(len(feed.rows)))
    # The rows' links are the page's row links in the order they stand (a row may be left out).
    links = iter(urlsplit(html.unescape(h)).path.rstrip("/") for h in ROW_LINK.findall(page))
    assert all(urlsplit(r.url).path in links for r in feed.rows)
    undated = [r for r in feed.rows if r.published_at is None]
    assert len(undated) <= sum(1 for p in feed.problems if "no day header" in p or "no time" in p)
    for row in feed.rows:
        for text in (row.title, row.subtitle or "", row.badge or ""):
            assert not MARKUP.search(text), text


def test_mutated_pages_either_pass_the_gate_or_say_what_is_missing(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A batch of mutated pages through parse, shape and the real gate: every page ends as a loaded
    row, a quarantined row with the checks it broke, or a parse report naming what is missing."""
    from datetime import datetime

    import polars as pl

    from expectations.gate import Gate, gate_parameters
    from sources.records import FetchedArticle
    from transforms.article_pages import article_pages
    from transforms.article_related import article_related
    from transforms.article_tags import article_tags
    from transforms.articles import articles
    from transforms.schemas import TABLES

    now = datetime(2025, 10, 27, 10, 0, tzinfo=UTC)
    pages = _deterministic_mutations(60)
    parses = [
        parse_article(p.encode("utf-8", "surrogatepass"), f"https://global.espreso.tv/fuzzed-{n}")
        for n, p in enumerate(pages)
    ]
    items = [FetchedArticle(p.article, now) for p in parses if p.article is not None]
    frames = {name: pl.DataFrame(schema=schema) for name, schema in TABLES.items()}
    frames.update(
        articles=articles(items, now),
        article_tags=article_tags(items),
        article_related=article_related(items),
    )
    frames["article_pages"] = article_pages([])
    report = Gate(None).run(frames, gate_parameters("https://global.espreso.tv", now, 0))
    passed = set(report.passed["articles"]["url"])
    held = {q.record["url"]: q.reasons for q in report.quarantined if q.table == "articles"}
    for parse in parses:
        url = parse.url  # the page's own canonical URL; several mutations share one
        if parse.article is None:
            assert any(p.startswith(MISSING) for p in parse.problems)
        else:
            assert (url in passed) != (url in held)
            assert all(reason.startswith("articles.") for reason in held.get(url, ()))
    assert len(passed) + len(held) == len({i.article.url for i in items})


def _deterministic_mutations(count: int) -> list[str]:
    import random

    chance = random.Random(1027)
    out = []
    for _ in range(count):
        lines = chance.choice(PAGES).splitlines()
        for _ in range(chance.randint(1, 6)):
            start = chance.randrange(len(lines))
            end = min(len(lines), start + chance.randint(1, 40))
            kind = chance.choice(["remove", "duplicate", "text"])
            if kind == "remove":
                del lines[start:end]
            elif kind == "duplicate":
                lines[end:end] = lines[start:end]
            else:
                lines[start] = "".join(chr(chance.randint(32, 0x2FFF)) for _ in range(30))
            if not lines:
                break
        out.append("\n".join(lines))
    return out
