"""alerts remember why their last attempt failed

A DM that Slack refuses for good (the person left, cannot be seen) stops being retried, and the
person sees why in App Home and `/silta subscribe`.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 17:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("error", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_column("error")
