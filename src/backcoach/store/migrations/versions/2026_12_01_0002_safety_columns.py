"""safety columns: leg symptoms per session, the screening a clearance covers, the session a
plan was decided from

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 15:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leg_symptoms", sa.String(length=20), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cleared_screening_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decided_from_session_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("decided_from_session_id")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("cleared_screening_id")
    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.drop_column("leg_symptoms")
