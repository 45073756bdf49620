"""Labels: people's corrections, the only ground truth the classifier learns from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.models import Label, Mention

ORIGIN_MOVE = "slack"
ORIGIN_NOT_URGENT = "slack_not_urgent"


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


@dataclass(frozen=True)
class Verdict:
    """What people last said about a mention: its category, and whether anyone called it
    not urgent."""

    category: str
    not_urgent: bool


def verdicts(mention_ids: Sequence[int], *, session: Session) -> dict[int, Verdict]:
    """The mentions people corrected, each with their verdict; the others are absent."""
    statement = (
        select(Label.mention_id, Label.category, Label.origin)
        .where(Label.mention_id.in_(list(mention_ids)))
        .order_by(Label.id)
    )
    found: dict[int, Verdict] = {}
    for mention_id, category, origin in session.execute(statement):
        earlier = found.get(mention_id)
        calm = origin == ORIGIN_NOT_URGENT or (earlier is not None and earlier.not_urgent)
        found[mention_id] = Verdict(category, calm)
    return found


def count(*, session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Label)) or 0


def newest_id(*, session: Session) -> int | None:
    return session.scalar(select(func.max(Label.id)))
