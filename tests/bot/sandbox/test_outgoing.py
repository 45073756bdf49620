"""What the browser sends to the bot arrives as Slack sends it — signed, with the fields Bolt
reads — and what the bot answers shows up in the conversation it came from."""

from __future__ import annotations

import json
import time

import httpx
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from tests.bot.sandbox.conftest import ui

BUTTONS = [
    {
        "type": "actions",
        "block_id": "triage",
        "elements": [
            {
                "type": "button",
                "action_id": "ack",
                "text": {"type": "plain_text", "text": "Acknowledge"},
                "value": "42",
                "style": "primary",
            }
        ],
    }
]


def state(sandbox) -> dict:
    return httpx.get(f"{sandbox.url}/ui/state", timeout=5).json()


def shown(sandbox, channel: str) -> list[dict]:
    (conversation,) = [c for c in state(sandbox)["conversations"] if c["id"] == channel]
    return conversation["messages"]


def test_a_slash_command_is_a_signed_form_post_with_slacks_fields(sandbox, bot):
    assert ui(sandbox, "command", channel="C0SUPPORT", text="/silta search refund").json() == {
        "ok": True
    }
    (arrival,) = bot.wait()
    assert arrival.valid
    assert arrival.headers["content-type"] == "application/x-www-form-urlencoded"
    form = arrival.form
    assert form["command"] == "/silta"
    assert form["text"] == "search refund"
    assert (form["channel_id"], form["channel_name"]) == ("C0SUPPORT", "support")
    assert (form["user_id"], form["user_name"]) == ("U0YOU", "you")
    assert form["team_id"] == "T0FAKE" and form["api_app_id"]
    assert form["trigger_id"] and form["token"]
    assert form["response_url"].startswith(f"{sandbox.url}/respond/")


def test_what_the_bot_sends_to_the_response_url_shows_as_slack_shows_it(sandbox, bot):
    ui(sandbox, "command", channel="C0SUPPORT", text="/silta help")
    (arrival,) = bot.wait()
    respond = WebhookClient(arrival.form["response_url"])
    respond.send(text="Only for you")
    respond.send(text="For everyone", response_type="in_channel")
    messages = shown(sandbox, "C0SUPPORT")
    assert [(m["text"], bool(m.get("sandbox"))) for m in messages] == [
        ("Only for you", True),
        ("For everyone", False),
    ]
    assert [m["text"] for m in sandbox.messages("C0SUPPORT")] == ["For everyone"]
    assert sandbox.wait_for("respond", 2)


def test_a_command_answered_in_the_ack_body_shows_as_an_ephemeral_message(sandbox, bot):
    bot.reply = lambda arrival: (200, json.dumps({"text": "Acked with *text*"}).encode(), 0)
    ui(sandbox, "command", channel="C0GENERAL", text="/silta")
    (message,) = shown(sandbox, "C0GENERAL")
    assert message["text"] == "Acked with *text*"
    assert message["sandbox"]["ephemeral"] is True


def test_a_click_is_a_signed_block_actions_payload_with_the_whole_message(sandbox, bot):
    client = WebClient(token=sandbox.token, base_url=sandbox.api_url)
    posted = client.chat_postMessage(channel="C0SUPPORT", text="Urgent", blocks=BUTTONS)
    action = {
        "type": "button",
        "action_id": "ack",
        "block_id": "triage",
        "value": "42",
        "text": {"type": "plain_text", "text": "Acknowledge"},
    }
    assert ui(sandbox, "action", channel="C0SUPPORT", ts=posted["ts"], action=action).json()["ok"]
    (arrival,) = bot.wait()
    assert arrival.valid
    payload = arrival.payload
    assert payload["type"] == "block_actions"
    assert payload["user"] == {"id": "U0YOU", "username": "you", "name": "you", "team_id": "T0FAKE"}
    assert payload["channel"] == {"id": "C0SUPPORT", "name": "support"}
    assert payload["container"] == {
        "type": "message",
        "message_ts": posted["ts"],
        "channel_id": "C0SUPPORT",
        "is_ephemeral": False,
    }
    assert payload["message"]["blocks"] == BUTTONS
    assert payload["team"]["id"] == "T0FAKE" and payload["api_app_id"] and payload["trigger_id"]
    (sent,) = payload["actions"]
    assert {k: sent[k] for k in ("action_id", "block_id", "value", "type")} == {
        "action_id": "ack",
        "block_id": "triage",
        "value": "42",
        "type": "button",
    }
    assert float(sent["action_ts"]) > 0

    WebhookClient(payload["response_url"]).send(text="Acknowledged", replace_original=True)
    assert [m["text"] for m in sandbox.messages("C0SUPPORT")] == ["Acknowledged"]
    WebhookClient(payload["response_url"]).send(delete_original=True)
    assert sandbox.messages("C0SUPPORT") == []


