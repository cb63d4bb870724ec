"""care: what needs a coach's attention (kept on write) and its acknowledgements, private
notes, the client's message thread, the coach's program overrides; who recorded a clearance
and the name a person gives

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _client() -> sa.Column[int]:
    return sa.Column("client_id", sa.Integer(), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cleared_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("display_name", sa.String(length=80), nullable=True))
    op.create_table(
        "client_attention",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("computed_on", sa.Date(), nullable=False),
        sa.Column("fresh_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("client_id"),
    )
    op.create_index(
        "ix_client_attention_rank_since", "client_attention", ["rank", "since"], unique=False
    )
    op.create_table(
        "attention_acks",
        sa.Column("id", sa.Integer(), nullable=False),
        _client(),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("seen", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coach_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_attention_acks_client_id_code", "attention_acks", ["client_id", "code"], unique=False
    )
    op.create_table(
        "coach_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        _client(),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["client_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_coach_notes_client_id_at", "coach_notes", ["client_id", "at"], unique=False)
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        _client(),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("from_client", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sender_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_messages_client_id_at", "messages", ["client_id", "at"], unique=False)
    op.create_index(
        "ix_messages_client_id_from_client_read_at",
        "messages",
        ["client_id", "from_client", "read_at"],
        unique=False,
    )
    op.create_table(
        "coach_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        _client(),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coach_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_coach_overrides_client_id_undone_at",
        "coach_overrides",
        ["client_id", "undone_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_coach_overrides_client_id_undone_at", table_name="coach_overrides")
    op.drop_table("coach_overrides")
    op.drop_index("ix_messages_client_id_from_client_read_at", table_name="messages")
    op.drop_index("ix_messages_client_id_at", table_name="messages")
    op.drop_table("messages")
    op.drop_index("ix_coach_notes_client_id_at", table_name="coach_notes")
    op.drop_table("coach_notes")
    op.drop_index("ix_attention_acks_client_id_code", table_name="attention_acks")
    op.drop_table("attention_acks")
    op.drop_index("ix_client_attention_rank_since", table_name="client_attention")
    op.drop_table("client_attention")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("display_name")
        batch_op.drop_column("cleared_by_id")
