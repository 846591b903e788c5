"""A generated raw archive for the reparse benchmark: N article pages in WARC files, written by the
pipeline's own `RawArchive`, so `sources.archive.read_runs` and the `reparse` flow read them as
they read a real archive. Generated on demand, never committed.

Page i is one of the bundled snapshot's 21 article pages (round-robin), rewritten by splicing
strings into the template text (the split points are found once per template, no HTML is parsed):
a unique slug (`<slug>-g<i>`) wherever the page names its own URL, a numbered headline
(`Dispatch <i+1>: …`), its own Kyiv date and time (no two pages share a minute; spread over
2022-01-01 to 2025-10-26; pages 0-3 sit just before and after the autumn 2024 and spring 2025
clock changes), "News" plus up to five tags from a pool of 200, and generated body sentences. The
rest of the page (about 50 KB with the "News" tape) stays byte for byte the template, so parsing
it costs what parsing a real page costs.

Runs hold `pages_per_run` pages each, one WARC file per run (its `warcinfo` record first), started
an increasing time apart. warcio gzips every record at level 9, nearly all of the cost: with
`workers` > 1 the runs are written by a pool of spawned processes, each run into its own file,
named by the run's start time so the files sort in run order. `compresslevel` trades file size
for speed (the records are the same).

    python -m bench.archive <folder> <pages> [--pages-per-run N] [--workers N] [--seed N]
        [--compresslevel N]
"""

from __future__ import annotations

import argparse
import html
import math
import os
import re
import sys
import time
import zlib
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from email.utils import format_datetime
from functools import cache
from itertools import pairwise
from multiprocessing import get_context
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, quote_plus, urlsplit
from zoneinfo import ZoneInfo

from sources.archive import RawArchive, warc_files
from sources.records import Fetched
from sources.snapshot_server import SNAPSHOT_DIR

