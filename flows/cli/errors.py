"""What a command prints when it fails: one paragraph for a failure a person can act on, and the
exit code that says whose it is (2: what was given, 1: the run)."""

from __future__ import annotations

from pydantic import ValidationError

from flows.settings import Settings


class Refused(Exception):
    """A command that cannot do what was asked: its message says why and what to run instead
    (exit code 1, nothing started)."""


def user_message(error: Exception) -> str | None:
    """One paragraph for a failure a person can act on; None for a bug (its traceback shows)."""
    from prefect.exceptions import FailedRun

    from warehouse.connection import WarehouseError

    if isinstance(error, Refused):
        return str(error)
    if isinstance(error, FailedRun):
        return f"the run failed: {error}"
    if isinstance(error, ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']} (got {e.get('ctx', {}).get('shown', e.get('input'))!r}; set by its option or ${Settings.env_name(str(e['loc'][0]))})"
            for e in error.errors()
        )
        return f"invalid setting: {problems}"
    if isinstance(error, WarehouseError):
        return str(error)
    if isinstance(error, TimeoutError):
        return f"{error}; try again when the other run has finished"
    if isinstance(error, OSError) and error.filename:
        return (
            f"cannot use {error.filename}: {error.strerror}. Check the path and its permissions, "
            "or give another one."
        )
    return None


def exit_code(error: Exception) -> int:
    """2 when what the person gave is wrong (a setting, a path, a damaged file); 1 when a run
    given good input failed (the site, a busy warehouse)."""
    from warehouse.connection import WarehouseError

    if isinstance(error, TimeoutError):
        return 1
    return 2 if isinstance(error, ValidationError | WarehouseError | OSError) else 1


def usage_line(where: str, message: str) -> str:
    """A refused command line as one line: what is wrong, and where the help is."""
    return f"{where}: {' '.join(message.split())} (see `{where} --help`)"
