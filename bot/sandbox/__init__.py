"""A local Slack: the sandbox `silta demo` posts to, and the fake Slack of the test suite.

One loopback HTTP server (standard library only) that

- answers the Web API methods Silta uses under `/api/<method>` as Slack does — and the ones
  scripts use to read what was posted (`conversations.list`, `.history`, `.replies`) — keeping
  channels, DMs, messages, files and App Home views (`store`, `webapi`);
- records every call and fails on demand for tests (`calls`);
- shows the workspace in the browser at `/` with Block Kit rendered (`static/`), and sends what
  the browser's user types and clicks to the bot as signed Slack requests (`ui`, `outgoing`);
- keeps the workspace in a JSON file across restarts if asked to (`persist`).

    with Sandbox(port=3000, state_path=Path("sandbox.json")) as slack:
        slack.add_channel("C0SUPPORT", "support")
        slack.connect("http://127.0.0.1:8080/slack/events", signing_secret)
"""

from bot.sandbox.calls import Call, Fault
from bot.sandbox.outgoing import sign
from bot.sandbox.sandbox import Sandbox
from bot.sandbox.store import Channel

__all__ = ["Call", "Channel", "Fault", "Sandbox", "sign"]
