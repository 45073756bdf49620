"""Every kind of source Silta hears, one module each: `bot/sources/<kind>.py` declares the
kind's keys in silta.toml (its config model), how it is polled (its connector) and how the demo
plays its API (its feed routes), and ends with its `KIND`.

`KINDS` is the one list of them. The workspace schema validates `[[sources]]` as the union of
their configs, tagged by `kind`; the poller connects through it; the demo feed server routes
through it; the docs test checks that the README documents every kind and key in it.

Adding a kind touches only its module and this list, plus its tests and its row in the README.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Field, GetPydanticSchema, TypeAdapter

from bot.ingest.base import Connector
from bot.ingest.http import Fetcher
from bot.sources import (
    bluesky,
    github,
    hackernews,
    imported,
    lobsters,
    mastodon,
    reddit,
    rss,
    stackexchange,
    webhook,
    x,
    youtube,
)
from bot.sources.base import SourceConfig, SourceKind

KINDS: tuple[SourceKind[Any], ...] = (
    rss.KIND,
    hackernews.KIND,
    reddit.KIND,
    mastodon.KIND,
    bluesky.KIND,
    stackexchange.KIND,
    github.KIND,
    youtube.KIND,
    x.KIND,
    lobsters.KIND,
    webhook.KIND,
    imported.KIND,
)
_BY_NAME = {kind.name: kind for kind in KINDS}

_TAGGED: Any = Annotated[Union[tuple(kind.config for kind in KINDS)], Field(discriminator="kind")]  # noqa: UP007
Source = Annotated[SourceConfig, GetPydanticSchema(lambda _type, handler: handler(_TAGGED))]
"""One `[[sources]]` entry: typed as the keys all kinds share, validated as its kind's config."""
_SOURCE = TypeAdapter(Source)


def kind_named(name: str) -> SourceKind[Any]:
    """The kind called `name`; KeyError for one that is not in `KINDS`."""
    return _BY_NAME[name]


def source_config(**keys: Any) -> SourceConfig:
    """The config of the kind `keys["kind"]` names, validated as silta.toml's would be."""
    return _SOURCE.validate_python(keys)


def polled(source: SourceConfig) -> bool:
    return source.enabled and not kind_named(source.kind).pushed


def connect(source: SourceConfig, fetcher: Fetcher) -> Connector:
    """The connector that polls `source`; only for a polled kind."""
    factory = kind_named(source.kind).connect
    if factory is None:
        raise ValueError(f'"{source.kind}" sources are pushed to, not polled')
    return factory(source, fetcher)
