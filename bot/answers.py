"""What `/silta` answers, as plain data: the queries behind search, stats, top, sources and
App Home (with what did not reach Slack). The listeners turn these into Block Kit; nothing here
knows about Slack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot import commands
from bot.config import Workspace
from bot.models import Alert, Digest, Mention
from bot.store import alerts as alert_store
from bot.store import digests as claims
from bot.store import mentions, stats
from bot.store.mentions import SearchQuery
from bot.taxonomy import CATEGORIES

PAGE = 10


@dataclass(frozen=True)
class SearchPage:
    query: commands.Search
    mentions: list[Mention]
    offset: int
    has_more: bool


def categories_of(scope: str | None, workspace: Workspace) -> list[str] | None:
    """A team's categories, a category on its own, or None for everything."""
    if scope is None:
        return None
    if scope in workspace.teams:
        return list(workspace.teams[scope].categories)
    return [scope] if scope in CATEGORIES else None


def search(
    query: commands.Search,
    *,
    workspace: Workspace,
    session: Session,
    now: datetime,
    offset: int = 0,
    limit: int = PAGE,
) -> SearchPage:
    categories = categories_of(query.team, workspace)
    if query.category is not None:
        categories = [c for c in (categories or [query.category]) if c == query.category]
    delta = query.since_delta
    found = mentions.search(
        SearchQuery(
            words=query.words,
            categories=categories,
            source=query.source,
            since=now - delta if delta else None,
            sentiment=query.sentiment,
            limit=limit + 1,
            offset=offset,
            sure=workspace.classifier.threshold if query.team else None,  # what its digest holds
        ),
        session=session,
    )
    return SearchPage(query, found[:limit], offset, has_more=len(found) > limit)


def period_stats(
    query: commands.Stats, *, workspace: Workspace, session: Session, now: datetime
) -> stats.PeriodStats:
    span = commands.PERIODS[query.period]
    return stats.period(
        now - span, now, session=session, categories=categories_of(query.scope, workspace)
    )


def top(
    query: commands.Top, *, workspace: Workspace, session: Session, now: datetime, limit: int = 5
) -> list[Mention]:
    span = commands.PERIODS[query.period]
    return mentions.top(
        now - span,
        now,
        session=session,
        categories=categories_of(query.team, workspace),
        limit=limit,
    )


TRIAGE_SHOWN = 10
"""A mention takes four blocks with its divider: ten fit in a message (50 blocks) whole."""


@dataclass(frozen=True)
class TriageQueue:
    total: int
    newest: list[Mention]
    """The newest `TRIAGE_SHOWN` of them."""


def triage(
    query: commands.Triage, *, workspace: Workspace, session: Session, now: datetime
) -> TriageQueue:
    """Mentions of the period classified below `classifier.threshold` (for the team's
    categories, with a team): no team got them, and a person's Move to… files them."""
    since = now - commands.PERIODS[query.period]
    unsure = SearchQuery(
        categories=categories_of(query.team, workspace),
        since=since,
        unsure=workspace.classifier.threshold,
        limit=TRIAGE_SHOWN,
    )
    total = mentions.count_by_category(
        since, now, session=session, categories=unsure.categories, unsure=unsure.unsure
    )
    return TriageQueue(sum(total.values()), mentions.search(unsure, session=session))


def today_by_team(*, workspace: Workspace, session: Session, now: datetime) -> dict[str, int]:
    """Mentions since midnight UTC for each team (those it receives, above the threshold), for
    App Home."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    counts = mentions.count_by_category(
        midnight, now + timedelta(seconds=1), session=session, sure=workspace.classifier.threshold
    )
    return {
        name: sum(counts.get(c, 0) for c in team.categories)
        for name, team in workspace.teams.items()
    }


@dataclass(frozen=True)
class TeamDeliveries:
    """A team's channel, where its newest posted digest ends, and the digests or reports it
    has not managed to post yet (each with the error Slack gave and the fix)."""

    team: str
    channel: str
    last_sent_until: datetime | None
    stuck: list[Digest]


@dataclass(frozen=True)
class RefusedDMs:
    """One person's alerts that Slack refused, newest first: whether Silta still tries."""

    user_id: str
    alerts: list[Alert]

    @property
    def newest(self) -> Alert:
        return self.alerts[0]

    @property
    def retrying(self) -> bool:
        return self.newest.status != alert_store.FAILED


REFUSED_SPAN = timedelta(days=7)


def deliveries(
    *, workspace: Workspace, session: Session, now: datetime
) -> tuple[list[TeamDeliveries], list[RefusedDMs]]:
    """What did not reach Slack: every team's stuck digests, and the week's refused DMs by
    person, so that whoever opens App Home sees a channel Silta was removed from."""
    teams = []
    for name, team in workspace.teams.items():
        kinds = ("digest", "report") if team.report else ("digest",)
        stuck = [d for kind in kinds for d in claims.unfinished(name, kind, session=session)]
        teams.append(
            TeamDeliveries(
                name,
                team.channel,
                claims.last_sent_until(name, "digest", session=session),
                [d for d in stuck if d.error],
            )
        )
    by_person: dict[str, list[Alert]] = {}
    for alert in alert_store.refused_since(now - REFUSED_SPAN, session=session):
        by_person.setdefault(alert.user_id, []).append(alert)
    return teams, [RefusedDMs(user, alerts) for user, alerts in by_person.items()]
