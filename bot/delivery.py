"""Posting to a team's channel, with Slack's refusals turned into sentences that say the fix.
Used by corrections now and by digests later."""

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
    "ratelimited": "Slack is rate-limiting Silta; it will try again later",
}


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
