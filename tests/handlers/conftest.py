"""Silta served for real on loopback (the same WSGI app `silta serve` runs, Bolt mounted on
/slack/events) against the fake Slack, with a fresh SQLite database per test."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot import db
from bot.config import Config, Settings
from bot.sandbox import Call, Sandbox
from bot.services import Services
from bot.slack_client import Retry, make_client
from bot.web import create_app as create_web_app
from bot.wiring import slack_app
from tests.builders import workspace
from tests.slack import (
    SECRET,
    action_body,
    block_action,
    command_body,
    post_signed,
    serving,
)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "silta.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    engine.dispose()
    return path


@dataclass
class Silta:
    url: str
    slack: Sandbox
    sessions: sessionmaker[Session]
    config: Config
    _ids: Iterator[int] = field(default_factory=itertools.count)

    @property
    def events(self) -> str:
        return f"{self.url}/slack/events"

    def command(self, text: str, *, user: str = "U0ALICE") -> Call:
        """Run `/silta text` and return what Silta answered through the response URL."""
        name = f"c{next(self._ids)}"
        body = command_body(text, user=user, response_url=self.slack.response_url(name))
        reply = post_signed(self.events, body)
        assert reply.status_code == 200, reply.text
        return self.slack.wait_for("respond", path=f"/respond/{name}")[0]

    def act(self, action: dict[str, Any], *, user: str = "U0ALICE", **kwargs: Any) -> str:
        """Click something; returns the path its `respond` calls go to."""
        name = f"a{next(self._ids)}"
        payload = block_action(
            action, user=user, response_url=self.slack.response_url(name), **kwargs
        )
        reply = post_signed(self.events, action_body(payload))
        assert reply.status_code == 200, reply.text
        return f"/respond/{name}"

    def event(self, event: dict[str, Any]) -> httpx.Response:
        import json

        body = json.dumps(
            {
                "token": "unused",
                "team_id": "T0FAKE",
                "api_app_id": "A0SILTA",
                "type": "event_callback",
                "event_id": f"Ev{next(self._ids)}",
                "event_time": 1,
                "event": event,
            }
        ).encode()
        return post_signed(self.events, body, headers={"Content-Type": "application/json"})


def config_for(fake: Sandbox, **workspace_overrides: Any) -> Config:
    return Config(
        settings=Settings(
            slack_bot_token=fake.token,
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
        ),
        workspace=workspace(**workspace_overrides),
    )


@pytest.fixture
def slack() -> Iterator[Sandbox]:
    with Sandbox() as fake:
        fake.add_channel("C0SUPPORT", "support")
        fake.add_channel("C0PRODUCT", "product")
        fake.add_channel("C0SALES01", "sales")
        yield fake


@pytest.fixture
def engine_file(tmp_path: Path, template_db: Path) -> Iterator[Engine]:
    path = tmp_path / "silta.db"
    shutil.copy(template_db, path)
    engine = db.make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@contextmanager
def serve_silta(
    engine: Engine,
    slack: Sandbox,
    *,
    listener_sessions: Callable[[sessionmaker[Session]], Any] | None = None,
    overrides: dict[str, Any] | None = None,
) -> Iterator[Silta]:
    """`listener_sessions` wraps the session factory the listeners get (to make the database
    slow or broken for them alone)."""
    config = config_for(slack, **(overrides or {}))
    sessions = db.make_session_factory(engine)
    client = make_client(config.settings, retry=Retry.SAFE_TO_REPEAT, timeout=5, max_retries=1)
    services = Services(config, listener_sessions(sessions) if listener_sessions else sessions)
    bolt = slack_app(services, client=client, sessions=sessions)
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    web = create_web_app(
        config.workspace, sessions=sessions, mounts={"/slack": SlackRequestHandler(bolt)}
    )
    with serving(web) as url:
        yield Silta(url, slack, sessions, config)


@pytest.fixture
def silta(engine_file: Engine, slack: Sandbox) -> Iterator[Silta]:
    with serve_silta(engine_file, slack) as served:
        yield served
