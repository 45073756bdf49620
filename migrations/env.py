"""Alembic runs this for every migration command; Silta passes its engine or connection in."""

from alembic import context
from sqlalchemy import Connection

from bot.db import make_engine
from bot.models import Base

config = context.config


def is_search_index_object(name: str | None, kind: str) -> bool:
    """The full-text index is raw DDL in the migrations; autogenerate must not drop it."""
    if kind == "table":
        return bool(name and name.startswith("mentions_fts"))
    return (kind, name) in {("column", "search"), ("index", "ix_mentions_search")}


def include_object(
    obj: object, name: str | None, kind: str, reflected: bool, compare_to: object
) -> bool:
    return not is_search_index_object(name, kind)


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = config.attributes.get("engine") or make_engine(
        config.get_main_option("sqlalchemy.url")
    )
    with engine.begin() as conn:
        run(conn)
