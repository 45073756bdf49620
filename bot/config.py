"""One validated configuration: the environment plus the workspace file `silta.toml`.

Everything is checked at once so that `silta config check` can list every problem in one go,
each naming the key and the fix. Nothing here reads the environment at import time: callers
pass `os.environ` (or a test's dict) to `load_config`.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.cron import trigger
from bot.errors import ConfigError
from bot.taxonomy import CATEGORIES, UNSURE_BELOW

SOURCE_KINDS: dict[str, dict[str, set[str]]] = {
    # kind: {"required": keys that must be set, "optional": keys that may be set}
    "rss": {"required": {"url"}, "optional": set()},
    "hackernews": {"required": {"query"}, "optional": {"tags"}},
    "reddit": {
        "required": set(),
        "optional": {"query", "subreddit", "listing", "client_id", "client_secret", "user_agent"},
    },
    "mastodon": {"required": set(), "optional": {"tag", "query", "token"}},
    "bluesky": {"required": {"query"}, "optional": {"handle", "app_password"}},
    "stackexchange": {"required": {"query", "site"}, "optional": {"key"}},
    "github": {"required": {"query"}, "optional": {"token"}},
    "youtube": {"required": {"api_key"}, "optional": {"channel_id", "video_id"}},
    "x": {"required": {"query", "bearer_token"}, "optional": set()},
    "webhook": {"required": {"secret"}, "optional": set()},
    "import": {"required": set(), "optional": set()},
}
COMMON_SOURCE_KEYS = {"name", "kind", "every", "match", "base_url", "timeout", "enabled"}
SECRET_KEYS = {"app_password", "token", "api_key", "bearer_token", "secret", "client_secret", "key"}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_DURATION = re.compile(r"^\s*(\d+)\s*(s|m|h|d)\s*$")
_DURATION_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_CHANNEL = re.compile(r"^(#[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{6,})$")


def parse_duration(value: str) -> timedelta:
    """Read "30s", "5m", "2h" or "7d"; raise ValueError with the accepted forms."""
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f'"{value}" is not a duration; use a number and a unit, e.g. "5m", "1h"')
    amount, unit = int(match.group(1)), match.group(2)
    if amount <= 0:
        raise ValueError(f'"{value}" must be more than zero, e.g. "5m"')
    return timedelta(**{_DURATION_UNITS[unit]: amount})


def check_cron(value: str, timezone: str = "UTC") -> str:
    """Accept a five-field crontab line; the error suggests a working one."""
    try:
        trigger(value, timezone)
    except (ValueError, TypeError, ZoneInfoNotFoundError):
        raise ValueError(
            f'"{value}" is not a cron expression; try "0 9 * * 1-5" (09:00 on weekdays)'
        ) from None
    return value


def check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        close = difflib.get_close_matches(value, _zone_names(), n=1)
        hint = (
            f'; did you mean "{close[0]}"?'
            if close
            else '; use an IANA name like "Europe/Helsinki"'
        )
        raise ValueError(f'"{value}" is not a time zone{hint}') from None
    return value


def _zone_names() -> list[str]:
    from zoneinfo import available_timezones

    return sorted(available_timezones())


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Company(_Strict):
    name: str = Field(min_length=1)
    terms: list[str] = Field(min_length=1)
    exclude: list[str] = []
    competitors: list[str] = []
    products: list[str] = []
    phrases: dict[str, list[str]] = {}
    """Extra phrases per category that sharpen the classifier, e.g. sales_lead = ["quote"]."""

    @field_validator("terms")
    @classmethod
    def _terms_not_blank(cls, terms: list[str]) -> list[str]:
        if any(not t.strip() for t in terms):
            raise ValueError('a term is empty; list words that name you, e.g. ["Acme", "acme.io"]')
        return terms

    @field_validator("phrases")
    @classmethod
    def _phrase_categories(cls, phrases: dict[str, list[str]]) -> dict[str, list[str]]:
        for category in phrases:
            _check_category(category)
        return phrases


def _check_category(category: str) -> str:
    if category not in CATEGORIES:
        close = difflib.get_close_matches(category, CATEGORIES, n=1)
        hint = f'did you mean "{close[0]}"?' if close else f"use one of {', '.join(CATEGORIES)}"
        raise ValueError(f'"{category}" is not a category; {hint}')
    return category


class Team(_Strict):
    channel: str
    categories: list[str] = Field(min_length=1)
    timezone: str = "UTC"
    schedule: str = "0 9 * * 1-5"
    report: bool = False
    quiet: Literal["line", "skip"] = "line"
    """What a digest with nothing in it does: say so in one line, or not post at all."""

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        if not _CHANNEL.match(value):
            raise ValueError(
                f'"{value}" is not a channel; use "#name" (lower case) or an id like "C0123ABCD"'
            )
        return value

    @field_validator("categories")
    @classmethod
    def _categories(cls, values: list[str]) -> list[str]:
        for value in values:
            _check_category(value)
        return values

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str, info: ValidationInfo) -> str:
        return check_cron(value, info.data.get("timezone", "UTC"))


class Source(_Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")
    kind: Literal[
        "rss",
        "hackernews",
        "reddit",
        "mastodon",
        "bluesky",
        "stackexchange",
        "github",
        "youtube",
        "x",
        "webhook",
        "import",
    ]
    every: str = "5m"
    match: Literal["brand", "all"] = "brand"
    base_url: str | None = None
    timeout: float = Field(default=20.0, gt=0, le=300)
    enabled: bool = True
    url: str | None = None
    query: str | None = None
    tags: str | None = None
    subreddit: str | None = None
    listing: Literal["new", "comments", "search"] | None = None
    client_id: str | None = None
    client_secret: str | None = None
    user_agent: str | None = None
    tag: str | None = None
    token: str | None = None
    handle: str | None = None
    app_password: str | None = None
    site: str | None = None
    key: str | None = None
    api_key: str | None = None
    channel_id: str | None = None
    video_id: str | None = None
    bearer_token: str | None = None
    secret: str | None = None

    @field_validator("every")
    @classmethod
    def _every(cls, value: str) -> str:
        parse_duration(value)
        return value

    @field_validator("base_url", "url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(f'"{value}" is not an http(s) URL, e.g. "https://example.com/feed"')
        return value

    @model_validator(mode="after")
    def _keys_fit_kind(self) -> Source:
        spec = SOURCE_KINDS[self.kind]
        given = {k for k in self.model_fields_set if getattr(self, k) is not None}
        problems = [
            f'"{k}" is required for kind "{self.kind}"' for k in sorted(spec["required"] - given)
        ]
        stray = given - spec["required"] - spec["optional"] - COMMON_SOURCE_KEYS
        problems += [f'"{k}" does not apply to kind "{self.kind}"' for k in sorted(stray)]
        if self.kind == "reddit" and not (self.query or self.subreddit):
            problems.append('reddit needs "query" or "subreddit"')
        if self.kind == "mastodon" and not (self.tag or self.query):
            problems.append('mastodon needs "tag" or "query" (the instance is "base_url")')
        if self.kind == "youtube" and not (self.channel_id or self.video_id):
            problems.append('youtube needs "channel_id" or "video_id"')
        if self.kind == "bluesky" and bool(self.handle) != bool(self.app_password):
            problems.append('bluesky needs both "handle" and "app_password", or neither')
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def interval(self) -> timedelta:
        return parse_duration(self.every)


class Alerts(_Strict):
    urgency_threshold: float = Field(default=0.7, ge=0, le=1)
    cooldown: str = "10m"
    quiet_hours: str | None = None
    """Local time range like "22:00-07:00" in `timezone`; alerts wait until it ends."""
    timezone: str = "UTC"

    @field_validator("cooldown")
    @classmethod
    def _cooldown(cls, value: str) -> str:
        parse_duration(value)
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: str | None) -> str | None:
        if value is not None and not re.match(
            r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$", value
        ):
            raise ValueError(f'"{value}" is not a time range; use "22:00-07:00"')
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        return check_timezone(value)


class Classifier(_Strict):
    threshold: float = Field(default=UNSURE_BELOW, ge=0, le=1)
    """Below this confidence a mention is *unsure* and goes to triage instead of a team."""
    retrain: str = "0 3 * * *"

    @field_validator("retrain")
    @classmethod
    def _retrain(cls, value: str) -> str:
        return check_cron(value)


class Targets(_Strict):
    ack_minutes: float | None = Field(default=None, gt=0)
    correction_rate: float | None = Field(default=None, ge=0, le=1)
    share_of_voice: float | None = Field(default=None, ge=0, le=1)
    leads_per_week: int | None = Field(default=None, ge=0)


class SlackSection(_Strict):
    admins: list[str] = []
    """User ids (U…) allowed to use admin actions besides the workspace admins."""


class Workspace(_Strict):
    company: Company
    teams: dict[str, Team] = {}
    sources: list[Source] = []
    alerts: Alerts = Alerts()
    classifier: Classifier = Classifier()
    targets: Targets = Targets()
    slack: SlackSection = SlackSection()

    @field_validator("teams")
    @classmethod
    def _team_names(cls, teams: dict[str, Team]) -> dict[str, Team]:
        for name in teams:
            if not re.match(r"^[a-z0-9][a-z0-9_-]*$", name):
                raise ValueError(f'team "{name}" needs a lower-case name like "support"')
        return teams

    @model_validator(mode="after")
    def _unique_sources(self) -> Workspace:
        names = [s.name for s in self.sources]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"source names must be unique; {', '.join(dupes)} appear twice")
        return self

    def source(self, name: str) -> Source | None:
        return next((s for s in self.sources if s.name == name), None)


class Settings(_Strict):
    """The environment: where the database is, how to reach Slack, how loud to log."""

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


class Config(BaseModel):
    model_config = ConfigDict(frozen=True)

    settings: Settings
    workspace: Workspace


def load_settings(environ: Mapping[str, str]) -> Settings:
    values = {field: environ[name] for name, field in ENVIRONMENT.items() if environ.get(name)}
    try:
        return Settings(**values)
    except ValidationError as exc:
        field_to_env = {v: k for k, v in ENVIRONMENT.items()}
        raise ConfigError(_describe(exc, rename=field_to_env)) from None


def read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ConfigError(
            [
                f"{path} does not exist; run `silta init` to write a starter file, "
                "or set SILTA_CONFIG"
            ]
        )
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"not valid TOML: {exc}"], path=str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError(["not UTF-8 text; save it as UTF-8"], path=str(path)) from None


def load_workspace(
    data: dict[str, Any], environ: Mapping[str, str], *, path: str | None = None
) -> Workspace:
    """Validate the workspace file and resolve `env:NAME` secrets against `environ`."""
    problems: list[str] = []
    data = _resolve_secrets(data, environ, problems)
    try:
        workspace = Workspace(**data)
    except ValidationError as exc:
        problems += _describe(exc, data=data)
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


def _resolve_secrets(
    data: Any, environ: Mapping[str, str], problems: list[str], loc: str = ""
) -> Any:
    if isinstance(data, dict):
        return {k: _resolve_secrets(v, environ, problems, _join(loc, k)) for k, v in data.items()}
    if isinstance(data, list):
        return [_resolve_secrets(v, environ, problems, f"{loc}[{i}]") for i, v in enumerate(data)]
    if isinstance(data, str) and data.startswith("env:"):
        name = data[4:]
        if name in environ:
            return environ[name]
        problems.append(
            f"{loc}: {data} but {name} is not set; export {name}=… or write the value here"
        )
    return data


def _join(loc: str, key: str) -> str:
    return f"{loc}.{key}" if loc else str(key)


def _describe(
    exc: ValidationError,
    *,
    data: dict[str, Any] | None = None,
    rename: Mapping[str, str] | None = None,
) -> list[str]:
    """Turn pydantic's errors into one line each: `key.path: what is wrong; the fix`."""
    lines = []
    for error in exc.errors():
        loc = _location(error["loc"], data)
        if rename and loc in rename:
            loc = rename[loc]
        if error["type"] == "extra_forbidden":
            lines.append(f"{loc}: unknown key{_did_you_mean(error['loc'], data)}")
        elif error["type"] == "missing":
            lines.append(f"{loc}: missing; {_missing_hint(error['loc'])}")
        else:
            message = str(error["msg"]).removeprefix("Value error, ")
            shown = error.get("input")
            if error["type"] == "literal_error":
                message = f'"{shown}" is not allowed; {message.lower()}'
            lines.append(f"{loc}: {message}")
    return lines


