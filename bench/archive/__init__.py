"""A generated raw archive for the reparse benchmark: N article pages in WARC files that
`sources.archive.read_runs` and the `reparse` flow read as they read a real archive. Generated on
demand, never committed.

- `templates`: the bundled snapshot's 21 article pages, cut once at the points a page is spliced
  (no HTML is parsed per page).
- `minutes`: each page's own Kyiv publication minute (no two pages share one; pages 0-3 sit just
  before and after the autumn 2024 and spring 2025 clock changes).
- `words`: the tag pool, places and sentences generated text is made of.
- `pages`: page i, one of the templates (round-robin) with a unique slug, a numbered headline, its
  own date and time, "News" plus up to five tags, generated body sentences; the rest of the page
  (about 50 KB with the "News" feed) stays byte for byte the template. Every generated value comes
  from a `random.Random` seeded per page, so any page can be rebuilt alone.
- `runs`: runs of `pages_per_run` pages, started an increasing time apart.
- `warc`: one run into one WARC file, with warcio's writer, at a chosen gzip level.
- `generate`: the whole archive, runs written by a pool of spawned processes.

    python -m bench.archive <folder> <pages> [--pages-per-run N] [--workers N] [--seed N]
        [--compresslevel N]
"""
