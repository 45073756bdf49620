"""A workspace with four teams on different schedules, and mentions stored as ingestion
would store them."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.config import Workspace, load_workspace
from bot.models import Mention
from bot.store import mentions, sources
from bot.store.mentions import NewMention

WORKSPACE: dict[str, Any] = {
    "company": {"name": "Acme", "terms": ["Acme"], "competitors": ["Globex", "Initech"]},
    "teams": {
        "support": {
            "channel": "#support",
            "categories": ["support_issue"],
            "schedule": "0 * * * *",
        },
        "sales": {
            "channel": "#sales",
            "categories": ["sales_lead"],
            "schedule": "0 9 * * 1-5",
            "timezone": "Europe/Helsinki",
        },
        "product": {
            "channel": "#product",
            "categories": ["product_feedback"],
            "schedule": "0 9 * * 1",
            "quiet": "skip",
        },
        "marketing": {
            "channel": "#marketing",
            "categories": ["noise", "hiring_signal"],
            "schedule": "0 9 * * 1",
            "report": True,
        },
    },
    "targets": {
        "ack_minutes": 60,
        "correction_rate": 0.1,
        "share_of_voice": 0.5,
        "leads_per_week": 3,
    },
}

_ids = itertools.count(1)


def workspace(**overrides: Any) -> Workspace:
    return load_workspace({**WORKSPACE, **overrides}, {})


def add(
    session: Session,
    text: str,
    published_at: datetime,
    *,
    category: str | None = "support_issue",
    source: str = "hn",
    urgency: float = 0.1,
    sentiment: float = 0.0,
    engagement: int = 0,
    reach: int = 0,
    author: str = "someone",
    url: str | None = None,
    title: str | None = None,
    fetched_at: datetime | None = None,
) -> Mention:
    """A stored, classified mention, fetched a minute after it was published unless told."""
    row = sources.get_or_create(source, "hackernews", session=session)
    number = next(_ids)
    new = NewMention(
        external_id=f"m{number}",
        text=text,
        title=title,
        published_at=published_at,
        author=author,
        url=url or f"https://{source}.example/item/{number}",
        engagement=engagement,
        reach=reach,
    )
    (mention_id,) = mentions.insert_many([new], source_id=row.id, session=session)
    mention = session.get(Mention, mention_id)
    assert mention is not None
    mention.category, mention.urgency, mention.sentiment = category, urgency, sentiment
    mention.fetched_at = fetched_at or published_at + timedelta(minutes=1)
    mention.confidence = 0.9 if category else None
    session.flush()
    return mention
