"""`python -m bot.sandbox`: the local Slack on its own, for trying `silta run` against it."""

from __future__ import annotations

import signal
import subprocess
import sys

import httpx

from tests.fakes.ports import free_port


def test_runs_alone_with_the_channels_it_is_given_until_ctrl_c():
    port = free_port()
    with subprocess.Popen(
        [sys.executable, "-m", "bot.sandbox", "--port", str(port), "--channel", "C0SUP=support"],
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            talk_to(process, port)
        finally:
            if process.poll() is None:
                process.kill()


def talk_to(process: subprocess.Popen[str], port: int) -> None:
    """The banner names the Web API, the channels asked for exist, and Ctrl-C exits 0."""
    assert process.stdout is not None
    banner = process.stdout.readline()
    assert f"http://127.0.0.1:{port}/api/" in banner
    answer = httpx.post(
        f"http://127.0.0.1:{port}/api/conversations.list",
        headers={"Authorization": "Bearer xoxb-fake-token"},
        timeout=5,
    ).json()
    assert {c["name"] for c in answer["channels"]} == {"general", "support"}
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
