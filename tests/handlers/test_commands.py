from __future__ import annotations

import json
import re
import threading
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from bot.store import health, sources
from tests.builders import store
from tests.handlers.conftest import serve_silta
from tests.slack import command_body, move_action, post_signed

EVIL = "Acme refund <!channel> <@U123> go to <https://evil.example|bank>"


def text_of(call) -> str:
    return json.dumps(call.params, ensure_ascii=False)


def test_help_lists_every_subcommand_only_to_the_asker(silta):
    answer = silta.command("help")
    assert answer.params["response_type"] == "ephemeral"
    for name in ("search", "stats", "top", "digest", "sources", "subscribe", "mute"):
        assert f"/silta {name}" in text_of(answer)


def test_a_mistake_answers_with_the_closest_usage(silta):
    answer = silta.command("serch refund")
    assert answer.params["response_type"] == "ephemeral"
    assert "did you mean `search`" in answer.params["text"]
    assert "Usage: `/silta search &lt;words&gt;" in answer.params["text"]


def test_search_shows_escaped_matches_with_a_move_menu_and_pages_with_more(silta):
    with silta.sessions.begin() as session:
        for i in range(12):
            when = datetime.now(UTC) - timedelta(hours=i)
            store(session, f"{EVIL} number {i}", published_at=when)
        store(session, "Acme is lovely", category="product_feedback")
    answer = silta.command("search refund team:support since:7d")
    shown = text_of(answer)
    assert "Results 1–10 for `refund team:support since:7d`" in shown
    assert "<!channel>" not in shown and "<@U123>" not in shown and "<https://evil" not in shown
    assert "&lt;https://evil.example|bank&gt;" in shown
    assert shown.count('"action_id": "mention_move"') == 10
    assert "*hn*" in shown and "negative" in shown and "news.example" in shown
    more = answer.params["blocks"][-1]["elements"][0]
    path = silta.act({"type": "button", "action_id": more["action_id"], "value": more["value"]})
    (page,) = silta.slack.wait_for("respond", path=path)
    assert page.params["replace_original"] is True
    assert "Results 11–12" in text_of(page)
    assert "mention_more" not in text_of(page)


def test_search_filters_by_team_and_sentiment(silta):
    with silta.sessions.begin() as session:
        store(session, "Acme refund please", category="sales_lead", sentiment=-0.5)
        store(session, "Acme refund was great", category="support_issue", sentiment=0.6)
    assert "Nothing found" in text_of(
        silta.command("search refund team:support sentiment:negative")
    )
    assert "Results 1–1" in text_of(silta.command("search refund team:sales"))


def test_stats_show_counts_change_sentiment_sources_and_a_sparkline(silta):
    now = datetime.now(UTC)
    with silta.sessions.begin() as session:
        for hours in (1, 2, 30, 200):
            store(session, f"Acme broke {hours}", published_at=now - timedelta(hours=hours))
    shown = text_of(silta.command("stats support 7d"))
    assert "Mentions · support · last 7d" in shown
    assert "*Mentions*\\n3 " in shown
    assert "negative 100%" in shown
    assert "hn (3)" in shown
    assert re.search(r"`[▁-█]{7}`", shown)


def test_top_puts_the_most_urgent_first(silta):
    with silta.sessions.begin() as session:
        store(session, "Acme small thing", urgency=0.2)
        store(session, "Acme everything is on fire", urgency=0.95)
    shown = text_of(silta.command("top support 24h"))
    assert shown.index("on fire") < shown.index("small thing")


def test_triage_holds_what_no_team_got_until_someone_files_it(silta):
    with silta.sessions.begin() as session:
        store(session, "Acme login is broken for everyone")
        unsure = store(session, "Acme hmm, the thing with the lamp again")
        unsure.confidence = 0.3  # below classifier.threshold (0.45)
    queue = text_of(silta.command("triage"))
    assert "1 mention(s) Silta was unsure about" in queue and "the lamp again" in queue
    assert "login is broken" not in queue
    in_team = text_of(silta.command("search acme team:support"))
    assert "login is broken" in in_team and "the lamp again" not in in_team
    assert "the lamp again" in text_of(silta.command("triage support 24h"))
    assert "Nothing to triage" in text_of(silta.command("triage sales"))
    moved = silta.act(move_action(unsure.id, "product"))  # from the triage answer
    silta.slack.wait_for("respond", path=moved)
    assert "Nothing to triage" in text_of(silta.command("triage"))
    assert "login is broken" in text_of(silta.command("search acme team:support"))


