"""Fixtures the tests of several bot/ modules share, kept above them all so each applies to
every test that asks for it: the fake source server and an HTTP client to reach it (the
connectors, the poller, the importer, the webhook intake), and a bare fake Slack (the Slack
client, its failures, the app factory, alerts)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bot.sandbox import Sandbox
from tests.fakes.sources import FakeSources, fake_sources


@pytest.fixture
def server() -> Iterator[FakeSources]:
    with fake_sources() as fake:
        yield fake


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client() as http:
        yield http


@pytest.fixture
def slack() -> Iterator[Sandbox]:
    """The fake Slack (the sandbox `silta demo` ships), with no channels until a test adds them."""
    with Sandbox() as fake:
        yield fake
