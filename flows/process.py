"""How a `newsflow` command's process lives and ends: every file it creates is its owner's only,
SIGTERM (what `timeout`, systemd and a Prefect cancel send) ends it within seconds, with its
cleanups run, and Prefect's temporary server never outlives it, however it ends (SIGKILL included).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

# Files 0600 and folders 0700 from the moment they are created: the warehouse, its WAL and
# temporary files, the archive, Data Docs, exports, and Prefect's own database under PREFECT_HOME.
PRIVATE_UMASK = 0o077
# A command asked to stop that has not ended by itself after this many seconds is ended hard (its
# temporary server with it): what `timeout -k`, systemd and Prefect's cancel allow is not known.
GRACE_S = 8.0
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class Stopped(BaseException):
    """The command was asked to stop by a signal. A BaseException, like KeyboardInterrupt: it
    unwinds every `with` and `finally` (an open transaction rolls back) and no `except Exception`
    holds it up."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


_stopping = threading.Event()


def private_files() -> None:
    """Make every file this process (and its children) creates readable by its owner only."""
    os.umask(PRIVATE_UMASK)


def stop_on_sigterm() -> None:
    """On SIGTERM raise `Stopped` in the main thread, and end the process hard `GRACE_S` later
    if it has not ended by then. Prefect's flow engine puts its own handler first while a flow
    runs: it marks the run Crashed, then hands the signal on to this one."""
    signal.signal(signal.SIGTERM, _stop)


def _stop(signum: int, frame: FrameType | None) -> None:
    if _stopping.is_set():
        return  # already unwinding: a second SIGTERM must not break a cleanup half-way
    _stopping.set()
    threading.Thread(target=_end_hard, args=(signum,), name="newsflow-grace", daemon=True).start()
    raise Stopped(signum)


def _end_hard(signum: int) -> None:
    time.sleep(GRACE_S)  # a daemon thread: a process that ends by itself ends it too
    server = _temporary_server()
    if server is not None and server.server_process is not None:
        server.server_process.kill()
    os._exit(128 + signum)


def _temporary_server() -> Any:
    from prefect.server.api.server import SubprocessASGIServer

    return SubprocessASGIServer._instances.get(None)


def start_temporary_server() -> None:
    """Start Prefect's temporary server (the one it starts when no PREFECT_API_URL is set) now,
    from the main thread, as a child that the kernel kills when this process ends: a parent-death
    signal is tied to the thread that started the child, and only the main thread lives as long
    as the process. Prefect stops it itself at a normal exit."""
    from prefect.server.api import server as prefect_server

    # Prefect's own command, started through a `subprocess` whose Popen adds the parent-death
    # signal (the no-leftover tests fail if Prefect stops starting it this way).
    setattr(prefect_server, "subprocess", _DyingWithUs())  # noqa: B010 - a module attribute
    prefect_server.SubprocessASGIServer().start()


class _DyingWithUs:
    """The `subprocess` module, except that children started by its Popen get SIGKILL when this
    process dies (Linux; elsewhere they are started as usual)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(subprocess, name)

    @staticmethod
    def Popen(args: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        return subprocess.Popen(args, preexec_fn=die_with(os.getpid()), **kwargs)


def die_with(parent: int) -> Callable[[], None] | None:
    """A `preexec_fn` that makes the child get SIGKILL when `parent` dies (None off Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def arm() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)

    return arm
