"""`silta demo`: the whole product in one command, on a local Slack sandbox in the browser.

The terminal says where to look, then keeps one status line up to date (the virtual time, the
week's progress, and what Silta has fetched, sorted and posted) rather than a flood of logs.
Ctrl-C or SIGTERM stop it cleanly; running it again resumes the same week.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.live import Live
from rich.logging import RichHandler
from rich.text import Text

from bot.demo.run import DEFAULT_PORT, DEFAULT_SPEED, SEARCH_HINT, Demo, DemoPaths, Progress
from bot.runtime import Runtime

REFRESH = 0.5
"""Seconds between updates of the status line on a terminal…"""
QUIET_REFRESH = 10.0
"""…and between status lines when the output is not a terminal (a log file, a CI job)."""


def pace(speed: float) -> str:
    if speed == 1:
        return "in real time"
    hour = 3600 / speed
    return f"×{speed:g}: an hour every {hour:.3g} s, the week in {7 * 24 * hour / 60:.0f} min"


def status_line(progress: Progress) -> Text:
    line = Text()
    line.append(f"{progress.now:%a %d %b %H:%M} UTC", style="bold")
    filled = round(progress.share * 20)
    line.append("  " + "━" * filled, style="cyan")
    line.append("─" * (20 - filled), style="dim")
    line.append(f" {progress.share:4.0%}", style="cyan")
    teams = ", ".join(f"{team} {count}" for team, count in progress.per_team.items())
    line.append(f"  {progress.mentions} mentions ({teams})")
    line.append(
        f" · digests {progress.digests} · reports {progress.reports} · alerts {progress.alerts}"
    )
    return line


def introduce(console: Console, demo: Demo) -> None:
    workspace = demo.runtime.config.workspace  # type: ignore[union-attr]
    channels = ", ".join(team.channel for team in workspace.teams.values())
    start = demo.opening
    console.print(
        f"[bold]Silta demo[/]: {workspace.company.name}'s week of mentions, on a local Slack.",
        highlight=False,
    )
    console.print(f"  Open [bold link={demo.url}]{demo.url}[/] to watch it.", highlight=False)
    console.print(
        f"  Digests land in {channels}; urgent mentions in your DMs. "
        f"Try [bold]/silta search {SEARCH_HINT}[/] in #support, then Move to… on a result.",
        highlight=False,
    )
    when = f" from {start:%a %d %b %H:%M} UTC" if start else ""
    resumed = " (resumed)" if demo.resumed else ""
    console.print(
        f"  Time-lapse {pace(demo.speed)}{when}{resumed}. Ctrl-C stops; "
        f"`silta demo` again resumes; --fresh starts over. State: {demo.paths.root}",
        highlight=False,
    )


def over(console: Console, demo: Demo) -> None:
    console.print(
        f"The demo's week is over ({demo.end:%a %d %b %H:%M} UTC). The sandbox stays up at "
        f"{demo.url}: keep clicking (search, Move to…, Acknowledge). Ctrl-C stops; "
        "`silta demo --fresh` starts a new week.",
        highlight=False,
    )


@contextmanager
def quiet_logs(console: Console, *, verbose: bool) -> Iterator[None]:
    """Warnings only (INFO with --verbose); on a terminal, printed above the status line. The
    root logger is put back as it was afterwards."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    if console.is_terminal:
        for handler in handlers:
            root.removeHandler(handler)
        root.addHandler(RichHandler(console=console, show_path=False))
    try:
        yield
    finally:
        root.setLevel(level)
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)


def watch(console: Console, demo: Demo, stop: threading.Event) -> None:
    """Keep the status line fresh until `stop` is set; announce the end of the week once."""
    announced = False
    if console.is_terminal:
        with Live(console=console, refresh_per_second=4, transient=False) as live:
            while not stop.is_set():
                progress = demo.progress()
                live.update(status_line(progress))
                if progress.over and not announced:
                    announced = True
                    live.console.print("")
                    over(live.console, demo)
                stop.wait(REFRESH)
        return
    last, shown = 0.0, ""
    while not stop.is_set():
        progress = demo.progress()
        line = status_line(progress)
        due = time.monotonic() - last >= QUIET_REFRESH or (progress.over and not announced)
        if due and line.plain != shown:
            last, shown = time.monotonic(), line.plain
            console.print(line, highlight=False)
        if progress.over and not announced:
            announced = True
            over(console, demo)
        stop.wait(REFRESH)


def graphical() -> bool:
    """Whether a browser can open a window here: a desktop session, not a terminal over SSH
    (where Python's webbrowser would start a text browser inside this very terminal)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_browser(console: Console, url: str) -> None:
    if not graphical():
        console.print(f"  (No desktop here to open a browser in: open {url} yourself.)")
        return
    threading.Thread(target=webbrowser.open, args=(url,), name="browser", daemon=True).start()


def at_once(*_: Any) -> None:
    """A second Ctrl-C while stopping: the clock is already saved, so leave now."""
    os._exit(130)


@click.command("demo")
@click.option(
    "--speed",
    type=click.FloatRange(min=1),
    default=DEFAULT_SPEED,
    show_default=True,
    help="Virtual seconds per real second; 1 runs in real time.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="The Slack sandbox's port: http://127.0.0.1:PORT.",
)
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("silta-demo"),
    show_default=True,
    help="Where the demo keeps its database, silta.toml, clock and sandbox.",
)
@click.option("--no-browser", is_flag=True, help="Do not open the sandbox in a browser.")
@click.option("--fresh", is_flag=True, help="Forget the demo's state and start the week over.")
@click.option("--verbose", is_flag=True, help="Log at INFO, not only warnings.")
@click.pass_obj
def demo(
    runtime: Runtime,
    speed: float,
    port: int,
    directory: Path,
    no_browser: bool,
    fresh: bool,
    verbose: bool,
) -> None:
    """Run Silta on a demo company with a local Slack in the browser: no accounts needed."""
    console = Console(highlight=False, soft_wrap=True)
    if fresh:
        DemoPaths(directory).clear()
    stop = threading.Event()
    with quiet_logs(console, verbose=verbose), stopped_by_sigterm(stop):
        run_demo(
            console,
            Demo(directory, speed=speed, port=port, environ=runtime.environ),
            stop,
            browser=not no_browser,
        )


def run_demo(console: Console, session: Demo, stop: threading.Event, *, browser: bool) -> None:
    try:
        with console.status("Starting the demo: sandbox, feeds, Silta, the weekend's mentions…"):
            session.start()  # stops what it started if it fails or is interrupted
    except KeyboardInterrupt:
        return
    try:
        introduce(console, session)
        if browser:
            open_browser(console, f"{session.url}/?channel=support")  # where digests land first
        watch(console, session, stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        signal.signal(signal.SIGINT, at_once)
        session.stop()
    console.print("Stopped; the demo's week is saved. `silta demo` resumes it.", highlight=False)


@contextmanager
def stopped_by_sigterm(stop: threading.Event) -> Iterator[None]:
    """SIGTERM stops the demo as Ctrl-C does; both handlers are put back afterwards."""
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before[0])
        signal.signal(signal.SIGINT, before[1])


def register(cli: click.Group) -> None:
    cli.add_command(demo)
