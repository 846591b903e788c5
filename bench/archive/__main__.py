"""`python -m bench.archive <folder> <pages>`: generate an archive and say what was written."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.archive.generate import generate_archive
from bench.archive.warc import WARCIO_LEVEL
from sources.snapshot_expected import LIVE


def main(argv: list[str] | None = None) -> None:
    """Generate an archive and say what was written."""
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
    parser.add_argument(
        "--compresslevel", type=int, default=WARCIO_LEVEL, help="default: warcio's 9"
    )
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
