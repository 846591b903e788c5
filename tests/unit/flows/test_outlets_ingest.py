"""The outlets deployment's summary: one row per outlet, and the sentence naming those that failed;
`NEWSFLOW_OUTLETS_FILE` as the outlets' source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from prefect import State
from prefect.states import Completed, Failed
from pydantic import ValidationError

from flows.outlets_ingest import outlet_end, outlets_verdict
from flows.settings import Settings
from warehouse.load import LoadResult

OUTLETS = """
[outlets.espreso]
base_url = "http://127.0.0.1:9001"
reader = "espreso"

[outlets.local-news]
base_url = "http://127.0.0.1:9002"
reader = "generic"
min_interval_s = 0.5
"""


def test_an_outlets_row_says_how_its_run_ended() -> None:
    loaded: State[LoadResult] = Completed(
        data=LoadResult("run-1", rows_in=30, rows_loaded=28, rows_quarantined=2)
    )
    assert outlet_end("espreso", loaded) == {
        "outlet": "espreso", "state": "COMPLETED", "rows loaded": 28, "message": "",
    }  # fmt: skip
    down: State[None] = Failed(message="robots.txt could not be read")
    assert outlet_end("broken", down) == {
        "outlet": "broken", "state": "FAILED", "rows loaded": None,
        "message": "robots.txt could not be read",
    }  # fmt: skip


def test_the_verdict_names_the_outlets_that_did_not_complete() -> None:
    ends: list[dict[str, Any]] = [
        {"outlet": "broken", "state": "FAILED", "rows loaded": None, "message": "down"},
        {"outlet": "espreso", "state": "COMPLETED", "rows loaded": 28, "message": ""},
        {"outlet": "slow", "state": "CRASHED", "rows loaded": None, "message": "killed"},
    ]
    assert outlets_verdict(ends) == (
        "2 of 3 outlets did not complete: broken (failed: down); slow (crashed: killed)"
    )
    assert outlets_verdict(ends[1:2]) is None


def test_the_outlets_file_setting_names_the_outlets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "outlets.toml"
    path.write_text(OUTLETS, encoding="utf-8")
    monkeypatch.setenv("NEWSFLOW_OUTLETS_FILE", str(path))
    settings = Settings.build({"outlet": "local-news"})
    assert (settings.site.name, settings.base_url, settings.min_interval_s) == (
        "local-news",
        "http://127.0.0.1:9002",
        0.5,
    )
    with pytest.raises(
        ValidationError, match="no outlet named 'ukrinform'; the outlets are: espreso, local-news"
    ):
        Settings.build({"outlet": "ukrinform"})
