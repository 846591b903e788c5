"""Parsing, measured: newsflow's parser against trafilatura's `bare_extraction(with_metadata=True)`
and against the floor (lexbor building the tree and reading four selectors: what any parser of
these pages pays) on the same pages (the bundled snapshot and, when ../shared is there, the real
captures), on one core: pages per second and field accuracy against the known values.

The three take turns in one process, a short slice each, and each is timed in CPU seconds of the
process: a busy machine slows them alike and its waits count for none, so their ratios hold.

Run by `python -m bench` (`--only parse`), which prints its table and writes parse.json.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import trafilatura
from selectolax.lexbor import LexborHTMLParser

from sources.espreso.feed import parse_feed
from sources.espreso.parse import parse_page
from sources.snapshot_expected import ARTICLES, LIVE, iso_utc, kyiv_instant, page_bytes
from sources.snapshot_server import SNAPSHOT_DIR

REAL = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "espreso"
# The real captures' known values (tests/unit/sources/test_parse_realdata.py asserts the same).
REAL_PAGES: dict[str, dict[str, Any]] = {
    "news-bilorus-pogodilas-pripiniti-zapuskati-povitryani-kuli-na-litvu": {
        "title": "Білорусь погодилась припинити запускати повітряні кулі на Литву",
        "published_at": "2025-12-14T00:25:00+02:00", "author": "Адріана Муллаянова", "badge": None,
        "first_paragraph": "Про це повідомляє Reuters.",
    },
    "poglyad-shcho-tvoritsya-z-tsinami": {
        "title": "Що твориться з цінами", "published_at": "2025-09-14T06:09:00+03:00",
        "author": "Богдан Данилишин", "badge": "OPINION",
        "first_paragraph": "Чинники інфляції.",
    },
}  # fmt: skip

# A page of the corpus an extractor reads.
P = TypeVar("P")


def pages() -> list[dict[str, Any]]:
    """(name, url, bytes, truth, sidebar headlines) for every page measured."""
    feed = parse_feed((SNAPSHOT_DIR / "index.html").read_bytes(), f"{LIVE}/")
    sidebar = [row.title for row in feed.rows]
    found = [
        {
            "set": "snapshot", "url": f"{LIVE}/{a['slug']}", "body": page_bytes(a["slug"]),
            "title": a["title"], "published_at": kyiv_instant(a), "author": a["author"], "badge": a["badge"],
            "first_paragraph": a["first_paragraph"], "sidebar": [t for t in sidebar if t != a["title"]],
        }
        for a in ARTICLES
    ]  # fmt: skip
    if REAL.is_dir():
        for slug, truth in REAL_PAGES.items():
            body = (REAL / f"{slug}.html").read_bytes()
            real_feed = [r.title for r in parse_feed(body, f"https://espreso.tv/{slug}").rows]
            found.append(
                {
                    "set": "real", "url": f"https://espreso.tv/{slug}", "body": body, **truth,
                    "published_at": iso_utc(str(truth["published_at"])), "sidebar": [t for t in real_feed if t != truth["title"]],
                }
            )  # fmt: skip
    return found


def ours(page: dict[str, Any]) -> dict[str, Any]:
    """newsflow's full parse: article fields, tags, related, and the page's feed."""
    result, _feed = parse_page(page["body"], page["url"])
    a = result.article
    return (
        {
            "title": a.title,
            "published_at": a.published_at,
            "author": a.author,
            "badge": a.badge,
            "text": a.body_text,
        }
        if a
        else {}
    )


# What the floor reads: the headline, the body, the feed list and the JSON-LD.
FLOOR_SELECTORS = (
    "h1",
    "div.news-content",
    "#js-newsTapeContent",
    'script[type="application/ld+json"]',
)


def floor(page: dict[str, Any]) -> dict[str, Any]:
    """The parser's floor: lexbor builds the tree and finds the four nodes a page's fields live in."""
    tree = LexborHTMLParser(page["body"])
    return {selector: tree.css_first(selector) for selector in FLOOR_SELECTORS}


def theirs(page: dict[str, Any]) -> dict[str, Any]:
    """trafilatura's extraction with metadata (its date is a day, read as Kyiv midnight)."""
    doc = trafilatura.bare_extraction(
        page["body"].decode("utf-8", "replace"), url=page["url"], with_metadata=True
    )
    data: dict[str, Any] = (
        doc.as_dict() if doc is not None and not isinstance(doc, dict) else (doc or {})
    )
    day = data.get("date")
    return {
        "title": data.get("title"), "published_at": datetime.fromisoformat(day) if day else None,
        "author": data.get("author"), "badge": None, "text": data.get("text") or "",
    }  # fmt: skip


