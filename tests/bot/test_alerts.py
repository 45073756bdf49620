from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import alert_dm, alerts
from bot.alert_jobs import TICK
from bot.classify.service import MentionClassifier
from bot.config import Alerts, Settings, Workspace
from bot.models import Alert, Mute, Subscription
from bot.sandbox import Sandbox
from bot.slack_client import Retry, make_client
from bot.store import subscriptions
from tests.builders import store, workspace

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def client_for(slack: Sandbox):
    settings = Settings(slack_bot_token=slack.token, slack_api_url=slack.api_url)
    return make_client(settings, retry=Retry.POST_ONCE, timeout=5, max_retries=1)


def subscribe(session: Session, user: str, kind: str, value: str = "") -> None:
    subscriptions.get_or_create(user, kind, value, session=session)


def test_who_gets_what(sessions):
    with sessions.begin() as session:
        urgent = store(session, "Acme is down, refund me", urgency=0.9)
        calm = store(session, "Acme refunded me quickly", urgency=0.1, category="product_feedback")
        subs = [
            Subscription(user_id="U0URGENT", kind="urgent", value=""),
            Subscription(user_id="U0PRODUCT", kind="category", value="product_feedback"),
            Subscription(user_id="U0WORD", kind="keyword", value="refund"),
        ]
        assert alerts.recipients(urgent, subs, [], threshold=0.7) == {
            "U0URGENT": "Urgent mention (urgency 90%)",
            "U0WORD": 'Mention saying "refund"',
        }
        # "refunded" is not the word "refund"
        assert alerts.recipients(calm, subs, [], threshold=0.7) == {
            "U0PRODUCT": "New product_feedback mention"
        }


def test_mutes_by_term_author_personal_and_for_everyone(sessions):
    with sessions.begin() as session:
        mention = store(session, "Acme crypto giveaway, urgent!", urgency=0.9, author="spammer")
    subs = [Subscription(user_id=u, kind="urgent", value="") for u in ("U0A", "U0B", "U0C")]
    mine = Mute(user_id="U0A", term="crypto giveaway", created_by="U0A")
    theirs = Mute(user_id="U0B", term="@spammer", created_by="U0B")
    assert set(alerts.recipients(mention, subs, [mine, theirs], threshold=0.7)) == {"U0C"}
    everyone = Mute(user_id=None, term="giveaway", created_by="U0ADMIN")
    assert alerts.recipients(mention, subs, [everyone], threshold=0.7) == {}


def test_an_expired_mute_no_longer_mutes(sessions):
    with sessions.begin() as session:
        subscriptions.mute(
            "outage",
            user_id="U0A",
            until=NOW - timedelta(minutes=1),
            created_by="U0A",
            session=session,
        )
        subscriptions.mute(
            "billing",
            user_id="U0A",
            until=NOW + timedelta(days=1),
            created_by="U0A",
            session=session,
        )
        active = [m.term for m in subscriptions.mutes_for("U0A", now=NOW, session=session)]
    assert active == ["billing"]


def test_enqueue_never_alerts_the_same_person_twice(sessions):
    with sessions.begin() as session:
        subscribe(session, "U0A", "urgent")
        subscribe(session, "U0A", "keyword", "down")
        mention = store(session, "Acme is down", urgency=0.95)
        ws = workspace()
        assert alerts.enqueue([mention], workspace=ws, session=session, now=NOW) == 1
        assert alerts.enqueue([mention], workspace=ws, session=session, now=NOW) == 0
        rows = session.scalars(select(Alert).where(Alert.mention_id == mention.id)).all()
    assert [(a.user_id, a.status) for a in rows] == [("U0A", "pending")]


def test_a_story_cross_posted_on_several_sources_reaches_each_person_once(sessions):
    ws, text = workspace(), "Acme export links are guessable: I can read other users' data"
    with sessions.begin() as session:
        subscribe(session, "U0A", "urgent")
        subscribe(session, "U0B", "urgent")
        on_x = store(session, text, urgency=0.9, source="x")
        on_mastodon = store(session, text, urgency=0.9, source="mastodon")
        assert alerts.enqueue([on_x, on_mastodon], workspace=ws, session=session, now=NOW) == 2
        later = NOW + timedelta(hours=2)
        on_bluesky = store(session, text, urgency=0.9, source="bluesky")
        assert alerts.enqueue([on_bluesky], workspace=ws, session=session, now=later) == 0
        other = store(session, "Acme is down for everyone", urgency=0.9, source="mastodon")
        assert alerts.enqueue([other], workspace=ws, session=session, now=later) == 2
        rows = session.scalars(select(Alert).order_by(Alert.id)).all()
    assert [(a.user_id, a.mention_id) for a in rows] == [
        ("U0A", on_x.id),
        ("U0B", on_x.id),
        ("U0A", other.id),
        ("U0B", other.id),
    ]


