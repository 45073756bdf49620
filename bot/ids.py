"""Every action_id and block_id Silta puts in a message, in one place, so the builders that
emit them and the listeners that match them can never drift apart."""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    MOVE = "mention_move"
    OPEN = "mention_open"
    ACKNOWLEDGE = "alert_acknowledge"
    NOT_URGENT = "alert_not_urgent"
    SEARCH_MORE = "search_more"


class BlockId(StrEnum):
    MENTION = "mention"
    """Prefix: a mention's blocks are `mention:<id>:<part>`, unique within a message."""
    SEARCH_MORE = "search_more"
    ALERT_STATUS = "alert_status"


class Command(StrEnum):
    SILTA = "/silta"


NOT_RELEVANT = "noise"
"""What "Not relevant" in the Move to… menu files a mention under."""


def mention_block(mention_id: int, part: str) -> str:
    return f"{BlockId.MENTION}:{mention_id}:{part}"
