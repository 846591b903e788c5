"""The environment the benches run Prefect in, set by each bench's entry point (never on import:
a test that imports a bench must not change what the commands it starts later log)."""

from __future__ import annotations

import os
import tempfile

from flows.cli.app import PREFECT_DEFAULTS

# newsflow's own Prefect settings (no telemetry, its start timeout), with warnings only: the
# figures, not Prefect's per-task lines, are what a bench prints.
BENCH_PREFECT = {**PREFECT_DEFAULTS, "PREFECT_LOGGING_LEVEL": "WARNING"}


def use_bench_prefect() -> None:
    """Prefect as the benches run it, where the environment does not say otherwise; a home of its
    own. Call before anything imports Prefect."""
    for name, value in BENCH_PREFECT.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newsflow-bench-prefect-"))
