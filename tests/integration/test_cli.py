"""Every `newsflow` command as a person runs it, as a process: what it prints and what it leaves;
a command line it cannot read is one line and exit 2. A registry names, for every command of the
app, the test that runs it, so a new command without one fails here."""

from __future__ import annotations

import ast
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest
import typer
from typer.core import TyperGroup

from flows.cli import app
from flows.cli.run_commands import FACTS_CURRENT
from sources.snapshot_server import SnapshotServer
from tests.snapshot import rows
from tests.unit.warehouse.test_maintenance import small_loads
from warehouse.connection import writer_lock
from warehouse.lake import copy_lake, extension_directory
from warehouse.location import DEFAULT_WAREHOUSE
from warehouse.migrate import migrate, migrations

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.realdata  # the demo loads the bundled General Staff series

# Each command, and the test (or the fixture or helper it uses) that starts it as a process and
# checks what it printed or left: file::function.
CALLED_BY = {
    "run": "test_run_outcome.py::test_some_pages_failing_is_a_warning_with_counts",
    "demo": "test_cli.py::demo",
    "backfill": "test_cli.py::test_backfill_stops_after_max_batches",
    "facts": "test_cli.py::test_facts_and_official_losses",
    "official-losses": "test_cli.py::test_facts_and_official_losses",
    "maintain": "test_cli.py::test_maintain_prints_what_it_did",
    "server": "test_cli.py::test_server_starts_prefect_and_its_ui",
    "serve": "test_prefect_server.py::served",
    "reparse": "test_cli.py::test_reparse_rebuilds_from_the_archive",
    "search": "test_cli.py::test_search_quarantine_and_report",
    "quarantine": "test_cli.py::test_search_quarantine_and_report",
    "export": "test_export.py::_export",
    "report": "test_cli.py::test_search_quarantine_and_report",
    "outlets": "test_outlets_cli.py::test_outlets_lists_every_outlet_one_line_each",
    "sql": "test_cli.py::test_sql_reads_the_lake_beside_a_writer",
    "migrate-warehouse": "test_cli.py::test_migrate_warehouse_copies_a_duckdb_file_into_a_lake",
    "read": "test_read_page.py::test_the_console_script_reads_a_saved_page_with_its_kyiv_time",
}


