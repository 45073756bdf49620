"""The sandbox's Web API over real HTTP, as slack_sdk and scripts call it."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import Sandbox
from tests.bot.sandbox.conftest import api


def client(sandbox) -> WebClient:
    return WebClient(token=sandbox.token, base_url=sandbox.api_url)


def test_history_lists_top_level_messages_newest_first_and_replies_read_a_thread(sandbox):
    slack = client(sandbox)
    first = slack.chat_postMessage(channel="#support", text="first")
    slack.chat_postMessage(channel="C0SUPPORT", text="second")
    slack.chat_postMessage(channel="C0SUPPORT", text="in thread", thread_ts=first["ts"])

    history = api(sandbox, "conversations.history", channel="C0SUPPORT")
    assert [m["text"] for m in history["messages"]] == ["second", "first"]
    replies = api(sandbox, "conversations.replies", channel="C0SUPPORT", ts=first["ts"])
    assert [m["text"] for m in replies["messages"]] == ["first", "in thread"]
    assert api(sandbox, "conversations.history", channel="C0NOPE")["error"] == "channel_not_found"


def test_history_answers_get_requests_with_the_token_in_the_query(sandbox):
    client(sandbox).chat_postMessage(channel="#general", text="hello")
    reply = httpx.get(
        f"{sandbox.api_url}conversations.history",
        params={"channel": "C0GENERAL", "token": sandbox.token},
    )
    assert [m["text"] for m in reply.json()["messages"]] == ["hello"]
    unauthenticated = httpx.get(f"{sandbox.api_url}conversations.history?channel=C0GENERAL")
    assert unauthenticated.json() == {"ok": False, "error": "not_authed"}


def test_list_names_the_channels_so_scripts_can_find_them(sandbox):
    sandbox.add_channel("C0SALES", "sales", member=False)
    sandbox.store.open_dm("U0ALICE")
    channels = api(sandbox, "conversations.list")["channels"]
    assert {c["name"]: c["id"] for c in channels} == {
        "general": "C0GENERAL",
        "support": "C0SUPPORT",
        "sales": "C0SALES",
    }
    assert [c["is_member"] for c in channels if c["name"] == "sales"] == [False]
    with_dms = api(sandbox, "conversations.list", types="public_channel,im")["channels"]
    assert [c["user"] for c in with_dms if c.get("is_im")] == ["U0ALICE"]


def test_dm_open_gives_one_channel_per_person_and_posting_to_a_user_id_lands_there(sandbox):
    slack = client(sandbox)
    alice = slack.conversations_open(users="U0ALICE")["channel"]["id"]
    assert alice.startswith("D")
    assert slack.conversations_open(users="U0ALICE")["channel"]["id"] == alice
    assert slack.conversations_open(users="U0BOB")["channel"]["id"] != alice
    slack.chat_postMessage(channel="U0ALICE", text="psst")
    assert [m["text"] for m in sandbox.messages(alice)] == ["psst"]


def test_update_and_delete_change_the_stored_message(sandbox):
    slack = client(sandbox)
    posted = slack.chat_postMessage(channel="C0GENERAL", text="draft")
    slack.chat_update(channel="C0GENERAL", ts=posted["ts"], text="final")
    assert sandbox.messages("C0GENERAL")[0]["text"] == "final"
    slack.chat_delete(channel="C0GENERAL", ts=posted["ts"])
    assert sandbox.messages("C0GENERAL") == []


def test_faults_come_once_then_normal_answers(sandbox):
    sandbox.fail("chat.postMessage", error="not_in_channel")
    slack = client(sandbox)
    with pytest.raises(SlackApiError) as failed:
        slack.chat_postMessage(channel="C0GENERAL", text="x")
    assert failed.value.response["error"] == "not_in_channel"
    assert slack.chat_postMessage(channel="C0GENERAL", text="x")["ok"]
    assert len(sandbox.calls_to("chat.postMessage")) == 2


def test_uploaded_files_are_shared_in_the_thread_and_served_back(sandbox):
    slack = client(sandbox)
    parent = slack.chat_postMessage(channel="C0SUPPORT", text="report")
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    slack.files_upload_v2(
        channel="C0SUPPORT",
        thread_ts=parent["ts"],
        content=png,
        filename="chart.png",
        title="Chart",
    )
    (message,) = [m for m in sandbox.messages("C0SUPPORT") if m.get("files")]
    assert message["thread_ts"] == parent["ts"]
    (shared,) = message["files"]
    assert shared["title"] == "Chart"
    served = httpx.get(f"{sandbox.url}/files/{shared['id']}/chart.png")
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png"
    assert served.content == png


def test_app_home_views_are_kept_per_user(sandbox):
    view = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
    }
    client(sandbox).views_publish(user_id=sandbox.user, view=view)
    assert sandbox.homes[sandbox.user]["blocks"] == view["blocks"]
    state = httpx.get(f"{sandbox.url}/ui/state").json()
    assert state["home"]["blocks"] == view["blocks"]


def test_users_info_knows_the_browser_user_as_an_admin(sandbox):
    user = client(sandbox).users_info(user="U0YOU")["user"]
    assert user["is_admin"] is True
    assert user["profile"]["display_name"] == "you"


def test_a_virtual_clock_stamps_the_messages():
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with Sandbox(clock=lambda: monday) as sandbox:
        first = client(sandbox).chat_postMessage(channel="C0GENERAL", text="a")["ts"]
        second = client(sandbox).chat_postMessage(channel="C0GENERAL", text="b")["ts"]
    assert first.split(".")[0] == second.split(".")[0] == str(int(monday.timestamp()))
    assert second > first
