"""A command as a person or a scheduler runs it: SIGTERM ends a run stuck on a slow page within
10 s, with what it fetched archived and no process of its tree left; a damaged warehouse and an
unwritable folder are one paragraph and exit 2, before anything starts; an upper-case scheme and
host are read as the site's address."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sources.archive import read_runs
from sources.snapshot_expected import ARTICLES
from sources.snapshot_server import Response, SnapshotServer
from tests.processes import not_private, tree, wait_gone
from tests.snapshot import rows

BIN = Path(sys.executable).parent
SLOW = ARTICLES[0]["slug"]
STOPPED = (
    "newsflow run: stopped by SIGTERM; the warehouse holds whole runs only, so the next run "
    "picks up what this one did not load\n"
)


def _command(*args: str) -> list[str]:
    return [str(BIN / "newsflow"), "run", *args, "--lookback-days", "3650", "--min-interval", "0"]


def test_sigterm_ends_a_run_stuck_on_a_slow_page(
    prefect_home: Callable[[Path], Path], tmp_path: Path
) -> None:
    warehouse, home = tmp_path / "newsflow.duckdb", prefect_home(tmp_path / "prefect")
    slow = {f"/{SLOW}": Response(200, b"<html></html>", delay_s=300)}
    with SnapshotServer(overrides=slow) as server:
        run = subprocess.Popen(
            _command("--base-url", server.base_url, "--warehouse", str(warehouse)),
            env={**os.environ, "PREFECT_HOME": str(home)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        others = {f"/{a['slug']}" for a in ARTICLES} - {f"/{SLOW}"}
        deadline = time.monotonic() + 240
        while not others <= set(server.requests) and time.monotonic() < deadline:
            assert run.poll() is None
            time.sleep(0.2)
        time.sleep(1.0)  # the last answers reach the run
        processes = tree(run.pid)
        assert len(processes) >= 2  # the command and Prefect's temporary server
        asked = time.monotonic()
        run.send_signal(signal.SIGTERM)
        err = run.communicate(timeout=30)[1]
        took = time.monotonic() - asked
    assert took < 10, took
    assert run.returncode == 128 + signal.SIGTERM, err
    assert STOPPED in err
    assert "Traceback" not in err
    assert wait_gone(processes, within_s=2) == []
    assert not_private(tmp_path / "raw", home) == []
    # Every article page that answered is in the archive; the stuck one is not.
    (archived,) = read_runs(tmp_path / "raw")
    articles = [
        f.url.removeprefix(server.base_url) for f, kind, _ in archived.read() if kind == "article"
    ]
    assert sorted(articles) == sorted(others)
    assert not warehouse.exists() or rows(warehouse, "SELECT count(*) FROM articles") == [(0,)]


def _without_dac_override() -> None:
    # Root may write anywhere: without these capabilities (gone for good at exec) it may not.
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP


def _newsflow(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN / "newsflow", *args],
        cwd=cwd,
        env={**os.environ, "PREFECT_HOME": str(cwd / "prefect")},
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_without_dac_override if os.getuid() == 0 else None,
    )


@pytest.mark.parametrize("command", [["run"], ["search", "Pokrovsk"], ["reparse"]])
def test_a_damaged_warehouse_is_one_paragraph(command: list[str], tmp_path: Path) -> None:
    (tmp_path / "w.ducklake").write_bytes(b"not a database\n" * 100)
    done = _newsflow(*command, "--warehouse", "w.ducklake", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"newsflow {command[0]}: the warehouse w.ducklake cannot be opened: the file exists, but "
        "it is not a DuckLake catalog. The raw archive beside it keeps every answer the site "
        "gave: move the damaged file aside (mv w.ducklake w.ducklake.damaged) and run "
        "`newsflow reparse --warehouse w.ducklake` to rebuild the tables from it (then "
        "`newsflow official-losses` for the General Staff series).\n"
    )
    assert not (tmp_path / "prefect" / "prefect.db").exists()  # refused before Prefect started


@pytest.mark.parametrize("warehouse", ["locked/w.duckdb", "locked/deeper/w.duckdb"])
def test_an_unwritable_folder_is_one_paragraph(warehouse: str, tmp_path: Path) -> None:
    (tmp_path / "locked").mkdir(mode=0o500)
    done = _newsflow("run", "--warehouse", warehouse, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"newsflow run: cannot write in {Path(warehouse).parent} (Permission denied): the "
        "warehouse, its archive and its Data Docs live there. Make the folder writable, or "
        "choose another warehouse with --warehouse PATH or $NEWSFLOW_WAREHOUSE.\n"
    )
    assert not (tmp_path / "prefect" / "prefect.db").exists()


def test_an_upper_case_address_is_the_site(prefect_api: str, tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    with SnapshotServer() as server:
        shouted = server.base_url.replace("http://", "HTTP://")
        done = subprocess.run(
            _command("--base-url", shouted, "--warehouse", str(warehouse)),
            env={
                **os.environ,
                "PREFECT_HOME": str(tmp_path / "prefect"),
                "PREFECT_API_URL": prefect_api,
            },
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr
    assert rows(warehouse, "SELECT count(*) FROM articles") == [(21,)]
    assert rows(warehouse, "SELECT count(*) FROM quarantine") == [(0,)]
    assert rows(
        warehouse,
        f"SELECT count(*) FROM fetch_log WHERE NOT starts_with(url, '{server.base_url}/')",
    ) == [(0,)]
