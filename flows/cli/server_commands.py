"""The commands that work with a Prefect server: `server` starts one with its UI, `serve`
registers newsflow's deployments with it and runs them when they are due."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.cli.options import DEMO_PORT, SNAPSHOT_PROFILE, BaseUrl, Warehouse, settings_of
from flows.deployments import DEPLOYMENTS
from flows.settings import Settings
from sources.outlets import DEFAULT_OUTLET

SERVED = ", ".join(f"{d.name} ({d.schedule})" for d in DEPLOYMENTS)
SERVE_HELP = (
    f"Serve the deployments to the Prefect server: {SERVED}.\n\n"
    "Register the deployments with the Prefect server ($PREFECT_API_URL, default "
    "http://127.0.0.1:4200/api) and run them when due. Options given here (or the snapshot's "
    "address) are the deployments' parameters; the others come from the settings when each run "
    "starts."
)


def server(
    port: Annotated[
        int, typer.Option(metavar="PORT", help="Port of the server and UI.", show_default=True)
    ] = 4200,
) -> None:
    """Start a local Prefect server and its UI (state in .prefect/)."""
    env = dict(os.environ)  # the app has set the Prefect defaults the user left unset
    env.setdefault("PREFECT_HOME", str(Path(".prefect").resolve()))
    # The UI calls the API at this address; on another port than 4200 it must be told.
    env.setdefault("PREFECT_UI_API_URL", f"http://127.0.0.1:{port}/api")
    print(
        f"Prefect UI: http://127.0.0.1:{port}  (state in {env['PREFECT_HOME']}; stop with Ctrl-C)",
        flush=True,
    )
    prefect = Path(sys.executable).with_name("prefect")
    os.execve(
        prefect, [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)], env
    )


def serve(
    ctx: typer.Context,
    snapshot: Annotated[
        bool,
        typer.Option(
            "--snapshot",
            help="Serve the bundled snapshot on 127.0.0.1 and point every deployment at it (the "
            "demo's site).",
        ),
    ] = False,
    port: Annotated[
        int,
        typer.Option(
            metavar="PORT",
            help=f"With --snapshot: port of the snapshot server (default {DEMO_PORT}).",
            show_default=False,
        ),
    ] = DEMO_PORT,
    base_url: BaseUrl = None,
    warehouse: Warehouse = None,
) -> None:
    """Register the deployments with the Prefect server and run them when due (its help text,
    which lists them, is `SERVE_HELP`)."""
    settings = settings_of(ctx.params)  # a bad option is refused before anything is registered
    address = settings.prefect_server or Settings.model_fields["prefect_server"].default
    os.environ.setdefault("PREFECT_API_URL", f"{address.rstrip('/')}/api")
    from prefect import serve as serve_deployments

    from flows.deployments import to_deployments

    given: dict[str, Any] = {}
    if base_url:
        given["base_url"] = settings.base_url
    if warehouse:
        given["warehouse"] = str(warehouse.resolve())
    with contextlib.ExitStack() as stack:
        if snapshot:
            from sources.snapshot_server import SnapshotServer

            site = stack.enter_context(SnapshotServer(port=port))
            given = {
                **SNAPSHOT_PROFILE, "offline": True, **given, "base_url": site.base_url,
                # The outlets' deployment reads the snapshot's one outlet, there.
                "outlets": [DEFAULT_OUTLET], "sites": {DEFAULT_OUTLET: site.base_url},
            }  # fmt: skip
            print(f"Serving the bundled snapshot of Espreso Global at {site.base_url}", flush=True)
        print(
            f"Serving newsflow's deployments on {os.environ['PREFECT_API_URL']} (stop with SIGTERM)",
            flush=True,
        )
        serve_deployments(*to_deployments(given))
