"""`silta db …`: schema migrations."""

from __future__ import annotations

import click

from bot import db
from bot.runtime import Runtime


@click.group("db")
def group() -> None:
    """Create or migrate the database schema."""


@group.command()
@click.pass_obj
def upgrade(runtime: Runtime) -> None:
    """Apply every pending migration (safe to run again)."""
    before, after = db.upgrade(runtime.engine)
    where = runtime.engine.url.render_as_string(hide_password=True)
    if before == after:
        click.echo(f"Database {where} is up to date (revision {after}).")
    else:
        click.echo(f"Database {where} upgraded from {before or 'empty'} to {after}.")


@group.command()
@click.argument("revision")
@click.pass_obj
def downgrade(runtime: Runtime, revision: str) -> None:
    """Undo migrations down to REVISION ("base" removes every table)."""
    db.downgrade(runtime.engine, revision)
    click.echo(f"Database downgraded to {revision}.")


@group.command()
@click.pass_obj
def current(runtime: Runtime) -> None:
    """Show the database's revision and the newest one this Silta knows."""
    revision = db.current_revision(runtime.engine)
    head = db.head_revision(runtime.engine)
    state = "up to date" if revision == head else "run `silta db upgrade`"
    click.echo(f"Database revision {revision or 'none'}; code revision {head} ({state}).")


def register(cli: click.Group) -> None:
    cli.add_command(group)
