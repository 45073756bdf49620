"""`python -m bot.sandbox`: the local Slack on its own, until Ctrl-C (`silta demo` runs it
together with Silta; this is for poking at it)."""

from __future__ import annotations

import argparse
import contextlib
import threading
from pathlib import Path

from bot.sandbox.sandbox import Sandbox


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--state", type=Path, help="keep the workspace in this JSON file")
    parser.add_argument("--events-url", help="the bot's Slack endpoint, e.g. …/slack/events")
    parser.add_argument("--signing-secret", help="the bot's signing secret")
    parser.add_argument("--channel", action="append", default=[], metavar="ID=NAME")
    args = parser.parse_args(argv)
    with Sandbox(host=args.host, port=args.port, state_path=args.state) as sandbox:
        for spec in args.channel:
            channel_id, _, name = spec.partition("=")
            sandbox.add_channel(channel_id, name or channel_id.lower())
        if args.events_url and args.signing_secret:
            sandbox.connect(args.events_url, args.signing_secret)
        print(f"Slack sandbox on {sandbox.url} (Web API at {sandbox.api_url}); Ctrl-C stops it")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
