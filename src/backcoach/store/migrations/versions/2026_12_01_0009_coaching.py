"""coaching: practices that group coaches, a coach's link to a client (one open per client)
and the single-use invitations that open one

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("join_code", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("join_code"),
        sa.UniqueConstraint("name"),
    )
    # A batch on SQLite copies `users`; the migration environment turns foreign keys off first,
    # so the copy deletes none of a person's rows.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("practice_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_users_practice_id_practices",
            "practices",
            ["practice_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "coach_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.Column("shared", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coach_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_coach_links_coach_id_ended_at", "coach_links", ["coach_id", "ended_at"], unique=False
    )
    op.create_index(
        "uq_coach_links_one_open_per_client",
        "coach_links",
        ["client_id"],
        unique=True,
        sqlite_where=sa.text("ended_at IS NULL"),
        postgresql_where=sa.text("ended_at IS NULL"),
    )
    op.create_table(
        "coach_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["coach_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_coach_invites_coach_id", "coach_invites", ["coach_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_coach_invites_coach_id", table_name="coach_invites")
    op.drop_table("coach_invites")
    op.drop_index("uq_coach_links_one_open_per_client", table_name="coach_links")
    op.drop_index("ix_coach_links_coach_id_ended_at", table_name="coach_links")
    op.drop_table("coach_links")
    # In a batch: SQLite refuses to drop a column a foreign key names; the copy drops both.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint("fk_users_practice_id_practices", type_="foreignkey")
        batch_op.drop_column("practice_id")
    op.drop_table("practices")