KYIV = ZoneInfo("Europe/Kyiv")
LIVE = "https://global.espreso.tv"
CONTENT_TYPE = "text/html; charset=utf-8"
# Runs start after every generated publication date (the gate refuses pages from the future).
FIRST_RUN = datetime(2025, 11, 1, 1, 0, tzinfo=UTC)
PAGE_GAP = timedelta(seconds=1)
# Publication dates: every minute of these days except 03:00-03:59, the hour a clock change
# skips or repeats, so each wall-clock time names exactly one instant.
FIRST_DAY = date(2022, 1, 1)
DAYS = (date(2025, 10, 27) - FIRST_DAY).days
MINUTES_A_DAY = 23 * 60
SLOTS = DAYS * MINUTES_A_DAY
STRIDE = 1_000_003  # a prime: consecutive pages land far apart, and no two pages share a minute
# Pages 0-3: the last minute before and the first after the clock change, autumn and spring.
DST_PAGES = (
    datetime(2024, 10, 27, 2, 59),  # EEST, +03:00
    datetime(2024, 10, 27, 4, 0),  # EET, +02:00
    datetime(2025, 3, 30, 2, 59),  # EET, +02:00
    datetime(2025, 3, 30, 4, 0),  # EEST, +03:00
)
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# "News" heads every real tag cloud; the other 199 (a prime, so any step visits distinct tags).
TAGS = ("News", *sorted({
    "Kharkiv", "Kyiv", "Odesa", "Dnipro", "Zaporizhzhia", "Kherson", "Mykolaiv", "Lviv", "Sumy",
    "Chernihiv", "Poltava", "Vinnytsia", "Zhytomyr", "Donetsk region", "Luhansk region", "Pokrovsk",
    "Kupiansk", "Bakhmut", "Avdiivka", "Huliaipole", "Kramatorsk", "Sloviansk", "Kostiantynivka",
    "Mariupol", "Melitopol", "Kremenchuk", "Crimea", "Sevastopol", "Black Sea", "Azov Sea",
    "Bryansk", "Belgorod", "Kursk", "Moscow", "Novorossiysk", "Ryazan", "Chernivtsi", "Uzhhorod",
    "Ivano-Frankivsk", "Ternopil", "Rivne", "Lutsk", "Khmelnytskyi", "Kropyvnytskyi", "Cherkasy",
    "USA", "EU", "Germany", "France", "United Kingdom", "Poland", "Denmark", "Norway", "Sweden",
    "Finland", "Estonia", "Latvia", "Lithuania", "Moldova", "Romania", "Hungary", "Slovakia",
    "Czech Republic", "Netherlands", "Belgium", "Italy", "Spain", "Canada", "Japan", "Turkey",
    "China", "India", "Iran", "North Korea", "Belarus", "Georgia", "Israel", "NATO", "UN", "IAEA",
    "G7", "European Council", "European Commission", "European Parliament", "Pentagon",
    "White House", "Kremlin", "General Staff", "Air Force", "Ukrainian Navy", "SBU", "HUR", "ISW",
    "Volodymyr Zelensky", "Donald Trump", "Vladimir Putin", "Emmanuel Macron", "Friedrich Merz",
    "Keir Starmer", "Ursula von der Leyen", "Mark Rutte", "Denys Shmyhal", "Yulia Svyrydenko",
    "Andrii Sybiha", "Oleksandr Syrskyi", "Kyrylo Budanov", "Vitali Klitschko", "Ihor Terekhov",
    "Oleh Syniehubov", "air defense", "missiles", "drones", "Shahed", "guided bombs", "Patriot",
    "IRIS-T", "F-16", "artillery", "tanks", "interceptor drones", "naval drones",
    "electronic warfare", "shelling", "civilian casualties", "evacuation", "prisoner exchange",
    "mobilization", "war crimes", "occupied territories", "deportation of children",
    "humanitarian aid", "sanctions", "energy", "power outages", "gas", "oil", "Rosneft", "Lukoil",
    "Gazprom", "Druzhba pipeline", "refineries", "nuclear safety", "Zaporizhzhia NPP", "grain",
    "exports", "economy", "budget", "inflation", "National Bank", "hryvnia", "IMF", "World Bank",
    "frozen assets", "reparations loan", "minerals deal", "defense industry", "startups", "Brave1",
    "investment", "agriculture", "railways", "Ukrzaliznytsia", "logistics", "ports", "education",
    "health care", "culture", "sport", "football", "Olympics", "Eurovision", "cinema", "literature",
    "history", "religion", "elections", "corruption", "NABU", "parliament", "Verkhovna Rada",
    "Cabinet of Ministers", "diplomacy", "peace talks", "security guarantees", "Ramstein", "PURL",
    "European integration", "accession talks", "migration", "refugees", "disinformation",
    "propaganda", "cyberattacks", "Telegram", "media", "journalists", "human rights", "veterans",
    "Nordic countries",
}))  # fmt: skip
PLACES = (
    "Kharkiv", "Kyiv", "Odesa", "Dnipro", "Zaporizhzhia", "Kherson", "Mykolaiv", "Sumy",
    "Chernihiv", "Poltava", "Lviv", "Vinnytsia", "Zhytomyr", "Cherkasy", "Kramatorsk", "Sloviansk",
)  # fmt: skip
SENTENCES = (
    "{place} officials reported {n} incidents over the past day.",
    "According to the regional administration in {place}, {n} residents were evacuated.",
    "Emergency services in {place} said they had answered {n} calls since the morning.",
    "The {place} city council said {n} buildings still need repairs.",
    "Volunteers in {place} delivered {n} tonnes of aid this week.",
    "Power engineers in {place} restored supply to {n} households overnight.",
    "Local media in {place} counted {n} air raid alerts this month.",
    "The update for {place} was published at {hh:02d}:{mm:02d} local time.",
)
TITLE_PREFIX = "Dispatch {n}: "
_MASK = (1 << 64) - 1


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
class GeneratedArchive:
    """An archive `generate_archive` wrote, how long it took, and values a test can check."""

    folder: Path
    pages: int
    runs: int
    files: int
    bytes: int
    seconds: float
    workers: int
    distinct_tags: int
    samples: tuple[ExpectedPage, ...]

    @property
    def pages_per_second(self) -> float:
        """Pages generated and written per second of wall-clock time."""
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def mb_per_second(self) -> float:
        """Megabytes (10^6) of WARC written per second."""
        return self.bytes / 1e6 / self.seconds if self.seconds else 0.0

    @property
    def bytes_per_page(self) -> float:
        """Bytes on disk per page (gzipped records, warcinfo included)."""
        return self.bytes / self.pages if self.pages else 0.0


