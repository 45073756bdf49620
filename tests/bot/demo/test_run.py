"""The demo end to end, headless: the real pipeline on the demo world, read through the
sandbox's Web API over HTTP. In-process for what it posts; as `silta demo` in a subprocess for
the terminal, SIGTERM and Ctrl-C, and resuming."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.demo.clock import load_state
from bot.demo.run import OPENING, Demo, DemoPaths, PortInUseError, week_start
from bot.models import Mention, Source, utcnow
from tests.bot.demo.reader import FAST, SandboxReader, digest_key, wait_until
from tests.fakes.ports import free_port

ROOT = Path(__file__).resolve().parents[3]


def test_digests_and_an_urgent_dm_then_a_restart_resumes_without_posting_twice(tmp_path):
    directory = tmp_path / "demo"
    with Demo(directory, speed=FAST, port=0, environ={}) as demo:
        reader = SandboxReader(demo.url, directory)
        first = wait_until(
            lambda: reader.digests("#support"), timeout=20, what="a digest in #support"
        )
        opening = week_start(utcnow()) + OPENING
        # The virtual clock reaches the Deliverer: the first digest closes at Monday 09:00.
        assert "Support digest, Fri" in first[-1]["text"]
        assert f"{opening:%a %d %b %H:%M}" in first[-1]["text"]
        alert = wait_until(
            lambda: [m for m in reader.dm() if m["text"].startswith("Urgent")],
            timeout=30,
            what="an urgent mention in the user's DM",
        )
        assert alert[0]["blocks"], "the alert has its buttons"
        progress = demo.progress()
        assert progress.mentions > 0 and progress.digests > 0 and progress.alerts > 0
        with demo.runtime.sessions() as session:
            sources = set(session.scalars(select(Source.name).join(Mention.source)))
        assert {"hn", "reddit", "x", "app-reviews"} <= sources  # polled, and pushed by webhook
    saved = load_state(DemoPaths(directory).clock)
    assert saved is not None and saved.now > saved.start + OPENING

    with Demo(directory, speed=FAST, port=0, environ={}) as again:
        assert again.resumed
        assert again.clock() >= saved.now  # the clock goes on from where it stopped
        reader = SandboxReader(again.url, directory)
        kept = reader.digests("#support")
        assert len(kept) >= len(first)  # the sandbox shows what was posted before
        time.sleep(3)  # a few virtual hours more
        keys = [digest_key(m) for m in reader.digests("#support")]
        everywhere = [
            digest_key(m)
            for channel in ("#support", "#product", "#people", "#sales", "#marketing")
            for m in reader.digests(channel)
        ]
    assert len(keys) == len(set(keys)), "a digest period was posted twice"
    assert len(keys) > len(kept)
    # A weekly report takes a real second to draw, many virtual minutes at this speed: the
    # claim on it must not look abandoned to the next sweep.
    assert any(key.startswith("report:") for key in everywhere)
    assert len(everywhere) == len(set(everywhere)), "a digest or report was posted twice"


def test_a_taken_port_is_one_clear_error_naming_the_option(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortInUseError, match="--port") as caught:
            Demo(tmp_path / "demo", speed=FAST, port=port, environ={}).start()
    assert f"127.0.0.1:{port}" in str(caught.value)


def test_the_demo_week_is_this_week_from_monday():
    thursday = datetime(2026, 11, 26, 13, 40, tzinfo=UTC)
    assert week_start(thursday) == datetime(2026, 11, 23, tzinfo=UTC)
    assert week_start(datetime(2026, 11, 23, tzinfo=UTC)) == datetime(2026, 11, 23, tzinfo=UTC)


class Launched:
    """`silta demo` in a subprocess, its output collected as it comes."""

    def __init__(self, directory: Path, port: int) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
        env["PYTHONUNBUFFERED"] = "1"
        command = [sys.executable, "-m", "bot", "demo", "--no-browser", "--dir", str(directory)]
        command += ["--port", str(port), "--speed", str(FAST)]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def started(self) -> None:
        """Wait for the terminal to say where to look: the demo is up, its clock running."""
        wait_until(lambda: "Open http" in self.output, timeout=60, what="the demo to start")

    def finish(self, how: int) -> str:
        self.process.send_signal(how)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"the demo did not stop within 30 s:\n{self.output}")
        self._reader.join(timeout=5)
        assert self.process.stdout is not None
        self.process.stdout.close()
        assert self.process.returncode == 0, self.output
        return self.output


@pytest.mark.slow
def test_silta_demo_stops_cleanly_on_sigterm_and_ctrl_c_and_resumes(tmp_path):
    directory, port = tmp_path / "demo", free_port()
    reader = SandboxReader(f"http://127.0.0.1:{port}", directory)
    demo = Launched(directory, port)
    try:
        demo.started()
        wait_until(lambda: reader.digests("#support"), timeout=40, what="a digest in #support")
    finally:
        output = demo.finish(signal.SIGTERM)
    assert f"http://127.0.0.1:{port}" in output
    assert "Stopped" in output
    first = load_state(DemoPaths(directory).clock)
    assert first is not None and first.now > first.start + OPENING

    demo = Launched(directory, port)
    try:
        demo.started()
        time.sleep(2)  # two virtual hours more
        keys = [digest_key(m) for m in reader.digests("#support")]
    finally:
        output = demo.finish(signal.SIGINT)
    assert "resumed" in output
    assert len(keys) == len(set(keys)), "a digest period was posted twice"
    second = load_state(DemoPaths(directory).clock)
    assert second is not None and second.now > first.now


def test_after_the_week_the_sandbox_stays_up_and_nothing_runs(tmp_path):
    from bot.demo.clock import ClockState, save_state
    from bot.demo.run import CLOSING

    directory = tmp_path / "demo"
    directory.mkdir()
    week = week_start(utcnow())
    save_state(DemoPaths(directory).clock, ClockState(start=week, now=week + CLOSING))
    with Demo(directory, speed=FAST, port=0, environ={}) as demo:
        progress = demo.progress()
        assert progress.over and progress.share == 1.0
        time.sleep(0.5)
        assert demo.clock() == week + CLOSING  # the clock stays where the week ended
        assert SandboxReader(demo.url, directory).history("#support") == []


def test_the_command_explains_a_taken_port_in_one_paragraph(tmp_path):
    import socket

    from click.testing import CliRunner

    from bot.cli import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            cli,
            ["demo", "--no-browser", "--dir", str(tmp_path / "demo"), "--port", str(port)],
            env={"SLACK_BOT_TOKEN": "", "DATABASE_URL": ""},
        )
    assert result.exit_code == 1
    assert f"silta: The Slack sandbox cannot listen on 127.0.0.1:{port}" in result.output
    assert "--port" in result.output and "Traceback" not in result.output
