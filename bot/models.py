"""The tables, as typed SQLAlchemy 2 models. Alembic revisions create them; nothing else does.

A mention carries its *current* classification (category, confidence, sentiment, urgency) so
that counting and filtering by category is one indexed query; the full history, with the model
version that produced each decision, lives in `classifications`.

The full-text index (FTS5 on SQLite, a tsvector column with GIN on PostgreSQL) is created by the
migrations and kept in sync by the database itself; it is not part of these models.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, returns aware UTC datetimes on every database (SQLite has no time zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Silta stores aware UTC datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class Source(Base):
    """A configured source and its state: where polling resumes and how healthy it is."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    cursor: Mapped[dict[str, Any]] = mapped_column(default=dict)
    last_poll_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_error_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    items_last_poll: Mapped[int] = mapped_column(default=0)
    retry_at: Mapped[datetime | None]
    """When a source that asked us to wait (429, quota) may be asked again."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Mention(Base):
    """One post about the company, normalised, with its current classification."""

    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id", name="uq_mentions_source_external"),
        Index("ix_mentions_published_category", "published_at", "category"),
        Index("ix_mentions_category_published", "category", "published_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(255))
    author_name: Mapped[str | None] = mapped_column(String(255))
    reach: Mapped[int | None] = mapped_column(BigInteger)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(16))
    published_at: Mapped[datetime]
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Not indexed on purpose: a random-key index halves insert speed at a million rows, and
    # cross-posts are grouped within a period, which the published_at index already narrows.
    content_hash: Mapped[str] = mapped_column(String(40))
    parent_url: Mapped[str | None] = mapped_column(Text)
    engagement: Mapped[int | None] = mapped_column(BigInteger)
    extra: Mapped[dict[str, Any] | None]
    category: Mapped[str | None] = mapped_column(String(32))
    confidence: Mapped[float | None] = mapped_column(Float)
    sentiment: Mapped[float | None] = mapped_column(Float)
    urgency: Mapped[float | None] = mapped_column(Float)
    classified_at: Mapped[datetime | None]

    source: Mapped[Source] = relationship(lazy="joined", innerjoin=True)


class Classification(Base):
    """One decision of one model version about a mention: the history behind its category."""

    __tablename__ = "classifications"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    mention_id: Mapped[int] = mapped_column(
        ForeignKey("mentions.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float)
    scores: Mapped[dict[str, Any]]
    secondary: Mapped[list[Any]] = mapped_column(default=list)
    polarity: Mapped[float | None] = mapped_column(Float)
    subjectivity: Mapped[float | None] = mapped_column(Float)
    urgency: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    language: Mapped[str | None] = mapped_column(String(16))
    model_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Label(Base):
    """A human correction: who said which category a mention really belongs to, and when."""

    __tablename__ = "labels"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    mention_id: Mapped[int] = mapped_column(
        ForeignKey("mentions.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(32))
    previous_category: Mapped[str | None] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(64))
    user_name: Mapped[str | None] = mapped_column(String(255))
    origin: Mapped[str] = mapped_column(String(16), default="cli")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ClassifierModel(Base):
    """A trained model, versioned, stored in the database so every worker loads the same one."""

    __tablename__ = "classifier_models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    artifact: Mapped[bytes] = mapped_column(LargeBinary)
    trained_on: Mapped[int] = mapped_column(default=0)
    labels_count: Mapped[int] = mapped_column(default=0)
    metrics: Mapped[dict[str, Any] | None]
    active: Mapped[bool] = mapped_column(Boolean, default=False)


class Digest(Base):
    """One digest (or weekly report) for one team and period, claimed before it is sent."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("team", "kind", "period_start", name="uq_digests_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default="digest")
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    channel: Mapped[str | None] = mapped_column(String(64))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)


class Alert(Base):
    """One urgent mention for one person: sent at most once, acknowledged at most once."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("mention_id", "user_id", name="uq_alerts_mention_user"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    mention_id: Mapped[int] = mapped_column(ForeignKey("mentions.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    due_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
    channel: Mapped[str | None] = mapped_column(String(64))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    acknowledged_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    """Slack's answer to the last failed attempt; cleared once the DM is sent."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Subscription(Base):
    """What a person wants to be told about by DM: urgent mentions, a category, a keyword."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "kind", "value", name="uq_subscriptions_what"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Mute(Base):
    """A term or author someone does not want to hear about; `user_id` None mutes for everyone."""

    __tablename__ = "mutes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str | None] = mapped_column(String(64), index=True)
    term: Mapped[str] = mapped_column(String(255))
    until: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Lease(Base):
    """A named lease row, so one worker leads on databases without advisory locks."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime]


# Multi-workspace installs: slack_sdk's own tables, declared here so migrations create them.
SQLAlchemyInstallationStore.build_installations_table(Base.metadata, "slack_installations")
SQLAlchemyInstallationStore.build_bots_table(Base.metadata, "slack_bots")
SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, "slack_oauth_states")
