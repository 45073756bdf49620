"""What a command or a job needs, built lazily: a command that only touches the database does not
require a valid workspace file, and one that only reads the file opens no database."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot import db
from bot.config import Config, Settings, load_config, load_settings
from bot.errors import ConfigError


@dataclass
class Runtime:
    environ: Mapping[str, str] = field(default_factory=dict)

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

    def upgraded_engine(self) -> Engine:
        """The engine after applying any pending migration, as every long-running command does."""
        db.upgrade(self.engine)
        return self.engine
