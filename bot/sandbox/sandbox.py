"""`Sandbox`: the local Slack — Web API, response URLs, browser UI and requests to the bot —
served on one loopback port, scripted from Python (tests, `silta demo`)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.sandbox import persist
from bot.sandbox.calls import Call, CallLog, Fault
from bot.sandbox.outgoing import BotLink
from bot.sandbox.server import Server
from bot.sandbox.store import Channel, Store
from bot.sandbox.ui import Ui
from bot.sandbox.webapi import Answer, WebApi

log = logging.getLogger(__name__)


class Sandbox:
    """A local Slack on `http://host:port` (port 0: any free one).

        with Sandbox() as slack:
            client = WebClient(token=slack.token, base_url=slack.api_url)
            slack.fail("chat.postMessage", status=429, retry_after=1)   # once, then normal
            slack.fail("chat.postMessage", error="not_in_channel")
            client.chat_postMessage(channel="#support", text="hi")
            slack.calls_to("chat.postMessage")[-1].params["text"]

    `user` is the person the browser acts as (an admin). With `state_path`, the workspace is
    loaded from that JSON file and saved back to it on change. `clock` (epoch seconds or an
    aware datetime) stamps messages, e.g. with a demo's virtual time; the real time by default.
    `connect()` names the bot that slash commands and clicks made in the browser go to.
    """

    def __init__(
        self,
        *,
        token: str = "xoxb-fake-token",  # noqa: S107 - a fake for tests and the demo
        app_token: str = "xapp-fake",  # noqa: S107
        host: str = "127.0.0.1",
        port: int = 0,
        user: str = "U0YOU",
        user_name: str = "you",
        state_path: Path | None = None,
        clock: Callable[[], float | datetime] | None = None,
    ) -> None:
        self.token = token
        self.app_token = app_token
        self.user = user
        self.state_path = Path(state_path) if state_path is not None else None
        self.log = CallLog()
        self.store = Store(clock)
        self.link = BotLink()
        self.api = WebApi(
            self.store, self.log, token=token, app_token=app_token, base_url=lambda: self.url
        )
        self.ui = Ui(self.store, self.link, user=user, base_url=lambda: self.url)
        self.add_channel("C0GENERAL", "general")
        self.add_user(user, admin=True, name=user_name)
        self._saver: persist.Saver | None = None
        if self.state_path is not None:
            saved = persist.load(self.state_path)
            if saved is not None:
                try:
                    self.store.restore(saved)
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    log.warning("sandbox state %s not usable, starting afresh: %s", state_path, exc)
            self._saver = persist.Saver(self.state_path, self.store.snapshot)
            self.store.on_change = self._saver.mark
        self._server = Server(self, host, port)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="sandbox",
            daemon=True,
        )

    # where it is ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode()
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        """The Web API base URL (`SLACK_API_URL`), ending in a slash as slack_sdk wants."""
        return f"{self.url}/api/"

    def response_url(self, name: str = "r") -> str:
        """A response URL whose answers are only recorded (as the method "respond")."""
        return f"{self.url}/respond/{name}"

    # running -------------------------------------------------------------------------------

    def start(self) -> Sandbox:
        if self._saver is not None:
            self._saver.start()
            self._saver.mark()
        self._thread.start()
        return self

    def stop(self) -> None:
        self.store.close()
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()
        if self._saver is not None:
            self._saver.close()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def connect(self, events_url: str, signing_secret: str) -> None:
        """Send slash commands, clicks and events from the browser to this bot endpoint
        (e.g. `http://127.0.0.1:8080/slack/events`), signed with its signing secret."""
        self.link.connect(events_url, signing_secret)

    # scripting -----------------------------------------------------------------------------

    def add_channel(self, channel_id: str, name: str, *, member: bool = True) -> Channel:
        """A channel (the bot is in it unless `member=False`); an existing one keeps its
        messages."""
        return self.store.add_channel(channel_id, name, member=member)

    def add_user(self, user_id: str, *, admin: bool = False, name: str | None = None) -> None:
        self.store.add_user(user_id, admin=admin, name=name)

    def fail(
        self,
        method: str,
        *,
        error: str | None = None,
        status: int = 200,
        retry_after: int | None = None,
        times: int = 1,
        processed: bool = False,
    ) -> None:
        """The next `times` calls to `method` fail: 429 (with Retry-After), a 5xx, a dropped
        connection (status 0), or an `{"ok": false, "error": …}` such as channel_not_found,
        not_in_channel or invalid_auth. With `processed`, each call is carried out before it
        fails, as when Slack posts a message and then answers 500 or loses the connection."""
        if status == 429 and retry_after is None:
            retry_after = 1
        self.log.fail(method, Fault(status, error, retry_after, processed), times)

    # reading -------------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        return self.log.calls

    @property
    def users(self) -> dict[str, dict[str, Any]]:
        return self.store.users

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        """Uploaded files by ID: name, length, title, and the bytes as `content`."""
        return self.store.files

    @property
    def homes(self) -> dict[str, dict[str, Any]]:
        """The App Home view last published for each user."""
        return self.store.homes

    @property
    def socket_url(self) -> str | None:
        return self.api.socket_url

    @socket_url.setter
    def socket_url(self, url: str | None) -> None:
        self.api.socket_url = url

    def calls_to(self, method: str) -> list[Call]:
        return self.log.calls_to(method)

    def wait_for(
        self, method: str, count: int = 1, timeout: float = 5.0, *, path: str | None = None
    ) -> list[Call]:
        """The calls to `method` (at `path`, if given) once there are at least `count`;
        AssertionError on timeout."""
        return self.log.wait_for(method, count, timeout, path=path)

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """A channel's messages (ID or `#name`), newest first, replies included."""
        with self.store.reading():
            found = self.store.channel(channel)
            return list(found.messages) if found else []

    def ephemeral(self, channel: str) -> list[dict[str, Any]]:
        """The messages in a channel only one person sees, newest first."""
        with self.store.reading():
            found = self.store.channel(channel)
            return list(found.ephemeral) if found else []

    def answer(
        self, method: str, params: dict[str, Any], headers: dict[str, str], path: str = ""
    ) -> Answer:
        """Answer one Web API call as the server would (recorded like one)."""
        return self.api.answer(method, params, headers, path)

    def save(self) -> None:
        """Write the state file now (it is also written on change, throttled, and at stop)."""
        if self._saver is not None:
            self._saver.flush()
