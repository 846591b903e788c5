"""`newsflow demo` as a person runs it: relative default paths, a summary, queries to try."""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from warehouse.location import DEFAULT_WAREHOUSE


def test_demo_with_relative_warehouse(
    prefect_harness: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--warehouse", str(DEFAULT_WAREHOUSE), "--port", "0"]) == 0
    out = capsys.readouterr().out
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
    assert f"Try it: .venv/bin/duckdb {DEFAULT_WAREHOUSE}" in out
    assert out.count("\n-- ") == 3
    assert (tmp_path / "warehouse" / "data_docs" / "index.html").is_file()
    with duckdb.connect(str(tmp_path / DEFAULT_WAREHOUSE), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (21,)


def test_every_command_is_wired() -> None:
    from flows.cli import _parser, _settings

    (commands,) = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert sorted(commands.choices) == [
        "backfill",
        "demo",
        "export",
        "facts",
        "official-losses",
        "quarantine",
        "reparse",
        "report",
        "run",
        "search",
        "serve",
        "server",
    ]
    args = _parser().parse_args(["backfill", "--since", "2025-10-25", "--max-batches", "2"])
    assert (args.since.isoformat(), args.until, args.max_batches, _settings(args).batch_size) == (
        "2025-10-25",
        None,
        2,
        50,
    )
