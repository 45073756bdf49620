"""The environment's settings, read from the mapping callers pass (`os.environ`, or a test's
dict), never at import time: importing Silta reads no environment."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.config.describe import describe
from bot.errors import ConfigError

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseModel):
    """The environment: where the database is, how to reach Slack, how loud to log."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    database_url: str = "sqlite:///silta.db"
    config_path: str = "silta.toml"
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    log_level: str = "INFO"
    leader_retry: float = Field(default=5.0, ge=0.1, le=15)
    """Seconds between a waiting worker's attempts to lead (and the leader's checks)."""

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(
                f'"{value}" is not a database URL; use "sqlite:///silta.db" or '
                '"postgresql://user@host:5432/silta"'
            ) from None
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError(
                f'"{url.get_backend_name()}" is not supported; use sqlite or postgresql'
            )
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(f'"{value}" is not a URL; use "https://slack.com/api/"')
        return value if value.endswith("/") else value + "/"

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: str | None) -> str | None:
        if value and not value.startswith("xoxb-"):
            raise ValueError("a bot token starts with xoxb-; copy it from OAuth & Permissions")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: str | None) -> str | None:
        if value and not value.startswith("xapp-"):
            raise ValueError(
                "an app-level token starts with xapp-; create one under Basic Information"
            )
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f'"{value}" is not a log level; use one of {", ".join(LOG_LEVELS)}')
        return value.upper()


ENVIRONMENT = {
    "DATABASE_URL": "database_url",
    "SILTA_CONFIG": "config_path",
    "SLACK_BOT_TOKEN": "slack_bot_token",
    "SLACK_SIGNING_SECRET": "slack_signing_secret",
    "SLACK_APP_TOKEN": "slack_app_token",
    "SLACK_API_URL": "slack_api_url",
    "SLACK_CLIENT_ID": "slack_client_id",
    "SLACK_CLIENT_SECRET": "slack_client_secret",
    "LOG_LEVEL": "log_level",
    "SILTA_LEADER_RETRY": "leader_retry",
}


def load_settings(environ: Mapping[str, str]) -> Settings:
    values = {field: environ[name] for name, field in ENVIRONMENT.items() if environ.get(name)}
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        field_to_env = {v: k for k, v in ENVIRONMENT.items()}
        raise ConfigError(describe(exc, root=Settings, rename=field_to_env)) from None
