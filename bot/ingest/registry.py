"""Which connector reads which kind of source. `webhook` and `import` are pushed, not polled."""

from __future__ import annotations

from bot.config import Source as SourceConfig
from bot.ingest import (
    bluesky,
    github,
    hackernews,
    mastodon,
    reddit,
    rss,
    stackexchange,
    x,
    youtube,
)
from bot.ingest.base import Connector, ConnectorFactory
from bot.ingest.http import Fetcher

CONNECTORS: dict[str, ConnectorFactory] = {
    "rss": rss.connect,
    "hackernews": hackernews.connect,
    "reddit": reddit.connect,
    "mastodon": mastodon.connect,
    "bluesky": bluesky.connect,
    "stackexchange": stackexchange.connect,
    "github": github.connect,
    "youtube": youtube.connect,
    "x": x.connect,
}
PUSHED = frozenset({"webhook", "import"})


def polled(source: SourceConfig) -> bool:
    return source.enabled and source.kind in CONNECTORS


def connect(source: SourceConfig, fetcher: Fetcher) -> Connector:
    return CONNECTORS[source.kind](source, fetcher)
