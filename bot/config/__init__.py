"""One validated configuration: the environment plus the workspace file `silta.toml`.

Everything is checked at once so that `silta config check` can list every problem in one go,
each naming the key and the fix. Nothing here reads the environment at import time: callers
pass `os.environ` (or a test's dict) to `load_config`.

The package's modules, one job each: `settings` (the environment), `workspace` (the file's
schema; each source kind's keys are its own module's, in `bot.sources`), `values` (checks for
cron lines, time zones, categories), `files` (reading TOML), `secrets` (`env:NAME` values) and
`describe` (errors as lines). What importers use is here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.config.describe import describe
from bot.config.files import read_toml
from bot.config.secrets import resolve_secrets
from bot.config.settings import ENVIRONMENT, Settings, load_settings
from bot.config.workspace import (
    Alerts,
    Classifier,
    Company,
    SlackSection,
    Targets,
    Team,
    Workspace,
)
from bot.durations import parse_duration
from bot.errors import ConfigError
from bot.sources import Source

__all__ = [
    "ENVIRONMENT",
    "Alerts",
    "Classifier",
    "Company",
    "Config",
    "Settings",
    "SlackSection",
    "Source",
    "Targets",
    "Team",
    "Workspace",
    "load_config",
    "load_settings",
    "load_workspace",
    "parse_duration",
    "read_toml",
]


class Config(BaseModel):
    model_config = ConfigDict(frozen=True)

    settings: Settings
    workspace: Workspace


def load_workspace(
    data: dict[str, Any], environ: Mapping[str, str], *, path: str | None = None
) -> Workspace:
    """Validate the workspace file and resolve `env:NAME` secrets against `environ`."""
    problems: list[str] = []
    data = resolve_secrets(data, environ, problems)
    try:
        workspace = Workspace(**data)
    except ValidationError as exc:
        problems += describe(exc, root=Workspace, data=data)
        raise ConfigError(problems, path=path) from None
    if problems:
        raise ConfigError(problems, path=path)
    return workspace


def load_config(environ: Mapping[str, str] | None = None) -> Config:
    """The whole configuration, or a ConfigError that lists every problem found."""
    environ = os.environ if environ is None else environ
    problems: list[str] = []
    settings: Settings | None = None
    try:
        settings = load_settings(environ)
    except ConfigError as exc:
        problems += exc.problems
    path = Path(settings.config_path if settings else environ.get("SILTA_CONFIG", "silta.toml"))
    workspace: Workspace | None = None
    try:
        workspace = load_workspace(read_toml(path), environ, path=str(path))
    except ConfigError as exc:
        problems += [f"{path}: {p}" if not p.startswith(str(path)) else p for p in exc.problems]
    if problems or settings is None or workspace is None:
        raise ConfigError(problems)
    return Config(settings=settings, workspace=workspace)
