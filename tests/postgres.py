"""A real PostgreSQL server for a test: Debian's binaries (`make test` installs them with
`bin/install-postgres`), a new cluster in a temporary folder, listening on 127.0.0.1 only, trusted
for the user `newsflow`, and stopped (its folder removed) when the test is done. Root cannot run
PostgreSQL, so as root the server runs as the `postgres` user."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

USER = "newsflow"


@dataclass(frozen=True, slots=True)
class Postgres:
    """A running server: where it listens, and how to make a database on it."""

    port: int
    bin_dir: Path
    as_user: list[str]

    def create_database(self, name: str) -> str:
        """Create the database `name`; its `postgres:` catalog string for `NEWSFLOW_CATALOG`."""
        subprocess.run(
            [*self.as_user, self.bin_dir / "createdb", "-h", "127.0.0.1", "-p", str(self.port),
             "-U", USER, name],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        return self.catalog(name)

    def catalog(self, name: str) -> str:
        """The shared-catalog setting naming database `name` on this server."""
        return f"postgres:dbname={name} host=127.0.0.1 port={self.port} user={USER}"


def bin_dir() -> Path:
    """The newest installed PostgreSQL server's binaries."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=_version)
    if not found:
        raise RuntimeError("no PostgreSQL server: run bin/install-postgres (make test does)")
    return Path(found[-1]).parent


def _version(path: str) -> int:
    return int(Path(path).parents[1].name.split(".")[0])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def postgres_server() -> Iterator[Postgres]:
    """Start a new PostgreSQL cluster on 127.0.0.1 and yield it; stop it and remove its folder."""
    binaries = bin_dir()
    folder = Path(tempfile.mkdtemp(prefix="newsflow-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, sockets = folder / "data", folder / "sockets"
    port = _free_port()
    server: subprocess.Popen[bytes] | None = None
    try:
        for sub in (data, sockets):
            subprocess.run([*as_user, "mkdir", "-m", "0700", sub], check=True)
        subprocess.run(
            [*as_user, binaries / "initdb", "-D", data, "-A", "trust", "-U", USER, "-E", "UTF8"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        log = (folder / "server.log").open("wb")
        # fsync off: a test's cluster is thrown away, and this keeps it fast on a busy disk.
        server = subprocess.Popen(
            [*as_user, binaries / "postgres", "-D", data, "-h", "127.0.0.1", "-p", str(port),
             "-k", sockets, "-c", "fsync=off", "-c", "max_connections=100"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + 60
        while subprocess.run(
            [binaries / "pg_isready", "-h", "127.0.0.1", "-p", str(port)], capture_output=True
        ).returncode:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"PostgreSQL did not start: {(folder / 'server.log').read_text()[-2000:]}"
                )
            time.sleep(0.2)
        yield Postgres(port, binaries, as_user)
    finally:
        if server is not None:
            # runuser passes the signal on; the whole session goes, the server's children too.
            os.killpg(server.pid, signal.SIGINT)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        shutil.rmtree(folder, ignore_errors=True)
