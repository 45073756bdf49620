"""Requests from the sandbox to the bot, signed and shaped exactly as Slack sends them: slash
commands (form fields), interactions (a form field `payload` holding JSON) and Events API
callbacks (JSON), each with `X-Slack-Request-Timestamp` and the v0 `X-Slack-Signature`.

Slack gives an app 3 seconds to answer; so does the sandbox. `Delivery` says what came back."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

TEAM = {"id": "T0FAKE", "domain": "fake"}
APP_ID = "A0SILTA"
VERIFICATION_TOKEN = "sandbox-verification-token"  # noqa: S105 - Slack's legacy, unused field
TIMEOUT = 3.0


def sign(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 signature: HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest.hexdigest()}"}


@dataclass(frozen=True)
class Delivery:
    """What the bot answered: its status and body, or `error` in Slack's words
    (`operation_timeout`, `dispatch_failed`, `http_service_error`, `not_connected`)."""

    status: int = 0
    body: bytes = b""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def json(self) -> Any:
        """The answer as JSON when it is JSON, else None."""
        try:
            return json.loads(self.body) if self.body.strip() else None
        except ValueError:
            return None


@dataclass(frozen=True)
class Where:
    """The conversation a request comes from, and the person sending it."""

    channel_id: str
    channel_name: str
    user_id: str
    user_name: str


class BotLink:
    def __init__(self) -> None:
        self.events_url: str | None = None
        self.signing_secret: str | None = None
        self.timeout = TIMEOUT

    def connect(self, events_url: str, signing_secret: str) -> None:
        self.events_url = events_url
        self.signing_secret = signing_secret

    @property
    def connected(self) -> bool:
        return bool(self.events_url and self.signing_secret)

    # the three kinds of request ------------------------------------------------------------

    def command(self, command: str, text: str, where: Where, response_url: str) -> Delivery:
        fields = {
            "token": VERIFICATION_TOKEN,
            "team_id": TEAM["id"],
            "team_domain": TEAM["domain"],
            "channel_id": where.channel_id,
            "channel_name": where.channel_name,
            "user_id": where.user_id,
            "user_name": where.user_name,
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id(),
        }
        return self.send(urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def interaction(self, payload: dict[str, Any]) -> Delivery:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.send(body, "application/x-www-form-urlencoded")

    def event(self, event: dict[str, Any]) -> Delivery:
        envelope = {
            "token": VERIFICATION_TOKEN,
            "team_id": TEAM["id"],
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": "Ev" + uuid.uuid4().hex[:10].upper(),
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "team_id": TEAM["id"],
                    "user_id": "U0SILTA",
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        return self.send(json.dumps(envelope).encode(), "application/json")

    def send(self, body: bytes, content_type: str) -> Delivery:
        if not self.connected:
            return Delivery(error="not_connected")
        assert self.events_url is not None and self.signing_secret is not None
        request = urllib.request.Request(  # noqa: S310 - the URL is the bot's, set by connect()
            self.events_url,
            data=body,
            method="POST",
            headers={"Content-Type": content_type, **sign(self.signing_secret, body)},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:  # noqa: S310
                return Delivery(reply.status, reply.read())
        except urllib.error.HTTPError as exc:
            return Delivery(exc.code, exc.read(), "http_service_error")
        except TimeoutError:
            return Delivery(error="operation_timeout")
        except urllib.error.URLError as exc:
            timed_out = isinstance(exc.reason, TimeoutError)
            return Delivery(error="operation_timeout" if timed_out else "dispatch_failed")
        except OSError:
            return Delivery(error="dispatch_failed")


def trigger_id() -> str:
    return f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex[:16]}"


def block_actions(
    *,
    where: Where,
    action: dict[str, Any],
    response_url: str | None,
    message: dict[str, Any] | None = None,
    ephemeral: bool = False,
    view: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The `block_actions` payload of a click on a message (or an App Home view)."""
    user = {
        "id": where.user_id,
        "username": where.user_name,
        "name": where.user_name,
        "team_id": TEAM["id"],
    }
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": user,
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id(),
        "team": dict(TEAM),
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": [{"action_ts": f"{time.time():.6f}", **action}],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "V0HOME")}
        payload["view"] = view
        return payload
    payload["channel"] = {"id": where.channel_id, "name": where.channel_name}
    payload["container"] = {
        "type": "message",
        "message_ts": (message or {}).get("ts"),
        "channel_id": where.channel_id,
        "is_ephemeral": ephemeral,
    }
    if message is not None:
        payload["message"] = message
    if response_url is not None:
        payload["response_url"] = response_url
    return payload
