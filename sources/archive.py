"""The raw archive: every response newsflow receives, kept in WARC files (the web-archiving standard).

One `response` record per HTTP answer (status, headers, body as received after content decoding), a
`metadata` record for a request that got no answer (timeout, refused, reset), and a `warcinfo` record
at the start of each run. newsflow's own fields (`Newsflow-Run-Id`, `-Kind`, `-Requested-At`, …) make
each record traceable to its `fetch_log` row and let `reparse` rebuild every table with no network.
Each writer starts its own file and rotates to a new one past the size limit
(`newsflow-<UTC time>-<n>.warc.gz`); a process killed mid-write leaves a torn record at the end of its
own file only, which readers detect and skip.
"""

from __future__ import annotations

import fcntl
import io
import json
import logging
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sources.errors import FailureKind, stored_failure
from sources.records import Fetched, LoggedFetch

logger = logging.getLogger(__name__)

# `map`, or an executor's: how `read_runs` reads each WARC file's index.
FileMapper = Callable[[Callable[[Path], "FileIndex"], Iterable[Path]], Iterable["FileIndex"]]

# Headers that described the bytes on the wire, not the decoded body we keep, and headers that may
# carry a secret (a session cookie): neither is archived.
WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
SECRET_HEADERS = frozenset({"set-cookie", "cookie", "authorization", "proxy-authorization"})


@dataclass(frozen=True, slots=True)
class WarcLocation:
    """Where a record is: file name (in the archive folder) and byte offset."""

    file: str
    offset: int


@dataclass(frozen=True, slots=True)
class ArchivedRecord:
    """One record of a run: what was asked (`kind`: feed, rss, sitemap, article, …) and where it is."""

    kind: str
    location: WarcLocation


@dataclass(frozen=True, slots=True)
class ArchivedRun:
    """One run: where its records are, in the order they were written. The records themselves are
    read only when asked (`read`), so a whole archive can be replayed in bounded memory."""

    run_id: str
    started_at: datetime
    site_url: str
    folder: Path
    records: tuple[ArchivedRecord, ...] = ()
    # Runs archived before outlets were recorded are Espreso's.
    outlet: str = "espreso"

    def read(self) -> Iterator[tuple[Fetched, str, WarcLocation]]:
        """The run's requests, rebuilt as `Fetched`, with their kind and location."""
        return read_records(self.folder, self.records)

    @property
    def article_pages(self) -> int:
        """How many article pages the run holds."""
        return sum(1 for record in self.records if record.kind == "article")


class RawArchive:
    """Appends WARC records to size-rotated files in one folder; use as a context manager."""

    def __init__(self, folder: Path, max_file_bytes: int = 100_000_000) -> None:
        self.folder = folder
        self.max_file_bytes = max_file_bytes
        self._file: IO[bytes] | None = None
        self._name = ""
        self._writer: WARCWriter | None = None

    def __enter__(self) -> RawArchive:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the current file."""
        if self._file is not None:
            self._file.close()
            self._file = None
            self._writer = None

    def _target(self, now: datetime) -> tuple[WARCWriter, str]:
        if self._file is not None and self._file.tell() >= self.max_file_bytes:
            self.close()
        if self._file is None or self._writer is None:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            # Never append to an older file: a process killed mid-write leaves a torn record at the
            # end of its own file only, and every other file stays whole.
            existing = warc_files(self.folder)
            path = self.folder / f"newsflow-{now:%Y%m%dT%H%M%S%f}-{len(existing):06d}.warc.gz"
            self._name = path.name
            # Readable by its owner only, like the warehouse.
            self._file = os.fdopen(
                os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "ab"
            )
            self._writer = WARCWriter(self._file, gzip=True, warc_version="1.1")
        return self._writer, self._name

    def _append(self, writer: WARCWriter, record: Any) -> int:
        """Write one record at the end of the file, under an exclusive lock; return its offset."""
        assert self._file is not None
        fcntl.flock(self._file, fcntl.LOCK_EX)
        try:
            self._file.seek(0, os.SEEK_END)
            offset = self._file.tell()
            writer.write_record(record)
            self._file.flush()
        finally:
            fcntl.flock(self._file, fcntl.LOCK_UN)
        return offset

    def start_run(
        self, run_id: str, started_at: datetime, site_url: str, outlet: str = "espreso"
    ) -> WarcLocation:
        """A `warcinfo` record opening a run of `outlet`."""
        writer, name = self._target(started_at)
        record = writer.create_warcinfo_record(
            name, warcinfo_fields(run_id, started_at, site_url, outlet)
        )
        return WarcLocation(name, self._append(writer, record))

    def write(self, fetched: Fetched, *, run_id: str, kind: str) -> WarcLocation:
        """One request's record; returns where it is."""
        writer, name = self._target(fetched.requested_at)
        fields = record_fields(fetched, run_id, kind)
        if fetched.status is None:
            payload = json.dumps(
                {"error": fetched.error, "request_headers": fetched.request_headers}
            ).encode()
            record = writer.create_warc_record(
                fetched.url,
                "metadata",
                payload=io.BytesIO(payload),
                length=len(payload),
                warc_content_type="application/json",
                warc_headers_dict=fields,
            )
        else:
            record = writer.create_warc_record(
                fetched.url,
                "response",
                payload=io.BytesIO(fetched.body),
                length=len(fetched.body),
                http_headers=http_headers(fetched),
                warc_headers_dict=fields,
            )
        return WarcLocation(name, self._append(writer, record))


