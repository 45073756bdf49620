from __future__ import annotations

import json

from bot import alerts
from bot.slack_client import Retry, make_client
from bot.store import subscriptions
from digests.deliver import Deliverer, plan_for
from tests.builders import store


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


def opened_home(silta) -> str:
    silta.event({"type": "app_home_opened", "user": "U0ALICE", "tab": "home"})
    (published,) = silta.slack.wait_for("views.publish")
    return json.dumps(published.params, ensure_ascii=False)


def refused_alert(silta, user: str, error: str) -> None:
    """`user` subscribes to urgent mentions, one arrives, and Slack refuses the DM."""
    workspace = silta.config.workspace
    with silta.sessions.begin() as session:
        subscriptions.get_or_create(user, "urgent", "", session=session)
        mention = store(session, "Acme is down for everyone", urgency=0.95)
        alerts.enqueue([mention], workspace=workspace, session=session, now=mention.fetched_at)
    silta.slack.fail("chat.postMessage", error=error)
    client = make_client(silta.config.settings, retry=Retry.POST_ONCE)
    alerts.dispatch_due(sessions=silta.sessions, client=client, workspace=workspace)


def test_app_home_says_when_my_last_alert_could_not_reach_me(silta):
    refused_alert(silta, "U0ALICE", "missing_scope")
    shown = opened_home(silta)
    assert "could not DM you your last alert (Slack said `missing_scope`); it keeps trying" in shown


def send_support_digest(silta):
    workspace = silta.config.workspace
    worker = Deliverer(
        workspace,
        sessions=silta.sessions,
        client=make_client(silta.config.settings, retry=Retry.POST_ONCE, timeout=5, max_retries=0),
        holder="worker-a",
    )
    (outcome,) = worker.run(plan_for(workspace, "support", "digest"))
    return outcome


def test_app_home_says_which_digest_slack_refused_and_how_to_fix_it(silta):
    silta.slack.fail("chat.postMessage", error="not_in_channel")
    assert send_support_digest(silta).status == "failed"
    shown = opened_home(silta)
    assert "*support* → #support: no digest yet" in shown
    assert (
        "is not posted (1 attempt(s)): Slack said `not_in_channel`: Silta is not in the channel;"
        " invite it with `/invite @Silta`. Silta keeps trying." in shown
    )
    assert shown.count(":warning:") == 1  # the other teams are fine


def test_app_home_shows_when_each_team_last_got_its_digest(silta):
    assert send_support_digest(silta).status == "sent"
    shown = opened_home(silta)
    assert "*support* → #support: latest digest up to <!date^" in shown
    assert "*product* → #product: no digest yet" in shown
    assert ":warning:" not in shown


def test_app_home_lists_the_people_slack_would_not_let_silta_dm(silta):
    refused_alert(silta, "U0BOB", "user_not_found")
    shown = opened_home(silta)  # Alice sees it: anyone who opens App Home can tell an admin
    assert (
        "<@U0BOB>: 1 alert(s), Slack said `user_not_found`: Slack does not know this person;"
        " they may have left the workspace. Silta has stopped trying." in shown
    )
