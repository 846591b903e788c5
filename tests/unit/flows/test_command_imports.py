"""A command imports what it needs when it needs it: every command's `--help` loads none of the
heavy libraries, and `newsflow sql --attach-sql` and `newsflow quarantine` (a read command whose
query binds a parameter) load DuckDB and nothing else of them (read from `sys.modules` of a fresh
interpreter that ran the command, as the console script does)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from bench.commands import HEAVY, PROBE
from flows.cli import app
from warehouse.connection import connect

ROOT = Path(__file__).resolve().parents[3]
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def _heavy_loaded(*argv: str) -> tuple[int, list[str], str]:
    """The exit code of `newsflow *argv`, the heavy libraries it left loaded, and its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(HEAVY), *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    loaded: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return done.returncode, loaded, done.stdout


def test_every_command_is_probed() -> None:
    # A new command must be added here, so that its start is probed too.
    assert COMMANDS == [
        "backfill", "demo", "export", "facts", "maintain", "migrate-warehouse", "official-losses",
        "outlets", "quarantine", "read", "reparse", "report", "run", "search", "serve", "server", "sql",
    ]  # fmt: skip


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_loads_no_heavy_library(command: str) -> None:
    code, loaded, out = _heavy_loaded(*command.split(), "--help")
    assert (code, loaded) == (0, [])
    assert out.startswith(f"Usage: newsflow {command}".rstrip())


def test_sql_attach_loads_duckdb_only(tmp_path: Path) -> None:
    # The probe can fail: a command that does load a heavy library is seen doing so.
    with connect(tmp_path / "w.ducklake"):
        pass
    code, loaded, out = _heavy_loaded(
        "sql", "--attach-sql", "--warehouse", str(tmp_path / "w.ducklake")
    )
    assert (code, loaded) == (0, ["duckdb"])
    assert "ATTACH 'ducklake:sqlite:" in out


def test_a_read_command_binding_a_parameter_loads_duckdb_only(tmp_path: Path) -> None:
    # DuckDB imports pandas to check a bound parameter's type unless pandas is marked absent.
    with connect(tmp_path / "w.ducklake"):
        pass
    code, loaded, out = _heavy_loaded("quarantine", "--warehouse", str(tmp_path / "w.ducklake"))
    assert (code, loaded, out) == (0, ["duckdb"], "Nothing is quarantined.\n")
