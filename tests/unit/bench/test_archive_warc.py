"""The bench's WARC writer writes the records the pipeline's `RawArchive` writes: the pipeline's
reader gets the same run and the same requests back from both."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.archive.warc import RunFile
from sources.archive import RawArchive, read_runs
from sources.records import Fetched

STARTED = datetime(2025, 11, 1, 1, 0, tzinfo=UTC)
SITE = "https://global.espreso.tv"


def fetches() -> list[Fetched]:
    """Two answered requests, one with a body in another charset."""
    return [
        Fetched(
            url=f"{SITE}/page-{n}",
            requested_at=STARTED + timedelta(seconds=n, microseconds=n * 1001),
            status=status,
            body=body,
            encoding=encoding,
            elapsed_ms=60 + n,
            error=None,
            final_url=f"{SITE}/page-{n}",
            headers=(("Content-Type", "text/html"), ("ETag", f'"e{n}"')),
        )
        for n, (status, body, encoding) in enumerate(
            [
                (200, "<p>Київ</p>".encode(), "utf-8"),
                (404, "<p>Київ</p>".encode("cp1251"), "cp1251"),
            ],
            start=1,
        )
    ]


def test_the_pipelines_reader_reads_the_same_run_from_both_writers(tmp_path: Path) -> None:
    with RawArchive(tmp_path / "pipeline") as archive:
        archive.start_run("bench-000001", STARTED, SITE)
        for fetched in fetches():
            archive.write(fetched, run_id="bench-000001", kind="article")
    with RunFile(tmp_path / "bench", "bench-000001", STARTED, SITE, compresslevel=1) as run_file:
        for fetched in fetches():
            run_file.write(fetched, kind="article")
    pipeline, bench = (read_runs(tmp_path / name) for name in ("pipeline", "bench"))
    assert [(r.run_id, r.started_at, r.site_url) for r in bench] == [
        (r.run_id, r.started_at, r.site_url) for r in pipeline
    ]
    assert [(r.run_id, r.started_at, r.site_url) for r in bench] == [
        ("bench-000001", STARTED, SITE)
    ]
    pipeline_requests = [(f, kind) for run in pipeline for f, kind, _ in run.read()]
    bench_requests = [(f, kind) for run in bench for f, kind, _ in run.read()]
    assert bench_requests == pipeline_requests
    assert [f.body for f, _ in bench_requests] == [f.body for f in fetches()]
    assert len(bench_requests) == 2
