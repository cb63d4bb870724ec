"""camera_reps: the reps the phone's camera counted for a set, beside what the person confirmed

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("set_logs") as table:
        table.add_column(sa.Column("camera_reps", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("set_logs") as table:
        table.drop_column("camera_reps")
