"""The bounds and cursors the connectors send, read one way so every API pages alike."""

from __future__ import annotations

import base64

from bot.demo.feeds.formats import Query


def size(query: Query, name: str, default: int, most: int, cap: int | None) -> int:
    try:
        asked = int(query.get(name) or default)
    except ValueError:
        asked = default
    return max(1, min(asked, most, cap or most))


def token(seq: int) -> str:
    return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode().rstrip("=")


def untoken(token: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return int(text[4:]) if text.startswith("seq:") and text[4:].isdigit() else None


def numeric(value: int, clause: str) -> bool:
    """`name>=123` style filters, as Algolia and GitHub's created: qualifier read them."""
    for op in (">=", "<=", ">", "<", "="):
        if op in clause:
            bound = int(clause.split(op, 1)[1])
            return {
                ">=": value >= bound,
                "<=": value <= bound,
                ">": value > bound,
                "<": value < bound,
                "=": value == bound,
            }[op]
    return True
