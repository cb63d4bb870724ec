"""sign_in: password reset links, known devices' failed logins, reminder choices and the email
reminders sent

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _owner() -> sa.Column[int]:
    return sa.Column("user_id", sa.Integer(), nullable=False)


def _owned() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        _owner(),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("password_digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        _owned(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_password_resets_user_id", "password_resets", ["user_id"], unique=False)
    op.create_table(
        "known_device_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_known_device_failures_device_at",
        "known_device_failures",
        ["device", "at"],
        unique=False,
    )
    op.create_index("ix_known_device_failures_at", "known_device_failures", ["at"], unique=False)
    op.create_index(
        "ix_known_device_failures_address", "known_device_failures", ["address"], unique=False
    )
    op.create_table(
        "reminder_settings",
        _owner(),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("minute_of_day", sa.Integer(), nullable=False),
        sa.Column("by_email", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _owned(),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "reminders_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        _owner(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        _owned(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "day", name="uq_reminders_sent_user_id_day"),
    )


def downgrade() -> None:
    op.drop_table("reminders_sent")
    op.drop_table("reminder_settings")
    op.drop_index("ix_known_device_failures_address", table_name="known_device_failures")
    op.drop_index("ix_known_device_failures_at", table_name="known_device_failures")
    op.drop_index("ix_known_device_failures_device_at", table_name="known_device_failures")
    op.drop_table("known_device_failures")
    op.drop_index("ix_password_resets_user_id", table_name="password_resets")
    op.drop_table("password_resets")
