"""What the browser does in the sandbox, as plain methods (the `/ui/...` endpoints call them):
read the workspace, post as the browser's user, send `/silta …` and clicks to the bot as Slack
would, and show what the bot answers through response URLs — ephemeral answers only to the
person they are for, and failures as a visible notice the way Slack shows them."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.sandbox.outgoing import BotLink, Delivery, Where, block_actions
from bot.sandbox.store import BOT_ID, BOT_USER, Channel, Store

log = logging.getLogger(__name__)
LONG_POLL = 20.0


class UiError(Exception):
    """A request from the browser that cannot be done (unknown channel, message, …)."""


@dataclass
class Responder:
    """Where the answers sent to one response URL go."""

    channel_id: str
    user_id: str
    message_ts: str | None = None
    ephemeral: bool = False


class Ui:
    def __init__(
        self, store: Store, link: BotLink, *, user: str, base_url: Callable[[], str]
    ) -> None:
        self.store = store
        self.link = link
        self.user = user
        self.responders: dict[str, Responder] = {}
        self._base_url = base_url

    # reading -------------------------------------------------------------------------------

    def state(self, since: int = -1, wait: float = 0.0) -> dict[str, Any]:
        """The workspace as the browser's user sees it, once its version differs from `since`
        (or after `wait` seconds)."""
        if wait > 0:
            self.store.wait(since, min(wait, LONG_POLL))
        store = self.store
        with store.reading():
            return {
                "version": store.version,
                "me": {"id": self.user, "name": store.name_of(self.user)},
                "connected": self.link.connected,
                "names": {
                    **{uid: store.name_of(uid) for uid in store.users},
                    BOT_USER: "Silta",
                },
                "channel_names": {c.id: c.name for c in store.channels.values() if not c.is_im},
                "conversations": [self._conversation(c) for c in store.channels.values()],
                "home": store.homes.get(self.user),
            }

    def _conversation(self, channel: Channel) -> dict[str, Any]:
        mine = [
            {**m, "sandbox": {"ephemeral": True, "notice": m.get("sandbox_notice")}}
            for m in channel.ephemeral
            if m.get("user") == self.user
        ]
        shown = sorted([*channel.messages, *mine], key=lambda m: _ts_key(m["ts"]))
        label = channel.name
        if channel.is_im:
            label = "Silta" if channel.user == self.user else f"Silta ↔ {self._names(channel)}"
        return {
            "id": channel.id,
            "name": channel.name,
            "label": label,
            "kind": "dm" if channel.is_im else "channel",
            "mine": not channel.is_im or channel.user == self.user,
            "member": channel.member,
            "messages": shown,
        }

    def _names(self, channel: Channel) -> str:
        return ", ".join(self.store.name_of(u) for u in (channel.user or "").split(",") if u)

    # acting --------------------------------------------------------------------------------

    def post(self, channel_id: str, text: str, thread_ts: str | None = None) -> dict[str, Any]:
        """A message from the browser's user (plain text, as typed)."""
        channel = self._channel(channel_id)
        if not text.strip():
            raise UiError("no_text")
        message: dict[str, Any] = {"type": "message", "user": self.user, "text": text}
        if thread_ts:
            message["thread_ts"] = thread_ts
        with self.store.changing():
            message = {**message, "ts": self.store.next_ts()}
            channel.messages.insert(0, message)
        return {"ok": True, "ts": message["ts"]}

    def command(self, channel_id: str, line: str) -> dict[str, Any]:
        """`/silta text` typed in a conversation: sent to the bot as Slack sends slash commands;
        what the bot answers at once (if anything) is shown as Slack shows it."""
        channel = self._channel(channel_id)
        command, _, text = line.strip().partition(" ")
        if not command.startswith("/"):
            raise UiError("not_a_command")
        url = self._responder(Responder(channel.id, self.user))
        delivery = self.link.command(command, text.strip(), self._where(channel), url)
        if not delivery.ok:
            return self._failed(channel, f"{command} failed with the error", delivery)
        answer = delivery.json()
        if isinstance(answer, dict) and (answer.get("text") or answer.get("blocks")):
            self.respond(url.rsplit("/", 1)[-1], answer)
        elif answer is None and delivery.body.strip():
            self.respond(url.rsplit("/", 1)[-1], {"text": delivery.body.decode(errors="replace")})
        return {"ok": True}

    def click(
        self,
        channel_id: str | None,
        ts: str | None,
        action: dict[str, Any],
        *,
        home: bool = False,
    ) -> dict[str, Any]:
        """A button or menu choice in a message (or in App Home), as a `block_actions` payload."""
        action = {k: v for k, v in action.items() if v is not None}
        if home:
            view = self.store.homes.get(self.user)
            if view is None:
                raise UiError("view_not_found")
            where = Where("", "", self.user, self.store.name_of(self.user))
            payload = block_actions(where=where, action=action, response_url=None, view=view)
            return self._delivered(None, self.link.interaction(payload))
        channel = self._channel(channel_id or "")
        with self.store.reading():
            message = channel.find(ts or "")
            ephemeral = message is None
            if ephemeral:
                message = channel.find_ephemeral(ts or "")
            if message is None:
                raise UiError("message_not_found")
            shown = {k: v for k, v in message.items() if not k.startswith("sandbox")}
        url = self._responder(Responder(channel.id, self.user, ts, ephemeral))
        payload = block_actions(
            where=self._where(channel),
            action=action,
            response_url=url,
            message=None if ephemeral else shown,
            ephemeral=ephemeral,
        )
        if ephemeral:
            payload["container"]["message_ts"] = ts
        return self._delivered(channel, self.link.interaction(payload))

    def open_home(self) -> dict[str, Any]:
        """The browser's user opened Silta's App Home: the `app_home_opened` event."""
        dm = self.store.open_dm(self.user)
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": self.user,
            "channel": dm.id,
            "tab": "home",
            "event_ts": self.store.next_ts(),
        }
        view = self.store.homes.get(self.user)
        if view is not None:
            event["view"] = view
        delivery = self.link.event(event)
        if not delivery.ok:
            return self._failed(None, "Silta's Home did not load: error", delivery)
        return {"ok": True}

    # response URLs -------------------------------------------------------------------------

    def respond(self, name: str, params: dict[str, Any]) -> bool:
        """Show what the bot sent to a response URL the sandbox handed out; False when the URL
        is not one of them (a test's own, which is only recorded)."""
        responder = self.responders.get(name)
        if responder is None:
            return False
        channel = self.store.channel(responder.channel_id)
        if channel is None:
            return True
        with self.store.changing():
            if params.get("delete_original") in (True, "true"):
                self._delete(channel, responder)
            elif params.get("replace_original") in (True, "true") and responder.message_ts:
                self._replace(channel, responder, params)
            else:
                self._answer(channel, responder, params)
        return True

    def _delete(self, channel: Channel, responder: Responder) -> None:
        ts = responder.message_ts or ""
        channel.messages[:] = [m for m in channel.messages if m["ts"] != ts]
        channel.ephemeral[:] = [m for m in channel.ephemeral if m["ts"] != ts]

    def _replace(self, channel: Channel, responder: Responder, params: dict[str, Any]) -> None:
        ts = responder.message_ts or ""
        message = channel.find_ephemeral(ts) if responder.ephemeral else channel.find(ts)
        if message is None:
            self._answer(channel, responder, params)
            return
        message.update(text=params.get("text", ""), blocks=params.get("blocks") or [])

    def _answer(self, channel: Channel, responder: Responder, params: dict[str, Any]) -> None:
        message = {
            "type": "message",
            "ts": self.store.next_ts(),
            "text": params.get("text", ""),
            "blocks": params.get("blocks") or [],
            "bot_id": BOT_ID,
        }
        if params.get("thread_ts"):
            message["thread_ts"] = str(params["thread_ts"])
        if params.get("response_type") == "in_channel":
            channel.messages.insert(0, message)
        else:
            channel.ephemeral.insert(0, {**message, "user": responder.user_id})
            if responder.message_ts is None:  # a command's answer: what replace_original replaces
                responder.message_ts, responder.ephemeral = message["ts"], True

    # helpers -------------------------------------------------------------------------------

    def notice(self, channel: Channel, text: str) -> None:
        """A line from the sandbox itself (not the bot), only for the browser's user."""
        with self.store.changing():
            channel.ephemeral.insert(
                0,
                {
                    "type": "message",
                    "ts": self.store.next_ts(),
                    "text": text,
                    "user": self.user,
                    "sandbox_notice": "error",
                },
            )

    def _failed(self, channel: Channel | None, what: str, delivery: Delivery) -> dict[str, Any]:
        detail = f" (HTTP {delivery.status})" if delivery.status else ""
        if delivery.error == "not_connected":
            text = "The sandbox is not connected to a bot: start Silta (silta demo) first."
        else:
            text = f'{what} "{delivery.error}"{detail}'
        if channel is not None:
            self.notice(channel, text)
        log.warning("sandbox → bot: %s", text)
        return {"ok": False, "error": delivery.error, "notice": text}

    def _delivered(self, channel: Channel | None, delivery: Delivery) -> dict[str, Any]:
        if not delivery.ok:
            return self._failed(channel, "Silta did not respond to the click: error", delivery)
        return {"ok": True}

    def _responder(self, responder: Responder) -> str:
        name = "u" + uuid.uuid4().hex[:16]
        self.responders[name] = responder
        return f"{self._base_url()}/respond/{name}"

    def _channel(self, channel_id: str) -> Channel:
        channel = self.store.channel(channel_id)
        if channel is None:
            raise UiError("channel_not_found")
        return channel

    def _where(self, channel: Channel) -> Where:
        name = "directmessage" if channel.is_im else channel.name
        return Where(channel.id, name, self.user, self.store.name_of(self.user))


def _ts_key(ts: str) -> tuple[int, int]:
    seconds, _, counter = ts.partition(".")
    return int(seconds or 0), int(counter or 0)
