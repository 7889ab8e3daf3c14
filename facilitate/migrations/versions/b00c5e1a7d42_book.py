"""The book of the challenges: the organisers' texts, the builds, and people's consent for their
names (issue 14, item 5)

Revision ID: b00c5e1a7d42
Revises: 5a0c1e9d7b21
Create Date: 2026-12-05 02:45:00

Everyone starts unasked (names_consent NULL): no name appears in a book until its owner says yes.
"""

import sqlalchemy as sa
from alembic import op

revision = "b00c5e1a7d42"
down_revision = "5a0c1e9d7b21"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("names_consent", sa.Boolean(), nullable=True))
    op.create_table(
        "book_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("opening", sa.Text(), server_default="", nullable=False),
        sa.Column("closing", sa.Text(), server_default="", nullable=False),
        sa.Column(
            "order",
            sa.Enum(
                "number",
                "theme",
                "stand",
                name="bookorder",
                native_enum=False,
                length=32,
                create_constraint=True,
            ),
            server_default="number",
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("length(opening) <= 10000", name="opening_length"),
        sa.CheckConstraint("length(closing) <= 10000", name="closing_length"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_table(
        "book_builds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "building",
                "done",
                "failed",
                name="bookstatus",
                native_enum=False,
                length=32,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("storage_name", sa.String(length=80), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "scope", "language"),
    )
    op.create_index("ix_book_builds_event_id", "book_builds", ["event_id"])


def downgrade():
    op.drop_index("ix_book_builds_event_id", table_name="book_builds")
    op.drop_table("book_builds")
    op.drop_table("book_settings")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("names_consent")
