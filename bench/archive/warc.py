"""One generated run written into one WARC file with warcio's public writer: the records
`sources.archive.RawArchive` writes for a run (a `warcinfo` record, then one `response` record per
page, newsflow's `Newsflow-*` fields on each), each its own gzip member, at a chosen gzip level.

Why not `RawArchive` itself: warcio gzips at level 9, nearly all of the cost of writing a record,
and has no setting for it; here a record is written uncompressed to a buffer and gzipped at the
level asked (the same records, a bigger or smaller file). Record ids and dates are given, not drawn,
so the same pages make byte-identical files. `tests/unit/bench/test_archive_warc.py` reads a run
written both ways and asserts the pipeline's reader gets the same requests.
"""

from __future__ import annotations

import io
import os
import uuid
import zlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from warcio.warcwriter import WARCWriter

from sources.archive import http_headers, record_fields, warc_date, warcinfo_fields
from sources.records import Fetched

WARCIO_LEVEL = 9  # what `RawArchive` (warcio) writes


def record_id(*parts: str) -> str:
    """A record id that depends only on `parts` (a UUID 5), so a rebuilt file is the same."""
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, ' '.join(parts))}>"


class RunFile:
    """One run's WARC file in `folder`, named by the run's start time; use as a context manager."""

    def __init__(
        self,
        folder: Path,
        run_id: str,
        started_at: datetime,
        site_url: str,
        compresslevel: int = WARCIO_LEVEL,
    ) -> None:
        self.run_id = run_id
        self.compresslevel = compresslevel
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = folder / f"newsflow-{started_at:%Y%m%dT%H%M%S%f}-{run_id}.warc.gz"
        # Readable by its owner only, like the pipeline's archive.
        self._file: IO[bytes] = os.fdopen(
            os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb"
        )
        info = "".join(
            f"{name}: {value}\r\n"
            for name, value in warcinfo_fields(run_id, started_at, site_url).items()
        ).encode()
        self._write(
            lambda writer: writer.create_warc_record(
                "",
                "warcinfo",
                payload=io.BytesIO(info),
                length=len(info),
                warc_headers_dict={
                    "WARC-Record-ID": record_id(run_id, "warcinfo"),
                    "WARC-Filename": self.path.name,
                    "WARC-Date": warc_date(started_at),
                },
            )
        )

    def __enter__(self) -> RunFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._file.close()

    def _write(self, build: Callable[[Any], Any]) -> None:
        """Build a record with a writer on a buffer, then append it as one gzip member."""
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=False, warc_version="1.1")
        writer.write_record(build(writer))
        compressor = zlib.compressobj(self.compresslevel, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self._file.write(compressor.compress(buffer.getvalue()) + compressor.flush())

    def write(self, fetched: Fetched, kind: str) -> None:
        """One answered request's `response` record, with the fields `RawArchive.write` gives it."""
        if fetched.status is None:
            raise ValueError("the bench writes answered requests only")
        fields = {
            "WARC-Record-ID": record_id(self.run_id, fetched.url, fetched.requested_at.isoformat()),
            **record_fields(fetched, self.run_id, kind),
        }
        http = http_headers(fetched)
        self._write(
            lambda writer: writer.create_warc_record(
                fetched.url,
                "response",
                payload=io.BytesIO(fetched.body),
                length=len(fetched.body),
                http_headers=http,
                warc_headers_dict=fields,
            )
        )
