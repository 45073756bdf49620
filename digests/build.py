"""A team's digest as plain data: what the period held, against the period before, the
mentions that most need eyes (each story once, with every source's link), and what people
acknowledged. Rendering and sending read this and query nothing."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypedDict

from sqlalchemy.orm import Session

from bot.config import Workspace
from bot.models import Mention, utcnow
from bot.store import digests as claims
from bot.store import mentions, reports
from bot.store.stories import Story, groupable, retelling
from digests import periods
from digests.periods import Period

TOP = 12


class _Taken(TypedDict):
    """What every query of a digest's period shares."""

    session: Session
    categories: list[str]
    arrivals: mentions.Arrivals | None


"""Stories a digest lists: the main message shows the first few, the thread the rest."""
STORY_LOOKBACK = timedelta(days=1)
"""How long before the period a copy of a story may have appeared and still be linked."""


@dataclass(frozen=True)
class AcknowledgedMention:
    mention: Mention
    user_id: str
    at: datetime


@dataclass(frozen=True)
class TeamDigest:
    team: str
    channel: str
    period: Period
    counts: dict[str, int]
    """Per category of the team, in the team's order; zero when none."""
    previous: dict[str, int]
    sentiment: dict[str, int]
    stories: list[Story]
    acknowledged: list[AcknowledgedMention]
    teams: list[str] = field(default_factory=list)
    """Every team, for the "Move to…" menu."""
    unsure: int = 0
    """Mentions of the period that may be the team's, classified below the threshold: they
    wait in `/silta triage` rather than in the digest."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def previous_total(self) -> int:
        return sum(self.previous.values())

    @property
    def quiet(self) -> bool:
        return self.total == 0

    def change(self, category: str | None = None) -> float | None:
        """Relative change against the period before; None when that one was empty."""
        now = self.total if category is None else self.counts.get(category, 0)
        before = self.previous_total if category is None else self.previous.get(category, 0)
        return None if not before else (now - before) / before

    @property
    def search(self) -> str:
        """The command that lists everything the digest summarises."""
        return f"/silta search team:{self.team} since:{since_text(self.period.length)}"


def since_text(length: timedelta) -> str:
    """A `since:` duration covering `length`: hours up to two days, then days."""
    hours = math.ceil(length / timedelta(hours=1))
    return f"{hours}h" if hours <= 48 else f"{math.ceil(hours / 24)}d"


def upcoming(team: str, *, workspace: Workspace, session: Session, now: datetime) -> Period:
    """What the team's next digest covers so far: from where the last one ended (or the
    schedule's latest fire time, before the first) until now."""
    config = workspace.teams[team]
    last = claims.latest(team, "digest", session=session)
    start = last.period_end if last else periods.latest_fire(config.schedule, config.timezone, now)
    return Period(min(start, now), now, config.timezone)


def arrivals(team: str, period: Period, *, session: Session) -> mentions.Arrivals:
    """What the digest of the period takes (see `Arrivals`): what was fetched by its claim, or
    by now while it is not claimed yet, and what was found late since the claim before it.
    Fetches are timed by the real clock, as claims are, even when the demo plays time fast."""
    own = claims.overlapping(team, "digest", period.start, period.end, session=session)
    claimed = own.claimed_at if own is not None and own.period_start == period.start else None
    previous = claims.ending_at(team, "digest", period.start, session=session)
    return mentions.Arrivals(claimed or utcnow(), previous.claimed_at if previous else None)


def build_digest(
    team: str,
    period: Period,
    *,
    workspace: Workspace,
    session: Session,
    top: int = TOP,
    arrivals: mentions.Arrivals | None = None,
) -> TeamDigest:
    """The team's digest of the period: what was published in it, or with `arrivals` (when it
    is delivered) what a delivered digest takes, late finds included; only what was classified
    at `classifier.threshold` or above (the rest is counted, and waits in triage)."""
    config = workspace.teams[team]
    categories = list(config.categories)
    sure = workspace.classifier.threshold
    before = period.previous()
    # What every query of this period shares: the team's categories, and what it takes.
    taken: _Taken = {"session": session, "categories": categories, "arrivals": arrivals}
    counts = mentions.count_by_category(period.start, period.end, sure=sure, **taken)
    previous = mentions.count_by_category(
        before.start, before.end, session=session, categories=categories, sure=sure
    )
    unsure = mentions.count_by_category(period.start, period.end, unsure=sure, **taken)
    ranked = mentions.top(period.start, period.end, limit=top * 2, sure=sure, **taken)
    return TeamDigest(
        team=team,
        channel=config.channel,
        period=period,
        counts={c: counts.get(c, 0) for c in categories},
        previous={c: previous.get(c, 0) for c in categories},
        sentiment=reports.sentiment_mix(period.start, period.end, sure=sure, **taken),
        stories=stories(ranked, period, session=session)[:top],
        acknowledged=acknowledged(period, categories, session=session),
        teams=list(workspace.teams),
        unsure=sum(unsure.values()),
    )


def stories(ranked: list[Mention], period: Period, *, session: Session) -> list[Story]:
    """The ranked mentions as stories: a cross-post is told once, led by its best-ranked copy,
    with the copies seen on other sources around the period, and an author's retelling of a
    story ranked above joins that story."""
    hashes = sorted({m.content_hash for m in ranked if groupable(m)})
    found: dict[str, list[Mention]] = {}
    for copy in reports.copies(hashes, period.start - STORY_LOOKBACK, period.end, session=session):
        found.setdefault(copy.content_hash, []).append(copy)
    told: set[str] = set()
    result: list[Story] = []
    for mention in ranked:
        if not groupable(mention):
            result.append(Story(mention, [mention]))
        elif mention.content_hash not in told:
            told.add(mention.content_hash)
            others = [m for m in found.get(mention.content_hash, []) if m.id != mention.id]
            retold = next((s for s in result if retelling(s.lead, mention)), None)
            if retold is None:
                result.append(Story(mention, [mention, *others]))
            else:
                retold.mentions.extend([mention, *others])
    return result


def acknowledged(
    period: Period, categories: list[str], *, session: Session
) -> list[AcknowledgedMention]:
    acks = reports.acknowledged(period.start, period.end, session=session, categories=categories)
    if not acks:
        return []
    by_id = reports.mentions_by_id([a.mention_id for a in acks], session=session)
    return [AcknowledgedMention(by_id[a.mention_id], a.user_id, a.at) for a in acks]