def accuracy(
    extract: Callable[[dict[str, Any]], dict[str, Any]], corpus: list[dict[str, Any]]
) -> dict[str, float]:
    """Share of pages with each field right; body: first paragraph present and no sidebar headline."""
    scores: dict[str, list[bool]] = {
        "title": [],
        "published_at": [],
        "author": [],
        "badge": [],
        "body": [],
    }
    for page in corpus:
        got = extract(page)
        scores["title"].append(got.get("title") == page["title"])
        scores["published_at"].append(got.get("published_at") == page["published_at"])
        scores["author"].append(got.get("author") == page["author"])
        if page["badge"] is not None:
            scores["badge"].append(got.get("badge") == page["badge"])
        text = " ".join(str(got.get("text", "")).split())
        clean = not any(headline in text for headline in page["sidebar"])
        scores["body"].append(page["first_paragraph"][:40] in text and clean)
    return {field: round(sum(v) / len(v), 3) for field, v in scores.items() if v}


def speeds(
    extracts: Mapping[str, Callable[[P], object]], corpus: Sequence[P], seconds: float
) -> dict[str, float]:
    """Pages per CPU second of each extractor, over about `seconds` each. They take turns of
    equal slices (as many passes over the corpus as fill one: a fiftieth of `seconds`, or the
    slowest one's single pass), in alternating order, so load on the machine hits them alike."""
    single: dict[str, float] = {}
    for name, extract in extracts.items():  # one pass each, untimed, sizes the slices
        started = time.process_time()
        for page in corpus:
            extract(page)
        single[name] = max(time.process_time() - started, 1e-6)
    slice_s = max(seconds / 50, *single.values())
    passes = {name: max(1, round(slice_s / s)) for name, s in single.items()}
    spent = dict.fromkeys(extracts, 0.0)
    done = dict.fromkeys(extracts, 0)
    turn = 0
    while min(spent.values()) < seconds:
        for name in list(extracts) if turn % 2 == 0 else list(reversed(list(extracts))):
            started = time.process_time()
            for _ in range(passes[name]):
                for page in corpus:
                    extracts[name](page)
            spent[name] += time.process_time() - started
            done[name] += passes[name] * len(corpus)
        turn += 1
    return {name: done[name] / spent[name] for name in extracts}


def run(tiny: bool = False) -> dict[str, Any]:
    """Speed and accuracy on the snapshot pages and (when ../shared is there) the real captures."""
    seconds = 0.2 if tiny else 5.0
    corpus = pages()
    figures: dict[str, Any] = {}
    for name in ("snapshot", "real"):
        subset = [p for p in corpus if p["set"] == name]
        if not subset:
            continue
        rates = speeds({"newsflow": ours, "floor": floor, "trafilatura": theirs}, subset, seconds)
        figures[name] = {
            "pages": len(subset), "kb_per_page": round(statistics.mean(len(p["body"]) for p in subset) / 1024, 1),
            "newsflow_pages_per_s": round(rates["newsflow"], 1), "trafilatura_pages_per_s": round(rates["trafilatura"], 1),
            "floor_pages_per_s": round(rates["floor"], 1),
            "ratio": round(rates["newsflow"] / rates["trafilatura"], 1),
            "floor_ratio": round(rates["floor"] / rates["newsflow"], 2),
            "newsflow_accuracy": accuracy(ours, subset), "trafilatura_accuracy": accuracy(theirs, subset),
        }  # fmt: skip
    return figures


def report(figures: dict[str, Any]) -> list[str]:
    """The bench's lines of the printed table."""
    lines = [
        f"{'pages':>9} {'KB':>6} {'newsflow/s':>11} {'floor/s':>8} {'÷ floor':>8} {'trafilatura/s':>14} {'ratio':>6}"
        "  accuracy newsflow | trafilatura"
    ]
    for name, f in figures.items():
        ours_acc = " ".join(f"{k}={v:.0%}" for k, v in f["newsflow_accuracy"].items())
        theirs_acc = " ".join(f"{k}={v:.0%}" for k, v in f["trafilatura_accuracy"].items())
        lines.append(
            f"{name:>9} {f['kb_per_page']:>6} {f['newsflow_pages_per_s']:>11} {f['floor_pages_per_s']:>8} {f['floor_ratio']:>7}×"
            f" {f['trafilatura_pages_per_s']:>14} {f['ratio']:>5}×  {ours_acc} | {theirs_acc}"
        )
    return lines
