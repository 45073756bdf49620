"""The workspace kept in a JSON file: a restarted sandbox shows what was posted before."""

from __future__ import annotations

import json
import time

from slack_sdk import WebClient

from bot.sandbox import Sandbox


def post(sandbox: Sandbox, **params) -> dict:
    client = WebClient(token=sandbox.token, base_url=sandbox.api_url)
    return client.chat_postMessage(**params).data


def test_messages_dms_users_and_files_survive_a_restart(tmp_path):
    path = tmp_path / "sandbox.json"
    with Sandbox(state_path=path) as first:
        first.add_channel("C0SUPPORT", "support")
        first.add_user("U0ALICE", name="alice")
        posted = post(first, channel="#support", text="before the restart")
        dm = first.store.open_dm(first.user)
        post(first, channel=dm.id, text="for you")
        first.files["F1"] = {"id": "F1", "name": "a.png", "length": 3, "content": b"\x00\x01\x02"}
    saved = json.loads(path.read_text())
    assert {c["id"] for c in saved["channels"]} >= {"C0GENERAL", "C0SUPPORT", dm.id}

    with Sandbox(state_path=path) as second:
        second.add_channel("C0SUPPORT", "support")  # a demo adds its channels on every start
        assert [m["text"] for m in second.messages("C0SUPPORT")] == ["before the restart"]
        assert [m["text"] for m in second.messages(dm.id)] == ["for you"]
        assert second.users["U0ALICE"]["name"] == "alice"
        assert second.files["F1"]["content"] == b"\x00\x01\x02"
        later = post(second, channel="#support", text="after")
        assert later["ts"] > posted["ts"]
        assert [m["text"] for m in second.messages("C0SUPPORT")] == ["after", "before the restart"]


def test_changes_are_written_soon_without_stopping_and_atomically(tmp_path):
    path = tmp_path / "state" / "sandbox.json"
    with Sandbox(state_path=path) as sandbox:
        post(sandbox, channel="C0GENERAL", text="saved while running")
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            if path.exists() and "saved while running" in path.read_text():
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the state file was not written within 3 s")
        assert [p.name for p in path.parent.iterdir()] == ["sandbox.json"]


def test_an_unreadable_state_file_starts_afresh(tmp_path):
    path = tmp_path / "sandbox.json"
    path.write_text("{not json")
    with Sandbox(state_path=path) as sandbox:
        assert sandbox.messages("C0GENERAL") == []
    assert json.loads(path.read_text())["format"] == 1


def test_a_state_file_of_another_shape_starts_afresh(tmp_path):
    path = tmp_path / "sandbox.json"
    path.write_text('{"channels": [{"name": "no id"}]}')
    with Sandbox(state_path=path) as sandbox:
        assert sandbox.messages("C0GENERAL") == []
        assert sandbox.users["U0YOU"]["is_admin"] is True
