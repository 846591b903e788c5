"""The reparse benchmark's generated archive: written as the pipeline writes, read back by the
pipeline's own reader, every page parsed to the values the generator promised; the same seed
rebuilds the same bytes."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from bench.archive.__main__ import main
from bench.archive.generate import GeneratedArchive, generate_archive
from bench.archive.minutes import KYIV, kyiv_wall_clock
from bench.archive.pages import ExpectedPage, expected_page, page
from bench.archive.words import TAGS
from sources.archive import ArchivedRun, WarcLocation, read_runs, warc_files
from sources.espreso.article import parse_article
from sources.records import Article, Fetched
from sources.snapshot_server import SNAPSHOT_DIR

PAGES = 120
PER_RUN = 50


def requests_of(run: ArchivedRun) -> list[tuple[Fetched, str, WarcLocation]]:
    """A run's (fetched, kind, location) triples, read from the archive."""
    return list(run.read())


def file_bytes(folder: Path) -> list[bytes]:
    """The archive's WARC files, oldest first, as bytes."""
    return [path.read_bytes() for path in warc_files(folder)]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> GeneratedArchive:
    """120 pages in runs of 50, written in this process."""
    return generate_archive(
        tmp_path_factory.mktemp("bench-archive") / "raw", PAGES, pages_per_run=PER_RUN, workers=1
    )


@pytest.fixture(scope="module")
def parsed(made: GeneratedArchive) -> list[tuple[str, Fetched, Article]]:
    """Every record read back by the pipeline's reader and parsed, in archive order, with its run."""
    found = []
    for run in read_runs(made.folder):
        for fetched, kind, _ in requests_of(run):
            assert kind == "article"
            result = parse_article(fetched.body, fetched.url, fetched.encoding)
            assert result.problems == (), fetched.url
            assert result.article is not None
            found.append((run.run_id, fetched, result.article))
    return found


def test_every_page_reads_back_and_parses_to_what_the_generator_promised(
    made: GeneratedArchive, parsed: list[tuple[str, Fetched, Article]]
) -> None:
    expected = [expected_page(i, pages_per_run=PER_RUN) for i in range(PAGES)]
    got = []
    for (run_id, fetched, article), promised in zip(parsed, expected, strict=True):
        assert fetched.url == article.url
        lead = article.body_text[: len(promised.lead_sentence)]
        assert article.body_text[len(lead)] == " "  # the lead is a whole sentence of its own
        assert article.published_at is not None
        got.append(
            ExpectedPage(
                index=int(article.slug.rsplit("-g", 1)[1]),
                run_id=run_id,
                url=article.url,
                title=article.title,
                published_at=article.published_at,
                tags=tuple(tag.name for tag in article.tags),
                lead_sentence=lead,
                template=article.slug.rsplit("-g", 1)[0],
            )
        )
    assert len(got) == PAGES
    assert got == expected
    assert [a.language for _, _, a in parsed] == ["en"] * PAGES
    # Each page its own URL, headline, minute and body.
    for field in ("url", "title", "published_at", "body_text"):
        assert len({getattr(a, field) for _, _, a in parsed}) == PAGES, field
    tags = {tag.name for _, _, article in parsed for tag in article.tags}
    assert len(tags) == made.distinct_tags
    assert tags <= set(TAGS)
    assert [s.index for s in made.samples] == [0, 1, 2, 3, 60, 119]
    assert list(made.samples) == [expected[s.index] for s in made.samples]


def test_the_archive_holds_three_runs_of_whole_files(made: GeneratedArchive) -> None:
    runs = list(read_runs(made.folder))
    assert (made.pages, made.runs, made.files) == (120, 3, 3)
    assert [run.run_id for run in runs] == ["bench-000001", "bench-000002", "bench-000003"]
    assert all(run.site_url == "https://global.espreso.tv" for run in runs)
    assert runs[0].started_at < runs[1].started_at < runs[2].started_at
    assert made.bytes == sum(path.stat().st_size for path in warc_files(made.folder))
    # Each file holds one whole run, its warcinfo record first; the files sort in run order.
    files = []
    for run, later in zip(runs, [*runs[1:], None], strict=True):
        requests = requests_of(run)
        assert len(requests) == (PER_RUN if run is not runs[-1] else PAGES - 2 * PER_RUN)
        assert len({where.file for _, _, where in requests}) == 1
        files.append(requests[0][2].file)
        for fetched, kind, _ in requests:
            assert kind == "article"
            assert fetched.status == 200 and fetched.ok
            assert fetched.header("Content-Type") == "text/html; charset=utf-8"
            assert run.started_at < fetched.requested_at
            assert later is None or fetched.requested_at < later.started_at
    assert files == [path.name for path in warc_files(made.folder)]
    for path in warc_files(made.folder):
        assert path.stat().st_mode & 0o777 == 0o600
        with path.open("rb") as stream:
            types = [record.rec_type for record in ArchiveIterator(stream)]
        assert types == ["warcinfo"] + ["response"] * (len(types) - 1)


