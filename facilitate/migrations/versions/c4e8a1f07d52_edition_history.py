"""edition history: what national organisers did to an edition

Revision ID: c4e8a1f07d52
Revises: 6f7485efdffa
Create Date: 2026-12-05 06:15:00.000000


One new table, ``edition_audit_entries`` (an edition's own history, as ``audit_entries`` is an
event's). No existing row changes: the history starts empty.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c4e8a1f07d52"
down_revision = "6f7485efdffa"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "edition_audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_edition_audit_entries_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["editions.id"],
            name=op.f("fk_edition_audit_entries_edition_id_editions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edition_audit_entries")),
    )
    with op.batch_alter_table("edition_audit_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_edition_audit_entries_edition_time", ["edition_id", "created_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("edition_audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_edition_audit_entries_edition_time")
    op.drop_table("edition_audit_entries")
