"""Prefect homes for the commands tests run as processes, each starting as a copy of one made
ready once per session.

A Prefect server on a new home first migrates its database and registers its block types: 8–13 s
of CPU before a command's own work, paid by every temporary server on a new home. The template
is a home a `prefect server start` has been through once (`prefect.db`, and `memo_store.toml`,
which tells the next start its block types are registered); a test's home starts as a copy of
it, so its server starts as it would on the second day of a user's machine. `newsflow demo`'s
test keeps a new home: a first start is what a new user sees.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
# What a server's first start leaves in its home that a later start reads.
READY_FILES = ("prefect.db", "memo_store.toml")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _first_start(home: Path) -> None:
    """Start `prefect server` on `home` until it answers, then stop it."""
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    with (home / "server.log").open("wb") as log:
        server = subprocess.Popen(
            [BIN / "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).json() is True:
                        break
                except (httpx.HTTPError, OSError, ValueError):
                    pass
                if server.poll() is not None:
                    break
                time.sleep(0.5)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    missing = [name for name in READY_FILES if not (home / name).is_file()]
    if missing:
        raise RuntimeError(
            f"prefect server's first start left no {', '.join(missing)} in {home}: see server.log"
        )
    # The server leaves most of its migrations in the write-ahead log: into the file with them.
    with closing(sqlite3.connect(home / "prefect.db")) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def ready_template(folder: Path) -> Path:
    """The session's template home in `folder` (shared by the test processes: the first to ask
    makes it, under a lock, the others wait for it)."""
    folder.mkdir(parents=True, exist_ok=True)
    home = folder / "prefect-home-template"
    with (folder / "prefect-home-template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (home / "ready").exists():
            shutil.rmtree(home, ignore_errors=True)
            home.mkdir(mode=0o700)
            _first_start(home)
            (home / "ready").touch()
    return home


def seeded_home(template: Path, home: Path) -> Path:
    """`home` (created, owner-only) holding a copy of the template's ready files."""
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name in READY_FILES:
        shutil.copyfile(template / name, home / name)
        (home / name).chmod(0o600)
    return home
