"""window indexes: a person's plans, screenings, tight moments and measures in time order, so
the pages that read a window of the history (the schedule, the calendar feed, progress, the
referral gate) find it without reading the rest; the single-column indexes they cover dropped

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 21:45:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: (table, new index, its columns).
WINDOWS = (
    ("plans", "ix_plans_user_id_at_id", ["user_id", "at", "id"]),
    ("screenings", "ix_screenings_user_id_at_id", ["user_id", "at", "id"]),
    ("tight_moments", "ix_tight_moments_user_id_at", ["user_id", "at"]),
    ("measures", "ix_measures_user_id_day", ["user_id", "day"]),
)
#: (table, index, column): each the first column of a new index above.
REDUNDANT = (
    ("screenings", "ix_screenings_user_id", "user_id"),
    ("tight_moments", "ix_tight_moments_user_id", "user_id"),
)


def upgrade() -> None:
    for table, name, columns in WINDOWS:
        op.create_index(name, table, columns, unique=False)
    for table, name, _ in REDUNDANT:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for table, name, column in REDUNDANT:
        op.create_index(name, table, [column], unique=False)
    for table, name, _ in reversed(WINDOWS):
        op.drop_index(name, table_name=table)
