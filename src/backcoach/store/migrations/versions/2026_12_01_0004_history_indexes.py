"""history indexes: composite indexes for the reads of a person's history, one active plan per
person kept by the database, and the single-column indexes they make redundant dropped

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: (table, new index, its columns); each starts with what a dropped index held.
COMPOSITE = (
    ("plans", "ix_plans_user_id_active_at_id", ["user_id", "active", "at", "id"]),
    (
        "training_sessions",
        "ix_training_sessions_user_id_finished_at_id",
        ["user_id", "finished_at", "id"],
    ),
    (
        "training_sessions",
        "ix_training_sessions_user_id_day_started_at",
        ["user_id", "day", "started_at"],
    ),
    ("measures", "ix_measures_user_id_instrument_day", ["user_id", "instrument", "day"]),
    ("login_attempts", "ix_login_attempts_email_at", ["email", "at"]),
)
#: (table, index, column): each the first column of a composite index above.
REDUNDANT = (
    ("plans", "ix_plans_user_id", "user_id"),
    ("training_sessions", "ix_training_sessions_user_id", "user_id"),
    ("measures", "ix_measures_user_id", "user_id"),
    ("login_attempts", "ix_login_attempts_email", "email"),
)


def upgrade() -> None:
    _keep_only_the_latest_active_plan()
    op.create_index(
        "uq_plans_one_active_per_user",
        "plans",
        ["user_id"],
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )
    for table, name, columns in COMPOSITE:
        op.create_index(name, table, columns, unique=False)
    for table, name, _ in REDUNDANT:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for table, name, column in REDUNDANT:
        op.create_index(name, table, [column], unique=False)
    for table, name, _ in COMPOSITE:
        op.drop_index(name, table_name=table)
    op.drop_index("uq_plans_one_active_per_user", table_name="plans")


def _keep_only_the_latest_active_plan() -> None:
    """Two active plans (a race before this index) leave the latest active, the one the app
    already read as the program (latest ``at``, then highest id), so no one's program changes."""
    plans = sa.table(
        "plans",
        sa.column("id", sa.Integer),
        sa.column("user_id", sa.Integer),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("active", sa.Boolean),
    )
    newer = plans.alias("newer")
    later = sa.or_(
        newer.c.at > plans.c.at, sa.and_(newer.c.at == plans.c.at, newer.c.id > plans.c.id)
    )
    op.execute(
        plans.update()
        .where(
            plans.c.active.is_(True),
            sa.exists().where(newer.c.user_id == plans.c.user_id, newer.c.active.is_(True), later),
        )
        .values(active=False)
    )
