"""The migrations are the only way the schema is made: they must build exactly what the models
describe, on both databases, and undo it cleanly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from bot import db
from bot.db import include_object
from bot.errors import DatabaseError
from bot.models import Base
from tests.conftest import POSTGRES_URL, scratch_postgres


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = db.make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
        yield engine
        engine.dispose()
    else:
        with scratch_postgres(POSTGRES_URL) as url:
            engine = db.make_engine(url)
            yield engine
            engine.dispose()


def differences(engine: Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": include_object, "compare_type": True}
        )
        return compare_metadata(context, Base.metadata)


def test_models_and_migrations_agree(empty_engine):
    db.upgrade(empty_engine)
    assert differences(empty_engine) == []


def test_downgrade_removes_everything_and_upgrade_rebuilds_it(empty_engine):
    db.upgrade(empty_engine)
    db.downgrade(empty_engine, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    db.upgrade(empty_engine)
    assert "mentions" in inspect(empty_engine).get_table_names()
    assert differences(empty_engine) == []


def test_upgrade_twice_changes_nothing(empty_engine):
    first = db.upgrade(empty_engine)
    second = db.upgrade(empty_engine)
    assert first[1] == second[0] == second[1] == db.head_revision(empty_engine)


def test_a_database_from_a_newer_silta_is_refused_with_an_explanation(empty_engine):
    db.upgrade(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe'"))
    with pytest.raises(DatabaseError, match="newer Silta"):
        db.upgrade(empty_engine)
