"""Classifier models: versioned artifacts in the database, exactly one of them active."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.models import ClassifierModel


def get_active(*, session: Session) -> ClassifierModel | None:
    statement = (
        select(ClassifierModel)
        .where(ClassifierModel.active.is_(True))
        .order_by(ClassifierModel.id.desc())
        .limit(1)
    )
    return session.scalar(statement)


def active_version(*, session: Session) -> str | None:
    """The active model's version alone, without reading its bytes."""
    statement = (
        select(ClassifierModel.version)
        .where(ClassifierModel.active.is_(True))
        .order_by(ClassifierModel.id.desc())
        .limit(1)
    )
    return session.scalar(statement)


def get(version: str, *, session: Session) -> ClassifierModel | None:
    return session.scalar(select(ClassifierModel).where(ClassifierModel.version == version))


def get_all(*, session: Session) -> list[ClassifierModel]:
    """Every stored version, newest first, without loading the artifacts' bytes eagerly."""
    return list(session.scalars(select(ClassifierModel).order_by(ClassifierModel.id.desc())))


def count(*, session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ClassifierModel)) or 0


def create(
    version: str,
    artifact: bytes,
    *,
    session: Session,
    trained_on: int,
    labels_count: int,
    metrics: dict[str, Any] | None = None,
) -> ClassifierModel:
    """Store a new version and make it the only active one."""
    session.execute(update(ClassifierModel).values(active=False))
    row = ClassifierModel(
        version=version,
        artifact=artifact,
        trained_on=trained_on,
        labels_count=labels_count,
        metrics=metrics,
        active=True,
    )
    session.add(row)
    session.flush()
    return row
