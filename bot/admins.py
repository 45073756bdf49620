"""Who may use admin actions: Slack's workspace admins and owners, and the users named in
`[slack] admins` in silta.toml. Slack is asked (users.info) only when the file does not say."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import Workspace
from bot.slack_failures import failure

log = logging.getLogger(__name__)


def is_admin(user_id: str, *, workspace: Workspace, client: WebClient) -> bool:
    if user_id in workspace.slack.admins:
        return True
    try:
        user = client.users_info(user=user_id).get("user") or {}
    except SlackApiError as exc:
        log.warning("users.info for %s failed: %s", user_id, failure(exc).code)
        return False
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
