"""Corrections made in Slack: "Move to…" a team (or "Not relevant"), and "Not urgent".

A correction is a `Label` — who said what, when — and the mention's current category follows
it at once, so searches and digests agree with the person straight away; the classifier learns
from the labels when it is next trained.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.config import Workspace
from bot.errors import CommandError
from bot.ids import NOT_RELEVANT
from bot.models import Label, Mention
from bot.store import labels, mentions, stories
from bot.store.labels import ORIGIN_MOVE, ORIGIN_NOT_URGENT


@dataclass(frozen=True)
class Moved:
    mention: Mention
    team: str | None
    """None: "Not relevant"."""
    category: str
    previous: str | None
    copies: list[Mention]
    """The story's other mentions that moved with it."""


def _mention(mention_id: int, session: Session) -> Mention:
    mention = mentions.get(mention_id, session=session)
    if mention is None:
        raise CommandError("That mention is no longer stored, so it cannot be changed.")
    return mention


def record(
    mention: Mention, category: str, *, user_id: str, origin: str, session: Session
) -> Label:
    """The label, and full confidence: a person said so."""
    label = labels.create(mention, category, user_id=user_id, origin=origin, session=session)
    mention.confidence = 1.0
    return label


def move(
    mention_id: int, team: str | None, *, user_id: str, workspace: Workspace, session: Session
) -> Moved:
    """File the mention under the team's first category, or under noise for "Not relevant",
    with the copies of its story (cross-posts, its author's retellings) that were filed with
    it: a digest shows them as one story, and a person moves the story."""
    if team is not None and team not in workspace.teams:
        raise CommandError(f'There is no team "{team}" any more; check [teams] in silta.toml.')
    mention = _mention(mention_id, session)
    category = workspace.teams[team].categories[0] if team else NOT_RELEVANT
    previous = mention.category
    record(mention, category, user_id=user_id, origin=ORIGIN_MOVE, session=session)
    copies = [c for c in stories.copies_of(mention, session=session) if c.category == previous]
    for copy in copies:
        record(copy, category, user_id=user_id, origin=ORIGIN_MOVE, session=session)
    return Moved(mention, team, category, previous, copies)


def not_urgent(mention_id: int, *, user_id: str, session: Session) -> Mention:
    """Keep the category, drop the urgency: the label records the person's word for it."""
    mention = _mention(mention_id, session)
    record(
        mention,
        mention.category or NOT_RELEVANT,
        user_id=user_id,
        origin=ORIGIN_NOT_URGENT,
        session=session,
    )
    mention.urgency = 0.0
    return mention