def warc_date(instant: datetime) -> str:
    """A WARC-Date as the archive writes it (UTC, microseconds)."""
    return instant.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def warcinfo_fields(
    run_id: str, started_at: datetime, site_url: str, outlet: str = "espreso"
) -> dict[str, str]:
    """The fields of the `warcinfo` record that opens a run."""
    return {
        "software": "newsflow",
        "Newsflow-Run-Id": run_id,
        "Newsflow-Started-At": started_at.isoformat(),
        "Newsflow-Site": site_url,
        "Newsflow-Outlet": outlet,
    }


def record_fields(fetched: Fetched, run_id: str, kind: str) -> dict[str, str]:
    """The WARC header fields of one request's record: newsflow's `Newsflow-*` on top of the date."""
    fields = {
        "WARC-Date": warc_date(fetched.requested_at),
        "Newsflow-Run-Id": run_id,
        "Newsflow-Kind": kind,
        "Newsflow-Requested-At": fetched.requested_at.isoformat(),
        "Newsflow-Elapsed-Ms": str(fetched.elapsed_ms),
        "Newsflow-Attempts": str(fetched.attempts),
        "Newsflow-Final-Url": fetched.final_url,
    }
    if fetched.error:
        fields["Newsflow-Error"] = fetched.error
    if fetched.failure:
        fields["Newsflow-Failure"] = fetched.failure.value
    if fetched.encoding:
        fields["Newsflow-Encoding"] = fetched.encoding
    return fields


def http_headers(fetched: Fetched) -> StatusAndHeaders:
    """An answer's status line and headers as archived: never the wire's framing or a secret."""
    status = fetched.status or 0
    reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
    headers = [(k, v) for k, v in fetched.headers if k.lower() not in WIRE_HEADERS | SECRET_HEADERS]
    headers.append(("Content-Length", str(len(fetched.body))))
    return StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")


def archived(archive: RawArchive, run_id: str, logged: Sequence[LoggedFetch]) -> list[LoggedFetch]:
    """Write each request to the archive; return them with their WARC file and offset."""
    located = []
    for item in logged:
        where = archive.write(item.fetched, run_id=run_id, kind=item.kind)
        located.append(replace(item, warc_file=where.file, warc_offset=where.offset))
    return located


def warc_files(folder: Path) -> list[Path]:
    """The archive's WARC files, oldest first."""
    return sorted(folder.glob("newsflow-*.warc.gz"))


@dataclass(frozen=True, slots=True)
class FileIndex:
    """What one WARC file holds, in its order: each run it opens (`ArchivedRun`) and each record
    of a run (its run id, the record, and its URL when it is shorter than it says, else None: a
    torn record is the file's last); and why reading the file stopped early (None when it was
    read to its end)."""

    entries: tuple[ArchivedRun | tuple[str, ArchivedRecord, str | None], ...]
    stopped: str | None


def read_runs(
    folder: Path, since: date | None = None, map_files: FileMapper = map
) -> list[ArchivedRun]:
    """Every archived run (started on or after `since`), oldest first: an index of where each
    run's records are, read in one pass over the archive (each file by `map_files`, which may
    spread them over processes); no page is kept in memory. A run's records may follow its
    `warcinfo` in later files."""
    found: dict[str, tuple[ArchivedRun, list[ArchivedRecord]]] = {}
    files = warc_files(folder)
    for path, index in zip(
        files, map_files(partial(file_index, folder=folder), files), strict=True
    ):
        stopped = index.stopped
        for entry in index.entries:
            if isinstance(entry, ArchivedRun):
                found[entry.run_id] = (entry, [])
                continue
            run_id, record, cut_short = entry
            if run_id not in found:
                continue
            if cut_short is not None:
                stopped = f"a record of {cut_short} is cut short"
                break
            found[run_id][1].append(record)
        if stopped is not None:
            # A torn last record (the writer was killed): what came before it is kept.
            logger.warning(
                "WARC file %s ends with a torn record (%s); the records before it are read",
                path.name,
                stopped,
            )
    runs = [replace(run, records=tuple(records)) for run, records in found.values()]
    return sorted(
        (r for r in runs if since is None or r.started_at.date() >= since),
        key=lambda r: r.started_at,
    )


