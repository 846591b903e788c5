"""Analysts' sessions held open while runs load: a read-only Python connection made from
`attach_sql()` and a `duckdb` shell fed the same SQL, both open across two ingests that add rows.
Both runs complete, both sessions answer throughout, and a new query sees the new rows."""

from __future__ import annotations

import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import duckdb

from bench.snapshot import ingest_snapshot
from sources.snapshot_server import SnapshotServer
from warehouse.connection import connect
from warehouse.lake import attach_sql

DUCKDB_CLI = Path(sys.executable).parent / "duckdb"
# Articles in the first run: the news feed's pages only (measured on the bundled snapshot).
FIRST = 18
BOTH = FIRST + 21  # then the whole snapshot's 21 articles at new URLs
COUNTS = "SELECT count(*) AS articles, (SELECT count(*) FROM v_articles) AS viewed FROM articles"


class Shell:
    """A `duckdb` shell process with the lake attached read-only, asked one query at a time."""

    def __init__(self, warehouse: Path) -> None:
        self.process = subprocess.Popen(
            [str(DUCKDB_CLI), "-csv"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._asking = threading.Lock()  # one question at a time: the test and its thread ask
        self._send(attach_sql(warehouse))

    def _send(self, sql: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(sql)
        self.process.stdin.flush()

    def counts(self) -> tuple[int, int]:
        """(articles, rows of v_articles), as the shell answers now."""
        assert self.process.stdout is not None
        with self._asking:
            self._send(COUNTS + ";\n")
            header, answer = self.process.stdout.readline(), self.process.stdout.readline()
        assert header == "articles,viewed\n", header
        articles, viewed = answer.strip().split(",")
        return int(articles), int(viewed)

    def close(self) -> str:
        """End the shell (it ends at the end of its input); what it wrote on stderr."""
        _, errors = self.process.communicate(timeout=30)
        return errors

    def __enter__(self) -> Shell:
        return self

    def __exit__(self, *_: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate(timeout=30)


def _python_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    found = con.execute(COUNTS).fetchone()
    assert found is not None
    return int(found[0]), int(found[1])


def test_sessions_stay_open_and_answer_across_two_loads(
    prefect_harness: None, tmp_path: Path
) -> None:
    warehouse = tmp_path / "newsflow.ducklake"
    with connect(warehouse):  # an empty, migrated lake for the sessions to open
        pass
    python = duckdb.connect()
    python.execute(attach_sql(warehouse))
    with closing(python), Shell(warehouse) as shell:
        assert _python_counts(python) == (0, 0)
        assert shell.counts() == (0, 0)
        seen: list[tuple[str, tuple[int, int]]] = []
        errors: list[BaseException] = []
        stop = threading.Event()

        def ask() -> None:
            # Both sessions asked over and over while the runs load.
            cursor = python.cursor()  # a cursor of the same session: its own default database
            cursor.execute("USE newsflow")
            try:
                while not stop.is_set():
                    seen.append(("python", _python_counts(cursor)))
                    seen.append(("shell", shell.counts()))
                    stop.wait(0.1)
            except BaseException as error:
                errors.append(error)

        asking = threading.Thread(target=ask)
        asking.start()
        try:
            # The first run reads only the news feed (no sitemap entry is within a day of now);
            # the second the whole snapshot from a second server, whose URLs are all new.
            with SnapshotServer() as server:
                first = ingest_snapshot(
                    server.base_url, warehouse, lookback_days=1, return_state=True
                )
            after_first = (_python_counts(python), shell.counts())
            with SnapshotServer() as server:
                second = ingest_snapshot(server.base_url, warehouse, return_state=True)
        finally:
            stop.set()
            asking.join(timeout=60)
        assert errors == []
        assert (first.is_completed(), second.is_completed()) == (True, True)
        assert after_first == ((FIRST, FIRST), (FIRST, FIRST))
        assert _python_counts(python) == (BOTH, BOTH)
        assert shell.counts() == (BOTH, BOTH)
        # Every answer during the loads was a whole load's: before, after the first, after the second.
        assert {counts for _, counts in seen} <= {(0, 0), (FIRST, FIRST), (BOTH, BOTH)}
        # ... and they answered during the first run and between the two.
        assert {(0, 0), (FIRST, FIRST)} <= {counts for _, counts in seen}
        assert {who for who, _ in seen} == {"python", "shell"}
        for who in ("python", "shell"):
            answers = [counts for w, counts in seen if w == who]
            assert answers == sorted(answers), who
        assert shell.close() == ""