def _location(loc: tuple[Any, ...], data: dict[str, Any] | None) -> str:
    """Name list items by their `name` key (sources[hn]) rather than by index."""
    parts: list[str] = []
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            name = (
                node[part].get("name")
                if isinstance(node, list) and isinstance(node[part], dict)
                else None
            )
            parts[-1] += f"[{name or part}]"
            node = node[part] if isinstance(node, list) else None
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts)


def _did_you_mean(loc: tuple[Any, ...], data: dict[str, Any] | None) -> str:
    model: type[BaseModel] | None = Workspace if data is not None else Settings
    for part in loc[:-1]:
        field = model.model_fields.get(str(part)) if model else None
        if field is not None:  # a dict key (a team's name) or a list index keeps the model
            model = _inner_model(field.annotation)
    if model is None:
        return ""
    close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1, cutoff=0.6)
    return (
        f'; did you mean "{close[0]}"?'
        if close
        else f"; known keys: {', '.join(model.model_fields)}"
    )


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found:
            return found
    return None


_MISSING_HINTS = {
    "company": '[company] with name = "Acme" and terms = ["Acme"]',
    "channel": 'the channel to post to, e.g. channel = "#support-social"',
    "categories": 'the categories this team receives, e.g. categories = ["support_issue"]',
    "name": 'a short name, e.g. name = "hn"',
    "kind": 'what it is, e.g. kind = "rss"',
    "terms": 'what counts as a mention of you, e.g. terms = ["Acme", "acme.io"]',
}


def _missing_hint(loc: tuple[Any, ...]) -> str:
    return "add " + _MISSING_HINTS.get(str(loc[-1]), f"{loc[-1]} = …")
