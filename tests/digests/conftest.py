"""Digest tests commit for real (claims are their own transactions), so each test gets a
session factory on the shared database and leaves it empty again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot import db
from bot.sandbox import Sandbox

TABLES = ("digests", "leases", "labels", "alerts", "classifications", "mentions", "sources")


@pytest.fixture
def sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    factory = db.make_session_factory(engine)
    yield factory
    with factory.begin() as session:
        for table in TABLES:
            session.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def slack() -> Iterator[Sandbox]:
    with Sandbox() as fake:
        for channel_id, name in (
            ("C0SUPPORT", "support"),
            ("C0SALES", "sales"),
            ("C0PRODUCT", "product"),
            ("C0MARKETING", "marketing"),
        ):
            fake.add_channel(channel_id, name)
        yield fake
