"""Exactly once, against a fake Slack over real HTTP: a second worker, a crash between
posting and recording, 429 and 5xx answers, and downtime all end with one message a period."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.db import session_scope
from bot.models import Digest, Mention, utcnow
from bot.slack_client import Retry, make_client
from bot.store import digests as claims
from bot.store import mentions, sources
from bot.store.mentions import NewMention
from digests import deliver
from digests.build import build_digest
from digests.deliver import Deliverer, Plan, plan_for
from digests.periods import Period
from tests.builders import FOUR_TEAMS, add, workspace

NOW = datetime(2026, 11, 24, 10, 5, tzinfo=UTC)
HOUR = Period(datetime(2026, 11, 24, 9, tzinfo=UTC), datetime(2026, 11, 24, 10, tzinfo=UTC))
IN = HOUR.start + timedelta(minutes=10)
LATER = NOW + timedelta(minutes=25)
"""After the digest of HOUR was claimed at NOW."""


def deliverer(sessions, slack, *, now=NOW, holder="worker-a", ws=None):
    settings = Settings(slack_bot_token=slack.token, slack_api_url=slack.api_url)
    return Deliverer(
        ws or workspace(FOUR_TEAMS),
        sessions=sessions,
        client=make_client(settings, retry=Retry.POST_ONCE, timeout=5, max_retries=3),
        holder=holder,
        clock=lambda: now,
    )


def support(ws=None) -> Plan:
    return plan_for(ws or workspace(FOUR_TEAMS), "support", "digest")


def main_messages(slack, channel="C0SUPPORT"):
    return [m for m in slack.messages(channel) if "thread_ts" not in m]


def replies(slack, channel="C0SUPPORT"):
    return [m for m in slack.messages(channel) if "thread_ts" in m]


def rows(sessions):
    with sessions() as session:
        return list(session.scalars(select(Digest).order_by(Digest.period_start)))


def busy_hour(sessions, count=6):
    with sessions.begin() as session:
        for i in range(count):
            add(session, f"Acme login fails with error {i} on every browser", IN, urgency=i / 10)


def test_a_period_is_posted_once_with_its_thread(sessions, slack):
    busy_hour(sessions)
    worker = deliverer(sessions, slack)
    (outcome,) = worker.run(support())
    assert outcome.status == "sent" and outcome.period == HOUR
    assert len(main_messages(slack)) == 1
    assert len(replies(slack)) == 1
    assert replies(slack)[0]["thread_ts"] == outcome.message_ts
    assert worker.run(support()) == []
    (row,) = rows(sessions)
    assert (row.status, row.channel, row.message_ts) == ("sent", "C0SUPPORT", outcome.message_ts)


def test_a_second_worker_posts_nothing(sessions, slack):
    busy_hour(sessions)
    workers = [deliverer(sessions, slack, holder=f"worker-{i}") for i in range(4)]
    results: list = []
    threads = [
        threading.Thread(target=lambda w=w: results.extend(w.run(support()))) for w in workers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o.status for o in results).count("sent") == 1
    assert len(main_messages(slack)) == 1
    assert len(slack.calls_to("chat.postMessage")) == 2  # the main message and its thread


class Crash(Exception):
    pass


def crash_after_posting(sessions, slack, monkeypatch) -> None:
    """worker-a claims a busy hour and posts its main message, then dies before recording it."""
    busy_hour(sessions)
    crashing = deliverer(sessions, slack, holder="worker-a")
    monkeypatch.setattr(Deliverer, "_progress", lambda *a: (_ for _ in ()).throw(Crash()))
    with pytest.raises(Crash):
        crashing.run(support())
    monkeypatch.undo()


def test_a_crash_between_posting_and_recording_is_resumed_without_posting_again(
    sessions, slack, monkeypatch
):
    crash_after_posting(sessions, slack, monkeypatch)
    assert len(main_messages(slack)) == 1
    (row,) = rows(sessions)
    assert (row.status, row.message_ts) == ("claimed", None)
    # Restarted too soon: the claim may still be in flight, so nobody touches it.
    soon = deliverer(sessions, slack, holder="worker-b", now=NOW + timedelta(minutes=1))
    assert soon.run(support()) == []
    later = deliverer(sessions, slack, holder="worker-b", now=NOW + timedelta(minutes=11))
    (outcome,) = later.run(support())
    assert outcome.status == "sent"
    assert len(main_messages(slack)) == 1
    assert outcome.message_ts == main_messages(slack)[0]["ts"]
    assert len(replies(slack)) == 1
    (row,) = rows(sessions)
    assert (row.status, row.claimed_by, row.attempts) == ("sent", "worker-b", 2)


def test_a_resumed_digest_shows_what_was_found_between_the_two_attempts(
    sessions, slack, monkeypatch
):
    crash_after_posting(sessions, slack, monkeypatch)
    with sessions.begin() as session:  # found after the first claim, before the second
        add(session, "Acme invoices show the wrong VAT", IN, fetched_at=NOW + timedelta(minutes=5))
    later = deliverer(sessions, slack, holder="worker-b", now=NOW + timedelta(minutes=11))
    later.run(support())
    (main,) = main_messages(slack)
    assert main["text"].endswith(": 7 mentions")
    assert "wrong VAT" in shown(slack)
    deliverer(sessions, slack, now=NOW + timedelta(hours=1)).run(support())
    assert shown(slack).count("wrong VAT") == 1


def test_a_claim_in_flight_is_timed_in_real_time_when_the_schedule_runs_fast(
    sessions, slack, monkeypatch
):
    """In `silta demo` the week runs hundreds of times faster than the wall clock: a claim
    taken a real second ago is still in flight, however many virtual hours have passed."""
    crash_after_posting(sessions, slack, monkeypatch)
    (claimed,) = rows(sessions)
    settings = Settings(slack_bot_token=slack.token, slack_api_url=slack.api_url)
    fast = Deliverer(
        workspace(FOUR_TEAMS),
        sessions=sessions,
        client=make_client(settings, retry=Retry.POST_ONCE, timeout=5, max_retries=3),
        holder="worker-b",
        clock=lambda: NOW + timedelta(hours=5),
        claim_clock=lambda: claimed.claimed_at + timedelta(seconds=1),
    )
    assert all(o.period != HOUR for o in fast.run(support()))
    hour = next(r for r in rows(sessions) if r.period_start == HOUR.start)
    assert (hour.status, hour.claimed_by, hour.attempts) == ("claimed", "worker-a", 1)


def test_a_crash_halfway_through_the_thread_posts_only_the_missing_replies(
    sessions, slack, monkeypatch
):
    busy_hour(sessions, count=40)
    monkeypatch.setattr(deliver, "build_digest", partial(build_digest, top=40))
    original = Deliverer._post
    wanted: list[int] = []

    def crash_after_the_first_reply(self, row, messages, chart, *, resuming):
        if resuming:
            return original(self, row, messages, chart, resuming=resuming)
        assert len(messages.thread) > 2
        wanted.extend(range(1, len(messages.thread) + 1))
        key = deliver.marker(row)
        main = self.client.chat_postMessage(
            channel="#support",
            text=messages.text,
            blocks=messages.main,
            metadata=deliver.message_metadata(key, 0),
        )
        self.client.chat_postMessage(
            channel="#support",
            thread_ts=main["ts"],
            text="details 1",
            blocks=messages.thread[0],
            metadata=deliver.message_metadata(key, 1),
        )
        raise Crash

    monkeypatch.setattr(Deliverer, "_post", crash_after_the_first_reply)
    with pytest.raises(Crash):
        deliverer(sessions, slack).run(support())
    resumed = deliverer(sessions, slack, holder="worker-b", now=NOW + timedelta(minutes=11))
    (outcome,) = resumed.run(support())
    assert outcome.status == "sent"
    assert len(main_messages(slack)) == 1
    parts = sorted(m["metadata"]["event_payload"]["part"] for m in replies(slack))
    assert parts == wanted
    assert len(slack.calls_to("conversations.replies")) == 1


def test_429_is_retried_after_retry_after_and_posts_once(sessions, slack):
    busy_hour(sessions)
    slack.fail("chat.postMessage", status=429, retry_after=1)
    (outcome,) = deliverer(sessions, slack).run(support())
    assert outcome.status == "sent"
    calls = slack.calls_to("chat.postMessage")
    assert len(calls) == 3 and calls[1].at - calls[0].at >= 0.9
    assert len(main_messages(slack)) == 1


def test_5xx_leaves_the_claim_retryable_and_the_retry_posts_once(sessions, slack):
    busy_hour(sessions)
    slack.fail("chat.postMessage", status=503)
    (outcome,) = deliverer(sessions, slack).run(support())
    assert outcome.status == "failed" and "503" in outcome.detail
    assert main_messages(slack) == []
    (row,) = rows(sessions)
    assert row.status == "failed"
    # Before the backoff ends nothing is tried; the next period is not due either.
    assert deliverer(sessions, slack, now=NOW + timedelta(seconds=10)).run(support()) == []
    (retry,) = deliverer(sessions, slack, now=NOW + timedelta(seconds=31)).run(support())
    assert retry.status == "sent" and retry.period == HOUR
    assert len(main_messages(slack)) == 1
    assert len(slack.calls_to("conversations.history")) == 1


def test_downtime_is_caught_up_in_one_coalesced_digest(sessions, slack):
    busy_hour(sessions)
    with sessions.begin() as session:
        claims.claim(
            "support",
            "digest",
            HOUR.start - timedelta(hours=1),
            HOUR.start,
            holder="old",
            now=HOUR.start,
            session=session,
        )
        for row in claims.unfinished("support", "digest", session=session):
            row.status = "sent"
        add(session, "Acme still broken hours later for everyone", NOW + timedelta(hours=3))
    much_later = NOW + timedelta(hours=5, minutes=30)
    (outcome,) = deliverer(sessions, slack, now=much_later).run(support())
    assert outcome.status == "sent"
    assert (outcome.period.start, outcome.period.end) == (HOUR.start, HOUR.end + timedelta(hours=5))
    assert len(main_messages(slack)) == 1
    assert "*7 mentions*" in str(main_messages(slack)[0]["blocks"])
    assert deliverer(sessions, slack, now=much_later).run(support()) == []


def shown(slack) -> str:
    return str(slack.messages("C0SUPPORT"))


def test_a_mention_found_after_its_digest_is_in_the_next_one_and_only_there(sessions, slack):
    busy_hour(sessions)
    deliverer(sessions, slack).run(support())
    with sessions.begin() as session:  # published at 9:10, found by a poll at 10:30
        add(session, "Acme checkout page 500s since nine", IN, fetched_at=LATER)
        add(session, "Acme refund form rejects every card", IN + timedelta(hours=1))
    deliverer(sessions, slack, now=NOW + timedelta(hours=1)).run(support())
    (second,) = [m for m in main_messages(slack) if "10:00 – 11:00" in m["text"]]
    assert second["text"].endswith(": 2 mentions")
    assert shown(slack).count("checkout page 500s") == 1
    deliverer(sessions, slack, now=NOW + timedelta(hours=2)).run(support())
    assert shown(slack).count("checkout page 500s") == 1


def test_a_mention_a_poll_commits_while_the_digest_is_claimed_is_in_one_digest(sessions, slack):
    """The poll stamps its find before the claim and commits after the digest began reading:
    the claim waits for it, so the find is in this digest (and not again in the next)."""
    stamped, release = threading.Event(), threading.Event()

    def poll() -> None:
        with session_scope(sessions) as session:
            source = sources.get_or_create("hn", "hackernews", session=session)
            found = NewMention("late-1", "Acme login loops back to the start page", IN)
            (mention_id,) = mentions.insert_many([found], source_id=source.id, session=session)
            row = session.get(Mention, mention_id)
            assert row is not None
            row.category, row.confidence = "support_issue", 0.9
            stamped.set()
            release.wait(timeout=10)  # classifying a big batch takes a while

    def digest(now: datetime) -> list:
        worker = deliverer(sessions, slack, now=now)
        worker.claim_clock = utcnow  # claims are timed by the real clock, as fetches are
        return worker.run(support())

    poller = threading.Thread(target=poll)
    poller.start()
    assert stamped.wait(timeout=10)
    outcomes: list = []
    sender = threading.Thread(target=lambda: outcomes.extend(digest(NOW)))
    sender.start()
    time.sleep(0.5)  # the claim is taken, or waits for the poll
    release.set()
    poller.join(timeout=10)
    sender.join(timeout=40)
    assert [o.status for o in outcomes] == ["sent"]
    assert "login loops back" in shown(slack)
    digest(NOW + timedelta(hours=1))
    assert len(main_messages(slack)) == 2
    assert shown(slack).count("login loops back") == 1


def test_an_import_of_old_posts_does_not_flood_the_next_digest(sessions, slack):
    deliverer(sessions, slack).run(support())
    with sessions.begin() as session:
        add(session, "Acme broke my export", IN - timedelta(days=30), fetched_at=LATER)
        add(session, "Acme lost my invoices", IN - timedelta(days=2), fetched_at=LATER)
    deliverer(sessions, slack, now=NOW + timedelta(hours=1)).run(support())
    assert "lost my invoices" in shown(slack)
    assert "broke my export" not in shown(slack)


def test_quiet_period_says_so_in_one_line(sessions, slack):
    (outcome,) = deliverer(sessions, slack).run(support())
    assert outcome.status == "sent"
    (message,) = main_messages(slack)
    assert len(message["blocks"]) == 1 and "nothing new" in message["text"] + str(message["blocks"])


def test_quiet_period_is_skipped_when_the_team_says_so(sessions, slack):
    monday = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    ws = workspace(FOUR_TEAMS)
    (outcome,) = deliverer(sessions, slack, now=monday, ws=ws).run(
        plan_for(ws, "product", "digest")
    )
    assert outcome.status == "skipped"
    assert slack.messages("C0PRODUCT") == []
    assert [r.status for r in rows(sessions)] == ["skipped"]


def test_sending_a_delivered_period_again_posts_nothing(sessions, slack):
    busy_hour(sessions)
    worker = deliverer(sessions, slack)
    assert [o.status for o in worker.run(support())] == ["sent"]  # the scheduler's run
    again = worker.send(support(), HOUR)
    assert again.status == "already" and again.message_ts == main_messages(slack)[0]["ts"]
    inside = Period(HOUR.start + timedelta(minutes=30), HOUR.end)
    assert worker.send(support(), inside).status == "already"
    assert len(main_messages(slack)) == 1


def test_an_error_answer_is_retried_without_looking_back(sessions, slack):
    busy_hour(sessions)
    slack.fail("chat.postMessage", error="not_in_channel")
    (outcome,) = deliverer(sessions, slack).run(support())
    assert outcome.status == "failed" and "not_in_channel" in outcome.detail
    assert [r.status for r in rows(sessions)] == ["unsent"]
    (retry,) = deliverer(sessions, slack, now=NOW + timedelta(minutes=1)).run(support())
    assert retry.status == "sent"
    assert slack.calls_to("conversations.history") == []
    assert len(main_messages(slack)) == 1


def test_a_failed_reply_is_retried_without_repeating_the_replies_already_posted(
    sessions, slack, monkeypatch
):
    busy_hour(sessions, count=40)
    monkeypatch.setattr(deliver, "build_digest", partial(build_digest, top=40))
    worker = deliverer(sessions, slack)
    post = worker.client.chat_postMessage
    calls = []

    def third_fails(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            slack.fail("chat.postMessage", error="msg_too_long")
        return post(**kwargs)

    monkeypatch.setattr(worker.client, "chat_postMessage", third_fails)
    (outcome,) = worker.run(support())
    assert outcome.status == "failed"
    assert len(replies(slack)) == 1
    (retry,) = deliverer(sessions, slack, now=NOW + timedelta(minutes=1)).run(support())
    assert retry.status == "sent"
    assert len(main_messages(slack)) == 1
    parts = [m["metadata"]["event_payload"]["part"] for m in replies(slack)]
    assert sorted(parts) == list(range(1, len(parts) + 1)) and len(parts) > 2
