"""`silta …` commands for classify (filled in by the classify work)."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add this module's commands to `silta`."""