def file_index(path: Path, folder: Path) -> FileIndex:
    """The runs and records of one WARC file of the archive in `folder` (see `FileIndex`): every
    record is read whole (a torn one raises or comes up short) before its offset is taken."""
    entries: list[ArchivedRun | tuple[str, ArchivedRecord, str | None]] = []
    try:
        with path.open("rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                headers = record.rec_headers
                if record.rec_type == "warcinfo":
                    info = _warcinfo_fields(record.content_stream().read())
                    if info.get("Newsflow-Run-Id"):
                        entries.append(
                            ArchivedRun(
                                info["Newsflow-Run-Id"],
                                datetime.fromisoformat(info["Newsflow-Started-At"]),
                                info.get("Newsflow-Site", ""),
                                folder,
                                outlet=info.get("Newsflow-Outlet", "espreso"),
                            )
                        )
                    continue
                run_id = headers.get_header("Newsflow-Run-Id")
                if not run_id:
                    continue
                fetched = _fetched(record)
                whole = record.rec_type != "response" or len(fetched.body) == int(
                    record.http_headers.get_header("Content-Length") or -1
                )
                location = WarcLocation(path.name, records.get_record_offset())
                kind = headers.get_header("Newsflow-Kind") or ""
                entries.append(
                    (run_id, ArchivedRecord(kind, location), None if whole else fetched.url)
                )
                if not whole:
                    break
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error) as error:
        return FileIndex(tuple(entries), str(error) or type(error).__name__)
    return FileIndex(tuple(entries), None)


def read_records(
    folder: Path, records: Sequence[ArchivedRecord]
) -> Iterator[tuple[Fetched, str, WarcLocation]]:
    """The records at these locations, rebuilt as `Fetched`; each file is opened once per run of
    consecutive records in it."""
    stream: IO[bytes] | None = None
    name = ""
    try:
        for item in records:
            if stream is None or item.location.file != name:
                if stream is not None:
                    stream.close()
                name = item.location.file
                stream = (folder / name).open("rb")
            stream.seek(item.location.offset)
            record = next(iter(ArchiveIterator(stream)))
            yield _fetched(record), item.kind, item.location
    finally:
        if stream is not None:
            stream.close()


def split_run(run: ArchivedRun, pages: int) -> list[ArchivedRun]:
    """A run cut into parts of at most `pages` article records each, so a big run is replayed in
    bounded memory. The first part keeps the run's id and its other records (feed, RSS, sitemaps);
    the others are `<run id>.<n>`. A run within the limit stays whole."""
    articles = [r for r in run.records if r.kind == "article"]
    if len(articles) <= pages:
        return [run]
    first = tuple(r for r in run.records if r.kind != "article") + tuple(articles[:pages])
    parts = [replace(run, records=first)]
    for n, start in enumerate(range(pages, len(articles), pages), start=1):
        parts.append(
            replace(run, run_id=f"{run.run_id}.{n}", records=tuple(articles[start : start + pages]))
        )
    return parts


def _warcinfo_fields(payload: bytes) -> dict[str, str]:
    fields = {}
    for line in payload.decode("utf-8", "replace").splitlines():
        name, _, value = line.partition(":")
        if value:
            fields[name.strip()] = value.strip()
    return fields


def _fetched(record: Any) -> Fetched:
    """A `Fetched` rebuilt from a response or metadata record (warcio's records are untyped)."""
    headers = record.rec_headers
    body: bytes = record.content_stream().read()
    status = None
    http_headers: tuple[tuple[str, str], ...] = ()
    if record.rec_type == "response":
        status = int(record.http_headers.get_statuscode())
        http_headers = tuple(record.http_headers.headers)
    else:
        body = b""
    error = headers.get_header("Newsflow-Error")
    failure = headers.get_header("Newsflow-Failure")
    return Fetched(
        url=headers.get_header("WARC-Target-URI"),
        requested_at=datetime.fromisoformat(headers.get_header("Newsflow-Requested-At")),
        status=status,
        body=body,
        encoding=headers.get_header("Newsflow-Encoding"),
        elapsed_ms=int(headers.get_header("Newsflow-Elapsed-Ms") or 0),
        error=error,
        final_url=headers.get_header("Newsflow-Final-Url") or headers.get_header("WARC-Target-URI"),
        attempts=int(headers.get_header("Newsflow-Attempts") or 1),
        headers=http_headers,
        # Archives written before kinds were recorded: the kind named from the error's text.
        failure=FailureKind(failure)
        if failure
        else stored_failure(error, status)
        if error
        else None,
    )
