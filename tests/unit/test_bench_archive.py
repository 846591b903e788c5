"""The reparse benchmark's generated archive: written as the pipeline writes, read back by the
pipeline's own reader, every page parsed to the values the generator promised."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from bench.archive import (
    KYIV,
    TAGS,
    GeneratedArchive,
    expected_page,
    generate_archive,
    main,
    page,
)
from sources.archive import ArchivedRun, WarcLocation, read_runs, warc_files
from sources.espreso.article import parse_article
from sources.records import Article, Fetched
from sources.snapshot_server import SNAPSHOT_DIR

PAGES = 120
PER_RUN = 50


def requests_of(run: ArchivedRun) -> list[tuple[Fetched, str, WarcLocation]]:
    """A run's (fetched, kind, location) triples, read from the archive."""
    return list(run.read())


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> GeneratedArchive:
    """120 pages in runs of 50, written in this process."""
    return generate_archive(
        tmp_path_factory.mktemp("bench-archive") / "raw", PAGES, pages_per_run=PER_RUN, workers=1
    )


@pytest.fixture(scope="module")
def parsed(made: GeneratedArchive) -> dict[int, tuple[Fetched, Article]]:
    """Every article record read back and parsed, by page number (from its `-g<i>` slug)."""
    found: dict[int, tuple[Fetched, Article]] = {}
    for run in read_runs(made.folder):
        for fetched, kind, _ in requests_of(run):
            assert kind == "article"
            result = parse_article(fetched.body, fetched.url, fetched.encoding)
            assert result.problems == (), fetched.url
            assert result.article is not None
            found[int(result.article.slug.rsplit("-g", 1)[1])] = (fetched, result.article)
    return found


def test_the_archive_holds_three_runs_of_whole_files(made: GeneratedArchive) -> None:
    runs = list(read_runs(made.folder))
    assert (made.pages, made.runs, made.files) == (120, 3, 3)
    assert [run.run_id for run in runs] == ["bench-000001", "bench-000002", "bench-000003"]
    assert all(run.site_url == "https://global.espreso.tv" for run in runs)
    assert runs[0].started_at < runs[1].started_at < runs[2].started_at
    assert len(warc_files(made.folder)) == 3
    assert made.bytes == sum(path.stat().st_size for path in warc_files(made.folder))
    # Each file holds one whole run, its warcinfo record first; the files sort in run order.
    files = []
    for run, later in zip(runs, [*runs[1:], None], strict=True):
        requests = requests_of(run)
        assert len(requests) == PER_RUN if run is not runs[-1] else PAGES - 2 * PER_RUN
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
        with path.open("rb") as stream:
            types = [record.rec_type for record in ArchiveIterator(stream)]
        assert types == ["warcinfo"] + ["response"] * (len(types) - 1)


def test_every_page_parses_with_its_own_url_title_and_minute(
    made: GeneratedArchive, parsed: dict[int, tuple[Fetched, Article]]
) -> None:
    assert sorted(parsed) == list(range(PAGES))
    articles = [article for _, article in parsed.values()]
    assert len({a.url for a in articles}) == PAGES
    assert len({a.title for a in articles}) == PAGES
    assert len({a.published_at for a in articles}) == PAGES
    assert len({a.body_text for a in articles}) == PAGES
    for index, (fetched, article) in parsed.items():
        expected = expected_page(index, pages_per_run=PER_RUN)
        assert fetched.url == article.url == expected.url
        assert article.title == expected.title
        assert article.published_at == expected.published_at
        assert tuple(tag.name for tag in article.tags) == expected.tags
        assert article.body_text.startswith(expected.lead_sentence)
        assert article.language == "en"
    # Only the one template without JSON-LD has no dateModified; elsewhere it is after publication.
    without_json_ld = "world-about-ukraine-denmark-to-host-first-ukrainian-arms-factory-abroad"
    no_modified = [i for i in parsed if parsed[i][1].modified_at is None]
    assert no_modified == [i for i in parsed if expected_page(i).template == without_json_ld]
    assert len(no_modified) == 5
    for _, article in parsed.values():
        assert article.modified_at is None or article.modified_at > article.published_at
    tags = {tag.name for _, article in parsed.values() for tag in article.tags}
    assert len(tags) == made.distinct_tags
    assert tags <= set(TAGS)


