"""The workspace file's schema: the company, its teams, its sources, alerts, the classifier,
targets and Slack. Each `[[sources]]` entry is validated as its kind's config (`bot.sources`)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from bot.config.values import check_category, check_cron, check_timezone
from bot.durations import Duration
from bot.sources import Source
from bot.sources.base import SourceConfig
from bot.taxonomy import UNSURE_BELOW

_CHANNEL = re.compile(r"^(#[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{6,})$")


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
            check_category(category)
        return phrases


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
            check_category(value)
        return values

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str, info: ValidationInfo) -> str:
        return check_cron(value, info.data.get("timezone", "UTC"))


class Alerts(_Strict):
    urgency_threshold: float = Field(default=0.7, ge=0, le=1)
    cooldown: Duration = "10m"
    quiet_hours: str | None = None
    """Local time range like "22:00-07:00" in `timezone`; alerts wait until it ends."""
    timezone: str = "UTC"

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

    def source(self, name: str) -> SourceConfig | None:
        return next((s for s in self.sources if s.name == name), None)