def test_an_authors_retelling_elsewhere_is_not_alerted_again_but_their_next_post_is(sessions):
    ws = workspace()
    with sessions.begin() as session:
        subscribe(session, "U0A", "urgent")
        first = store(
            session,
            "Acme export links are guessable, one digit gives another company's staff list",
            urgency=0.9,
            source="x",
            author_name="Lena Voss",
        )
        retold = store(
            session,
            "#Acme export links are sequential: one digit = another company's staff list #infosec",
            urgency=0.9,
            source="mastodon",
            author_name="Lena Voss",
        )
        update = store(
            session,
            "Acme fixed the export links today and thanked me, disclosure postponed",
            urgency=0.9,
            source="mastodon",
            author_name="Lena Voss",
        )
        assert alerts.enqueue([first, retold, update], workspace=ws, session=session, now=NOW) == 2
        alerted = session.scalars(select(Alert.mention_id).order_by(Alert.id)).all()
    assert alerted == [first.id, update.id]


def test_the_dm_says_what_made_the_mention_urgent(sessions, slack):
    ws = workspace()
    with sessions.begin() as session:
        subscribe(session, "U0A", "urgent")
        mention = store(session, "Acme is down again and charged me twice, refund me now, awful")
        MentionClassifier.offline().classify_stored([mention.id], session=session)
        assert mention.urgency is not None and mention.urgency >= ws.alerts.urgency_threshold
        alerts.enqueue([mention], workspace=ws, session=session, now=NOW)
    alerts.dispatch_due(sessions=sessions, client=client_for(slack), workspace=ws, now=NOW)
    (posted,) = slack.calls_to("chat.postMessage")
    assert "negative and about an outage, negative and about money" in posted.params["text"]


@pytest.mark.parametrize(
    ("quiet", "zone", "now", "until"),
    [
        (
            "22:00-07:00",
            "UTC",
            datetime(2026, 11, 20, 23, 30, tzinfo=UTC),
            datetime(2026, 11, 21, 7, 0, tzinfo=UTC),
        ),
        (
            "22:00-07:00",
            "UTC",
            datetime(2026, 11, 20, 3, 0, tzinfo=UTC),
            datetime(2026, 11, 20, 7, 0, tzinfo=UTC),
        ),
        ("22:00-07:00", "UTC", datetime(2026, 11, 20, 12, 0, tzinfo=UTC), None),
        # 23:30 in Helsinki (UTC+2 in November) is 21:30 UTC; quiet ends 07:00 local = 05:00 UTC
        (
            "22:00-07:00",
            "Europe/Helsinki",
            datetime(2026, 11, 20, 21, 30, tzinfo=UTC),
            datetime(2026, 11, 21, 5, 0, tzinfo=UTC),
        ),
        (
            "12:00-13:00",
            "UTC",
            datetime(2026, 11, 20, 12, 15, tzinfo=UTC),
            datetime(2026, 11, 20, 13, 0, tzinfo=UTC),
        ),
        ("12:00-13:00", "UTC", datetime(2026, 11, 20, 13, 0, tzinfo=UTC), None),
    ],
)
def test_quiet_hours_end(quiet, zone, now, until):
    assert alerts.quiet_until(now, Alerts(quiet_hours=quiet, timezone=zone)) == until


def pending(sessions, user: str = "U0A") -> list[Alert]:
    with sessions() as session:
        return list(session.scalars(select(Alert).where(Alert.user_id == user).order_by(Alert.id)))


def test_a_due_alert_is_sent_by_dm_once_and_recorded(sessions, slack):
    ws = workspace()
    with sessions.begin() as session:
        subscribe(session, "U0A", "urgent")
        mention = store(session, "Acme <!channel> is down", urgency=0.9)
        alerts.enqueue([mention], workspace=ws, session=session, now=NOW)
    client = client_for(slack)
    result = alerts.dispatch_due(sessions=sessions, client=client, workspace=ws, now=NOW)
    assert (result.sent, result.failed) == (1, 0)
    assert alerts.dispatch_due(sessions=sessions, client=client, workspace=ws, now=NOW).sent == 0
    (opened,) = slack.calls_to("conversations.open")
    assert opened.params["users"] == "U0A"
    (posted,) = slack.calls_to("chat.postMessage")
    assert posted.params["channel"] == opened_channel(slack)
    assert "<!channel>" not in str(posted.params)
    (alert,) = pending(sessions)
    assert (alert.status, alert.sent_at, alert.channel) == ("sent", NOW, opened_channel(slack))
    assert alert.message_ts == slack.messages(alert.channel)[0]["ts"]


