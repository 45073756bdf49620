"""Delivering a digest or report exactly once, whatever fails and whoever else is running.

The protocol, and why:

1. **Claim before sending.** The (team, kind, period start) row is inserted in its own committed
   transaction; the unique constraint decides who sends. A second worker, or the scheduler and
   `silta digest` racing, find the row taken and post nothing.
2. **Mark every message.** Each message carries Slack message `metadata` with a deterministic
   key (`digest:support:2026-11-24T08:00:00+00:00`, part 0 for the main message, 1… for the
   thread, and the chart's file title). A claim that stalled — its sender crashed between
   posting and recording, or Slack answered 5xx after perhaps posting — is taken over with a
   compare-and-set on `claimed_at` (only one worker wins), and the winner first looks for its
   marked messages in `conversations.history` / `conversations.replies`: what is there is
   recorded, only what is missing is posted. A crash can therefore never post twice, and a
   period is never skipped, because the next period starts where the last *claim* ends.
3. **Only Slack-safe retries in the client** (`Retry.POST_ONCE`). A 429 is retried after its
   Retry-After, and a refused connection, by the client (Slack did not process the call). An
   error answer (`ok: false`: channel_not_found, not_in_channel) or a connection still refused
   certainly posted nothing: the claim becomes `unsent` and is simply tried again after a
   backoff. A 5xx, a timeout or a dropped connection may have posted: the claim becomes
   `failed`, and its retry goes through step 2's lookup (`bot.slack_failures` tells which).

Leases with expiry alone (claimed_by + claimed_at) would decide *who* resumes but not *whether*
the message went out; the marker answers that from Slack's own record. A claim is considered
abandoned after `claim_ttl` (longer than any send), a failed one after its backoff.

History is read by channel id: posting records the id Slack answers with, and a channel
configured by name ("#support") is looked up by the id of the team's last delivery. Only for a
team's very first message, if Slack's answer was lost (a 5xx, or a crash just after posting),
is there no id yet: real Slack then refuses the lookup and the claim stays `failed`, its error
shown by `silta digest`, rather than risk a second post. Channel ids (C0123ABCD) close even that.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Workspace
from bot.db import session_scope
from bot.leader import worker_id
from bot.models import Digest, utcnow
from bot.slack_client import messages
from bot.slack_failures import FAILURES, failure
from bot.store import digests as claims
from bot.store import mentions
from digests import periods
from digests.build import arrivals, build_digest
from digests.periods import Period
from digests.render import Messages, digest_messages, report_messages
from digests.report import (
    REPORT_DELAY,
    REPORT_FIRES,
    REPORT_SCHEDULE,
    build_report,
    chart_png,
)

log = logging.getLogger(__name__)

DIGEST, REPORT = "digest", "report"
EVENT = "silta_digest"
CLAIM_TTL = timedelta(minutes=10)
RETRY_MIN, RETRY_MAX = timedelta(seconds=30), timedelta(hours=1)
HISTORY_PAGES = 10

Status = Literal["sent", "skipped", "already", "pending", "failed", "nothing"]


@dataclass(frozen=True)
class Outcome:
    status: Status
    team: str
    kind: str
    period: Period | None = None
    channel: str | None = None
    message_ts: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Plan:
    """One recurring delivery: a team's digest, or a reporting team's weekly report."""

    team: str
    kind: str
    schedule: str
    """The cron whose fire times bound the periods."""
    zone: str
    delay: timedelta = timedelta(0)
    """How long after a period ends it is sent…"""
    sends: str | None = None
    """…by the job on this cron (the schedule itself when there is no delay)."""

    def due(self, now: datetime, last_end: datetime | None) -> Period | None:
        return periods.due(self.schedule, self.zone, now - self.delay, last_end)

    @property
    def fires(self) -> tuple[str, str]:
        """(cron, time zone) of the job that sends it."""
        return self.sends or self.schedule, self.zone


def plans(workspace: Workspace) -> list[Plan]:
    found = []
    for name, team in workspace.teams.items():
        found.append(Plan(name, DIGEST, team.schedule, team.timezone))
        if team.report:
            found.append(
                Plan(name, REPORT, REPORT_SCHEDULE, team.timezone, REPORT_DELAY, REPORT_FIRES)
            )
    return found


def plan_for(workspace: Workspace, team: str, kind: str) -> Plan:
    return next(p for p in plans(workspace) if p.team == team and p.kind == kind)


def marker(digest: Digest) -> str:
    return f"{digest.kind}:{digest.team}:{digest.period_start.isoformat()}"


def backoff(attempts: int) -> timedelta:
    return min(RETRY_MAX, RETRY_MIN * 2 ** max(0, attempts - 1))


def stalled(digest: Digest, now: datetime, ttl: timedelta) -> bool:
    if digest.status in (claims.FAILED, claims.UNSENT):
        return now >= digest.claimed_at + backoff(digest.attempts)
    return digest.status == claims.CLAIMED and now >= digest.claimed_at + ttl


class Deliverer:
    """Sends what is due for each plan, exactly once; safe to run from any number of workers."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        sessions: sessionmaker[Session],
        client: WebClient,
        holder: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        claim_clock: Callable[[], datetime] | None = None,
        claim_ttl: timedelta = CLAIM_TTL,
    ) -> None:
        """`clock` says which period is due; `claim_clock` (by default the same) times the
        sending itself: when a claim was taken, whether it looks abandoned, when it was sent,
        and so which fetches a digest takes (mentions are stamped with the real time they were
        fetched). They differ when the schedule is played faster than real time (`silta demo`):
        a report takes a real second to draw however fast the week goes, and must not look
        abandoned."""
        self.workspace = workspace
        self.sessions = sessions
        self.client = client
        self.holder = holder or worker_id()
        self.clock = clock
        self.claim_clock = claim_clock or clock
        self.claim_ttl = claim_ttl

    # what is due -------------------------------------------------------------------------

    def run(self, plan: Plan) -> list[Outcome]:
        """Finish any stalled claim of the plan, then send the period now due, if any."""
        outcomes = self.resume(plan)
        with session_scope(self.sessions) as session:
            last = claims.latest(plan.team, plan.kind, session=session)
            last_end = last.period_end if last else None
        period = plan.due(self.clock(), last_end)
        if period is not None:
            outcomes.append(self.send(plan, period))
        return outcomes

    def resume(self, plan: Plan) -> list[Outcome]:
        now = self.claim_clock()
        with session_scope(self.sessions) as session:
            waiting = claims.unfinished(plan.team, plan.kind, session=session)
        return [
            self._take_over_and_send(plan, row)
            for row in waiting
            if stalled(row, now, self.claim_ttl)
        ]

    def send(self, plan: Plan, period: Period) -> Outcome:
        """Claim the period and send it, or say why not (delivered, or someone is on it)."""
        with session_scope(self.sessions) as session:
            mentions.hold_arrivals(session, claiming=True)
            taken = claims.overlapping(
                plan.team, plan.kind, period.start, period.end, session=session
            )
            row = None
            if taken is None:
                row = claims.claim(
                    plan.team,
                    plan.kind,
                    period.start,
                    period.end,
                    holder=self.holder,
                    now=self.claim_clock(),
                    session=session,
                )
        if row is None:
            resumable = taken is not None and taken.period_start == period.start
            if (
                taken is not None
                and resumable
                and stalled(taken, self.claim_clock(), self.claim_ttl)
            ):
                return self._take_over_and_send(plan, taken)
            return self._taken(plan, period)
        return self._deliver(plan, row, resuming=False)

    def _taken(self, plan: Plan, period: Period) -> Outcome:
        with session_scope(self.sessions) as session:
            row = claims.overlapping(
                plan.team, plan.kind, period.start, period.end, session=session
            )
        if row is None:
            return Outcome("pending", plan.team, plan.kind, period, detail="claimed elsewhere")
        shown = Period(row.period_start, row.period_end, plan.zone)
        if row.status in claims.DONE:
            return Outcome(
                "already",
                plan.team,
                plan.kind,
                shown,
                row.channel,
                row.message_ts,
                detail=f"{row.status} at {row.sent_at or row.claimed_at:%Y-%m-%d %H:%M} UTC",
            )
        return Outcome(
            "pending",
            plan.team,
            plan.kind,
            shown,
            row.channel,
            row.message_ts,
            detail=f"{row.status} by {row.claimed_by}, attempt {row.attempts}"
            + (f": {row.error}" if row.error else ""),
        )

    def _take_over_and_send(self, plan: Plan, row: Digest) -> Outcome:
        with session_scope(self.sessions) as session:
            mentions.hold_arrivals(session, claiming=True)
            won = claims.take_over(row, holder=self.holder, now=self.claim_clock(), session=session)
        period = Period(row.period_start, row.period_end, plan.zone)
        if not won:
            return Outcome("pending", plan.team, plan.kind, period, detail="resumed elsewhere")
        with session_scope(self.sessions) as session:
            fresh = claims.get(row.id, session=session)
        assert fresh is not None
        return self._deliver(plan, fresh, resuming=row.status != claims.UNSENT)

    # sending -----------------------------------------------------------------------------

    def _compose(self, plan: Plan, row: Digest) -> tuple[Messages, bytes | None, bool]:
        """(messages, chart, quiet) for the claimed period, late finds included."""
        period = Period(row.period_start, row.period_end, plan.zone)
        with session_scope(self.sessions) as session:
            if plan.kind == REPORT:
                report = build_report(plan.team, period, workspace=self.workspace, session=session)
                return report_messages(report), chart_png(report), False
            digest = build_digest(
                plan.team,
                period,
                workspace=self.workspace,
                session=session,
                arrivals=arrivals(plan.team, period, session=session),
            )
            return digest_messages(digest), None, digest.quiet

    def _deliver(self, plan: Plan, row: Digest, *, resuming: bool) -> Outcome:
        period = Period(row.period_start, row.period_end, plan.zone)
        messages, chart, quiet = self._compose(plan, row)
        if quiet and self.workspace.teams[plan.team].quiet == "skip":
            self._finish(row.id, claims.SKIPPED, None)
            return Outcome("skipped", plan.team, plan.kind, period, detail="quiet period")
        try:
            channel, ts = self._post(row, messages, chart, resuming=resuming)
        except FAILURES as exc:
            failed = failure(exc)
            self._fail(row.id, failed.code, certain=failed.certainly_not_posted)
            log.warning(
                "%s for %s not delivered (%s); will retry", plan.kind, plan.team, failed.code
            )
            return Outcome("failed", plan.team, plan.kind, period, detail=failed.code)
        self._finish(row.id, claims.SENT, self.claim_clock())
        return Outcome("sent", plan.team, plan.kind, period, channel, ts)

    def _post(
        self, row: Digest, messages: Messages, chart: bytes | None, *, resuming: bool
    ) -> tuple[str, str]:
        key = marker(row)
        channel = row.channel or self.workspace.teams[row.team].channel
        ts = row.message_ts
        earlier = resuming or ts is not None  # an earlier attempt may have begun the thread
        if ts is None and resuming:
            where = self._channel_id(row.team, channel)
            ts = self._find_main(where, key, row.period_end)
            channel = where if ts is not None else channel
        if ts is None:
            posted = self.client.chat_postMessage(
                channel=channel,
                text=messages.text,
                blocks=messages.main,
                metadata=message_metadata(key, 0),
                unfurl_links=False,
                unfurl_media=False,
            )
            channel, ts = posted["channel"], posted["ts"]
        else:
            # An earlier attempt posted it from what was fetched by its claim; this attempt's
            # later claim takes more (see `arrivals`), and the next digest will not.
            self.client.chat_update(
                channel=channel, ts=ts, text=messages.text, blocks=messages.main
            )
        self._progress(row.id, channel, ts)
        done = self._thread_parts(channel, ts) if earlier else set()
        for part, blocks in enumerate(messages.thread, start=1):
            if (key, part) not in done:
                self.client.chat_postMessage(
                    channel=channel,
                    thread_ts=ts,
                    text=f"{messages.text} (details {part})",
                    blocks=blocks,
                    metadata=message_metadata(key, part),
                    unfurl_links=False,
                    unfurl_media=False,
                )
        if chart is not None and (key, "chart") not in done:
            self.client.files_upload_v2(
                channel=channel,
                thread_ts=ts,
                content=chart,
                filename="mentions-per-team.png",
                title=f"Mentions per team per day ({key})",
                alt_txt="Mentions per team per day",
            )
        return channel, ts

    def _channel_id(self, team: str, channel: str) -> str:
        """History is read by channel id: a channel configured by name is looked up by the
        id Slack gave when the team's last message was posted, where there is one."""
        if not channel.startswith("#"):
            return channel
        with session_scope(self.sessions) as session:
            return claims.known_channel(team, session=session) or channel

    def _find_main(self, channel: str, key: str, period_end: datetime) -> str | None:
        """The ts of this delivery's main message, if an earlier attempt posted it."""
        oldest = f"{(period_end - timedelta(minutes=5)).timestamp():.6f}"
        history = messages(
            self.client.conversations_history, pages=HISTORY_PAGES, channel=channel, oldest=oldest
        )
        return next((str(m["ts"]) for m in history if _marked(m) == (key, 0)), None)

    def _thread_parts(self, channel: str, ts: str) -> set[tuple[str, Any]]:
        """Which thread parts (and chart) an earlier attempt already posted."""
        found: set[tuple[str, Any]] = set()
        replies = messages(
            self.client.conversations_replies, pages=HISTORY_PAGES, channel=channel, ts=ts
        )
        for message in replies:
            mark = _marked(message)
            if mark is not None:
                found.add(mark)
            file: dict[str, Any]
            for file in message.get("files") or []:
                title = str(file.get("title") or "")
                if title.endswith(")") and "(" in title:
                    found.add((title.rsplit("(", 1)[1][:-1], "chart"))
        return found

    # recording ---------------------------------------------------------------------------

    def _progress(self, digest_id: int, channel: str, ts: str) -> None:
        with session_scope(self.sessions) as session:
            row = claims.get(digest_id, session=session)
            assert row is not None
            row.channel, row.message_ts = channel, ts

    def _finish(self, digest_id: int, status: str, sent_at: datetime | None) -> None:
        with session_scope(self.sessions) as session:
            row = claims.get(digest_id, session=session)
            assert row is not None
            row.status, row.sent_at, row.error = status, sent_at, None

    def _fail(self, digest_id: int, error: str, *, certain: bool) -> None:
        with session_scope(self.sessions) as session:
            row = claims.get(digest_id, session=session)
            assert row is not None
            row.status = claims.UNSENT if certain else claims.FAILED
            row.error = error[:2000]


def message_metadata(key: str, part: int) -> dict[str, Any]:
    return {"event_type": EVENT, "event_payload": {"key": key, "part": part}}


def _marked(message: dict[str, Any]) -> tuple[str, int] | None:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != EVENT:
        return None
    payload = metadata.get("event_payload") or {}
    return str(payload.get("key")), int(payload.get("part", -1))
