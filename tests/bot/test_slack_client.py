"""The one Slack client: it goes to SLACK_API_URL, and which failures it repeats depends on
whether repeating could post twice; and the fake Slack it is tested against answers like Slack."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.sandbox import Sandbox
from bot.slack_client import Retry, make_client
from bot.slack_failures import FAILURES, failure


def client(slack: Sandbox, retry: Retry = Retry.SAFE_TO_REPEAT, **kwargs):
    settings = Settings(slack_bot_token=slack.token, slack_api_url=slack.api_url)
    return make_client(settings, retry=retry, **kwargs)


def test_the_client_goes_to_slack_api_url(slack):
    assert client(slack).auth_test()["team_id"] == "T0FAKE"
    (call,) = slack.calls_to("auth.test")
    assert call.headers["authorization"] == f"Bearer {slack.token}"


@pytest.mark.parametrize("retry", list(Retry))
def test_429_is_retried_after_retry_after(slack, retry):
    slack.fail("chat.postMessage", status=429, retry_after=1)
    assert client(slack, retry).chat_postMessage(channel="#general", text="hi")["ok"]
    first, second = slack.calls_to("chat.postMessage")
    assert second.at - first.at >= 1.0
    assert len(slack.messages("#general")) == 1


@pytest.mark.parametrize("status", [500, 503, 0], ids=["500", "503", "dropped-connection"])
def test_server_errors_and_dropped_connections_are_retried(slack, status):
    slack.fail("chat.postMessage", status=status)
    assert client(slack).chat_postMessage(channel="#general", text="hi")["ok"]
    assert len(slack.calls_to("chat.postMessage")) == 2


def test_retries_give_up_and_slack_errors_are_not_retried(slack):
    slack.fail("chat.postMessage", status=500, times=5)
    with pytest.raises(SlackApiError):
        client(slack, max_retries=1).chat_postMessage(channel="#general", text="hi")
    for error in ("channel_not_found", "not_in_channel", "invalid_auth"):
        slack.fail("chat.update", error=error)
        with pytest.raises(SlackApiError, match=error):
            client(slack).chat_update(channel="C0GENERAL", ts="1.1", text="x")


@pytest.mark.parametrize("status", [500, 503, 0], ids=["500", "503", "dropped-connection"])
def test_a_post_once_client_does_not_repeat_a_post_slack_may_have_made(slack, status):
    slack.fail("chat.postMessage", status=status, processed=True)
    with pytest.raises(FAILURES) as raised:
        client(slack, Retry.POST_ONCE).chat_postMessage(channel="#general", text="hi")
    assert len(slack.calls_to("chat.postMessage")) == 1
    assert [m["text"] for m in slack.messages("#general")] == ["hi"]
    assert not failure(raised.value).certainly_not_posted


def test_a_safe_to_repeat_client_repeats_it_which_is_why_posts_are_not_made_with_one(slack):
    slack.fail("chat.postMessage", status=500, processed=True)
    client(slack, Retry.SAFE_TO_REPEAT).chat_postMessage(channel="#general", text="hi")
    assert [m["text"] for m in slack.messages("#general")] == ["hi", "hi"]


class _Recording(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Ok, bind_and_activate=False)
        self.served: list[str] = []


class _Ok(BaseHTTPRequestHandler):
    server: _Recording

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.served.append(self.path)
        body = json.dumps({"ok": True, "channel": "C0GENERAL", "ts": "1.000001"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.parametrize("retry", list(Retry))
def test_a_refused_connection_is_retried_by_either_policy(retry):
    """Nothing reached Slack, so even a post is tried again: the port refuses connections
    until the server starts listening, a moment after the first attempt."""
    server = _Recording()
    server.server_bind()
    host, port = server.server_address[:2]

    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})

    def listen() -> None:
        server.server_activate()
        serving.start()

    settings = Settings(slack_bot_token="xoxb-x", slack_api_url=f"http://{host}:{port}/api/")
    web = make_client(settings, retry=retry, timeout=5)
    later = threading.Timer(0.3, listen)
    started = time.monotonic()
    later.start()
    try:
        assert web.chat_postMessage(channel="#general", text="hi")["ok"]
    finally:
        later.cancel()
        later.join()
        if serving.is_alive():
            server.shutdown()
        server.server_close()
    assert time.monotonic() - started >= 0.3
    assert server.served == ["/api/chat.postMessage"]


def test_the_fake_answers_like_slack(slack):
    web = client(slack)
    with pytest.raises(SlackApiError, match="channel_not_found"):
        web.chat_postMessage(channel="#nowhere", text="x")
    slack.add_channel("C0PRIVATE", "private", member=False)
    with pytest.raises(SlackApiError, match="not_in_channel"):
        web.chat_postMessage(channel="C0PRIVATE", text="x")
    wrong = Settings(slack_bot_token="xoxb-wrong", slack_api_url=slack.api_url)
    with pytest.raises(SlackApiError, match="invalid_auth"):
        make_client(wrong, retry=Retry.SAFE_TO_REPEAT).auth_test()
    dm = web.conversations_open(users="U0A")["channel"]["id"]
    posted = web.chat_postMessage(channel=dm, text="one")
    web.chat_update(channel=dm, ts=posted["ts"], text="two")
    assert [m["text"] for m in web.conversations_history(channel=dm)["messages"]] == ["two"]
    assert web.chat_postEphemeral(channel="C0GENERAL", user="U0A", text="psst")["ok"]
    assert web.views_publish(user_id="U0A", view={"type": "home", "blocks": []})["ok"]
    slack.add_user("U0A", admin=True)
    assert web.users_info(user="U0A")["user"]["is_admin"] is True
