"""`silta init` and `silta config check`: getting a workspace right before anything runs."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import click

from bot import db
from bot.errors import ConfigError
from bot.runtime import Runtime


def starter_config() -> str:
    return files("bot").joinpath("starter.toml").read_text(encoding="utf-8")


@click.command()
@click.option("--force", is_flag=True, help="Overwrite an existing workspace file.")
@click.pass_obj
def init(runtime: Runtime, force: bool) -> None:
    """Write a commented starter silta.toml and create the database."""
    path = Path(runtime.settings.config_path)
    if path.exists() and not force:
        click.echo(f"{path} already exists; kept it (use --force to overwrite).")
    else:
        path.write_text(starter_config(), encoding="utf-8")
        click.echo(f"Wrote {path}: edit company.terms, the teams' channels and the sources.")
    _, after = db.upgrade(runtime.engine)
    where = runtime.engine.url.render_as_string(hide_password=True)
    click.echo(f"Database {where} is ready (revision {after}).")
    click.echo("Next: `silta config check`.")


@click.group("config")
def config_group() -> None:
    """Inspect the configuration."""


@config_group.command()
@click.pass_obj
def check(runtime: Runtime) -> None:
    """Validate silta.toml and the environment; list every problem (exit 2) or say it is clean."""
    try:
        config = runtime.config
    except ConfigError as exc:
        click.echo(f"{len(exc.problems)} problem(s) found:", err=True)
        for problem in exc.problems:
            click.echo(f"  - {problem}", err=True)
        raise SystemExit(2) from None
    workspace = config.workspace
    click.echo(
        f"{config.settings.config_path} is valid: company {workspace.company.name!r}, "
        f"{len(workspace.teams)} team(s), {len(workspace.sources)} source(s)."
    )
    if not config.settings.slack_bot_token:
        click.echo("Note: SLACK_BOT_TOKEN is not set; Silta can poll and classify but not post.")


def register(cli: click.Group) -> None:
    cli.add_command(init)
    cli.add_command(config_group)