# Values spliced into a template: one slot kind per split point.
(
    SLUG_SUFFIX,
    TITLE,
    TITLE_PLUS,
    DATE_LINE,
    CLOCK,
    LD_PUBLISHED,
    LD_MODIFIED,
    TAG_BOX,
    BODY_LEAD,
    BODY_EXTRA,
) = range(10)


@dataclass(frozen=True, slots=True)
class Template:
    """A snapshot page cut at the split points: `pieces[0]`, slot `kinds[0]`, `pieces[1]`, …"""

    name: str
    slug: str
    title: str
    pieces: tuple[bytes, ...]
    kinds: tuple[int, ...]


def _splice_points(text: str, name: str) -> tuple[str, str, list[tuple[int, int, int]]]:
    """The template's slug and headline, and the (start, end, kind) spans to fill per page. Only
    the part before the "News" tape is touched: the tape stays the site's, as on a real page."""
    tape = text.index('id="js-newsTapeContent"')
    head = text[:tape]
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', head)
    h1 = re.search(r'<h1 class="text-title">(.*?)</h1>', head, re.DOTALL)
    if canonical is None or h1 is None:
        raise ValueError(f"template {name}: no canonical link or headline")
    slug = urlsplit(canonical.group(1)).path.strip("/")
    shown = h1.group(1).strip()  # as the HTML spells it (`&quot;` and all)
    title = html.unescape(shown)
    spans: list[tuple[int, int, int]] = []
    for match in re.finditer(re.escape(slug) + r"(?![a-z0-9-])", head):
        spans.append((match.end(), match.end(), SLUG_SUFFIX))
    starts = {m.start() for form in {shown, title} for m in re.finditer(re.escape(form), head)}
    spans += [(start, start, TITLE) for start in starts]
    plus = re.escape(quote_plus(title))  # the share link's `?url=` spelling
    spans += [(m.start(), m.start(), TITLE_PLUS) for m in re.finditer(plus, head)]
    for pattern, kind in (
        (r'<div class="news__author_date__date">([^<]*)</div>', DATE_LINE),
        (r'<div class="news__author_date__time">([^<]*)</div>', CLOCK),
        (r'"datePublished"\s*:\s*"([^"]*)"', LD_PUBLISHED),
        (r'"dateModified"\s*:\s*"([^"]*)"', LD_MODIFIED),
    ):
        found = list(re.finditer(pattern, head))
        if len(found) > 1 or (not found and kind in (DATE_LINE, CLOCK)):
            raise ValueError(f"template {name}: expected one {pattern}, found {len(found)}")
        spans += [(m.start(1), m.end(1), kind) for m in found]
    cloud = head.index('<section class="similar_by_tag tags-cloud">')
    box = head.index('<div class="tag-box">', cloud)
    spans.append((box, head.index("</section>", box), TAG_BOX))
    content = head.index('<div class="news-content">')
    content_end = head.rindex("</div>", content, head.index("</section>", content))
    first_p = head.index("<p", content, content_end)
    lead = head.index(">", first_p) + 1
    spans.append((lead, lead, BODY_LEAD))
    spans.append((content_end, content_end, BODY_EXTRA))
    spans.sort()
    for (_, end, _), (start, _, _) in pairwise(spans):
        if start < end:
            raise ValueError(f"template {name}: overlapping splice points")
    return slug, title, spans


