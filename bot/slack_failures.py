"""What a failed Slack call means for Silta, decided in one place: what to record, whether the
message certainly was not posted (so posting again is safe), whether any retry could help, and
what a person should do about it.

Slack's `{"ok": false}` answers (channel_not_found, invalid_auth) and 429s mean the call was
not carried out; so does a refused connection. A 5xx, a timeout or a connection dropped after
the request went out may come after Slack posted: only its history can tell.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.errors import SlackApiError, SlackClientError

FAILURES = (SlackClientError, OSError)
"""What a Web API call raises when Slack refuses it or cannot be reached (timeouts, lost or
refused connections are OSErrors)."""

ADVICE = {
    "channel_not_found": "the channel does not exist or is private; check `channel` in "
    "silta.toml and invite Silta to private channels",
    "not_in_channel": "Silta is not in the channel; invite it with `/invite @Silta`",
    "is_archived": "the channel is archived; point the team at another channel in silta.toml",
    "invalid_auth": "the bot token is not valid; reinstall the app and update SLACK_BOT_TOKEN",
    "not_authed": "no bot token was sent; set SLACK_BOT_TOKEN",
    "account_inactive": "the bot token was revoked; reinstall the app",
    "token_revoked": "the bot token was revoked; reinstall the app and update SLACK_BOT_TOKEN",
    "missing_scope": "the app lacks a permission; reinstall it from manifest.yml",
    "ratelimited": "Slack is rate-limiting Silta; it will try again later",
    "user_not_found": "Slack does not know this person; they may have left the workspace",
    "user_not_visible": "Silta may not see this person (a guest, or another organisation)",
    "user_disabled": "the person's account is deactivated",
    "cannot_dm_bot": "this is a bot, which cannot get DMs",
}

UNREACHABLE = frozenset({"user_not_found", "user_not_visible", "user_disabled", "cannot_dm_bot"})
"""Slack's answers that no retry can change: the person is gone, hidden from the app, or a bot."""


@dataclass(frozen=True)
class SlackFailure:
    code: str
    """As Silta records it: Slack's error ("not_in_channel"), after the HTTP status when that
    was not 200 ("HTTP 503 fatal_error"), or the exception ("TimeoutError: timed out")."""
    slack_error: str | None
    """Slack's own error string, when it answered one."""
    certainly_not_posted: bool

    @property
    def advice(self) -> str | None:
        return advice(self.code)

    @property
    def unreachable(self) -> bool:
        return self.slack_error in UNREACHABLE


def failure(exc: Exception) -> SlackFailure:
    """The meaning of an exception from a Web API call (one of `FAILURES`)."""
    if isinstance(exc, SlackApiError):
        error, status = str(exc.response.get("error") or ""), exc.response.status_code
        code = error if status == 200 else f"HTTP {status} {error}".rstrip()
        return SlackFailure(code, error or None, certainly_not_posted=status in (200, 429))
    reason = getattr(exc, "reason", None)
    refused = isinstance(exc, ConnectionRefusedError) or isinstance(reason, ConnectionRefusedError)
    return SlackFailure(f"{type(exc).__name__}: {exc}", None, certainly_not_posted=refused)


def advice(code: str) -> str | None:
    """What to do about a failure as Silta records it (`SlackFailure.code`, stored in the
    database); None for what only needs patience (a 5xx, a timeout)."""
    return ADVICE.get(code.rsplit(" ", 1)[-1])
