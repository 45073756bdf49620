"""The `silta` command. Each group of subcommands lives in its own module and is added here;
those of features outside bot/ come through `bot.wiring.add_commands`."""

from __future__ import annotations

import logging
import sys

import click

from bot import wiring
from bot.cli import classify, db, demo, ingest, setup, slack
from bot.errors import ConfigError, SiltaError
from bot.runtime import Runtime


class SiltaGroup(click.Group):
    """Turns every SiltaError into its paragraph on stderr and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            click.echo(f"silta: {exc}", err=True)
            sys.exit(2)
        except SiltaError as exc:
            click.echo(f"silta: {exc}", err=True)
            sys.exit(1)


@click.group(cls=SiltaGroup)
@click.version_option(package_name="silta")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Silta carries social-media mentions to the Slack team that can act on them."""
    runtime = Runtime.from_environ()
    ctx.obj = runtime
    logging.basicConfig(
        level=runtime.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if runtime.log_level != "DEBUG":
        logging.getLogger("alembic").setLevel(logging.WARNING)


def _add_commands() -> None:
    for module in (setup, db, ingest, classify, slack, demo):
        module.register(cli)
    wiring.add_commands(cli)


_add_commands()


def main() -> None:
    cli(prog_name="silta")
