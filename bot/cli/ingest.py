"""`silta …` commands for ingest (filled in by the ingest work)."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add this module's commands to `silta`."""
