"""A started sandbox per test, and a signature-checking stand-in for the bot it talks to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bot.sandbox import Sandbox
from tests.browser import browser  # noqa: F401 - the fixture, for the UI tests
from tests.fakes.receiver import SECRET, Receiver


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        running.add_channel("C0SUPPORT", "support")
        yield running


@pytest.fixture
def bot(sandbox: Sandbox) -> Iterator[Receiver]:
    with Receiver() as receiver:
        sandbox.connect(receiver.url, SECRET)
        yield receiver


def api(sandbox: Sandbox, method: str, **params: Any) -> dict[str, Any]:
    """Call the sandbox's Web API over HTTP as a script would (form fields, bearer token)."""
    reply = httpx.post(
        f"{sandbox.api_url}{method}",
        data=params,
        headers={"Authorization": f"Bearer {sandbox.token}"},
        timeout=5,
    )
    assert reply.status_code == 200
    return reply.json()


def ui(sandbox: Sandbox, name: str, **body: Any) -> httpx.Response:
    """What the browser does: POST JSON to /ui/<name>."""
    return httpx.post(f"{sandbox.url}/ui/{name}", json=body, timeout=10)
