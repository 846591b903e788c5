"""`backfill` walks Espreso's "More news" feed pages: for an outlet of the generic reader, which has
none, it is refused in one sentence saying what to run instead, as a command and as a flow."""

from __future__ import annotations

import subprocess
from pathlib import Path

from flows.backfill import backfill

BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin"
OUTLET = "kyiv-independent"
REFUSAL = (
    'newsflow backfill walks Espreso\'s "More news" feed pages, which kyiv-independent does not '
    "have: run `newsflow run --outlet kyiv-independent --lookback-days N` instead to read what "
    "its sitemaps list from the last N days."
)


def test_the_command_refuses_a_generic_outlet_in_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            BIN / "newsflow", "backfill", "--since", "2025-10-25", "--outlet", OUTLET,
            "--warehouse", tmp_path / "w.ducklake",
        ],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"newsflow backfill: {REFUSAL}\n"
    # Refused before anything started: no warehouse, no archive, no Prefect server.
    assert list(tmp_path.iterdir()) == []


def test_the_flow_ends_failed_with_the_same_sentence(prefect_harness: None, tmp_path: Path) -> None:
    state = backfill(outlet=OUTLET, warehouse=str(tmp_path / "w.ducklake"), return_state=True)
    assert state.is_failed()
    assert state.message == REFUSAL
    assert list(tmp_path.iterdir()) == []