def test_a_long_triage_queue_shows_its_newest_whole_and_says_how_many(silta):
    now = datetime.now(UTC)
    with silta.sessions.begin() as session:
        for minutes in range(25):
            found = store(
                session, f"Acme that thing {minutes}", published_at=now - timedelta(minutes=minutes)
            )
            found.confidence = 0.2
    answer = silta.command("triage")
    shown = text_of(answer)
    assert "25 mention(s) Silta was unsure about" in shown and "the newest 10 below" in shown
    assert "that thing 0" in shown and "that thing 9" in shown and "that thing 10" not in shown
    assert len(answer.params["blocks"]) <= 50


def test_digest_preview_is_only_for_the_asker(silta):
    with silta.sessions.begin() as session:
        store(session, "Acme login broken", urgency=0.5)
    answer = silta.command("digest support")
    assert answer.params["response_type"] == "ephemeral"
    assert "Only you can see this" in text_of(answer)
    assert "login broken" in text_of(answer)
    assert silta.slack.calls_to("chat.postMessage") == []


def test_sources_show_health_with_the_last_error(silta):
    now = datetime.now(UTC)
    with silta.sessions.begin() as session:
        row = sources.get_or_create("hn", "hackernews", session=session)
        health.record_failure(row.id, at=now, error="HTTP 503 <!here>", items=0, session=session)
    shown = text_of(silta.command("sources"))
    assert "*hn* (hackernews) failing" in shown
    assert "HTTP 503 &lt;!here&gt;" in shown


def test_subscribe_list_and_unsubscribe(silta):
    assert "urgent mentions" in text_of(silta.command("subscribe urgent"))
    silta.command('subscribe "double charged"')
    silta.command("mute @troll 7d")
    listed = text_of(silta.command("subscribe"))
    assert "urgent mentions" in listed and 'saying \\"double charged\\"' in listed
    assert "@troll" in listed
    assert "No more DMs" in text_of(silta.command("unsubscribe urgent"))
    assert "were not subscribed" in text_of(silta.command("unsubscribe urgent"))


def test_muting_for_everyone_is_for_admins_only(silta):
    silta.slack.add_user("U0ALICE")
    silta.slack.add_user("U0BOSS", admin=True)
    refused = silta.command("mute spam everyone")
    assert "Sorry, muting for everyone is for workspace admins" in refused.params["text"]
    assert "anyone" in text_of(silta.command("mute spam everyone", user="U0BOSS"))


def test_admins_named_in_silta_toml_need_no_slack_lookup(engine_file, slack):
    with serve_silta(engine_file, slack, overrides={"slack": {"admins": ["U0NAMED"]}}) as silta:
        assert "anyone" in text_of(silta.command("mute spam everyone", user="U0NAMED"))
        assert slack.calls_to("users.info") == []


class Gate:
    """A session factory that waits until the test opens the gate: a database that is slow."""

    def __init__(self, sessions):
        self.sessions = sessions
        self.open = threading.Event()
        self.kw = sessions.kw

    def __call__(self):
        assert self.open.wait(10)
        return self.sessions()


def test_acks_at_once_when_the_database_is_slow_and_answers_later(engine_file, slack):
    gates = []

    def slow(sessions):
        gates.append(Gate(sessions))
        return gates[-1]

    with serve_silta(engine_file, slack, listener_sessions=slow) as silta:
        body = command_body("search refund", response_url=slack.response_url("slow"))
        started = time.monotonic()
        reply = post_signed(silta.events, body)
        assert reply.status_code == 200
        assert time.monotonic() - started < 1.0
        assert slack.calls_to("respond") == []
        gates[0].open.set()
        (answer,) = slack.wait_for("respond", path="/respond/slow")
        assert "Nothing found" in text_of(answer)


def test_a_bug_shows_an_id_that_is_also_in_the_log(engine_file, slack, caplog):
    def broken(sessions):
        def fail():
            raise RuntimeError("database exploded")

        return fail

    with serve_silta(engine_file, slack, listener_sessions=broken) as silta:
        answer = silta.command("search refund")
        error_id = re.search(r"error `([0-9a-f]+)`", answer.params["text"]).group(1)
        assert "database exploded" not in answer.params["text"]
        assert error_id in caplog.text and "database exploded" in caplog.text


def test_healthz_is_served_beside_slack(silta):
    assert httpx.get(f"{silta.url}/healthz").json() == {"status": "ok"}


@pytest.mark.parametrize("text", ["", "help"])
def test_the_ack_itself_is_empty_and_fast(silta, text):
    body = command_body(text, response_url=silta.slack.response_url())
    reply = post_signed(silta.events, body)
    assert reply.status_code == 200 and reply.text == ""
