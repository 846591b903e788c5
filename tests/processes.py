"""A command's process tree (psutil) and the modes of the files it left."""

from __future__ import annotations

import stat
import time
from pathlib import Path

import psutil


def tree(pid: int) -> list[int]:
    """`pid` and every process descended from it, alive now."""
    try:
        return [pid, *(child.pid for child in psutil.Process(pid).children(recursive=True))]
    except psutil.NoSuchProcess:
        return [pid]


def _running(pid: int) -> bool:
    """Whether `pid` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def alive(pids: list[int]) -> list[int]:
    """Those of `pids` still running (a zombie, dead but not yet reaped, is not)."""
    return [pid for pid in pids if _running(pid)]


def wait_gone(pids: list[int], within_s: float) -> list[int]:
    """Wait up to `within_s` for `pids` to end; those still alive then. (Not `psutil.wait_procs`:
    it waits for a zombie until its parent reaps it, and here a zombie has ended.)"""
    deadline = time.monotonic() + within_s
    while (left := alive(pids)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def not_private(*roots: Path) -> list[str]:
    """Files (not 0600) and folders (not 0700) under `roots` (each a file or a folder) that
    someone else than their owner could read: [] when all are private."""
    found = []
    for root in roots:
        if not root.exists():
            continue
        for path in [root, *(root.rglob("*") if root.is_dir() else [])]:
            mode = stat.S_IMODE(path.lstat().st_mode)
            if mode != (0o700 if path.is_dir() else 0o600):
                found.append(f"{path} {mode:o}")
    return found
