"""`silta serve` and `silta run` as a person starts them: real processes, real HTTP, signed
requests, and Socket Mode over a local WebSocket."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from bot.sandbox import Sandbox
from tests.builders import workspace_file
from tests.fakes.ports import free_port
from tests.fakes.socket_mode import FakeSocketMode
from tests.slack import SECRET, command_body, post_signed

pytestmark = pytest.mark.slow
SILTA = [sys.executable, "-m", "bot"]
TEAMS = {"support": {"channel": "#support", "categories": ["support_issue"]}}


def environment(tmp_path: Path, slack: Sandbox, **extra: str) -> dict[str, str]:
    workspace_file(tmp_path / "silta.toml", teams=TEAMS, sources=[])
    keep = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_", "SILTA_"))
    }
    return {
        **keep,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'silta.db'}",
        "SILTA_CONFIG": str(tmp_path / "silta.toml"),
        "SLACK_BOT_TOKEN": slack.token,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        **extra,
    }


@contextmanager
def running(args: list[str], env: dict[str, str], ready: str, tmp_path: Path) -> Iterator[None]:
    log = (tmp_path / "silta.log").open("w+")
    process = subprocess.Popen(
        [*SILTA, *args], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 30
        while ready not in Path(log.name).read_text():
            assert process.poll() is None, Path(log.name).read_text()
            assert time.monotonic() < deadline, Path(log.name).read_text()
            time.sleep(0.1)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)
        log.close()


def wait_healthy(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} never became healthy")


def test_silta_serve_answers_signed_slack_requests_and_refuses_unsigned(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with Sandbox() as slack:
        env = environment(tmp_path, slack)
        args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
        with running(args, env, "Booting worker", tmp_path):
            wait_healthy(url)
            body = command_body("subscribe urgent", response_url=slack.response_url("s"))
            reply = post_signed(f"{url}/slack/events", body)
            assert reply.status_code == 200
            (answer,) = slack.wait_for("respond", path="/respond/s")
            assert "You will get a DM for urgent mentions" in str(answer.params)
            unsigned = httpx.post(f"{url}/slack/events", content=body)
            assert unsigned.status_code == 401


def test_silta_run_speaks_socket_mode_when_an_app_token_is_set(tmp_path):
    with Sandbox() as slack, FakeSocketMode() as socket_mode:
        slack.socket_url = socket_mode.url
        env = environment(tmp_path, slack, SLACK_APP_TOKEN=slack.app_token)
        args = ["run", "--port", str(free_port())]
        with running(args, env, "Silta is running (Socket Mode)", tmp_path):
            payload = {
                "command": "/silta",
                "text": "help",
                "user_id": "U0ALICE",
                "team_id": "T0FAKE",
                "channel_id": "C0GENERAL",
                "api_app_id": "A0SILTA",
                "response_url": slack.response_url("ws"),
                "trigger_id": "1.2.3",
            }
            ack = socket_mode.send(
                {
                    "envelope_id": "e-1",
                    "type": "slash_commands",
                    "payload": payload,
                    "accepts_response_payload": True,
                }
            )
            assert ack["envelope_id"] == "e-1"
            (answer,) = slack.wait_for("respond", path="/respond/ws")
            assert "/silta search" in str(answer.params)
        assert slack.calls_to("apps.connections.open")
