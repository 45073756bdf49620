"""Sending requests to Silta as Slack does: signed bodies over real HTTP, and the app under test
served on loopback as `silta run` serves it.

Not in tests/fakes: nothing here stands in for a server Silta calls. These are the requests a
test makes itself, as Slack would make them, to the real app (tests, and bench/slack.py)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import httpx

from bot import blocks
from bot.ids import ActionId
from bot.web import BackgroundServer

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def sign(body: bytes, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 signature: HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + ts.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def command_body(text: str, *, user: str = "U0ALICE", response_url: str, **extra: str) -> bytes:
    fields = {
        "token": "unused",
        "team_id": "T0FAKE",
        "team_domain": "fake",
        "channel_id": "C0GENERAL",
        "channel_name": "general",
        "user_id": user,
        "user_name": user.lower(),
        "command": "/silta",
        "text": text,
        "api_app_id": "A0SILTA",
        "response_url": response_url,
        "trigger_id": "1.2.3",
        **extra,
    }
    return urlencode(fields).encode()


def action_body(payload: dict[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def block_action(
    action: dict[str, Any],
    *,
    user: str = "U0ALICE",
    response_url: str,
    message: dict[str, Any] | None = None,
    channel: str = "C0GENERAL",
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T0FAKE", "domain": "fake"},
        "user": {"id": user, "username": user.lower(), "team_id": "T0FAKE"},
        "api_app_id": "A0SILTA",
        "token": "unused",
        "trigger_id": "1.2.3",
        "response_url": response_url,
        "actions": [{"action_ts": str(time.time()), "block_id": "b", **action}],
        "channel": {"id": channel, "name": "general"},
        "container": {"type": "message", "channel_id": channel, "is_ephemeral": message is None},
    }
    if message is not None:
        payload["message"] = message
        payload["container"]["message_ts"] = message["ts"]
    return payload


def move_action(mention_id: int, team: str | None) -> dict[str, Any]:
    """A choice in a mention's Move to… menu, as Slack sends it."""
    value = blocks.move_value(mention_id, team)
    return {
        "type": "static_select",
        "action_id": ActionId.MOVE,
        "selected_option": {"value": value, "text": {"type": "plain_text", "text": "x"}},
    }


def post_signed(url: str, body: bytes, *, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(
        url,
        content=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            **sign(body),
            **(headers or {}),
        },
        timeout=10,
    )


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve a WSGI app on a free loopback port; yields its base URL."""
    server = BackgroundServer(app)
    try:
        yield server.url
    finally:
        server.close()