@cache
def templates(site_url: str = LIVE) -> tuple[Template, ...]:
    """The snapshot's article pages, cut for splicing, with links on `site_url` (as the snapshot
    server rewrites them); computed once per process."""
    found = []
    for path in sorted((SNAPSHOT_DIR / "articles").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        if site_url != LIVE:
            text = text.replace(LIVE, site_url)
            text = text.replace(quote(LIVE, safe=""), quote(site_url, safe=""))
        slug, title, spans = _splice_points(text, path.name)
        pieces, kinds, at = [], [], 0
        for start, end, kind in spans:
            pieces.append(text[at:start].encode())
            kinds.append(kind)
            at = end
        pieces.append(text[at:].encode())
        found.append(Template(path.stem, slug, title, tuple(pieces), tuple(kinds)))
    return tuple(found)


def _hash(seed: int, index: int) -> int:
    """64 well-mixed bits per (seed, page): splitmix64's finaliser, cheaper than a Random."""
    z = (seed * 0x9E3779B97F4A7C15 + (index + 1) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def _slot_of(wall: datetime) -> int:
    minute = wall.hour * 60 + wall.minute
    return (wall.date() - FIRST_DAY).days * MINUTES_A_DAY + (
        minute - 60 if minute >= 240 else minute
    )


def _wall_of(slot: int) -> datetime:
    day, minute = divmod(slot, MINUTES_A_DAY)
    minute += 60 if minute >= 180 else 0
    return datetime.combine(FIRST_DAY + timedelta(days=day), clock(minute // 60, minute % 60))


@cache
def _slot_overrides(seed: int) -> dict[int, int]:
    """Pages whose minute differs from the plain stride: the DST pages, and the pages the stride
    would have given those minutes (they take the DST pages' own), so every page keeps its own."""
    offset = _hash(seed, -1) % SLOTS
    inverse = pow(STRIDE, -1, SLOTS)
    fixed = {page: _slot_of(wall) for page, wall in enumerate(DST_PAGES)}
    freed = [s for p in fixed if (s := (offset + p * STRIDE) % SLOTS) not in fixed.values()]
    displaced = sorted(
        page
        for slot in fixed.values()
        if (page := (slot - offset) * inverse % SLOTS) >= len(DST_PAGES)
    )
    return fixed | dict(zip(displaced, freed, strict=True))


def kyiv_wall_clock(index: int, seed: int = 0) -> datetime:
    """Page `index`'s publication time as its date line shows it (naive Kyiv wall clock)."""
    slot = _slot_overrides(seed).get(index)
    if slot is None:
        slot = (_hash(seed, -1) % SLOTS + index * STRIDE) % SLOTS
    return _wall_of(slot)


def _tag_indexes(h: int) -> tuple[int, ...]:
    count, start, step = h % 6, (h >> 8) % 199, 1 + (h >> 16) % 198
    return (0, *(1 + (start + k * step) % 199 for k in range(count)))


def _sentence(bits: int) -> str:
    pattern = SENTENCES[bits % len(SENTENCES)]
    place = PLACES[(bits >> 3) % len(PLACES)]
    n, hh, mm = 2 + (bits >> 7) % 300, (bits >> 16) % 24, (bits >> 21) % 60
    return pattern.format(place=place, n=n, hh=hh, mm=mm)


def run_id(run: int) -> str:
    """The id of the run-th run (0-based)."""
    return f"bench-{run + 1:06d}"


def expected_page(
    index: int, *, pages_per_run: int = 500, site_url: str = LIVE, seed: int = 0
) -> ExpectedPage:
    """What generated page `index` says about itself, computed without building the page."""
    site_url = site_url.rstrip("/")
    all_templates = templates(site_url)
    template = all_templates[(index + seed) % len(all_templates)]
    h = _hash(seed, index)
    wall = kyiv_wall_clock(index, seed)
    return ExpectedPage(
        index=index,
        run_id=run_id(index // pages_per_run),
        url=f"{site_url}/{template.slug}-g{index}",
        title=TITLE_PREFIX.format(n=index + 1) + template.title,
        published_at=wall.replace(tzinfo=KYIV).astimezone(UTC),
        tags=tuple(TAGS[t] for t in _tag_indexes(h)),
        lead_sentence=_sentence(h >> 24),
        template=template.name,
    )


@cache
def _tag_markup(site_url: str) -> tuple[str, ...]:
    return tuple(
        (
            '\n                                <div class="similar_by_tag_container">'
            '\n                                    <div class="similar_by_tags_output">'
            f'\n                                        <a href="{site_url}/'
            f'{re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")}">{html.escape(name)}</a>'
            "\n                                    </div>"
            "\n                                </div>"
        )
        for name in TAGS
    )


def page(index: int, *, site_url: str = LIVE, seed: int = 0) -> tuple[str, bytes, datetime]:
    """Generated page `index`: its URL, its HTML, and when it was last modified (UTC)."""
    all_templates = templates(site_url)
    template = all_templates[(index + seed) % len(all_templates)]
    h = _hash(seed, index)
    wall = kyiv_wall_clock(index, seed)
    published = wall.replace(tzinfo=KYIV)
    edited = timedelta(minutes=1 + (h >> 50) % 90, seconds=(h >> 57) % 60)
    modified = (published + edited).astimezone(KYIV)
    prefix = TITLE_PREFIX.format(n=index + 1)
    tag_markup = _tag_markup(site_url)
    tags = "".join(tag_markup[t] for t in _tag_indexes(h))
    # Half the pages get one more paragraph, from bits of their own.
    more = _hash(seed ^ 0x5EED, index)
    extra = f"    <p>{_sentence(more)}</p>\n                            " if more >> 63 else ""
    date_line = f" {wall.day} {MONTHS[wall.month - 1]}, {wall.year} {WEEKDAYS[wall.weekday()]} "
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
        f"{_sentence(h >> 24)} ",
        extra,
    )
    parts = [template.pieces[0]]
    for kind, piece in zip(template.kinds, template.pieces[1:], strict=True):
        parts.append(values[kind].encode())
        parts.append(piece)
    url = f"{site_url}/{template.slug}-g{index}"
    return url, b"".join(parts), modified.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class _RunJob:
    folder: Path
    run: int
    first: int
    count: int
    pages_per_run: int
    site_url: str
    seed: int
    compresslevel: int | None


@contextmanager
def _gzip_level(level: int | None) -> Iterator[None]:
    """warcio gzips each record at level 9, nearly all of the cost of writing it; another level
    gives the same records (one gzip member each) in a bigger or smaller file. None keeps warcio's
    own level: byte for byte what the pipeline writes."""
    if level is None:
        yield
        return
    from warcio import warcwriter

    original = warcwriter.GzippingWrapper

    def leveled(out: IO[bytes]) -> Any:
        wrapper = original(out)
        wrapper.compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        return wrapper

    warcwriter.GzippingWrapper = leveled
    try:
        yield
    finally:
        warcwriter.GzippingWrapper = original


def _write_run(job: _RunJob) -> frozenset[int]:
    """Write one run into its own WARC file; return the tags its pages carry."""
    started_at = FIRST_RUN + job.run * (job.pages_per_run * PAGE_GAP + timedelta(minutes=10))
    tags: set[int] = set()
    # One file per run (no size rotation), so a file never holds part of another run.
    with _gzip_level(job.compresslevel), RawArchive(job.folder, max_file_bytes=1 << 62) as archive:
        archive.start_run(run_id(job.run), started_at, job.site_url)
        for n, index in enumerate(range(job.first, job.first + job.count), start=1):
            url, body, modified = page(index, site_url=job.site_url, seed=job.seed)
            h = _hash(job.seed, index)
            tags.update(_tag_indexes(h))
            fetched = Fetched(
                url=url,
                requested_at=started_at + n * PAGE_GAP,
                status=200,
                body=body,
                encoding="utf-8",
                elapsed_ms=60 + h % 400,
                error=None,
                final_url=url,
                headers=(
                    ("Content-Type", CONTENT_TYPE),
                    ("ETag", f'"g{job.seed}-{index}"'),
                    ("Last-Modified", format_datetime(modified, usegmt=True)),
                ),
            )
            archive.write(fetched, run_id=run_id(job.run), kind="article")
    return frozenset(tags)


def generate_archive(
    folder: Path,
    pages: int,
    *,
    pages_per_run: int = 500,
    site_url: str = LIVE,
    seed: int = 0,
    workers: int | None = None,
    compresslevel: int | None = None,
) -> GeneratedArchive:
    """Write `pages` generated article pages into a new WARC archive in `folder`.

    Args:
        folder: The archive folder; created if missing, and must hold no WARC file yet.
        pages: How many article pages.
        pages_per_run: Pages per run (the last run may hold fewer); one WARC file per run.
        site_url: The site the pages are on (the snapshot's links are rewritten to it).
        seed: Varies which template each page starts from and every generated value.
        workers: Processes writing runs; None means one per usable CPU, 1 this process only.
        compresslevel: gzip level of the records; None keeps warcio's (9, as the pipeline).
    """
    if not 1 <= pages <= SLOTS or pages_per_run < 1:
        raise ValueError(
            f"pages must be 1 to {SLOTS:,} (each has its own minute) and pages_per_run at least 1"
        )
    if folder.exists() and warc_files(folder):
        raise FileExistsError(f"{folder} already holds WARC files: generate into a new folder")
    site_url = site_url.rstrip("/")
    started = time.perf_counter()
    runs = math.ceil(pages / pages_per_run)
    jobs = [
        _RunJob(
            folder,
            run,
            run * pages_per_run,
            min(pages_per_run, pages - run * pages_per_run),
            pages_per_run,
            site_url,
            seed,
            compresslevel,
        )
        for run in range(runs)
    ]
    workers = max(1, min(workers or len(os.sched_getaffinity(0)), runs))
    if workers == 1:
        tag_sets = [_write_run(job) for job in jobs]
    else:
        # Spawned, never forked: a fork would copy this process's threads and locks.
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            tag_sets = list(pool.map(_write_run, jobs))
    seconds = time.perf_counter() - started
    files = warc_files(folder)
    samples = sorted({*range(min(len(DST_PAGES), pages)), pages // 2, pages - 1})
    return GeneratedArchive(
        folder=folder,
        pages=pages,
        runs=runs,
        files=len(files),
        bytes=sum(path.stat().st_size for path in files),
        seconds=seconds,
        workers=workers,
        distinct_tags=len(frozenset().union(*tag_sets)),
        samples=tuple(
            expected_page(i, pages_per_run=pages_per_run, site_url=site_url, seed=seed)
            for i in samples
        ),
    )


def main(argv: list[str] | None = None) -> None:
    """`python -m bench.archive <folder> <pages>`: generate an archive and say what was written."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.archive",
        description="Generate a WARC archive of article pages for the reparse benchmark.",
    )
    parser.add_argument("folder", type=Path, help="a new archive folder")
    parser.add_argument("pages", type=int, help="article pages to generate")
    parser.add_argument("--pages-per-run", type=int, default=500)
    parser.add_argument("--site-url", default=LIVE)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=None, help="default: one per CPU")
    parser.add_argument("--compresslevel", type=int, default=None, help="default: warcio's 9")
    args = parser.parse_args(argv)
    made = generate_archive(
        args.folder,
        args.pages,
        pages_per_run=args.pages_per_run,
        site_url=args.site_url,
        seed=args.seed,
        workers=args.workers,
        compresslevel=args.compresslevel,
    )
    print(
        f"{made.pages:,} pages in {made.runs:,} runs ({made.files:,} WARC files) in {made.folder}\n"
        f"{made.bytes / 1e6:,.1f} MB on disk, {made.bytes_per_page:,.0f} bytes per page, "
        f"{made.distinct_tags} distinct tags\n"
        f"{made.seconds:.2f} s with {made.workers} worker(s): "
        f"{made.pages_per_second:,.0f} pages/s, {made.mb_per_second:,.1f} MB/s"
    )
    for sample in made.samples:
        print(f"  #{sample.index} {sample.published_at:%Y-%m-%d %H:%M} UTC  {sample.url}")


if __name__ == "__main__":
    main(sys.argv[1:])
