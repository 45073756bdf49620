"""The engine, short-lived sessions, and schema upgrades through Alembic.

Sessions are opened per unit of work (`with session_scope(factory) as session:`) and the caller
owns the transaction. The schema is only ever created by migrations, never by `create_all()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util.exc import CommandError
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import DatabaseError

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine tuned per backend: WAL and foreign keys on SQLite, pre-ping on PostgreSQL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(parsed, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # 8 MB: a million mentions insert and search as fast as with 64 MB (bench/store.py), and a
    # long-running poller's memory stays flat.
    cursor.execute("PRAGMA cache_size=-8192")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def include_object(
    obj: object, name: str | None, kind: str, reflected: bool, other: object
) -> bool:
    """Alembic's comparison skips the full-text index: it is raw DDL in the migrations, and
    the models do not describe it."""
    if kind == "table":
        return not (name and name.startswith("mentions_fts"))
    return (kind, name) not in {
        ("column", "search"),
        ("index", "ix_mentions_search"),
        ("index", "ix_mentions_recency"),
    }


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back if it raises."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(engine: Engine) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def check_reachable(engine: Engine) -> None:
    """Connect once, so a wrong DATABASE_URL fails with a sentence instead of a traceback."""
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(
            f"DATABASE_URL: cannot connect to {engine.url.render_as_string(hide_password=True)} "
            f"({reason}). Check that the server runs and the URL is right, or unset DATABASE_URL "
            "to use the embedded SQLite file silta.db."
        ) from None


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str:
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert head is not None
    return head


def check_known_revision(engine: Engine) -> None:
    """Refuse a database that a newer Silta has migrated: running on it would corrupt data."""
    revision = current_revision(engine)
    if revision is None:
        return
    script = ScriptDirectory.from_config(alembic_config(engine))
    if not _known(script, revision):
        raise DatabaseError(
            f"the database is at revision {revision}, which this version of Silta does not know: "
            "it was upgraded by a newer Silta. Install that version (pip install -U silta), or "
            "point DATABASE_URL at another database."
        )


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except (CommandError, RevisionError):
        return False


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Apply migrations; returns the revision before and after."""
    check_reachable(engine)
    check_known_revision(engine)
    before = current_revision(engine)
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return before, current_revision(engine) or "base"


def downgrade(engine: Engine, revision: str) -> None:
    check_reachable(engine)
    check_known_revision(engine)
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
