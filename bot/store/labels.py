"""Labels: people's corrections, the only ground truth the classifier learns from."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.models import Label, Mention


def create(
    mention: Mention,
    category: str,
    *,
    user_id: str,
    session: Session,
    user_name: str | None = None,
    origin: str = "cli",
) -> Label:
    """Store a correction and make it the mention's current category."""
    label = Label(
        mention_id=mention.id,
        category=category,
        previous_category=mention.category,
        user_id=user_id,
        user_name=user_name,
        origin=origin,
    )
    session.add(label)
    mention.category = category
    session.flush()
    return label


def get_all(*, session: Session, mention_id: int | None = None) -> list[Label]:
    statement = select(Label).order_by(Label.id)
    if mention_id is not None:
        statement = statement.where(Label.mention_id == mention_id)
    return list(session.scalars(statement))


@dataclass(frozen=True)
class Correction:
    """A mention's text and the category people last gave it."""

    mention_id: int
    title: str | None
    text: str
    category: str


def corrections(*, session: Session) -> list[Correction]:
    """The newest label of every labelled mention, with the mention's text."""
    newest = (
        select(Label.mention_id, func.max(Label.id).label("label_id"))
        .group_by(Label.mention_id)
        .subquery()
    )
    statement = (
        select(Mention.id, Mention.title, Mention.text, Label.category)
        .join(newest, newest.c.mention_id == Mention.id)
        .join(Label, Label.id == newest.c.label_id)
        .order_by(Label.id)
    )
    return [Correction(*row) for row in session.execute(statement)]


def count(*, session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Label)) or 0


def newest_id(*, session: Session) -> int | None:
    return session.scalar(select(func.max(Label.id)))