def _newsflow(
    argv: list[str | Path], cwd: Path, timeout: float = 600, api: str | None = None
) -> tuple[str, str]:
    """Run a command to its end: (stdout, stderr); it must succeed. With `api` its flow runs go
    to that Prefect server (the session's), which it names first, instead of a temporary one of
    its own (about 15 s of CPU; `demo` and other tests prove that start)."""
    env = {**os.environ, "PREFECT_HOME": str(cwd / "prefect")}
    done = subprocess.run(
        argv,
        cwd=cwd,
        env=env | ({"PREFECT_API_URL": api} if api else {}),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    if api is None:
        return done.stdout, done.stderr
    shown, _, rest = done.stdout.partition("\n")
    assert shown == f"Runs show in the Prefect UI at {api.removesuffix('/api')}"
    return rest, done.stderr


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """`newsflow demo` with a relative warehouse: (its folder, the snapshot's address, stdout)."""
    cwd = tmp_path_factory.mktemp("demo")
    out, _ = _newsflow(
        [BIN / "newsflow", "demo", "--warehouse", str(DEFAULT_WAREHOUSE), "--port", "0"], cwd
    )
    site = re.search(r"^Serving the bundled snapshot of Espreso Global at (\S+)$", out, re.M)
    assert site, out
    return cwd, site.group(1), out


def test_demo_with_relative_warehouse(demo: tuple[Path, str, str]) -> None:
    cwd, _, out = demo
    assert "official_losses: 22248 rows from " in out
    assert (
        "Facts from the news: loss_reports 0, strike_events 2, combat_reports 2, "
        "prisoner_exchanges 0, places 21, quarantined 0\n" in out
    )
    assert f"\nWarehouse {DEFAULT_WAREHOUSE}\n" in out
    assert "  articles:        21\n" in out
    assert "  feed items:      18\n" in out
    assert "  published:       2025-03-29 18:20 … 2025-10-27 11:40 Kyiv time\n" in out
    assert (
        "  badges:          (none) 11, Exclusive 3, OPINION 2, Updated 2, Company news 1, Interview 1, Review 1\n"
        in out
    )
    assert "  failed requests: 0 (see fetch_log)\n" in out
    # Measured to the snapshot's capture, not to today.
    assert (
        "  freshness:       median 35 h 50 min, longest 212 days, from publication to first sight "
        "(the bundled snapshot: its capture, 2025-10-27 12:00 Kyiv time)\n" in out
    )
    assert f"Try it: .venv/bin/newsflow sql --warehouse {DEFAULT_WAREHOUSE}" in out
    assert out.count("\n-- ") == 3
    assert (cwd / "warehouse" / "data_docs" / "index.html").is_file()
    assert rows(cwd / DEFAULT_WAREHOUSE, "SELECT count(*) FROM articles") == [(21,)]


def test_search_quarantine_and_report(demo: tuple[Path, str, str]) -> None:
    cwd, site, _ = demo
    warehouse = str(DEFAULT_WAREHOUSE)
    out, _ = _newsflow(
        [BIN / "newsflow", "search", "Pokrovsk", "--limit", "1", "--warehouse", warehouse], cwd
    )
    assert out.splitlines()[:2] == [
        " 1. Week at the front: Russian offensive near Pokrovsk stalls, Kupiansk holds",
        f"    2025-10-26 22:40 Kyiv · Review · {site}/russia-ukraine-war-week-at-the-front-russian-offensive-near-pokrovsk-stalls-kupiansk-holds",
    ]
    assert len(out.splitlines()) == 3
    out, _ = _newsflow([BIN / "newsflow", "quarantine", "--warehouse", warehouse], cwd)
    assert out == "Nothing is quarantined.\n"
    out, _ = _newsflow(
        [BIN / "newsflow", "report", "--out", "r.html", "--warehouse", warehouse], cwd
    )
    assert out == "Report of 21 articles with 5 charts: r.html\n"
    assert "<h1>newsflow — Espreso Global report</h1>" in (cwd / "r.html").read_text("utf-8")


def test_facts_and_official_losses(
    demo: tuple[Path, str, str], prefect_api: str, tmp_path: Path
) -> None:
    copy_lake(demo[0] / DEFAULT_WAREHOUSE, tmp_path / "w.duckdb")
    facts: list[str | Path] = [BIN / "newsflow", "facts", "--warehouse", "w.duckdb"]
    every_fact = (
        "Facts from the news: loss_reports 0, strike_events 2, combat_reports 2, "
        "prisoner_exchanges 0, places 21, quarantined 0\n"
    )
    # The demo drew them, and nothing changed since.
    assert _newsflow(facts, tmp_path, api=prefect_api)[0] == FACTS_CURRENT + "\n"
    bundled = REPO.parent / "shared" / "realdata" / "general-staff"
    out, _ = _newsflow(
        [BIN / "newsflow", "official-losses", "--offline", "--bundled", bundled, "--warehouse", "w.duckdb"],
        tmp_path, api=prefect_api,
    )  # fmt: skip
    assert out == f"official_losses: 22248 rows from {bundled}\n"
    assert rows(tmp_path / "w.duckdb", "SELECT count(*) FROM official_losses") == [(22248,)]
    # Every loss report is set beside the official series: all drawn again.
    assert _newsflow(facts, tmp_path, api=prefect_api)[0] == every_fact


def test_reparse_rebuilds_from_the_archive(
    demo: tuple[Path, str, str], prefect_api: str, tmp_path: Path
) -> None:
    raw = demo[0] / "warehouse" / "raw"
    out, _ = _newsflow(
        [BIN / "newsflow", "reparse", "--raw", raw, "--warehouse", "again.duckdb"],
        tmp_path,
        api=prefect_api,
    )
    assert out.startswith(
        f"Rebuilt again.duckdb from 1 batches of {raw}\n\nWarehouse again.duckdb\n"
    )
    assert "  articles:        21\n" in out
    assert rows(tmp_path / "again.duckdb", "SELECT count(*) FROM articles") == [(21,)]


def test_sql_reads_the_lake_beside_a_writer(demo: tuple[Path, str, str]) -> None:
    cwd, _, _ = demo
    lake = (cwd / DEFAULT_WAREHOUSE).absolute()
    out, _ = _newsflow(
        [BIN / "newsflow", "sql", "--attach-sql", "--warehouse", str(DEFAULT_WAREHOUSE)], cwd
    )
    assert out.splitlines() == [
        "SET autoinstall_known_extensions = false;",
        "SET autoload_known_extensions = false;",
        f"SET extension_directory = '{extension_directory()}';",
        "LOAD ducklake;",
        "LOAD sqlite;",
        f"ATTACH 'ducklake:sqlite:{lake}' AS newsflow (DATA_PATH '{lake}.files/', "
        "OVERRIDE_DATA_PATH true, READ_ONLY);",
        "USE newsflow;",
        f"SET VARIABLE newsflow_warehouse = '{lake}';",
        "LOAD fts;",
        f"ATTACH '{lake}.search.duckdb' AS newsflow_search (READ_ONLY);",
        "SET search_path = 'newsflow.main,newsflow_search.main,newsflow_search.fts_main_articles';",
    ]
    # Read-only: it takes no writer lock, so it answers while a run holds it; views included.
    with writer_lock(lake):
        out, _ = _newsflow(
            [BIN / "newsflow", "sql", "--warehouse", str(DEFAULT_WAREHOUSE), "-csv", "-c",
             "SELECT count(*) AS articles, (SELECT count(*) FROM v_articles) AS viewed FROM articles"],
            cwd,
            timeout=60,
        )  # fmt: skip
    assert out == "articles,viewed\n21,21\n"
    done = subprocess.run(
        [BIN / "newsflow", "sql", "--warehouse", str(DEFAULT_WAREHOUSE), "-c",
         "UPDATE load_turn SET n = 0"],
        cwd=cwd, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith(
        'Invalid Input Error: Cannot execute statement of type "UPDATE" on database "newsflow" '
        "which is attached in read-only mode!"
    ), done.stderr
    assert rows(lake, "SELECT count(*), min(n) > 0 FROM load_turn") == [(1, True)]
    done = subprocess.run(
        [BIN / "newsflow", "sql", "--warehouse", "missing.ducklake", "-c", "SELECT 1"],
        cwd=cwd, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        "newsflow sql: there is no warehouse at missing.ducklake yet: a run creates it "
        "(`newsflow run`), or choose another with --warehouse PATH or $NEWSFLOW_WAREHOUSE.\n",
    )


def test_migrate_warehouse_copies_a_duckdb_file_into_a_lake(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "old.duckdb")) as con:
        con.execute("SET TimeZone = 'UTC'")
        migrate(con)
        con.execute(
            "INSERT INTO load_runs VALUES ('20251027T090000-ab12', TIMESTAMPTZ '2025-10-27 09:00:00+00', "
            "TIMESTAMPTZ '2025-10-27 09:01:00+00', 0, 0, 0, 'loaded', 'crawl', 0, NULL, NULL)"
        )
    out, _ = _newsflow(
        [BIN / "newsflow", "migrate-warehouse", "old.duckdb", "--warehouse", "new.ducklake"],
        tmp_path,
    )
    tables = [
        "article_related", "article_revisions", "article_tags", "articles", "backfill_progress",
        "backfill_queue", "combat_reports", "feed_items", "feed_observations", "fetch_log",
        "headline_sources", "load_runs", "loss_reports", "official_losses", "places",
        "prisoner_exchanges", "quarantine", "strike_events",
    ]  # fmt: skip
    assert out.splitlines() == [
        *(f"{t:<18} {int(t == 'load_runs'):>7} rows" for t in tables),
        "Copied 18 tables, 1 rows, from old.duckdb into new.ducklake",
    ]
    assert rows(tmp_path / "new.ducklake", "SELECT run_id, state, kind FROM load_runs") == [
        ("20251027T090000-ab12", "loaded", "crawl")
    ]
    for argv, said in [
        (["nowhere.duckdb"], "there is no file at nowhere.duckdb: give the DuckDB-file warehouse to copy"),
        (["old.duckdb"], "new.ducklake exists already: migrate-warehouse only fills a new lake"),
    ]:  # fmt: skip
        done = subprocess.run(
            [BIN / "newsflow", "migrate-warehouse", *argv, "--warehouse", "new.ducklake"],
            cwd=tmp_path, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert (done.returncode, done.stdout, done.stderr) == (
            2, "", f"newsflow migrate-warehouse: {said}\n"
        )  # fmt: skip


def test_backfill_stops_after_max_batches(prefect_api: str, tmp_path: Path) -> None:
    with SnapshotServer() as server:
        out, _ = _newsflow(
            [BIN / "newsflow", "backfill", "--since", "2025-10-25", "--until", "2025-10-26",
             "--max-batches", "4", "--batch-size", "5", "--pages-per-batch", "1",
             "--min-interval", "0", "--base-url", server.base_url, "--warehouse", "w.duckdb"],
            tmp_path, api=prefect_api,
        )  # fmt: skip
    assert out == (
        "Backfill: 4 batches, 5 articles loaded; 9 articles still queued: run it again to go on\n"
    )
    assert rows(tmp_path / "w.duckdb", "SELECT count(*) FROM backfill_queue") == [(9,)]


def test_maintain_prints_what_it_did(prefect_api: str, tmp_path: Path) -> None:
    small_loads(tmp_path / "w.ducklake")
    out, _ = _newsflow(
        [BIN / "newsflow", "maintain", "--snapshot-retention-days", "30", "--warehouse", "w.ducklake"],
        tmp_path, api=prefect_api,
    )  # fmt: skip
    migrated = len(migrations())  # each adds a schema_migrations row and a snapshot
    assert out == (
        f"maintenance: {21 + migrated} rows flushed, 5 files merged into 1, 0 snapshots expired, "
        f"0 files deleted; snapshots {migrated + 1} → {migrated + 3}, Parquet files 5 → 11\n"
    )
    missing = subprocess.run(
        [BIN / "newsflow", "maintain", "--warehouse", "none.ducklake"],
        cwd=tmp_path,
        env={**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": prefect_api},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    shown = f"Runs show in the Prefect UI at {prefect_api.removesuffix('/api')}\n"
    assert (missing.returncode, missing.stdout) == (1, shown)
    assert (
        "newsflow maintain: the run failed: There is no warehouse at none.ducklake to maintain yet."
        in missing.stderr.splitlines()
    ), missing.stderr
    assert not (tmp_path / "none.ducklake").exists()


@pytest.mark.server
def test_server_starts_prefect_and_its_ui(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with subprocess.Popen(
        [BIN / "newsflow", "server", "--port", str(port)],
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k not in ("PREFECT_HOME", "PREFECT_API_URL")},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as server:
        try:
            assert server.stdout is not None
            assert server.stdout.readline() == (
                f"Prefect UI: http://127.0.0.1:{port}  (state in {tmp_path / '.prefect'}; stop "
                "with Ctrl-C)\n"
            )
            deadline, healthy = time.monotonic() + 180, False
            while not healthy and time.monotonic() < deadline:
                try:
                    health = f"http://127.0.0.1:{port}/api/health"
                    with urllib.request.urlopen(health, timeout=2) as answer:
                        healthy = answer.read().strip() == b"true"
                except OSError:
                    time.sleep(1)
            assert healthy
            assert (tmp_path / ".prefect" / "prefect.db").is_file()
        finally:
            server.send_signal(signal.SIGTERM)
            server.communicate(timeout=60)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["run", "--bogus"], "newsflow run: No such option: --bogus (see `newsflow run --help`)"),
        (["bogus"], "newsflow: No such command 'bogus'. (see `newsflow --help`)"),
        ([], "newsflow: Missing command. (see `newsflow --help`)"),
        (["backfill"], "newsflow backfill: Missing option '--since'. (see `newsflow backfill --help`)"),
        (
            ["backfill", "--since", "2025-1"],
            "newsflow backfill: Invalid value for '--since': '2025-1' is not a date: write "
            "YYYY-MM-DD (see `newsflow backfill --help`)",
        ),
        (["search"], "newsflow search: Missing argument 'QUERY'. (see `newsflow search --help`)"),
        (
            ["search", "x", "--limit", "0"],
            "newsflow search: Invalid value for '--limit': Input should be greater than or equal "
            "to 1 (see `newsflow search --help`)",
        ),
        (
            ["run", "--pages", "abc"],
            "newsflow run: Invalid value for '--pages': Input should be a valid integer, unable "
            "to parse string as an integer (see `newsflow run --help`)",
        ),
    ],
)  # fmt: skip
def test_a_command_line_it_cannot_read_is_one_line_and_exit_2(
    argv: list[str], expected: str, tmp_path: Path
) -> None:
    done = subprocess.run(
        [BIN / "newsflow", *argv], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout, done.stderr) == (2, "", expected + "\n")
    assert list(tmp_path.iterdir()) == []


def test_every_command_has_help() -> None:
    done = subprocess.run([BIN / "newsflow", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    listed = re.findall(r"^  ([a-z-]+)  ", done.stdout.split("Commands:\n")[1], re.M)
    assert listed == list(CALLED_BY)
    for command in listed:
        done = subprocess.run(
            [BIN / "newsflow", command, "--help"], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, command
        assert done.stdout.startswith(f"Usage: newsflow {command} [OPTIONS]"), command


def test_every_command_is_called_as_a_process() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    assert sorted(CALLED_BY) == sorted(group.commands)
    for command, where in CALLED_BY.items():
        file, name = where.split("::")
        source = (Path(__file__).parent / file).read_text(encoding="utf-8")
        (function,) = [
            node
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef) and node.name == name
        ]
        body = ast.get_source_segment(source, function) or ""
        call = re.compile(rf'BIN / "newsflow",\s*"{re.escape(command)}"')
        assert call.search(body), f"{where} does not start `newsflow {command}`"
