"""The `newsflow` app: its commands, the global `--debug`, and `main`, which turns every refusal
and failure into one paragraph on stderr and an exit code (2: what was given is wrong; 1: the run
failed; 128 + the signal: stopped)."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

import typer

from flows.cli import lake_commands, outlet_commands, read_commands, run_commands, server_commands
from flows.cli.errors import exit_code, usage_line, user_message
from flows.cli.read_page import read as read_page

PROG = "newsflow"
# Prefect's server phones home by default; offline that ends in error tracebacks at exit
# (telemetry, then a locked SQLite file). newsflow never needs it.
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "GX_ANALYTICS_ENABLED": "false",
}


@dataclass
class Invocation:
    """What `main` needs to know of the command line to report a failure."""

    command: str | None = None
    debug: bool = False

    @property
    def where(self) -> str:
        """`newsflow run`, or `newsflow` before a command is known."""
        return f"{PROG} {self.command}" if self.command else PROG


app = typer.Typer(
    name=PROG,
    help="Espreso Global news as clean, queryable data: fetch, parse, shape, check, load into "
    "DuckDB.",
    epilog="Settings: options win over NEWSFLOW_* environment variables, which win over the "
    "defaults.",
    add_completion=False,
    rich_markup_mode=None,  # plain help, and no `rich` import at start
    pretty_exceptions_enable=False,
)
for command in (
    run_commands.run,
    run_commands.demo,
    run_commands.backfill,
    run_commands.facts,
    run_commands.official_losses,
    run_commands.maintain,
    server_commands.server,
    server_commands.serve,
    run_commands.reparse,
    read_commands.search,
    read_commands.quarantine,
    read_commands.export,
    read_commands.report,
    outlet_commands.outlets,
):
    # serve's help lists the deployments: made from them, not written in its docstring.
    text = server_commands.SERVE_HELP if command is server_commands.serve else None
    app.command(command.__name__.replace("_", "-"), help=text)(command)
# `sql` hands the arguments after its options to the DuckDB shell.
app.command("sql", context_settings=lake_commands.SQL_CONTEXT)(lake_commands.sql)
app.command("migrate-warehouse")(lake_commands.migrate_warehouse)
app.command("read")(read_page)


@app.callback()
def newsflow(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")] = False,
) -> None:
    """Before any command: files private, SIGTERM ends the command, Prefect stays offline."""
    from flows.process import private_files, stop_on_sigterm

    invocation = ctx.ensure_object(Invocation)
    invocation.command, invocation.debug = ctx.invoked_subcommand, debug
    private_files()
    stop_on_sigterm()
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsflow` console script: the command's exit code."""
    invocation = Invocation()
    group = typer.main.get_command(app)
    try:
        with group.make_context(
            PROG, list(sys.argv[1:] if argv is None else argv), obj=invocation
        ) as ctx:
            group.invoke(ctx)
    except typer.Exit as end:  # --help, or a command that ends with a code
        return end.exit_code
    except typer.TyperException as refused:  # the command line itself: unknown option, bad value
        print(usage_line(invocation.where, refused.format_message()), file=sys.stderr)
        return refused.exit_code
    except Exception as error:
        if invocation.debug:
            raise
        message = user_message(error)
        if message is None:
            raise
        print(f"{invocation.where}: {message}", file=sys.stderr)
        return exit_code(error)
    except BaseException as stop:  # a signal or Ctrl-C ends the command; SystemExit goes on
        signum = _stop_signal(stop)
        if signum is None:
            raise
        print(
            f"{invocation.where}: stopped by {signal.Signals(signum).name}; the warehouse "
            "holds whole runs only, so the next run picks up what this one did not load",
            file=sys.stderr,
        )
        return 128 + signum
    return 0


def _stop_signal(stop: BaseException) -> int | None:
    """The signal that stopped the command (SIGINT for Ctrl-C), or None for another ending."""
    from flows.process import Stopped  # imported when needed: `--help` stays quick

    if isinstance(stop, Stopped):
        return stop.signum
    return signal.SIGINT if isinstance(stop, KeyboardInterrupt) else None


if __name__ == "__main__":
    sys.exit(main())
