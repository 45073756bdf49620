"""Posting to a team's channel, with Slack's refusals turned into sentences that say the fix:
for corrections as they happen, and for App Home's account of digests and DMs that failed."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import SlackError

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


def advice(error: str) -> str | None:
    """What to do about a refusal as Silta records it: Slack's code, maybe after the HTTP
    status ("403 not_in_channel"); None for what only needs patience (a 5xx, a timeout)."""
    return ADVICE.get(error.rsplit(" ", 1)[-1])


def refusal(exc: SlackApiError, what: str) -> SlackError:
    code = str(exc.response.get("error") or "unknown_error")
    return SlackError(f"Could not {what}: {ADVICE.get(code, code)}.", code=code)


def post(client: WebClient, channel: str, *, blocks: list[dict[str, Any]], text: str) -> str:
    """Post a message; returns its ts."""
    try:
        reply = client.chat_postMessage(
            channel=channel, blocks=blocks, text=text, unfurl_links=False, unfurl_media=False
        )
    except SlackApiError as exc:
        raise refusal(exc, f"post to {channel}") from None
    return str(reply["ts"])