def opened_channel(slack: Sandbox) -> str:
    return slack.calls_to("chat.postMessage")[0].params["channel"]


def test_cooldown_spaces_a_persons_alerts_and_drops_none(sessions, slack):
    ws = workspace()
    with sessions.begin() as session:
        subscribe(session, "U0A", "urgent")
        first = store(session, "Acme is down", urgency=0.9)
        second = store(session, "Acme still down", urgency=0.9)
        alerts.enqueue([first, second], workspace=ws, session=session, now=NOW)
    client = client_for(slack)
    result = alerts.dispatch_due(sessions=sessions, client=client, workspace=ws, now=NOW)
    assert (result.sent, result.deferred) == (1, 1)
    waiting = [a for a in pending(sessions) if a.status == "pending"]
    assert [a.due_at for a in waiting] == [NOW + timedelta(minutes=10)]
    later = NOW + timedelta(minutes=10)
    assert alerts.dispatch_due(sessions=sessions, client=client, workspace=ws, now=later).sent == 1
    assert [a.status for a in pending(sessions)] == ["sent", "sent"]


def test_quiet_hours_defer_to_the_end_never_drop(sessions, slack):
    ws = workspace(alerts={"quiet_hours": "22:00-07:00", "timezone": "UTC"})
    night = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)
    with sessions.begin() as session:
        subscribe(session, "U0A", "urgent")
        alerts.enqueue(
            [store(session, "Acme down", urgency=0.9)], workspace=ws, session=session, now=night
        )
    client = client_for(slack)
    assert (
        alerts.dispatch_due(sessions=sessions, client=client, workspace=ws, now=night).deferred == 1
    )
    (alert,) = pending(sessions)
    assert alert.due_at == datetime(2026, 11, 21, 7, 0, tzinfo=UTC)
    assert slack.calls_to("chat.postMessage") == []
    morning = datetime(2026, 11, 21, 7, 0, 1, tzinfo=UTC)
    assert (
        alerts.dispatch_due(sessions=sessions, client=client, workspace=ws, now=morning).sent == 1
    )


def failing_alert(sessions, slack, method: str, error: str, *, user: str = "U0A"):
    """One urgent alert for `user`, sent once while Slack answers `method` with `error`."""
    ws = workspace()
    with sessions.begin() as session:
        subscribe(session, user, "urgent")
        alerts.enqueue(
            [store(session, "Acme down", urgency=0.9)], workspace=ws, session=session, now=NOW
        )
    slack.fail(method, error=error)
    client = client_for(slack)
    result = alerts.dispatch_due(sessions=sessions, client=client, workspace=ws, now=NOW)
    return ws, client, result


def test_a_failed_send_stays_pending_and_is_retried(sessions, slack):
    ws, client, result = failing_alert(sessions, slack, "chat.postMessage", "invalid_auth")
    assert result.failed == 1 and "invalid_auth" in result.errors[0]
    (alert,) = pending(sessions)
    assert (alert.status, alert.error) == ("pending", "invalid_auth") and alert.due_at > NOW
    assert alerts.dispatch_due(sessions=sessions, client=client, workspace=ws, now=NOW).sent == 0
    retry = alert.due_at
    assert alerts.dispatch_due(sessions=sessions, client=client, workspace=ws, now=retry).sent == 1
    (alert,) = pending(sessions)
    assert (alert.status, alert.error) == ("sent", None)
    assert slack.calls_to("conversations.history") == []  # Slack certainly had not posted it


def test_a_person_slack_will_never_let_us_dm_is_not_retried(sessions, slack):
    ws, client, result = failing_alert(
        sessions, slack, "conversations.open", "user_disabled", user="U0GONE"
    )
    assert result.failed == 1 and "user_disabled" in result.errors[0]
    (alert,) = pending(sessions, "U0GONE")
    assert (alert.status, alert.error) == ("failed", "user_disabled")
    later = NOW + timedelta(days=1)
    again = alerts.dispatch_due(sessions=sessions, client=client, workspace=ws, now=later)
    assert (again.sent, again.failed) == (0, 0)
    assert len(slack.calls_to("conversations.open")) == 1


