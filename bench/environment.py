"""The environment the benches run in, set by each bench's entry point (never on import: a test
that imports a bench must not change what the commands it starts later log): Prefect's settings,
and one scratch folder for every temporary file of the run."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from flows.cli.app import PREFECT_DEFAULTS

# newsflow's own Prefect settings (no telemetry, its start timeout), with warnings only: the
# figures, not Prefect's per-task lines, are what a bench prints.
BENCH_PREFECT = {**PREFECT_DEFAULTS, "PREFECT_LOGGING_LEVEL": "WARNING"}


# The bench's scratch folder, for the processes it starts (they use it and leave it to it).
SCRATCH = "BENCH_SCRATCH"


def use_bench_environment() -> None:
    """Prefect as the benches run it, where the environment does not say otherwise; a home of its
    own; every temporary folder (archives, warehouses: gigabytes at full size) in one scratch
    folder that the first bench process removes when it ends. Call before anything imports
    Prefect."""
    if SCRATCH not in os.environ:
        scratch = tempfile.mkdtemp(prefix="newsflow-bench-")
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)  # after Prefect's own exits
        os.environ[SCRATCH] = os.environ["TMPDIR"] = scratch
    tempfile.tempdir = os.environ[SCRATCH]
    for name, value in BENCH_PREFECT.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newsflow-bench-prefect-"))
