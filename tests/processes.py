"""A command's process tree, read from /proc (Linux), and the modes of the files it left."""

from __future__ import annotations

import stat
import time
from pathlib import Path


def _stat_fields(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text.rsplit(")", 1)[1].split()  # the name, in parentheses, may hold spaces
    return fields[0], int(fields[1])


def tree(pid: int) -> list[int]:
    """`pid` and every process descended from it, alive now."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (found := _stat_fields(int(entry.name))):
            parents.setdefault(found[1], []).append(int(entry.name))
    found_tree, todo = [pid], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found_tree += children
        todo += children
    return found_tree


def alive(pids: list[int]) -> list[int]:
    """Those of `pids` still running (a zombie, dead but not yet reaped, is not)."""
    return [pid for pid in pids if (found := _stat_fields(pid)) and found[0] != "Z"]


def wait_gone(pids: list[int], within_s: float) -> list[int]:
    """Wait up to `within_s` for `pids` to end; those still alive then."""
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
