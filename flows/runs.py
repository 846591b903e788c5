"""What every flow run shares: its name in Kyiv time, its id, and how it ends when it could do
nothing useful (Failed, with one sentence, and no traceback)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from prefect import State, get_run_logger
from prefect.runtime import flow_run
from prefect.states import Failed

from sources.espreso.dates import KYIV


def kyiv_run_name(flow_name: str) -> Callable[[], str]:
    """A run-name function: `ingest 2025-10-27 11:50 Kyiv`, runs named by when they started."""

    def name() -> str:
        return f"{flow_name} {datetime.now(UTC).astimezone(KYIV):%Y-%m-%d %H:%M} Kyiv"

    name.__name__ = f"{flow_name.replace('-', '_')}_run_name"
    return name


def run_id(prefix: str = "local") -> str:
    """The flow run's id, or `<prefix>-<UTC time>` outside a flow run."""
    return str(flow_run.get_id() or f"{prefix}-{datetime.now(UTC):%Y%m%dT%H%M%S%f}")


def failed(sentence: str) -> State:
    """The final state of a run that could do nothing useful: Failed, saying why in one sentence
    (the CLI prints it; a caller gets `prefect.exceptions.FailedRun`); logged as an error too."""
    get_run_logger().error("%s", sentence)
    return Failed(message=sentence)
