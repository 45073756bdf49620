"""What each kind of Slack failure means, from real answers of the fake Slack over loopback."""

from __future__ import annotations

import socket

import pytest

from bot.config import Settings
from bot.sandbox import Sandbox
from bot.slack_client import Retry, make_client
from bot.slack_failures import FAILURES, SlackFailure, advice, failure


def refused(slack: Sandbox, **fault) -> SlackFailure:
    slack.fail("chat.postMessage", **fault)
    settings = Settings(slack_bot_token=slack.token, slack_api_url=slack.api_url)
    web = make_client(settings, retry=Retry.POST_ONCE, timeout=5, max_retries=0)
    with pytest.raises(FAILURES) as raised:
        web.chat_postMessage(channel="#general", text="hi")
    return failure(raised.value)


def test_an_error_answer_was_not_posted_and_says_the_fix(slack):
    found = refused(slack, error="not_in_channel")
    assert found == SlackFailure("not_in_channel", "not_in_channel", certainly_not_posted=True)
    assert found.advice == "Silta is not in the channel; invite it with `/invite @Silta`"
    assert not found.unreachable


def test_a_429_was_not_posted(slack):
    found = refused(slack, status=429)
    assert (found.code, found.certainly_not_posted) == ("HTTP 429 ratelimited", True)
    assert found.advice == "Slack is rate-limiting Silta; it will try again later"


@pytest.mark.parametrize("status", [500, 503])
def test_a_5xx_may_have_posted_and_only_needs_patience(slack, status):
    found = refused(slack, status=status)
    assert found == SlackFailure(f"HTTP {status} fatal_error", "fatal_error", False)
    assert found.advice is None


def test_a_dropped_connection_may_have_posted(slack):
    found = refused(slack, status=0)
    assert not found.certainly_not_posted
    assert found.slack_error is None and found.advice is None


def test_a_refused_connection_was_not_posted():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        host, port = closed.getsockname()
        settings = Settings(slack_bot_token="xoxb-x", slack_api_url=f"http://{host}:{port}/api/")
        web = make_client(settings, retry=Retry.POST_ONCE, timeout=5, max_retries=0)
        with pytest.raises(FAILURES) as raised:
            web.chat_postMessage(channel="#general", text="hi")
    found = failure(raised.value)
    assert found.certainly_not_posted and found.code.startswith("URLError: ")


def test_a_timeout_may_have_posted():
    found = failure(TimeoutError("timed out"))
    assert found == SlackFailure("TimeoutError: timed out", None, certainly_not_posted=False)


def test_a_person_slack_will_never_let_us_dm_is_unreachable(slack):
    slack.fail("conversations.open", error="user_disabled")
    web = make_client(
        Settings(slack_bot_token=slack.token, slack_api_url=slack.api_url),
        retry=Retry.SAFE_TO_REPEAT,
    )
    with pytest.raises(FAILURES) as raised:
        web.conversations_open(users="U0GONE")
    found = failure(raised.value)
    assert found.unreachable and found.advice == "the person's account is deactivated"


@pytest.mark.parametrize(
    ("recorded", "fix"),
    [
        ("not_in_channel", "Silta is not in the channel; invite it with `/invite @Silta`"),
        ("HTTP 403 not_in_channel", "Silta is not in the channel; invite it with `/invite @Silta`"),
        ("missing_scope", "the app lacks a permission; reinstall it from manifest.yml"),
        ("HTTP 503 fatal_error", None),
        ("TimeoutError: timed out", None),
    ],
)
def test_advice_reads_what_silta_recorded(recorded, fix):
    assert advice(recorded) == fix
