"""Parsing, measured: newsflow's parser against trafilatura's `bare_extraction(with_metadata=True)`
on the same pages (the bundled snapshot and, when ../shared is there, the real captures), on one
core: pages per second and field accuracy against the known values.

Run by `python -m bench` (`--only parse`), which prints its table and writes parse.json.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import trafilatura

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


def speed(
    extract: Callable[[dict[str, Any]], dict[str, Any]],
    corpus: list[dict[str, Any]],
    seconds: float,
) -> float:
    """Pages per second on one core, over about `seconds`."""
    extract(corpus[0])
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for page in corpus:
            extract(page)
        done += len(corpus)
    return done / (time.perf_counter() - started)


def run(tiny: bool = False) -> dict[str, Any]:
    """Speed and accuracy on the snapshot pages and (when ../shared is there) the real captures."""
    seconds = 0.2 if tiny else 5.0
    corpus = pages()
    figures: dict[str, Any] = {}
    for name in ("snapshot", "real"):
        subset = [p for p in corpus if p["set"] == name]
        if not subset:
            continue
        our_rate, their_rate = speed(ours, subset, seconds), speed(theirs, subset, seconds)
        figures[name] = {
            "pages": len(subset), "kb_per_page": round(statistics.mean(len(p["body"]) for p in subset) / 1024, 1),
            "newsflow_pages_per_s": round(our_rate, 1), "trafilatura_pages_per_s": round(their_rate, 1),
            "ratio": round(our_rate / their_rate, 1),
            "newsflow_accuracy": accuracy(ours, subset), "trafilatura_accuracy": accuracy(theirs, subset),
        }  # fmt: skip
    return figures


def report(figures: dict[str, Any]) -> list[str]:
    """The bench's lines of the printed table."""
    lines = [
        f"{'pages':>9} {'KB':>6} {'newsflow/s':>11} {'trafilatura/s':>14} {'ratio':>6}  accuracy newsflow | trafilatura"
    ]
    for name, f in figures.items():
        ours_acc = " ".join(f"{k}={v:.0%}" for k, v in f["newsflow_accuracy"].items())
        theirs_acc = " ".join(f"{k}={v:.0%}" for k, v in f["trafilatura_accuracy"].items())
        lines.append(
            f"{name:>9} {f['kb_per_page']:>6} {f['newsflow_pages_per_s']:>11} {f['trafilatura_pages_per_s']:>14} {f['ratio']:>5}×  {ours_acc} | {theirs_acc}"
        )
    return lines