def test_menu_choices_send_the_selected_option(sandbox, bot):
    client = WebClient(token=sandbox.token, base_url=sandbox.api_url)
    posted = client.chat_postMessage(channel="C0SUPPORT", text="Move", blocks=BUTTONS)
    option = {"text": {"type": "plain_text", "text": "Sales"}, "value": "sales"}
    action = {
        "type": "static_select",
        "action_id": "move",
        "block_id": "b",
        "selected_option": option,
    }
    ui(sandbox, "action", channel="C0SUPPORT", ts=posted["ts"], action=action)
    (arrival,) = bot.wait()
    assert arrival.payload["actions"][0]["selected_option"] == option


def test_clicks_on_an_ephemeral_answer_can_replace_it(sandbox, bot):
    ui(sandbox, "command", channel="C0SUPPORT", text="/silta search x")
    WebhookClient(bot.wait()[0].form["response_url"]).send(text="Page 1", blocks=BUTTONS)
    (page,) = sandbox.ephemeral("C0SUPPORT")
    action = {"type": "button", "action_id": "more", "block_id": "triage", "value": "2"}
    ui(sandbox, "action", channel="C0SUPPORT", ts=page["ts"], action=action)
    payload = bot.wait(2)[1].payload
    assert payload["container"]["is_ephemeral"] is True
    assert payload["container"]["message_ts"] == page["ts"]
    WebhookClient(payload["response_url"]).send(text="Page 2", replace_original=True)
    assert [m["text"] for m in sandbox.ephemeral("C0SUPPORT")] == ["Page 2"]


def test_a_bot_error_or_timeout_is_shown_as_slack_shows_it(sandbox, bot):
    bot.reply = lambda arrival: (500, b"", 0)
    answer = ui(sandbox, "command", channel="C0SUPPORT", text="/silta help").json()
    assert answer["ok"] is False
    assert answer["notice"] == '/silta failed with the error "http_service_error" (HTTP 500)'
    sandbox.link.timeout = 0.3
    bot.reply = lambda arrival: (200, b"", 1.0)
    started = time.monotonic()
    answer = ui(sandbox, "command", channel="C0SUPPORT", text="/silta help").json()
    assert time.monotonic() - started < 1.0
    assert answer["error"] == "operation_timeout"
    notices = [m["text"] for m in shown(sandbox, "C0SUPPORT") if m["sandbox"].get("notice")]
    assert notices == [
        '/silta failed with the error "http_service_error" (HTTP 500)',
        '/silta failed with the error "operation_timeout"',
    ]


def test_without_a_bot_the_ui_says_so(sandbox):
    answer = ui(sandbox, "command", channel="C0GENERAL", text="/silta help").json()
    assert answer["error"] == "not_connected"
    assert "not connected" in shown(sandbox, "C0GENERAL")[0]["text"]


def test_opening_app_home_sends_the_signed_event(sandbox, bot):
    assert ui(sandbox, "home").json()["ok"]
    (arrival,) = bot.wait()
    assert arrival.valid
    envelope = arrival.payload
    assert envelope["type"] == "event_callback"
    assert envelope["event"]["type"] == "app_home_opened"
    assert envelope["event"]["user"] == "U0YOU" and envelope["event"]["tab"] == "home"


def test_messages_typed_in_the_browser_are_the_users(sandbox):
    first = ui(sandbox, "message", channel="C0GENERAL", text="hello <b>").json()
    ui(sandbox, "message", channel="C0GENERAL", text="a reply", thread_ts=first["ts"])
    messages = sandbox.messages("C0GENERAL")
    assert [(m["user"], m["text"], m.get("thread_ts")) for m in messages] == [
        ("U0YOU", "a reply", first["ts"]),
        ("U0YOU", "hello <b>", None),
    ]
    assert ui(sandbox, "message", channel="C0NOPE", text="x").status_code == 400


def test_the_state_long_poll_wakes_on_a_change(sandbox):
    version = state(sandbox)["version"]
    started = time.monotonic()
    quiet = httpx.get(f"{sandbox.url}/ui/state", params={"since": version, "wait": 0.3})
    assert quiet.json()["version"] == version and time.monotonic() - started >= 0.3
    ui(sandbox, "message", channel="C0GENERAL", text="news")
    woke = httpx.get(f"{sandbox.url}/ui/state", params={"since": version, "wait": 10}, timeout=5)
    assert woke.json()["version"] > version
