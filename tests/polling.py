"""One poll of one connector as the poller makes it (a real `Fetcher` that records the sleeps
it is asked for instead of sleeping), and the recorded feeds under tests/fixtures/ingest. Shared
by the tests of the connectors and of the poller; not a stand-in, so not in tests/fakes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from bot.config import Source
from bot.ingest.http import Fetcher
from bot.sources import connect

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def poll(client: httpx.Client, source: Source, cursor: dict[str, Any] | None = None):
    """Every batch of one poll as (mentions, cursor); the sleeps asked for, in `.sleeps`."""
    sleeps: list[float] = []
    fetcher = Fetcher(client, source=source.name, sleep=sleeps.append, clock=lambda: 1.8e9)
    connector = connect(source, fetcher)
    batches = [(b.mentions, b.cursor) for b in connector.poll(cursor or {})]
    return Polled(batches, sleeps)


class Polled:
    def __init__(self, batches: list[Any], sleeps: list[float]) -> None:
        self.batches = batches
        self.sleeps = sleeps

    @property
    def mentions(self) -> list[Any]:
        return [m for mentions, _ in self.batches for m in mentions]

    @property
    def cursor(self) -> dict[str, Any] | None:
        checkpoints = [c for _, c in self.batches if c is not None]
        return checkpoints[-1] if checkpoints else None
