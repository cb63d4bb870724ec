"""each person's own time zone (an IANA name); none means the server's BACKCOACH_TIMEZONE

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 19:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    # Not in a batch: on SQLite a batch copies the table, and dropping the old users table would
    # cascade to every row that belongs to a person. SQLite drops a plain column itself (3.35+).
    op.drop_column("users", "time_zone")