def test_modified_after_published_except_the_template_without_json_ld(
    parsed: list[tuple[str, Fetched, Article]],
) -> None:
    without_json_ld = "world-about-ukraine-denmark-to-host-first-ukrainian-arms-factory-abroad"
    no_modified = [i for i, (_, _, a) in enumerate(parsed) if a.modified_at is None]
    assert no_modified == [i for i in range(PAGES) if expected_page(i).template == without_json_ld]
    assert len(no_modified) == 5
    for _, _, article in parsed:
        assert article.published_at is not None
        assert article.modified_at is None or article.modified_at > article.published_at


@pytest.mark.parametrize(
    ("index", "kyiv", "offset_hours"),
    [
        (0, "2024-10-27T02:59:00+03:00", 3),  # last summer minute before the autumn change
        (1, "2024-10-27T04:00:00+02:00", 2),  # after it (03:00-03:59 came twice)
        (2, "2025-03-30T02:59:00+02:00", 2),  # last winter minute before the spring change
        (3, "2025-03-30T04:00:00+03:00", 3),  # after it (03:00-03:59 never came)
    ],
)
def test_the_first_pages_sit_on_either_side_of_the_clock_changes(
    parsed: list[tuple[str, Fetched, Article]], index: int, kyiv: str, offset_hours: int
) -> None:
    published_at = parsed[index][2].published_at
    assert published_at == datetime.fromisoformat(kyiv)
    assert published_at.utcoffset() == timedelta(0)
    assert published_at.astimezone(KYIV).utcoffset() == timedelta(hours=offset_hours)


def test_every_date_line_names_one_instant(parsed: list[tuple[str, Fetched, Article]]) -> None:
    for index, (_, _, article) in enumerate(parsed):
        assert article.published_at is not None
        wall = article.published_at.astimezone(KYIV)
        assert wall.replace(tzinfo=None) == kyiv_wall_clock(index)
        assert wall.hour != 3  # the hour a clock change skips or repeats
        assert wall.year in (2022, 2023, 2024, 2025)


def test_pages_keep_their_template_past_the_article(
    parsed: list[tuple[str, Fetched, Article]],
) -> None:
    for index in (0, 20, 57):
        body = parsed[index][1].body
        name = expected_page(index).template
        original = (SNAPSHOT_DIR / "articles" / f"{name}.html").read_bytes()
        tape = b'id="js-newsTapeContent"'
        # The "News" tape and everything after it are the snapshot page's, byte for byte.
        assert body[body.index(tape) :] == original[original.index(tape) :]
        assert abs(len(body) - len(original)) < 3_000


def test_the_same_seed_rebuilds_the_same_bytes_and_another_seed_other_pages(
    made: GeneratedArchive, tmp_path: Path
) -> None:
    again = generate_archive(tmp_path / "again", PAGES, pages_per_run=PER_RUN, workers=1)
    assert file_bytes(again.folder) == file_bytes(made.folder)
    assert [page(i) for i in range(PAGES)] == [page(i, seed=0) for i in range(PAGES)]
    other = [page(i, seed=1) for i in range(PAGES)]
    assert all(other[i][1] != page(i)[1] for i in range(PAGES))
    assert [expected_page(i, seed=1).tags for i in range(PAGES)] != [
        expected_page(i).tags for i in range(PAGES)
    ]


def test_a_pool_of_spawned_writers_writes_the_same_files(tmp_path: Path) -> None:
    pooled = generate_archive(
        tmp_path / "pool", 30, pages_per_run=10, workers=2, compresslevel=1, seed=3
    )
    alone = generate_archive(
        tmp_path / "alone", 30, pages_per_run=10, workers=1, compresslevel=1, seed=3
    )
    assert (pooled.runs, pooled.files, pooled.workers, alone.workers) == (3, 3, 2, 1)
    assert file_bytes(pooled.folder) == file_bytes(alone.folder)
    runs = list(read_runs(pooled.folder))
    bodies = [fetched.body for run in runs for fetched, _, _ in requests_of(run)]
    assert bodies == [page(i, seed=3)[1] for i in range(30)]


def test_another_gzip_level_writes_the_same_records_in_another_size(tmp_path: Path) -> None:
    fast = generate_archive(tmp_path / "fast", 10, pages_per_run=5, workers=1, compresslevel=1)
    small = generate_archive(tmp_path / "small", 10, pages_per_run=5, workers=1)
    assert fast.bytes > small.bytes
    read = [
        [(f, k) for run in read_runs(m.folder) for f, k, _ in run.read()] for m in (fast, small)
    ]
    assert read[0] == read[1]
    assert len(read[0]) == 10


def test_refuses_a_folder_that_holds_an_archive(made: GeneratedArchive) -> None:
    with pytest.raises(FileExistsError):
        generate_archive(made.folder, 10, workers=1)
    with pytest.raises(ValueError):
        generate_archive(made.folder.parent / "other", 0, workers=1)


def test_the_command_line_says_what_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main([str(tmp_path / "raw"), "12", "--pages-per-run", "5", "--workers", "1"])
    out = capsys.readouterr().out
    assert "12 pages in 3 runs (3 WARC files)" in out
    assert "pages/s" in out and "MB/s" in out
    assert len(list(read_runs(tmp_path / "raw"))) == 3