def test_the_watcher_alerts_about_what_arrives_after_it_starts(sessions):
    ws = workspace()
    with sessions.begin() as session:
        subscribe(session, "U0A", "urgent")
        store(session, "Acme was down last year", urgency=0.9)
    watcher = alerts.Watcher(ws, sessions=sessions, clock=lambda: NOW)
    assert watcher.tick() == 0
    with sessions.begin() as session:
        fresh = store(session, "Acme is down now", urgency=0.9)
    assert watcher.tick() == 1
    assert watcher.tick() == 0
    assert [a.mention_id for a in pending(sessions)] == [fresh.id]


def urgent_alert(sessions) -> Workspace:
    ws = workspace()
    with sessions.begin() as session:
        subscribe(session, "U0A", "urgent")
        alerts.enqueue(
            [store(session, "Acme down", urgency=0.9)], workspace=ws, session=session, now=NOW
        )
    return ws


def ticks(sessions, client, ws, start: datetime, *, minutes: int = 60) -> int:
    """Every alert tick from `start` for `minutes`, as the worker runs them; how many sent."""
    return sum(
        alerts.dispatch_due(
            sessions=sessions, client=client, workspace=ws, now=start + TICK * i
        ).sent
        for i in range(1, int(timedelta(minutes=minutes) / TICK))
    )


@pytest.mark.parametrize("status", [500, 0], ids=["500", "dropped-connection"])
def test_a_dm_slack_posted_before_its_answer_was_lost_is_not_posted_again(sessions, slack, status):
    ws = urgent_alert(sessions)
    slack.fail("chat.postMessage", status=status, processed=True)
    client = client_for(slack)
    first = alerts.dispatch_due(sessions=sessions, client=client, workspace=ws, now=NOW)
    assert (first.sent, first.failed) == (0, 1)
    (alert,) = pending(sessions)
    assert (alert.status, alert.message_ts) == ("pending", None)
    dm = alert.channel
    assert dm is not None and len(slack.messages(dm)) == 1
    assert ticks(sessions, client, ws, NOW) == 1
    assert len(slack.calls_to("chat.postMessage")) == 1
    (only,) = slack.messages(dm)
    (alert,) = pending(sessions)
    assert (alert.status, alert.error, alert.channel, alert.message_ts) == (
        "sent",
        None,
        dm,
        only["ts"],
    )
    assert only["metadata"] == alert_dm.marker(alert)


def test_a_dm_slack_refused_with_500_before_posting_is_retried_and_arrives_once(sessions, slack):
    ws = urgent_alert(sessions)
    slack.fail("chat.postMessage", status=500)
    client = client_for(slack)
    first = alerts.dispatch_due(sessions=sessions, client=client, workspace=ws, now=NOW)
    assert first.failed == 1 and "HTTP 500 fatal_error" in first.errors[0]
    (alert,) = pending(sessions)
    assert (alert.status, alert.error) == ("pending", "HTTP 500 fatal_error")
    assert slack.messages(alert.channel) == []
    assert ticks(sessions, client, ws, NOW) == 1
    (alert,) = pending(sessions)
    assert alert.status == "sent"
    assert [m["ts"] for m in slack.messages(alert.channel)] == [alert.message_ts]
    assert len(slack.calls_to("conversations.history")) == 1


def test_a_dm_that_may_have_been_posted_waits_until_slack_history_can_tell(sessions, slack):
    """Without `im:history` (an install older than the scope), Silta says so and keeps the
    alert pending rather than risk a second DM."""
    ws = urgent_alert(sessions)
    slack.fail("chat.postMessage", status=503, processed=True)
    client = client_for(slack)
    alerts.dispatch_due(sessions=sessions, client=client, workspace=ws, now=NOW)
    (alert,) = pending(sessions)
    slack.fail("conversations.history", error="missing_scope")
    refused = alerts.dispatch_due(sessions=sessions, client=client, workspace=ws, now=alert.due_at)
    assert refused.failed == 1
    (alert,) = pending(sessions)
    assert (alert.status, alert.error) == ("pending", "missing_scope")
    assert ticks(sessions, client, ws, alert.due_at) == 1
    assert len(slack.calls_to("chat.postMessage")) == 1
    assert len(slack.messages(alert.channel)) == 1
