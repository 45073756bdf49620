"""What every source kind is made of: the keys all kinds share, and the record that puts a
kind's config, connector and demo feed together.

Each kind's module subclasses `SourceConfig` with exactly its own keys (required ones without
a default) and `kind` narrowed to its name, which is the tag of the workspace's union of
sources. Rules that no single key can check (reddit needs "query" or "subreddit") go in
`broken_rules`, which sees the keys as written, so that `bot.config` can list them beside a
missing or stray key instead of one round of fixes later.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar, Generic, Literal, Self, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.demo.feeds.routes import Route
from bot.durations import Duration, parse_duration
from bot.ingest.base import Connector
from bot.ingest.http import Fetcher

_HTTP_URL = re.compile(r"^https?://[^\s/]+")


def http_url(value: str | None) -> str | None:
    """Accept an http(s) URL; the error shows one."""
    if value is not None and not _HTTP_URL.match(value):
        raise ValueError(f'"{value}" is not an http(s) URL, e.g. "https://example.com/feed"')
    return value


def credential(*, required: bool = False) -> Any:
    """A key that holds a credential: left out of the config's repr, so a source that ends up
    in a log line or a traceback does not show it."""
    return Field(repr=False) if required else Field(default=None, repr=False)


class SourceConfig(BaseModel):
    """The keys every kind takes. `kind` is narrowed to a `Literal` by each kind."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")
    kind: str
    every: Duration = "5m"
    match: Literal["brand", "all"] = "brand"
    base_url: str | None = None
    timeout: float = Field(default=20.0, gt=0, le=300)
    enabled: bool = True

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        return http_url(value)

    one_of: ClassVar[tuple[str, ...]] = ()
    """Keys of which a source of this kind must set at least one (reddit: query, subreddit)."""
    one_of_note: ClassVar[str] = ""
    """Said after the `one_of` problem, where a person may look for the key elsewhere."""

    @classmethod
    def broken_rules(cls, keys: Mapping[str, Any]) -> list[str]:
        """What the keys as written break among the kind's rules across keys: `one_of` here;
        a kind with another rule adds its own."""
        if not cls.one_of or any(keys.get(key) for key in cls.one_of):
            return []
        kind = get_args(cls.model_fields["kind"].annotation)[0]
        keys_named = " or ".join(f'"{key}"' for key in cls.one_of)
        return [f"{kind} needs {keys_named}{cls.one_of_note}"]

    @model_validator(mode="after")
    def _rules(self) -> Self:
        problems = self.broken_rules({key: getattr(self, key) for key in self.model_fields_set})
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def interval(self) -> timedelta:
        return parse_duration(self.every)


COMMON_KEYS = tuple(SourceConfig.model_fields)

C = TypeVar("C", bound=SourceConfig)


@dataclass(frozen=True)
class SourceKind(Generic[C]):
    """One kind of source: its config, how it is polled, and the demo feed that plays its API.

    A kind without `connect` is pushed to (webhook, import) rather than polled."""

    config: type[C]
    connect: Callable[[C, Fetcher], Connector] | None = None
    feed: tuple[Route, ...] = ()

    @property
    def name(self) -> str:
        return str(get_args(self.config.model_fields["kind"].annotation)[0])

    @property
    def pushed(self) -> bool:
        return self.connect is None

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys of this kind alone, beside the common ones."""
        return tuple(key for key in self.config.model_fields if key not in COMMON_KEYS)
