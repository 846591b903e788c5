"""Generated page i: a template with its own URL, headline, minute, tags and sentences spliced in,
and what parsing it must give (`expected_page`, computed without building the page). Every value
is drawn from a `random.Random` seeded by (seed, i), so any page is rebuilt alone, in any process.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from urllib.parse import quote_plus

from bench.archive.minutes import KYIV, kyiv_wall_clock
from bench.archive.runs import run_id
from bench.archive.templates import Template, templates
from bench.archive.words import (
    MAX_EXTRA_TAGS,
    PLACES,
    SENTENCES,
    TAGS,
    TITLE_PREFIX,
    WEEKDAYS,
)
from sources.months import ENGLISH
from sources.snapshot_expected import LIVE


@dataclass(frozen=True, slots=True)
class ExpectedPage:
    """What parsing generated page `index` must give (`published_at` in UTC, tags in page order)."""

    index: int
    run_id: str
    url: str
    title: str
    published_at: datetime
    tags: tuple[str, ...]
    lead_sentence: str
    template: str


@dataclass(frozen=True, slots=True)
class Draws:
    """The random values of one page, drawn in one fixed order."""

    tags: tuple[str, ...]
    lead_sentence: str
    extra_sentence: str | None
    edited_after: timedelta
    elapsed_ms: int


def _sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        place=rng.choice(PLACES), n=rng.randint(2, 301), hh=rng.randrange(24), mm=rng.randrange(60)
    )


def draws(index: int, seed: int = 0) -> Draws:
    """Page `index`'s random values: "News" and up to five distinct tags, its first sentence, half
    the pages one more paragraph, how long after publication it was edited, how long it took."""
    rng = random.Random(f"bench page {seed} {index}")
    tags = ("News", *rng.sample(TAGS[1:], rng.randrange(MAX_EXTRA_TAGS + 1)))
    lead = _sentence(rng)
    extra = _sentence(rng) if rng.random() < 0.5 else None
    edited = timedelta(minutes=rng.randint(1, 90), seconds=rng.randrange(60))
    return Draws(tags, lead, extra, edited, elapsed_ms=rng.randint(60, 459))


def _template(index: int, seed: int, site_url: str) -> Template:
    all_templates = templates(site_url)
    return all_templates[(index + seed) % len(all_templates)]


def page_url(index: int, *, site_url: str = LIVE, seed: int = 0) -> str:
    """Generated page `index`'s URL: its template's slug with `-g<index>`."""
    return f"{site_url}/{_template(index, seed, site_url).slug}-g{index}"


def expected_page(
    index: int, *, pages_per_run: int = 500, site_url: str = LIVE, seed: int = 0
) -> ExpectedPage:
    """What generated page `index` says about itself, computed without building the page."""
    site_url = site_url.rstrip("/")
    template = _template(index, seed, site_url)
    drawn = draws(index, seed)
    wall = kyiv_wall_clock(index, seed)
    return ExpectedPage(
        index=index,
        run_id=run_id(index // pages_per_run),
        url=page_url(index, site_url=site_url, seed=seed),
        title=TITLE_PREFIX.format(n=index + 1) + template.title,
        published_at=wall.replace(tzinfo=KYIV).astimezone(UTC),
        tags=drawn.tags,
        lead_sentence=drawn.lead_sentence,
        template=template.name,
    )


@cache
def _tag_markup(site_url: str) -> dict[str, str]:
    return {
        name: (
            '\n                                <div class="similar_by_tag_container">'
            '\n                                    <div class="similar_by_tags_output">'
            f'\n                                        <a href="{site_url}/'
            f'{re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")}">{html.escape(name)}</a>'
            "\n                                    </div>"
            "\n                                </div>"
        )
        for name in TAGS
    }


def page(index: int, *, site_url: str = LIVE, seed: int = 0) -> tuple[str, bytes, datetime]:
    """Generated page `index`: its URL, its HTML, and when it was last modified (UTC)."""
    template = _template(index, seed, site_url)
    drawn = draws(index, seed)
    wall = kyiv_wall_clock(index, seed)
    published = wall.replace(tzinfo=KYIV)
    modified = (published + drawn.edited_after).astimezone(KYIV)
    prefix = TITLE_PREFIX.format(n=index + 1)
    tag_markup = _tag_markup(site_url)
    tags = "".join(tag_markup[name] for name in drawn.tags)
    extra = drawn.extra_sentence
    date_line = f" {wall.day} {ENGLISH[wall.month - 1]}, {wall.year} {WEEKDAYS[wall.weekday()]} "
    tag_box = (
        f'<div class="tag-box">{tags}\n                            </div>\n                        '
    )
    values = (  # by slot kind: SLUG_SUFFIX, TITLE, TITLE_PLUS, DATE_LINE, …
        f"-g{index}",
        prefix,
        quote_plus(prefix),
        date_line,
        f" {wall:%H:%M} ",
        published.isoformat(),
        modified.isoformat(),
        tag_box,
        f"{drawn.lead_sentence} ",
        f"    <p>{extra}</p>\n                            " if extra else "",
    )
    parts = [template.pieces[0]]
    for kind, piece in zip(template.kinds, template.pieces[1:], strict=True):
        parts.append(values[kind].encode())
        parts.append(piece)
    return page_url(index, site_url=site_url, seed=seed), b"".join(parts), modified.astimezone(UTC)
