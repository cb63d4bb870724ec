"""player: the session player's skipped and swapped exercises

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exercise_stops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("to_exercise_id", sa.String(length=80), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["training_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "exercise_id"),
    )
    op.create_index(
        "ix_exercise_stops_user_id_at", "exercise_stops", ["user_id", "at"], unique=False
    )
    op.create_index("ix_exercise_stops_session_id", "exercise_stops", ["session_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_exercise_stops_session_id", table_name="exercise_stops")
    op.drop_index("ix_exercise_stops_user_id_at", table_name="exercise_stops")
    op.drop_table("exercise_stops")
