"""What Slack listeners get from the rest of Silta, handed to them when the app is built (never
imported from a global): a loaded configuration, a session factory and a clock, with the few
views of them every listener uses. Nothing here reads the environment, connects or migrates:
a `bot.runtime.Runtime` does that, and its `services` is where a running process builds this."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.config import Config, Workspace
from bot.db import session_scope
from bot.models import utcnow


@dataclass(frozen=True)
class Services:
    config: Config
    sessions: sessionmaker[Session]
    clock: Callable[[], datetime] = field(default=utcnow)

    @property
    def workspace(self) -> Workspace:
        return self.config.workspace

    @property
    def teams(self) -> list[str]:
        return list(self.workspace.teams)

    @property
    def sources(self) -> list[str]:
        return [s.name for s in self.workspace.sources]

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.sessions) as session:
            yield session
