"""Untrusted social text made safe for Slack's mrkdwn.

Slack reads `<…>` as a control sequence: `<!channel>` pings a channel, `<@U123>` a person, and
`<https://evil.example|bank>` shows "bank" over any link. Escaping `&`, `<` and `>` turns all
of them into visible text. The bare words `@channel`, `@here` and `@everyone` are also broken
with a zero-width joiner, so that a message sent with `link_names` someday still pings no one.
"""

from __future__ import annotations

import re

_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
_ZWJ = "\u200d"


def escape(text: str | None) -> str:
    """`text` shown literally in mrkdwn: no mention, no broadcast, no hidden link."""
    if not text:
        return ""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda m: "@" + _ZWJ + m.group(1), escaped)


def excerpt(text: str | None, limit: int) -> str:
    """One line of at most `limit` characters *after* escaping, cut on a word where it can be,
    so an entity like `&amp;` is never split in half."""
    flat = _WHITESPACE.sub(" ", text or "").strip()
    shown = escape(flat)
    if len(shown) <= limit:
        return shown
    cut = flat[: max(0, limit - 1)]
    while cut and len(escape(cut)) > limit - 1:
        cut = cut[:-1]
    if " " in cut[len(cut) // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return escape(cut.rstrip()) + "…"


def visible_url(url: str | None) -> str:
    """A link as its own text: only http(s), escaped, so it can never hide behind a label."""
    if not url or not re.match(r"^https?://", url, re.IGNORECASE):
        return ""
    return escape(url)
