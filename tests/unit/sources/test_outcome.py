"""Failures by kind: the run summary (`sources.outcome`) and the `v_failures` view name each error
the same way."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from sources import errors
from sources.errors import FailureKind, failure_name, stored_failure
from sources.outcome import failure_kind
from sources.records import Fetched, LoggedFetch
from tests.file_warehouse import file_warehouse_at
from transforms.fetch_log import fetch_log
from warehouse.migrate import migrate

T = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
# (error as fetch_log records it, status) → kind
ERRORS = [
    ("timeout: ReadTimeout (after 4 attempts)", None, "timeout"),
    ("timeout: no complete answer within 60 s", None, "timeout"),
    ("timeout: run fetch budget of 600 s spent", None, "timeout"),
    ("HTTP 503 (after 4 attempts)", 503, "HTTP 503"),
    ("HTTP 404", 404, "HTTP 404"),
    ("HTTP 500 (after 2 attempts); bad header: ETag dropped (non-ASCII bytes)", 500, "HTTP 500"),
    ("refused: http://evil.example/x is outside http://127.0.0.1:1", None, "refused"),
    ("disallowed by robots.txt", None, "refused"),
    ("body larger than 5000000 bytes: cut off", 200, "too large"),
    ("blocked: Cloudflare challenge (HTTP 503)", 503, "blocked"),
    ("bad header: ETag dropped (a control character)", 200, "bad header"),
    ("bad header: Location not followed (longer than 2000 characters)", 301, "bad header"),
    ("capped: 25 news sitemaps named, the newest 20 read", 200, "capped"),
    ("ConnectError: All connection attempts failed (after 4 attempts)", None, "connection"),
    ("parse: no headline (h1.text-title)", 200, "parse problem"),
    ("sitemap refused: DTDForbidden (DTDForbidden(name='urlset'))", 200, "parse problem"),
    ("empty body", 200, "other"),
    ("redirect off site to file:///etc/passwd not followed", 302, "other"),
    ("more than 5 redirects", 302, "other"),
]


def error_kind(error: str, status: int | None) -> str:
    """The count name of an error read from its stored text (records that carry no kind)."""
    return failure_name(stored_failure(error, status), status)


@pytest.mark.parametrize(("error", "status", "kind"), ERRORS)
def test_each_error_has_its_kind(error: str, status: int | None, kind: str) -> None:
    assert error_kind(error, status) == kind


def test_rows_logged_before_kinds_were_stored_get_the_kind_the_summary_gives(
    tmp_path: Path,
) -> None:
    # A warehouse at migration 7 (fetch_log without `failure`), then migrated: the kind each
    # error's text gives, once, in the migration; v_failures reads the column.
    path = tmp_path / "w7.duckdb"
    with file_warehouse_at(path, 7) as con:
        for n, (error, status, _) in enumerate(ERRORS):
            con.execute(
                "INSERT INTO fetch_log VALUES ('run-1', ?, 'article', ?, ?, 0, 0, ?, 1, ?, NULL, NULL, NULL, NULL)",
                [f"http://x/{n}", T, status, error, f"http://x/{n}"],
            )
        con.execute(
            "INSERT INTO fetch_log VALUES ('run-1', 'http://x/ok', 'article', ?, 200, 9, 0, NULL, 1, 'http://x/ok', NULL, NULL, NULL, NULL)",
            [T],
        )
    # The file migrations carry such a warehouse forward (`migrate-warehouse` starts with them).
    with duckdb.connect(str(path)) as con:
        con.execute("SET TimeZone = 'UTC'")
        migrate(con)
        view = con.execute("SELECT url, failure, error FROM v_failures ORDER BY url").fetchall()
        unfailed = con.execute("SELECT failure FROM fetch_log WHERE error IS NULL").fetchall()
    assert sorted(view) == sorted(
        (f"http://x/{n}", kind, e) for n, (e, _, kind) in enumerate(ERRORS)
    )
    assert unfailed == [(None,)]


def test_a_request_stores_the_kind_it_was_counted_under() -> None:
    # What fetch_log (and so v_failures) holds is the kind the record carries, not its text read
    # back: an HTTP error whose text names no status is still that status.
    answer = Fetched(
        "http://x/a", T, 502, b"", None, 3, "upstream answered badly", "http://x/a",
        failure=FailureKind.HTTP_STATUS,
    )  # fmt: skip
    frame = fetch_log("run-1", [LoggedFetch(answer, "article")])
    assert frame.select("error", "failure").rows() == [("upstream answered badly", "HTTP 502")]


def test_a_page_that_loads_with_a_bad_header_counts_as_bad_header() -> None:
    page = Fetched(
        "http://x/a", T, 200, b"<html></html>", None, 3, None, "http://x/a",
        headers=(("ETag", "abc"), ("Content-Type", "text/html; charset=nope")),
    )  # fmt: skip
    logged = LoggedFetch(page, "article")
    assert logged.error == (
        "bad header: ETag dropped (not a quoted entity tag); "
        "bad header: Content-Type ignored (unknown charset nope)"
    )
    assert failure_kind(logged) == "bad header"
    assert page.ok


# Every error the client raises, the status its answer had, whether it is retried.
RAISED = [
    (errors.Timeout("timeout: ReadTimeout"), None, True),
    (errors.Timeout("timeout: no complete answer within 60 s"), None, True),
    (errors.BudgetSpent("timeout: run fetch budget of 600 s spent"), None, False),
    (errors.TransportError("ConnectError: All connection attempts failed"), None, True),
    (errors.HTTPStatusError(503), 503, True),
    (errors.HTTPStatusError(404), 404, False),
    (errors.Blocked(503), 503, False),
    (errors.TooLarge(5_000_000), 200, False),
    (errors.EmptyBody(), 200, False),
    (errors.Refused("refused: http://evil.example/x is outside http://127.0.0.1:1"), None, False),
    (errors.Disallowed(), None, False),
    (errors.BadLocation("longer than 2000 characters"), 301, False),
    (errors.RedirectOffSite("file:///etc/passwd"), 302, False),
    (errors.TooManyRedirects(5), 302, False),
]


@pytest.mark.parametrize(("error", "status", "retried"), RAISED)
def test_each_raised_error_is_counted_as_its_stored_text_is_named(
    error: errors.FetchError, status: int | None, retried: bool
) -> None:
    text = str(error)
    page = Fetched("http://x/a", T, status, b"", None, 3, text, "http://x/a", failure=error.kind)
    assert failure_kind(LoggedFetch(page, "article")) == error_kind(text, status)
    assert error.retryable is retried


def test_a_capped_listing_counts_as_capped_and_a_parse_problem_as_one() -> None:
    page = Fetched("http://x/s", T, 200, b"<urlset/>", None, 3, None, "http://x/s")
    capped = LoggedFetch(
        page, "sitemap", "capped: 25 news sitemaps named", problem_kind=FailureKind.CAPPED
    )
    parse = LoggedFetch(page, "sitemap", "sitemap is not well-formed XML: x")
    assert [failure_kind(capped), failure_kind(parse)] == ["capped", "parse problem"]
    assert [error_kind(r.error or "", 200) for r in (capped, parse)] == ["capped", "parse problem"]
