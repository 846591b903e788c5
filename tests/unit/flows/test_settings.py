"""Settings come from one place, in one order: defaults < `NEWSFLOW_*` environment < an option or a
flow parameter; the README's table is the class's; a bad value is one clear message, exit 2."""

from __future__ import annotations

import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
import typer
from pydantic import ValidationError
from typer.core import TyperGroup

from flows.cli import app
from flows.cli.options import SNAPSHOT_PROFILE, settings_of
from flows.settings import Settings, settings_table

REPO = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent


def _commands() -> dict[str, Any]:
    """The app's commands by name, as the command line sees them."""
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    return dict(group.commands)


def _settings(argv: list[str], profile: dict[str, Any] | None = None) -> Settings:
    """The settings a command line gives, parsed by the app's own command, nothing run."""
    name, *rest = argv
    return settings_of(_commands()[name].make_context(name, rest).params, profile)


def test_the_readme_table_is_the_settings_class() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert settings_table() in readme
    assert settings_table().count("\n| `NEWSFLOW_") == len(Settings.model_fields)


def test_defaults_then_environment_then_options(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _settings(["run"]).pages == 3
    monkeypatch.setenv("NEWSFLOW_PAGES", "7")
    monkeypatch.setenv("NEWSFLOW_MIN_INTERVAL_S", "5")
    monkeypatch.setenv("NEWSFLOW_WAREHOUSE", "/data/w.duckdb")
    from_env = _settings(["run"])
    assert (from_env.pages, from_env.min_interval_s, from_env.warehouse) == (
        7,
        5.0,
        Path("/data/w.duckdb"),
    )
    given = _settings(["run", "--pages", "2", "--warehouse", "x.duckdb"])
    assert (given.pages, given.min_interval_s, given.warehouse) == (2, 5.0, Path("x.duckdb"))
    # A flow parameter is an override like an option; None means "from the settings".
    assert Settings.build({"pages": None, "min_interval_s": 0.5}).model_dump(
        include={"pages", "min_interval_s"}
    ) == {"pages": 7, "min_interval_s": 0.5}


def test_the_demo_profile_sits_between_defaults_and_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    demo = _settings(["demo"], SNAPSHOT_PROFILE)
    assert (demo.lookback_days, demo.min_interval_s) == (3650, 0.0)
    monkeypatch.setenv("NEWSFLOW_LOOKBACK_DAYS", "5")
    demo = _settings(["demo"], SNAPSHOT_PROFILE)
    assert (demo.lookback_days, demo.min_interval_s) == (5, 0.0)
    demo = _settings(["demo", "--lookback-days", "1"], SNAPSHOT_PROFILE)
    assert demo.lookback_days == 1


def test_every_option_has_help() -> None:
    commands = _commands()
    missing = [
        f"{name} {param.opts}"
        for name, command in commands.items()
        for param in command.params
        if not getattr(param, "help", None)
    ]
    assert missing == []
    assert all(command.help for command in commands.values())


def test_every_setting_option_is_its_field() -> None:
    """A command's parameter named after a setting is that setting's option: its flag and help
    from the field, its type the field's (or None: "from the settings")."""
    seen = set()
    for name, command in _commands().items():
        assert command.callback is not None
        hints = typing.get_type_hints(command.callback, include_extras=True)
        for param in command.params:
            if param.name not in Settings.model_fields:
                continue
            info = Settings.model_fields[param.name]
            seen.add(param.name)
            assert param.opts == [Settings.option(param.name)], (name, param.name)
            assert getattr(param, "help", "").startswith(info.description or "?"), (
                name,
                param.name,
            )
            assert param.default is None, (name, param.name)
            kind = typing.get_args(hints[param.name])[0]
            assert info.annotation is not None
            assert kind == info.annotation | None, (name, param.name, kind)
    assert seen == {f for f in Settings.model_fields if Settings.option(f)}


def test_a_setting_option_shows_its_default_and_variable() -> None:
    (pages,) = [p for p in _commands()["run"].params if p.name == "pages"]
    assert getattr(pages, "help", None) == (
        "Feed pages to read at most per run. Default 3, or $NEWSFLOW_PAGES."
    )
    (lookback,) = [p for p in _commands()["demo"].params if p.name == "lookback_days"]
    assert getattr(lookback, "help", None) == (
        "Sitemap entries modified this many days back. Default 3650, or $NEWSFLOW_LOOKBACK_DAYS."
    )


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (
            ["run", "--pages", "-1"],
            {},
            "newsflow run: invalid setting: pages: Input should be greater than or equal to 1 (got -1; set by its option or $NEWSFLOW_PAGES)\n",
        ),
        (
            ["run"],
            {"NEWSFLOW_MIN_INTERVAL_S": "soon"},
            "newsflow run: invalid setting: min_interval_s: Input should be a valid number, unable to parse string as a number (got 'soon'; set by its option or $NEWSFLOW_MIN_INTERVAL_S)\n",
        ),
        (
            ["maintain", "--snapshot-retention-days", "-1"],
            {},
            "newsflow maintain: invalid setting: snapshot_retention_days: Input should be greater than or equal to 0 (got -1; set by its option or $NEWSFLOW_SNAPSHOT_RETENTION_DAYS)\n",
        ),
    ],
)
def test_a_bad_setting_is_one_message_and_exit_2(
    args: list[str], env: dict[str, str], expected: str, tmp_path: Path
) -> None:
    import os

    done = subprocess.run(
        [BIN / "newsflow", *args],
        env={**os.environ, **env, "NEWSFLOW_WAREHOUSE": str(tmp_path / "w.duckdb")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr, done.stdout) == (2, expected, "")
    assert not (tmp_path / "w.duckdb").exists()


NOT_A_SITE = (
    "not the address of a site: give http:// or https:// and a host name, like "
    "https://global.espreso.tv"
)
CREDENTIALS = (
    "holds a user name or password, which would be sent to the site and stored with every "
    "request: give the address alone"
)


@pytest.mark.parametrize(
    ("given", "reason", "shown"),
    [
        ("notaurl", NOT_A_SITE, "notaurl"),
        ("ftp://x", NOT_A_SITE, "ftp://x"),
        ("http://{host}:port", NOT_A_SITE, "http://{host}:port"),
        ("http://user:pass@{host}", CREDENTIALS, "http://***@{host}"),
        ("http://token@{host}", CREDENTIALS, "http://***@{host}"),
    ],
)
@pytest.mark.parametrize("through", ["option", "environment"])
def test_an_unusable_site_address_is_refused_before_anything_is_sent(
    given: str, reason: str, shown: str, through: str, tmp_path: Path
) -> None:
    import os

    from sources.snapshot_server import SnapshotServer

    with SnapshotServer() as server:
        host = server.base_url.removeprefix("http://")
        url = given.format(host=host)
        option = ["--base-url", url] if through == "option" else []
        env = {} if option else {"NEWSFLOW_BASE_URL": url}
        done = subprocess.run(
            [BIN / "newsflow", "run", *option, "--warehouse", str(tmp_path / "w.duckdb")],
            env={**os.environ, **env, "PREFECT_HOME": str(tmp_path / "prefect")},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert server.requests == []
    expected = f"newsflow run: invalid setting: base_url: {reason} (got {shown.format(host=host)!r}; set by its option or $NEWSFLOW_BASE_URL)\n"
    assert (done.returncode, done.stderr, done.stdout) == (2, expected, "")
    assert not (tmp_path / "w.duckdb").exists()
    assert not (tmp_path / "prefect" / "prefect.db").exists()


def test_the_site_address_has_its_scheme_and_host_in_lower_case() -> None:
    assert Settings.build({"base_url": "HTTP://127.0.0.1:8765"}).base_url == "http://127.0.0.1:8765"
    assert (
        Settings.build({"base_url": "https://Global.Espreso.TV/News"}).base_url
        == "https://global.espreso.tv/News"
    )
    # A served run's parameter goes through the same check; the error never repeats the input.
    with pytest.raises(ValidationError) as refused:
        Settings.build({"base_url": "http://user:secret@example.org"})
    assert "secret" not in str(refused.value)
    assert refused.value.errors()[0]["msg"] == CREDENTIALS
