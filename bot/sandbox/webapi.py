"""Slack's Web API as the sandbox answers it: the methods Silta (and scripts reading what it
posted) use, with Slack's errors, auth checks and queued faults (429, 5xx, dropped connections,
`{"ok": false}`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from bot.sandbox.calls import CallLog
from bot.sandbox.store import BOT_ID, BOT_USER, Channel, Store

Answer = tuple[int, dict[str, str], Any]
"""HTTP status (0 drops the connection), extra headers, and the JSON body (or plain text)."""


class WebApi:
    def __init__(
        self,
        store: Store,
        log: CallLog,
        *,
        token: str,
        app_token: str,
        base_url: Callable[[], str],
    ) -> None:
        self.store = store
        self.log = log
        self.token = token
        self.app_token = app_token
        self.socket_url: str | None = None
        self._base_url = base_url

    def answer(
        self, method: str, params: dict[str, Any], headers: dict[str, str], path: str = ""
    ) -> Answer:
        self.log.record(method, params, headers, path)
        fault = self.log.next_fault(method)
        if fault is None:
            return self._carry_out(method, params, headers)
        if fault.processed:
            self._carry_out(method, params, headers)
        extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        if fault.status == 0:
            return 0, {}, None
        if fault.status != 200:
            error = "ratelimited" if fault.status == 429 else "fatal_error"
            return fault.status, extra, {"ok": False, "error": error}
        return 200, extra, {"ok": False, "error": fault.error}

    def _carry_out(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> Answer:
        token = headers.get("authorization", "").removeprefix("Bearer ") or params.get("token", "")
        wanted = self.app_token if method == "apps.connections.open" else self.token
        if not token:
            return 200, {}, {"ok": False, "error": "not_authed"}
        if token != wanted:
            return 200, {}, {"ok": False, "error": "invalid_auth"}
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return 200, {}, {"ok": False, "error": "unknown_method"}
        return 200, {}, handler(params)

    def uploaded(self, file_id: str, body: bytes) -> Answer:
        """Step 2 of the files upload: the bytes posted to the upload URL (Slack: plain "OK")."""
        self.log.record("upload", {"file_id": file_id, "size": len(body)}, {}, f"/upload/{file_id}")
        with self.store.changing():
            if file_id not in self.store.files:
                return 404, {}, {"ok": False, "error": "file_not_found"}
            self.store.files[file_id]["content"] = body
        return 200, {}, "OK"

    # helpers -------------------------------------------------------------------------------

    def _open(self, params: dict[str, Any], key: str = "channel") -> Channel | None:
        return self.store.channel(str(params.get(key) or ""))

    def post(self, channel: Channel, message: dict[str, Any]) -> dict[str, Any]:
        """Add a message to a channel (newest first) with a fresh ts; the message."""
        with self.store.changing():
            message = {"type": "message", "ts": self.store.next_ts(), **message}
            channel.messages.insert(0, message)
        return message

    # the methods ---------------------------------------------------------------------------

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://fake.slack.test/",
            "team": "Fake",
            "user": "silta",
            "team_id": "T0FAKE",
            "user_id": BOT_USER,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._open(params)
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if not channel.member:
            return {"ok": False, "error": "not_in_channel"}
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        message: dict[str, Any] = {
            "text": params.get("text", ""),
            "blocks": params.get("blocks") or [],
            "bot_id": BOT_ID,
        }
        if params.get("metadata"):
            message["metadata"] = params["metadata"]
        if params.get("thread_ts"):
            message["thread_ts"] = str(params["thread_ts"])
        message = self.post(channel, message)
        return {"ok": True, "channel": channel.id, "ts": message["ts"], "message": message}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        def change(channel: Channel, message: dict[str, Any]) -> dict[str, Any]:
            message.update(text=params.get("text", ""), blocks=params.get("blocks") or [])
            if params.get("metadata"):
                message["metadata"] = params["metadata"]
            return {"ok": True, "channel": channel.id, "ts": message["ts"], "text": message["text"]}

        return self._on_message(params, change)

    def _chat_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        def remove(channel: Channel, message: dict[str, Any]) -> dict[str, Any]:
            channel.messages.remove(message)
            return {"ok": True, "channel": channel.id, "ts": message["ts"]}

        return self._on_message(params, remove)

    def _on_message(
        self,
        params: dict[str, Any],
        change: Callable[[Channel, dict[str, Any]], dict[str, Any]],
    ) -> dict[str, Any]:
        """Apply `change` to the message `params` name, or answer as Slack does when there is
        no such channel or message."""
        channel = self._open(params)
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        with self.store.changing():
            message = channel.find(str(params.get("ts")))
            if message is None:
                return {"ok": False, "error": "message_not_found"}
            return change(channel, message)

    def _chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._open(params)
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if not channel.member:
            return {"ok": False, "error": "not_in_channel"}
        with self.store.changing():
            ts = self.store.next_ts()
            channel.ephemeral.insert(
                0,
                {
                    "type": "message",
                    "ts": ts,
                    "text": params.get("text", ""),
                    "blocks": params.get("blocks") or [],
                    "bot_id": BOT_ID,
                    "user": str(params.get("user", "")),
                },
            )
        return {"ok": True, "message_ts": ts}

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = str(params.get("users", ""))
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        return {"ok": True, "channel": {"id": self.store.open_dm(users).id}}

    def _conversations_list(self, params: dict[str, Any]) -> dict[str, Any]:
        """Channels (and DMs when `types` asks for `im`), with their names; one page."""
        types = set(str(params.get("types") or "public_channel").split(","))
        with self.store.reading():
            found = [
                _describe(c)
                for c in self.store.channels.values()
                if (
                    "im" in types
                    if c.is_im
                    else bool(types & {"public_channel", "private_channel"})
                )
            ]
        return {"ok": True, "channels": found, "response_metadata": {"next_cursor": ""}}

    def _conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._open(params)
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": _describe(channel)}

    def _conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._open(params)
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        limit = int(params.get("limit") or 100)
        oldest = float(params.get("oldest") or 0)
        latest = float(params.get("latest") or "inf")
        with self.store.reading():
            found = [
                m
                for m in channel.messages
                if m.get("thread_ts") in (None, m["ts"]) and oldest <= float(m["ts"]) <= latest
            ]
        return {"ok": True, "messages": found[:limit], "has_more": False}

    def _conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        """The parent first, then its replies oldest first, as Slack answers."""
        channel = self._open(params)
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        ts = str(params.get("ts", ""))
        with self.store.reading():
            thread = [m for m in reversed(channel.messages) if ts in (m["ts"], m.get("thread_ts"))]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        return {"ok": True, "messages": thread, "has_more": False}

    def _files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        """Step 1 of the files upload flow: a one-off URL on this server."""
        if not params.get("filename") or not params.get("length"):
            return {"ok": False, "error": "invalid_arguments"}
        file_id = self.store.next_id("F")
        with self.store.changing():
            self.store.files[file_id] = {
                "id": file_id,
                "name": params["filename"],
                "length": int(params["length"]),
                "content": None,
            }
        return {
            "ok": True,
            "upload_url": f"{self._base_url()}/upload/{file_id}",
            "file_id": file_id,
        }

    def _files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        """Step 3: share the uploaded files in a channel (and thread), as a message."""
        files = params.get("files") or "[]"
        files = json.loads(files) if isinstance(files, str) else files
        known = [self.store.files.get(str(f.get("id"))) for f in files]
        if not files or any(f is None or f["content"] is None for f in known):
            return {"ok": False, "error": "file_not_found"}
        with self.store.changing():
            shared = []
            for stored, wanted in zip(known, files, strict=True):
                assert stored is not None
                stored["title"] = wanted.get("title") or stored["name"]
                shared.append(
                    {
                        "id": stored["id"],
                        "title": stored["title"],
                        "name": stored["name"],
                        "url_private": f"{self._base_url()}/files/{stored['id']}/{stored['name']}",
                    }
                )
        channel = self._open(params, "channel_id")
        if channel is not None:
            message: dict[str, Any] = {
                "text": params.get("initial_comment") or "",
                "files": shared,
                "bot_id": BOT_ID,
            }
            if params.get("thread_ts"):
                message["thread_ts"] = str(params["thread_ts"])
            self.post(channel, message)
        return {"ok": True, "files": [{"id": f["id"], "title": f["title"]} for f in shared]}

    def _views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("user_id") or not params.get("view"):
            return {"ok": False, "error": "invalid_arguments"}
        view = {"id": "V0HOME", **params["view"]}
        with self.store.changing():
            self.store.homes[str(params["user_id"])] = view
        return {"ok": True, "view": view}

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.store.users.get(str(params.get("user", "")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _users_list(self, params: dict[str, Any]) -> dict[str, Any]:
        with self.store.reading():
            members = list(self.store.users.values())
        return {"ok": True, "members": members, "response_metadata": {"next_cursor": ""}}

    def _apps_connections_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.socket_url is None:
            return {"ok": False, "error": "socket_mode_not_enabled"}
        return {"ok": True, "url": self.socket_url}


def _describe(channel: Channel) -> dict[str, Any]:
    if channel.is_im:
        return {"id": channel.id, "is_im": True, "user": channel.user, "is_open": True}
    return {
        "id": channel.id,
        "name": channel.name,
        "is_channel": True,
        "is_private": False,
        "is_archived": False,
        "is_member": channel.member,
    }
