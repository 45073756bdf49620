from __future__ import annotations

import json

from bot import alerts
from bot.slack import make_client
from bot.store import subscriptions
from tests.slack_fixtures import store


def test_app_home_shows_my_subscriptions_todays_counts_and_sources(silta):
    with silta.sessions.begin() as session:
        subscriptions.get_or_create("U0ALICE", "keyword", "outage", session=session)
        store(session, "Acme outage")
        store(session, "Acme outage again")
    reply = silta.event({"type": "app_home_opened", "user": "U0ALICE", "tab": "home"})
    assert reply.status_code == 200
    (published,) = silta.slack.wait_for("views.publish")
    shown = json.dumps(published.params, ensure_ascii=False)
    assert published.params["user_id"] == "U0ALICE"
    assert published.params["view"]["type"] == "home"
    assert 'saying \\"outage\\"' in shown
    assert "*support*: 2" in shown and "*product*: 0" in shown
    assert "*hn* (hackernews)" in shown


def test_app_home_says_when_my_last_alert_could_not_reach_me(silta):
    workspace = silta.config.workspace
    with silta.sessions.begin() as session:
        subscriptions.get_or_create("U0ALICE", "urgent", "", session=session)
        mention = store(session, "Acme is down for everyone", urgency=0.95)
        alerts.enqueue([mention], workspace=workspace, session=session, now=mention.fetched_at)
    silta.slack.fail("chat.postMessage", error="missing_scope")
    client = make_client(silta.config.settings)
    alerts.dispatch_due(sessions=silta.sessions, client=client, workspace=workspace)
    silta.event({"type": "app_home_opened", "user": "U0ALICE", "tab": "home"})
    (published,) = silta.slack.wait_for("views.publish")
    shown = json.dumps(published.params, ensure_ascii=False)
    assert "could not DM you your last alert (Slack said `missing_scope`); it keeps trying" in shown
