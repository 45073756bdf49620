"""How a process gets what it runs on from its environment, lazily: a command that only touches
the database does not require a valid workspace file, and one that only reads the file opens no
database. Commands, job providers and `bot.wiring` take a Runtime, which can also open the
engine and migrate; Slack listeners never do: they get `services` (`bot.services`), built here
once, from what this runtime has already loaded.

`clock` is the time every job and listener built from the runtime goes by: the real UTC time,
or the virtual clock of `silta demo`'s time-lapse, so that digest periods, quiet hours, alert
cooldowns and poll back-offs all follow it."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot import db
from bot.config import Config, Settings, load_config, load_settings
from bot.errors import ConfigError
from bot.models import utcnow
from bot.services import Services


@dataclass
class Runtime:
    environ: Mapping[str, str] = field(default_factory=dict)
    clock: Callable[[], datetime] = utcnow

    @classmethod
    def from_environ(cls) -> Runtime:
        return cls(dict(os.environ))

    @property
    def log_level(self) -> str:
        try:
            return self.settings.log_level
        except ConfigError:
            return "INFO"

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self.environ)

    @cached_property
    def config(self) -> Config:
        return load_config(self.environ)

    @cached_property
    def engine(self) -> Engine:
        engine = db.make_engine(self.settings.database_url)
        db.check_reachable(engine)
        return engine

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return db.make_session_factory(self.engine)

    @cached_property
    def services(self) -> Services:
        """The listeners' view of this runtime: its configuration, sessions and clock."""
        return Services(config=self.config, sessions=self.sessions, clock=self.clock)

    def upgraded_engine(self) -> Engine:
        """The engine after applying any pending migration, as every long-running command does."""
        db.upgrade(self.engine)
        return self.engine
