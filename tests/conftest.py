"""Fixtures shared by the whole suite: a real database per backend, one rolled-back
transaction per test, and paths to the shared recorded samples when they are present."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot import db

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SILTA_SHARED", ROOT.parent / "shared"))
POSTGRES_URL = os.environ.get(
    "SILTA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The language model's unpacked cache goes to a folder of this run, not the home folder,
    and the suite also proves that a host with an empty cache works."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or a clean skip where that folder is absent (outside CI)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared samples are not on this machine")
    return path


@contextmanager
def scratch_postgres(url: str) -> Iterator[str]:
    """A database of its own for this run, so parallel runs on one server never collide."""
    admin = db.make_engine(url, isolation_level="AUTOCOMMIT")
    name = f"silta_test_{os.getpid()}_{secrets.token_hex(3)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated database of each kind, shared by the tests of a run."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'silta.db'}"
        else:
            url = stack.enter_context(scratch_postgres(POSTGRES_URL))
        engine = db.make_engine(url)
        db.upgrade(engine)
        yield engine
        engine.dispose()


@pytest.fixture(scope="session")
def rollback_engine(engine: Engine) -> Iterator[Engine]:
    """The test database, with pysqlite made to emit BEGIN itself so that SAVEPOINTs nest in
    a test's outer transaction (SQLAlchemy's documented recipe). Only for tests that roll back:
    in production pysqlite's own late BEGIN is kept, because a deferred BEGIN that reads and
    then writes can fail at once with "database is locked" when two connections race."""
    if engine.dialect.name != "sqlite":
        yield engine
        return
    own = db.make_engine(engine.url.render_as_string(hide_password=False))

    @event.listens_for(own, "connect")
    def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(own, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    yield own
    own.dispose()


@pytest.fixture
def sessions(rollback_engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions for code that commits (the poller, alerts, corrections): each commit only
    releases a savepoint inside one transaction that is rolled back when the test ends."""
    connection = rollback_engine.connect()
    transaction = connection.begin()
    try:
        yield sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
    finally:
        transaction.rollback()
        connection.close()


@pytest.fixture
def session(rollback_engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back, so tests never see each other."""
    connection = rollback_engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()
