"""Sources: the row that remembers where polling resumes and how healthy a source is."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Source


def get(name: str, *, session: Session) -> Source | None:
    return session.scalar(select(Source).where(Source.name == name))


def get_all(*, session: Session) -> list[Source]:
    return list(session.scalars(select(Source).order_by(Source.name)))


def get_or_create(name: str, kind: str, *, session: Session) -> Source:
    """The source row for a configured source; its kind follows the configuration."""
    source = get(name, session=session)
    if source is None:
        source = Source(name=name, kind=kind, cursor={})
        session.add(source)
        session.flush()
    elif source.kind != kind:
        source.kind = kind
        source.cursor = {}
    return source
