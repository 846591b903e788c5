"""What a command that filled the warehouse prints at its end: what the warehouse holds, and the
queries to try."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path


def print_summary(warehouse: Path, as_of: datetime | None = None) -> None:
    """What the warehouse holds; `as_of`, the snapshot's capture for the demo, is the latest that
    first sight can be (the demo reads pages captured long before)."""
    from sources.espreso.dates import KYIV
    from warehouse.connection import connect
    from warehouse.summary import EXAMPLE_QUERIES, duration, summarize

    with connect(warehouse, read_only=True) as con:  # no lock, no migration: it only reads
        s = summarize(con, as_of)
    span = "-"
    if s.first_published and s.last_published:
        first, last = s.first_published.astimezone(KYIV), s.last_published.astimezone(KYIV)
        span = f"{first:%Y-%m-%d %H:%M} … {last:%Y-%m-%d %H:%M} Kyiv time"
    print(f"\nWarehouse {warehouse}")
    print(f"  articles:        {s.articles}")
    print(f"  feed items:      {s.feed_items}")
    print(f"  published:       {span}")
    print("  badges:          " + ", ".join(f"{b} {n}" for b, n in s.badges))
    print(f"  failed requests: {s.failed_requests} (see fetch_log)")
    print(f"  quarantined:     {s.quarantined} (see: newsflow quarantine)")
    if s.freshness:
        to = "first sight"
        if as_of:
            to += f" (the bundled snapshot: its capture, {as_of.astimezone(KYIV):%Y-%m-%d %H:%M} Kyiv time)"
        print(
            f"  freshness:       median {duration(s.freshness.median_minutes)}, longest "
            f"{duration(s.freshness.longest_minutes)}, from publication to {to}"
        )
    print(f"  quality checks:  {warehouse.parent / 'data_docs' / 'index.html'}")
    print(f"\nTry it: .venv/bin/newsflow sql --warehouse {warehouse}")
    for title, sql in EXAMPLE_QUERIES:
        print(f"\n-- {title}\n{sql}")
