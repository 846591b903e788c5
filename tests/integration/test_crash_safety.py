"""The ingest process killed with SIGKILL in each stage of its run (fetch, parse, gate, load, the
stage each kill landed in read from the run's own log lines): right after each kill no process of
its tree is alive (Prefect's temporary server dies with it), every file it wrote is its owner's
only, the warehouse opens and is sound (no half-loaded batch) and the archive stays readable; one
normal run afterwards gives the tables an uninterrupted run gives. CI kills once per stage;
`make test-slow` twenty times."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from sources.archive import read_runs
from sources.snapshot_server import SnapshotServer
from tests.conftest import FIGURES
from tests.processes import not_private, tree, wait_gone
from tests.snapshot import content
from warehouse.connection import connect
from warehouse.integrity import integrity_problems

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow
# The stages a kill must land in, each with the task whose end starts it and how long to wait
# after that end (at most) so the kill lands inside the stage.
STAGES = {"fetch": ("discover_pages", 1.0), "parse": ("fetch_articles", 0.0)}
STAGES |= {"gate": ("shape_tables", 0.3), "load": ("gate", 0.0)}
# What a run is doing after each of its tasks has finished.
NEXT_STAGE = {
    "read_known": "discover",
    "robots_txt": "discover",
    "discover_pages": "fetch",
    "fetch_articles": "parse",
    "parse_pages": "shape",
    "shape_tables": "gate",
    "gate": "load",
    "load": "after the load",
}
KILLS = max(int(os.environ.get("NEWSFLOW_CRASH_KILLS", "4")), len(STAGES))
FINISHED = re.compile(r"Task run '(\w+)-\w+' - Finished in state")


def _run(base_url: str, warehouse: Path, home: Path) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "newsflow"),
        "run",
        "--base-url",
        base_url,
        "--warehouse",
        str(warehouse),
        "--lookback-days",
        "3650",
        "--min-interval",
        "0.1",
    ]
    # The stages are read from Prefect's INFO lines, whatever the environment says.
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_LOGGING_LEVEL": "INFO"}
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def stage_of(log: str) -> str:
    """The stage a run was in when its log ends: the one after its last finished task."""
    done = FINISHED.findall(log)
    return NEXT_STAGE[done[-1]] if done else "start-up"


def _kill_in(target: str, base_url: str, warehouse: Path, home: Path, delay: float) -> str:
    """Start a run, SIGKILL it in `target` stage; the stage it was really in. Right after the kill
    no process of its tree is alive and what it wrote is private."""
    after, _ = STAGES[target]
    run = _run(base_url, warehouse, home)
    assert run.stdout is not None
    log = []
    for line in run.stdout:
        log.append(line.decode())
        if FINISHED.search(log[-1]) and FINISHED.findall(log[-1]) == [after]:
            break
    else:
        # The run ended without reaching that stage (it landed nowhere): it is tried again.
        assert run.wait(timeout=60) == 0, log
        run.stdout.close()
        return "ended before the stage"
    time.sleep(delay)
    processes = tree(run.pid)
    assert len(processes) >= 2, log  # the command and Prefect's temporary server
    run.send_signal(signal.SIGKILL)
    run.wait()
    log.append(run.stdout.read().decode())
    run.stdout.close()
    assert wait_gone(processes, within_s=5) == []
    assert not_private(warehouse, Path(f"{warehouse}.wal"), warehouse.parent / "raw", home) == []
    assert not_private(warehouse.parent / "data_docs") == []
    return stage_of("".join(log))


def test_sigkill_in_every_stage_loses_nothing(
    snapshot_run: tuple[str, Path], prefect_home: Callable[[Path], Path], tmp_path: Path
) -> None:
    _, reference = snapshot_run
    warehouse = tmp_path / "newsflow.duckdb"
    chance = random.Random(20251027)
    landed: Counter[str] = Counter()
    kills = survived = 0
    with SnapshotServer() as server:
        # One kill per stage at least, in turn; a kill that landed elsewhere (the machine was
        # slower or faster than planned) is tried again, a few times.
        while kills < KILLS + 2 * len(STAGES) and (kills < KILLS or not set(STAGES) <= set(landed)):
            missing = [stage for stage in STAGES if stage not in landed]
            target = missing[0] if missing else list(STAGES)[kills % len(STAGES)]
            delay = chance.uniform(0.0, STAGES[target][1])
            home = prefect_home(tmp_path / f"prefect-{kills}")
            landed[_kill_in(target, server.base_url, warehouse, home, delay)] += 1
            kills += 1
            if warehouse.exists():
                with connect(warehouse) as con:
                    assert integrity_problems(con) == []
            list(read_runs(tmp_path / "raw"))  # readable, torn last records skipped
            survived += 1
        final = _run(server.base_url, warehouse, prefect_home(tmp_path / "prefect-final"))
        output = final.communicate(timeout=300)[0].decode()
    assert final.returncode == 0, output
    assert "Traceback" not in output
    got, expected = content(warehouse), content(reference)
    lost = sum(len(set(expected[t]) - set(got[t])) for t in expected)
    extra = sum(len(set(got[t]) - set(expected[t])) for t in expected)
    stages = ", ".join(f"{stage} {n}" for stage, n in sorted(landed.items()))
    FIGURES.append(
        f"SIGKILLs survived / tried: {survived} / {kills} ({stages}); rows lost after the next run: "
        f"{lost}, rows that should not be there: {extra}"
    )
    assert set(STAGES) <= set(landed), landed
    assert (lost, extra) == (0, 0)
    with connect(warehouse) as con:
        assert integrity_problems(con) == []
    assert got == expected
