"""Shared fixtures: an isolated, offline Prefect, the real captures, and the snapshot server."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Generator, Iterator
from functools import partial
from pathlib import Path

import pytest

# Before anything imports Prefect: a private home and no calls home.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="newsflow-prefect-")
atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], ignore_errors=True)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
# Commands run by tests never send their runs to a developer's own `make server`.
os.environ["NEWSFLOW_PREFECT_SERVER"] = ""

REPO = Path(__file__).resolve().parents[1]
REALDATA = REPO.parent / "shared" / "realdata"


@pytest.fixture(scope="session")
def realdata() -> Path:
    """../shared/realdata; tests that need it are skipped only where it is absent."""
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata is not beside the repo")
    return REALDATA


# The slowest files (minutes each in CI), longest first; `make test` runs files in collection order
# (`--dist loadfile --no-loadscope-reorder`), so these start first and the two processes end
# together. (xdist's own order puts the files with the fewest tests last: these have one or two.)
SLOWEST_FIRST = (
    "tests/integration/test_bench.py",
    "tests/integration/test_cli.py",
    "tests/integration/test_concurrency.py",
    "tests/integration/test_prefect_server.py",
    "tests/integration/test_scale_out.py",
    "tests/integration/test_site_faults.py",
    "tests/integration/test_work_pool.py",
    "tests/integration/test_outlets_deployment.py",
    "tests/integration/test_crash_safety.py",
    "tests/integration/test_crawler.py",
    "tests/integration/test_reparse_outlets.py",
    "tests/integration/test_outlet_views.py",
    "tests/integration/test_run_outcome.py",
    "tests/integration/test_commands_end_cleanly.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files of SLOWEST_FIRST first, in its order; every other test after them, as collected."""
    rank = {path: n for n, path in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One Prefect test harness (temporary server and database) for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def prefect_home(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> Callable[[Path], Path]:
    """Makes a new Prefect home for commands run as processes, its database already migrated (a
    temporary server then starts about 10 s sooner; tests/prefect_home.py). One template serves
    the session's processes: under pytest-xdist, in the folder all its workers share."""
    from tests.prefect_home import ready_template, seeded_home

    root = tmp_path_factory.getbasetemp()
    return partial(seeded_home, ready_template(root if worker_id == "master" else root.parent))


@pytest.fixture(scope="session")
def prefect_api(prefect_harness: None) -> str:
    """The API address of the session's Prefect server (the harness's), for commands run as
    processes whose test is not about Prefect's temporary server: each such server costs a
    command about 15 s of CPU on its own."""
    from prefect.settings import PREFECT_API_URL

    return str(PREFECT_API_URL.value())


@pytest.fixture(scope="session")
def snapshot_run(
    prefect_harness: None, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    """One ingest run over the whole snapshot, shared by the tests that only read its warehouse:
    (the server's base URL, the warehouse file)."""
    from bench.snapshot import ingest_snapshot
    from sources.snapshot_server import SnapshotServer

    warehouse = tmp_path_factory.mktemp("snapshot-run") / "newsflow.duckdb"
    with SnapshotServer() as server:
        ingest_snapshot(server.base_url, warehouse)
        return server.base_url, warehouse


# Robustness figures the suite reports at the end (kills survived, hostile inputs, concurrent runs).
# A test appends to FIGURES in whichever process runs it; each test's new lines travel with its
# report (pytest-xdist sends reports to the process that prints the summary) into REPORTED.
FIGURES: list[str] = []
REPORTED: list[str] = []
_FIGURE = "newsflow figure"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Attach the figures a test recorded to its report."""
    report = yield
    if call.when == "teardown":
        report.user_properties.extend((_FIGURE, line) for line in FIGURES)
        FIGURES.clear()
    return report


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect the figures of every report, from this process or a worker's."""
    REPORTED.extend(str(line) for name, line in report.user_properties if name == _FIGURE)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the robustness figures the tests recorded."""
    if REPORTED:
        terminalreporter.section("newsflow robustness figures")
        for line in REPORTED:
            terminalreporter.write_line(line)


CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium as root, offline: no sandbox, no background calls home.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium (`make test` installs it with bin/install-browser). Missing, the browser
    tests fail in CI and are skipped only on a developer's machine without it."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run bin/install-browser (Debian's chromium package)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM
