"""The sandbox driving the real Silta (its WSGI app with Bolt, served on loopback): Bolt accepts
what the browser sends, and Silta's answers land where a person would see them."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.ids import ActionId
from bot.sandbox import Sandbox
from tests.bot.sandbox.conftest import ui
from tests.handlers.conftest import engine_file, serve_silta, template_db  # noqa: F401
from tests.slack import SECRET


def test_commands_and_app_home_reach_silta_and_its_answers_show(engine_file, tmp_path):  # noqa: F811
    with Sandbox() as sandbox, serve_silta(engine_file, sandbox) as silta:
        sandbox.add_channel("C0SUPPORT", "support")
        sandbox.connect(silta.events, SECRET)

        assert ui(sandbox, "command", channel="C0SUPPORT", text="/silta help").json()["ok"]
        (answer,) = sandbox.wait_for("respond")
        (shown,) = sandbox.ephemeral("C0SUPPORT")
        assert shown["user"] == sandbox.user
        assert shown["blocks"] == answer.params["blocks"]
        assert sandbox.messages("C0SUPPORT") == []

        assert ui(sandbox, "home").json()["ok"]
        sandbox.wait_for("views.publish")
        assert sandbox.homes[sandbox.user]["type"] == "home"


def test_a_click_on_a_message_reaches_silta_signed(engine_file):  # noqa: F811
    with Sandbox() as sandbox, serve_silta(engine_file, sandbox) as silta:
        sandbox.connect(silta.events, SECRET)
        client = WebClient(token=sandbox.token, base_url=sandbox.api_url)
        button = {
            "type": "button",
            "action_id": str(ActionId.OPEN),
            "text": {"type": "plain_text", "text": "x"},
        }
        blocks = [{"type": "actions", "block_id": "b", "elements": [button]}]
        posted = client.chat_postMessage(channel="C0GENERAL", text="x", blocks=blocks)
        action = {**button, "block_id": "b", "url": "https://example.com"}
        reply = ui(sandbox, "action", channel="C0GENERAL", ts=posted["ts"], action=action)
        assert reply.json() == {"ok": True}
