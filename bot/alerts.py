"""Who gets a DM about which mention, and when.

A mention alerts a person who subscribed to `urgent` (when its urgency reaches
`[alerts] urgency_threshold`), to its category, or to a keyword it contains as a word — unless
that person, or an admin for everyone, muted a term it contains or its @author. Each
(mention, person) gets one `Alert` row, ever: a second look at the same mention adds nothing.

Sending is separate and idempotent: `dispatch_due` sends what is due, at most one DM per person
per `cooldown` (the rest wait their turn), and during quiet hours moves `due_at` to the end of
the quiet time. Nothing is dropped: a send that fails stays pending and is tried again later,
and nothing is posted twice (`bot.alert_dm`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot import alert_dm
from bot.blocks import alert_blocks, alert_text
from bot.config import Alerts as AlertRules
from bot.config import Workspace, parse_duration
from bot.db import session_scope
from bot.models import Alert, Mention, Mute, Subscription, utcnow
from bot.slack_failures import FAILURES, failure
from bot.store import alerts as alert_store
from bot.store import classifications, subscriptions
from bot.store.stories import same_story

log = logging.getLogger(__name__)

RETRY_MIN = timedelta(seconds=10)
RETRY_MAX = timedelta(minutes=30)
SHOWN_REASONS = 3
STORY_DAYS = timedelta(days=7)
LOOKBACK_IDS = 1000
"""How far below the highest id seen each scan starts again: on PostgreSQL a transaction that
took an id earlier can commit later, and its mentions must not be skipped."""


@lru_cache(maxsize=1024)
def _words(term: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in term.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)", re.IGNORECASE)


def says(mention: Mention, term: str) -> bool:
    """Whether the mention contains `term` as whole words (a phrase may span any spaces)."""
    return bool(term.strip()) and bool(
        _words(term.strip()).search(f"{mention.title or ''}\n{mention.text or ''}")
    )


def muted_by(mention: Mention, mute: Mute) -> bool:
    if mute.term.startswith("@"):
        handle = mute.term[1:].lower()
        names = {(mention.author or "").lower().lstrip("@"), (mention.author_name or "").lower()}
        return bool(handle) and handle in names
    return says(mention, mute.term)


def recipients(
    mention: Mention,
    subs: Iterable[Subscription],
    mutes: Iterable[Mute],
    *,
    threshold: float,
    reasons: Sequence[str] = (),
) -> dict[str, str]:
    """{user id: why} for everyone this mention should reach; an urgent one says what made
    it urgent (`reasons`, strongest first, as the classifier gave them)."""
    urgent = mention.urgency is not None and mention.urgency >= threshold
    found: dict[str, str] = {}
    for sub in subs:
        if sub.user_id in found:
            continue
        if sub.kind == "urgent" and urgent:
            because = f": {', '.join(reasons[:SHOWN_REASONS])}" if reasons else ""
            found[sub.user_id] = f"Urgent mention (urgency {mention.urgency:.0%}){because}"
        elif sub.kind == "category" and sub.value == mention.category:
            found[sub.user_id] = f"New {sub.value} mention"
        elif sub.kind == "keyword" and says(mention, sub.value):
            found[sub.user_id] = f'Mention saying "{sub.value}"'
    mutes = list(mutes)
    return {
        user: why
        for user, why in found.items()
        if not any(m.user_id in (None, user) and muted_by(mention, m) for m in mutes)
    }


def enqueue(
    mentions: Sequence[Mention], *, workspace: Workspace, session: Session, now: datetime
) -> int:
    """Create the alerts these mentions call for, one per person and story (a cross-post or
    retelling of a post someone was alerted about in the last `STORY_DAYS` is skipped);
    returns how many were new."""
    subs = subscriptions.get_everyone(session=session)
    if not subs or not mentions:
        return 0
    mutes = subscriptions.active_mutes(now=now, session=session)
    threshold = workspace.alerts.urgency_threshold
    reaching = {m.id: recipients(m, subs, mutes, threshold=threshold) for m in mentions}
    wanted = [m for m in mentions if reaching[m.id]]
    if not wanted:
        return 0
    reasons = classifications.latest_reasons([m.id for m in wanted], session=session)
    people = {user for m in wanted for user in reaching[m.id]}
    told: dict[str, list[Mention]] = {user: [] for user in people}
    for user, earlier in alert_store.recently_about(
        people, since=now - STORY_DAYS, session=session
    ):
        told[user].append(earlier)
    rows = []
    for mention in wanted:
        why_urgent = reasons.get(mention.id, [])
        found = recipients(mention, subs, mutes, threshold=threshold, reasons=why_urgent)
        for user, why in found.items():
            if not any(same_story(earlier, mention) for earlier in told[user]):
                told[user].append(mention)
                rows.append((mention.id, user, why))
    return alert_store.create_many(rows, due_at=now, session=session)


def quiet_until(now: datetime, rules: AlertRules) -> datetime | None:
    """The end of the quiet time `now` falls in, or None when it is not quiet."""
    if not rules.quiet_hours:
        return None
    start_text, end_text = rules.quiet_hours.split("-")
    start, end = time.fromisoformat(start_text), time.fromisoformat(end_text)
    local = now.astimezone(ZoneInfo(rules.timezone))
    clock = local.time().replace(tzinfo=None)
    overnight = start > end
    inside = (clock >= start or clock < end) if overnight else start <= clock < end
    if not inside or start == end:
        return None
    day = local.date() + timedelta(days=1) if overnight and clock >= start else local.date()
    ending = datetime.combine(day, end, tzinfo=local.tzinfo)
    return ending.astimezone(now.tzinfo)


@dataclass
class Dispatched:
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def dispatch_due(
    *,
    sessions: sessionmaker[Session],
    client: WebClient,
    workspace: Workspace,
    now: datetime | None = None,
    limit: int = 100,
) -> Dispatched:
    """Send the alerts that are due, by DM; defer the rest (quiet hours, cooldown)."""
    now = now or utcnow()
    result = Dispatched()
    rules = workspace.alerts
    cooldown = parse_duration(rules.cooldown)
    teams = list(workspace.teams)
    with session_scope(sessions) as session:
        due = alert_store.due(now, session=session, limit=limit)
        if not due:
            return result
        quiet_end = quiet_until(now, rules)
        if quiet_end is not None:
            for alert in due:
                alert.due_at = quiet_end
            result.deferred = len(due)
            return result
        last = alert_store.last_sent((a.user_id for a in due), session=session)
        about = {
            m.id: m
            for m in session.scalars(
                select(Mention).where(Mention.id.in_({a.mention_id for a in due}))
            )
        }
        for alert in due:
            free_at = last[alert.user_id] + cooldown if alert.user_id in last else None
            if free_at is not None and free_at > now:
                alert.due_at = free_at
                result.deferred += 1
                continue
            if _send(alert, about[alert.mention_id], client, teams, now, result):
                last[alert.user_id] = now
    return result


def _send(
    alert: Alert,
    mention: Mention,
    client: WebClient,
    teams: list[str],
    now: datetime,
    result: Dispatched,
) -> bool:
    reason = alert.reason or "Urgent mention"
    try:
        alert_dm.deliver(
            client,
            alert,
            text=alert_text(mention, reason),
            blocks=alert_blocks(mention, teams, reason=reason),
        )
    except FAILURES as exc:
        failed = failure(exc)
        alert.error = failed.code
        result.failed += 1
        result.errors.append(f"alert {alert.id} to {alert.user_id}: {failed.code}")
        if failed.unreachable:
            alert.status = alert_store.FAILED
            log.warning(
                "alert %s to %s not sent (%s); not retried", alert.id, alert.user_id, failed.code
            )
        else:
            alert.due_at = now + _backoff(alert, now)
            log.warning(
                "alert %s to %s not sent (%s); will retry", alert.id, alert.user_id, failed.code
            )
        return False
    alert.status = alert_store.SENT
    alert.error = None
    alert.sent_at = now
    result.sent += 1
    return True


def _backoff(alert: Alert, now: datetime) -> timedelta:
    """Half the time since the alert was created, between 10 s and 30 min: quick retries for
    a blip, patient ones for an outage, without an attempts column."""
    waited = now - (alert.created_at or now)
    return min(RETRY_MAX, max(RETRY_MIN, waited / 2))


class Watcher:
    """Finds mentions stored since the last look and enqueues their alerts. Remembers the
    highest id it has seen; starts from the newest mention, so a restart alerts about what
    arrives next rather than about the whole history."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime] = utcnow,
        batch: int = 2000,
    ) -> None:
        self.workspace = workspace
        self.sessions = sessions
        self.clock = clock
        self.batch = batch
        self.seen: int | None = None
        self.floor = 0

    def tick(self) -> int:
        with session_scope(self.sessions) as session:
            if self.seen is None:
                self.seen = self.floor = session.scalar(select(func.max(Mention.id))) or 0
            start = max(self.floor, self.seen - LOOKBACK_IDS)
            found = list(
                session.scalars(
                    select(Mention)
                    .where(Mention.id > start)
                    .order_by(Mention.id)
                    .limit(self.batch + LOOKBACK_IDS)
                )
            )
            if not found:
                return 0
            self.seen = max(self.seen, found[-1].id)
            return enqueue(found, workspace=self.workspace, session=session, now=self.clock())
