from __future__ import annotations

import json

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
