"""`silta demo` wired together: the real pipeline, with a demo world and a local Slack.

    Demo(directory, speed=600, port=3000).start()   # …then .progress(), and at last .stop()

What runs, in the order it starts (and stops in reverse):

1. the virtual clock, resumed from `clock.json` (or Monday 09:00 of this week, fresh);
2. the feed server that plays every public API over the demo world (`bot.demo.feeds`);
3. the Slack sandbox on `port` (`bot.sandbox`), its channels and messages kept in
   `sandbox.json`;
4. Silta itself, from a `Runtime` on the demo's own SQLite database and rendered `silta.toml`,
   whose clock is the virtual one: the web app with the real Bolt app in HTTP mode on an
   ephemeral port, which the sandbox sends its signed commands and clicks to;
5. the worker's own jobs (`bot.wiring.worker_jobs`), played by the time-lapse runner on
   virtual time — or, at speed 1, by APScheduler on the wall clock, exactly as `silta run`.

The demo starts at Monday 09:00, when every team's first digest is due: the weekend's backlog
is fetched (with the clock still stopped) before the jobs start, so the first digests are there
within seconds. The week runs to the Monday after, 09:30, past the weekly report; then the clock
stops and the sandbox, Slack app and database stay up for clicking.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot import preferences
from bot.commands import Subscribe
from bot.db import session_scope
from bot.demo.clock import ClockState, VirtualClock, load_state, save_state
from bot.demo.feeds.server import FeedServer
from bot.demo.progress import Progress, count
from bot.demo.push import Pusher
from bot.demo.timelapse import TimeLapse
from bot.demo.world import load_mentions, workspace_toml
from bot.errors import SiltaError
from bot.jobspec import JobSpec
from bot.models import utcnow
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.scheduler import build_scheduler
from bot.slack import EVENTS_PATH
from bot.web import BackgroundServer
from bot.wiring import runtime_app, worker_jobs

log = logging.getLogger(__name__)

DEFAULT_SPEED = 600.0
"""One virtual hour every 6 s: the first digests are in within seconds, a support digest
every 6 s through the working day, and the whole week (to the next Monday's report) in 17 min."""
DEFAULT_PORT = 3000
SEARCH_HINT = "refund"
"""A word the terminal suggests searching for: the weekend's backlog has it."""
USER = "U0YOU"
"""The person at the browser: a workspace admin, subscribed to urgent mentions."""
OPENING = timedelta(hours=9)
"""The virtual clock starts on Monday at 09:00 (UTC), when the week's first digests are due."""
CLOSING = timedelta(days=7, hours=9, minutes=30)
"""…and stops on the Monday after at 09:30, once the weekly report for the week is out."""
STOP_WAIT = 10.0
"""Seconds a stopping demo waits for the job runs under way (a poll waiting on a source)."""
SAVE_EVERY = 5.0
"""Seconds between saves of the clock, so a demo that is killed loses little of its week."""


class PortInUseError(SiltaError):
    """The sandbox's port is taken."""


@dataclass(frozen=True)
class DemoPaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "silta.db"

    @property
    def config(self) -> Path:
        return self.root / "silta.toml"

    @property
    def clock(self) -> Path:
        return self.root / "clock.json"

    @property
    def sandbox(self) -> Path:
        return self.root / "sandbox.json"

    @property
    def token(self) -> Path:
        """The sandbox's bot token, for scripts that read its Web API (`conversations.history`)."""
        return self.root / "token"

    def read_token(self) -> str:
        """The demo's bot token, made on the first run and kept."""
        try:
            token = self.token.read_text().strip()
        except FileNotFoundError:
            token = ""
        if not token.startswith("xoxb-"):
            token = "xoxb-demo-" + secrets.token_hex(12)
            self.token.write_text(token + "\n")
            self.token.chmod(0o600)
        return token

    def clear(self) -> None:
        """`--fresh`: forget the database, the clock and the sandbox's messages."""
        for path in (self.database, self.config, self.clock, self.sandbox, self.token):
            for suffix in ("", "-wal", "-shm", "-journal", ".tmp"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 UTC of the week `moment` is in."""
    day = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def channel_id(name: str) -> str:
    """A Slack-shaped id for a team channel of the sandbox: `#people` → C0PEOPLE."""
    return "C0" + "".join(ch for ch in name.lstrip("#").upper() if ch.isalnum())[:9]


class Demo:
    def __init__(
        self,
        directory: Path,
        *,
        speed: float = DEFAULT_SPEED,
        port: int = DEFAULT_PORT,
        host: str = "127.0.0.1",
        environ: Mapping[str, str] | None = None,
        wall_clock: Callable[[], datetime] = utcnow,
    ) -> None:
        if speed < 1:
            raise SiltaError("--speed must be 1 (real time) or more.")
        self.paths = DemoPaths(Path(directory))
        self.speed = speed
        self.port = port
        self.host = host
        self.environ = dict(os.environ if environ is None else environ)
        self.wall_clock = wall_clock
        self.token = ""
        self.signing_secret = secrets.token_hex(16)
        self.clock: VirtualClock | None = None
        self.now: Callable[[], datetime] = utcnow
        """Silta's clock: the virtual one, or the real one at speed 1."""
        self.week: datetime | None = None
        self.opening: datetime | None = None
        """The virtual time this run of the demo started at."""
        self.runtime: Runtime | None = None
        self.sandbox: Any = None
        self.feeds: Any = None
        self.web: Any = None
        self._runner: TimeLapse | None = None
        self._scheduler: Any = None
        self._pusher: Pusher | None = None
        self._closing: list[Callable[[], None]] = []
        self._saved_at = 0.0
        self._lock = threading.Lock()
        self.resumed = False
        self.finished = False

    # starting ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Where to look: the sandbox in the browser."""
        return self.sandbox.url if self.sandbox is not None else f"http://{self.host}:{self.port}"

    @property
    def end(self) -> datetime:
        assert self.week is not None
        return self.week + CLOSING

    def start(self) -> Demo:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        self.paths.root.mkdir(parents=True, exist_ok=True)
        self.token = self.paths.read_token()
        self._start_clock()
        self._start_feeds()
        self._start_sandbox()
        runtime = self.runtime = self._make_runtime()
        runtime.upgraded_engine()
        self._closing.append(runtime.engine.dispose)
        self._start_web(runtime)
        self._prepare_workspace(runtime)
        self._start_jobs(runtime)

    def _start_clock(self) -> None:
        state = load_state(self.paths.clock)
        self.resumed = state is not None
        if state is None:
            week = week_start(self.wall_clock())
            state = ClockState(start=week, now=week + OPENING)
        self.clock = VirtualClock(state.now, speed=self.speed)
        # At speed 1 the jobs run on APScheduler's wall clock, so Silta's clock is the real one.
        self.now = utcnow if self.speed == 1 else self.clock
        self.week, self.opening = state.start, self.now()
        save_state(self.paths.clock, state)

    def _start_feeds(self) -> None:
        self.mentions = load_mentions()
        assert self.week is not None and self.clock is not None
        self.feeds = FeedServer(self.mentions, start=self.week, clock=self.now)
        self.feeds.start()
        self._closing.append(self.feeds.close)

    def _start_sandbox(self) -> None:
        try:
            sandbox = Sandbox(
                token=self.token,
                host=self.host,
                port=self.port,
                user=USER,
                state_path=self.paths.sandbox,
                clock=self.now,  # messages carry the demo's time, as the digests do
            ).start()
        except OSError as exc:
            raise PortInUseError(port_taken(self.host, self.port, exc)) from exc
        self.sandbox = sandbox
        self._closing.append(sandbox.stop)

    def _make_runtime(self) -> Runtime:
        self.paths.config.write_text(workspace_toml(self.feeds.url))
        environ = {
            **self.environ,
            "DATABASE_URL": f"sqlite:///{self.paths.database.resolve()}",
            "SILTA_CONFIG": str(self.paths.config.resolve()),
            "SLACK_API_URL": self.sandbox.api_url,
            "SLACK_BOT_TOKEN": self.token,
            "SLACK_SIGNING_SECRET": self.signing_secret,
        }
        for unused in ("SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
            environ.pop(unused, None)
        return Runtime(environ, clock=self.now)

    def _start_web(self, runtime: Runtime) -> None:
        self.web = BackgroundServer(runtime_app(runtime), host=self.host, port=0)
        self._closing.append(self.web.close)
        self.sandbox.connect(self.web.url + EVENTS_PATH, self.signing_secret)

    def _prepare_workspace(self, runtime: Runtime) -> None:
        """A channel for every team, and the person at the browser: an admin who gets a DM
        for every urgent mention (as `/silta subscribe urgent` would do)."""
        for team in runtime.config.workspace.teams.values():
            name = team.channel.removeprefix("#")  # the world names its channels
            self.sandbox.add_channel(channel_id(name), name)
        with session_scope(runtime.sessions) as session:
            preferences.subscribe(USER, Subscribe("urgent"), session=session)

    def _start_jobs(self, runtime: Runtime) -> None:
        assert self.clock is not None
        self._pusher = Pusher(
            self.mentions,
            week=self.week or self.clock(),
            clock=runtime.clock,
            url=self.web.url,
            workspace=runtime.config.workspace,
        )
        jobs = [*worker_jobs(runtime), self._pusher.job()]
        if self.speed != 1 and self.clock() >= self.end:
            self.finished = True
            return  # the week is over: serve the sandbox, run nothing
        jobs = self._first_poll(jobs)
        if self.speed == 1:
            self._scheduler = build_scheduler(jobs, blocking=False)
            self._scheduler.start()
            return
        self.clock.start()
        self._runner = TimeLapse(
            jobs, self.clock, speed=self.speed, until=self.end, on_end=self.finish_week
        )
        self._runner.start()

    def _first_poll(self, jobs: list[JobSpec]) -> list[JobSpec]:
        """Fetch what was published before the demo's present, with the clock stopped, so the
        first digests (due at once) already hold the weekend's mentions. Returns the jobs with
        those polls next due after their interval rather than again at once."""
        fetching = [job for job in jobs if job.id.startswith("poll:") or job.id == Pusher.ID]
        with ThreadPoolExecutor(max_workers=4, thread_name_prefix="first-poll") as pool:
            for job, failure in zip(fetching, pool.map(_attempt, fetching), strict=True):
                if failure is not None:
                    log.warning("first poll: %s failed: %s", job.id, failure)
        return [replace(job, start_now=False) if job in fetching else job for job in jobs]

    # while it runs -----------------------------------------------------------------------

    def progress(self) -> Progress:
        """Where the week is and what Silta has done; saves the clock now and then."""
        assert self.week is not None and self.runtime is not None
        found = Progress(
            now=self.runtime.clock(),
            start=self.week + OPENING,
            end=self.end,
            over=self.finished,
        )
        with self.runtime.sessions() as session:
            count(found, self.runtime.config.workspace, session=session)
        self._save_now_and_then()
        return found

    def finish_week(self) -> None:
        """The week is over: stop the jobs and the clock; everything else keeps serving."""
        with self._lock:
            runner, self._runner = self._runner, None
        if runner is not None:
            assert self.clock is not None
            self.clock.stop()
            runner.stop()
            self.save()
            self.finished = True

    def save(self) -> None:
        """Write the clock's state and the sandbox's now."""
        state = self._state()
        if state is not None:
            save_state(self.paths.clock, state)
        if self.sandbox is not None:
            self.sandbox.save()

    def _save_quietly(self) -> None:
        try:
            self.save()
        except OSError as exc:
            log.warning("could not save the demo's state: %s", exc)

    def _state(self) -> ClockState | None:
        if self.week is None or self.clock is None:
            return None
        now = self.runtime.clock() if self.runtime is not None else self.clock()
        return ClockState(start=self.week, now=now)

    def _save_now_and_then(self) -> None:
        state = self._state()
        if state is not None and time.monotonic() - self._saved_at >= SAVE_EVERY:
            self._saved_at = time.monotonic()
            save_state(self.paths.clock, state)

    # stopping ----------------------------------------------------------------------------

    def stop(self) -> None:
        """Freeze the clock and save it, stop the jobs (the runs under way finish), save the
        sandbox, close every server. Safe to call twice, and after a start that failed
        halfway."""
        with self._lock:
            runner, self._runner = self._runner, None
            scheduler, self._scheduler = self._scheduler, None
            closing, self._closing = self._closing, []
        if self.clock is not None and self.clock.running:
            self.clock.stop()
        self._save_quietly()
        if runner is not None:
            runner.stop(timeout=STOP_WAIT)
        if scheduler is not None:
            scheduler.shutdown(wait=True)
        self._save_quietly()
        for close in reversed(closing):
            try:
                close()
            except Exception:
                log.exception("while stopping the demo")

    def __enter__(self) -> Demo:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def _attempt(job: JobSpec) -> BaseException | None:
    try:
        job.func()
    except Exception as exc:
        return exc
    return None


def port_taken(host: str, port: int, exc: OSError) -> str:
    return (
        f"The Slack sandbox cannot listen on {host}:{port} ({exc.strerror or exc}): another "
        f"program, perhaps a demo that is still running, has that port. Stop it, or give the "
        f"sandbox another port with --port, e.g. `silta demo --port {port + 1}`."
    )
