"""Shared builders for the Slack-side tests: a workspace, stored mentions, and sessions that
commit for real inside one rolled-back transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.config import Workspace, load_workspace
from bot.models import Mention
from bot.store import mentions, sources
from bot.store.mentions import NewMention

WORKSPACE: dict[str, Any] = {
    "company": {"name": "Acme", "terms": ["Acme"]},
    "teams": {
        "support": {"channel": "#support", "categories": ["support_issue"]},
        "product": {"channel": "#product", "categories": ["product_feedback"]},
        "sales": {"channel": "C0SALES01", "categories": ["sales_lead"]},
    },
    "alerts": {"urgency_threshold": 0.7, "cooldown": "10m"},
    "sources": [{"name": "hn", "kind": "hackernews", "query": "acme"}],
}


def workspace(**overrides: Any) -> Workspace:
    return load_workspace({**WORKSPACE, **overrides}, {})


def store(
    session: Session,
    text: str,
    *,
    category: str | None = "support_issue",
    urgency: float | None = 0.1,
    sentiment: float | None = -0.3,
    author: str = "someone",
    published_at: datetime | None = None,
    source: str = "hn",
    **extra: Any,
) -> Mention:
    row = sources.get_or_create(source, "hackernews", session=session)
    when = published_at or datetime.now(UTC)
    new = NewMention(
        external_id=f"{text[:40]}-{when.timestamp()}-{id(extra)}-{len(text)}",
        text=text,
        published_at=when,
        author=author,
        url="https://news.example/item?id=1",
        **extra,
    )
    (mention_id,) = mentions.insert_many([new], source_id=row.id, session=session)
    mention = session.get(Mention, mention_id)
    assert mention is not None
    mention.category, mention.urgency, mention.sentiment = category, urgency, sentiment
    mention.confidence = 0.8 if category else None
    session.flush()
    return mention
