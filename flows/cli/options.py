"""The options a command takes, typed: a setting's option (flag, help, shown default and metavar)
is made from its `Settings` field, so a command declares it as a parameter named after the field,
and `settings_of(ctx.params)` builds the command's settings from what was given."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.settings import Settings

# A fixed port keeps the demo's URLs, and so its warehouse, the same from run to run.
DEMO_PORT = 8765
# The demo (and `serve --snapshot`) read the whole bundled snapshot at once: its own defaults, which
# the environment and options still override.
SNAPSHOT_PROFILE: dict[str, Any] = {"lookback_days": 3650, "min_interval_s": 0.0}


def setting(field: str, profile: Mapping[str, Any] | None = None) -> Any:
    """The option of a setting: its flag, help and shown default (with its variable) from
    `Settings`, the `profile`'s default in place of the class's when it has one. Its own default
    is None ("from the settings"): the value is the class's to choose."""
    info = Settings.model_fields[field]
    flag = Settings.option(field)
    if flag is None:
        raise ValueError(f"the setting {field} has no option: give its field json_schema_extra")
    default = (profile or {}).get(field, info.default)
    shown = default if default not in (None, "") else "none"
    return typer.Option(
        flag,
        help=f"{info.description} Default {shown}, or ${Settings.env_name(field)}.",
        metavar="PATH" if info.annotation is Path else field.upper().removesuffix("_S"),
        show_default=False,
    )


def settings_of(params: Mapping[str, Any], profile: Mapping[str, Any] | None = None) -> Settings:
    """A command's settings: `profile` < environment < the setting options it was given."""
    return Settings.build({k: v for k, v in params.items() if k in Settings.model_fields}, profile)


def kyiv_date(value: str) -> date:
    """A Kyiv calendar date given as YYYY-MM-DD."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date: write YYYY-MM-DD") from None


OutletName = Annotated[str | None, setting("outlet")]
BaseUrl = Annotated[str | None, setting("base_url")]
Warehouse = Annotated[Path | None, setting("warehouse")]
Pages = Annotated[int | None, setting("pages")]
LookbackDays = Annotated[int | None, setting("lookback_days")]
MinInterval = Annotated[float | None, setting("min_interval_s")]
SnapshotLookbackDays = Annotated[int | None, setting("lookback_days", SNAPSHOT_PROFILE)]
SnapshotMinInterval = Annotated[float | None, setting("min_interval_s", SNAPSHOT_PROFILE)]
BatchSize = Annotated[int | None, setting("batch_size")]
PagesPerBatch = Annotated[int | None, setting("pages_per_batch")]
BatchPages = Annotated[int | None, setting("batch_pages")]
Workers = Annotated[int | None, setting("workers")]
OfficialUrl = Annotated[str | None, setting("official_url")]
OfficialBundled = Annotated[Path | None, setting("official_bundled")]
SnapshotRetentionDays = Annotated[int | None, setting("snapshot_retention_days")]