def test_samples_match_their_parsed_pages(
    made: GeneratedArchive, parsed: dict[int, tuple[Fetched, Article]]
) -> None:
    assert [s.index for s in made.samples] == [0, 1, 2, 3, 60, 119]
    for sample in made.samples:
        article = parsed[sample.index][1]
        assert (article.url, article.title, article.published_at) == (
            sample.url,
            sample.title,
            sample.published_at,
        )
        assert tuple(tag.name for tag in article.tags) == sample.tags


@pytest.mark.parametrize(
    ("index", "url", "title", "published_at", "tags"),
    [
        (
            9,
            "https://global.espreso.tv/russia-ukraine-war-russia-is-stockpiling-missiles-for-a-"
            "massive-winter-strike-says-military-expert-kovalenko-g9",
            "Dispatch 10: Russia is stockpiling missiles for a massive winter strike, "
            "says military expert Kovalenko",
            datetime(2024, 7, 30, 15, 27, tzinfo=UTC),
            ("News", "Dnipro", "Mariupol", "Yulia Svyrydenko"),
        ),
        (
            57,
            "https://global.espreso.tv/russia-ukraine-war-we-learned-to-fight-in-the-dark-navy-"
            "drone-operator-on-night-raids-in-the-black-sea-g57",
            'Dispatch 58: "We learned to fight in the dark": '
            "Navy drone operator on night raids in the Black Sea",
            datetime(2024, 4, 29, 8, 51, tzinfo=UTC),
            ("News",),
        ),
        (
            119,
            "https://global.espreso.tv/russia-ukraine-war-ukrainian-defenders-repelled-14-"
            "assaults-in-the-kupiansk-direction-g119",
            "Dispatch 120: Ukrainian defenders repelled 14 assaults in the Kupiansk direction",
            datetime(2025, 2, 11, 2, 17, tzinfo=UTC),
            ("News", "security guarantees", "Donetsk region", "Italy", "National Bank"),
        ),
    ],
)
def test_known_pages_parse_to_known_values(
    parsed: dict[int, tuple[Fetched, Article]],
    index: int,
    url: str,
    title: str,
    published_at: datetime,
    tags: tuple[str, ...],
) -> None:
    article = parsed[index][1]
    assert article.url == url
    assert article.title == title
    assert article.published_at == published_at
    assert article.published_at.tzinfo is not None
    assert tuple(tag.name for tag in article.tags) == tags


@pytest.mark.parametrize(
    ("index", "kyiv", "offset_hours"),
    [
        (9, "2024-07-30T18:27:00+03:00", 3),  # summer time
        (12, "2022-11-22T16:36:00+02:00", 2),  # winter time
        (0, "2024-10-27T02:59:00+03:00", 3),  # last summer minute before the autumn change
        (1, "2024-10-27T04:00:00+02:00", 2),  # after it (03:00-03:59 came twice)
        (2, "2025-03-30T02:59:00+02:00", 2),  # last winter minute before the spring change
        (3, "2025-03-30T04:00:00+03:00", 3),  # after it (03:00-03:59 never came)
    ],
)
def test_the_date_line_gives_the_kyiv_offset_of_its_season(
    parsed: dict[int, tuple[Fetched, Article]], index: int, kyiv: str, offset_hours: int
) -> None:
    published_at = parsed[index][1].published_at
    assert published_at == datetime.fromisoformat(kyiv)
    assert published_at.utcoffset() == timedelta(0)
    assert published_at.astimezone(KYIV).utcoffset() == timedelta(hours=offset_hours)


def test_pages_keep_their_template_past_the_article(
    parsed: dict[int, tuple[Fetched, Article]],
) -> None:
    for index in (0, 20, 57):
        body = parsed[index][0].body
        name = expected_page(index).template
        original = (SNAPSHOT_DIR / "articles" / f"{name}.html").read_bytes()
        tape = b'id="js-newsTapeContent"'
        # The "News" tape and everything after it are the snapshot page's, byte for byte.
        assert body[body.index(tape) :] == original[original.index(tape) :]
        assert abs(len(body) - len(original)) < 3_000


def test_a_pool_of_spawned_writers_writes_the_same_pages(tmp_path: Path) -> None:
    made = generate_archive(
        tmp_path / "raw", 30, pages_per_run=10, workers=2, compresslevel=1, seed=3
    )
    assert (made.runs, made.files, made.workers) == (3, 3, 2)
    runs = list(read_runs(made.folder))
    assert [run.run_id for run in runs] == ["bench-000001", "bench-000002", "bench-000003"]
    bodies = [fetched.body for run in runs for fetched, _, _ in requests_of(run)]
    assert bodies == [page(i, seed=3)[1] for i in range(30)]


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
