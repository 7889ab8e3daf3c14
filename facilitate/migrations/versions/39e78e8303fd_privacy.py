"""privacy: erased attendances (GDPR erasure), each event's privacy notice, personas' authors

Revision ID: 39e78e8303fd
Revises: 7a3c9e1f2b40
Create Date: 2026-12-04 16:41:55

An erased attendance keeps the person's ballot counting but names nobody: the check that every
attendance has a name now allows an erased one without.
"""

import sqlalchemy as sa
from alembic import op

revision = "39e78e8303fd"
down_revision = "7a3c9e1f2b40"
branch_labels = None
depends_on = None

_ATTENDANCE_DETAILS_BEFORE = (
    "(role = 'participant' AND name IS NOT NULL)"
    " OR (role != 'participant' AND name IS NULL AND organisation IS NULL"
    " AND access_code IS NULL AND code_nonce IS NULL)"
)
_ATTENDANCE_DETAILS = (
    "(role = 'participant' AND (name IS NOT NULL OR erased_at IS NOT NULL))"
    " OR (role != 'participant' AND name IS NULL AND organisation IS NULL"
    " AND access_code IS NULL AND code_nonce IS NULL AND erased_at IS NULL)"
)


def upgrade():
    op.create_table(
        "privacy_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("controller", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("retention_months", sa.Integer(), nullable=False),
        sa.Column("details", sa.Text(), server_default="", nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "controller <> ''", name=op.f("ck_privacy_notices_controller_not_empty")
        ),
        sa.CheckConstraint(
            "retention_months BETWEEN 1 AND 120",
            name=op.f("ck_privacy_notices_retention_months_range"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_privacy_notices_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_privacy_notices_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_notices")),
        sa.UniqueConstraint("event_id", name=op.f("uq_privacy_notices_event_id")),
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))
        batch_op.drop_constraint("attendance_details", type_="check")
        batch_op.create_check_constraint("attendance_details", _ATTENDANCE_DETAILS)
    # Personas had no author: those written before this stay without one.
    with op.batch_alter_table("personas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_personas_author_id_users"),
            "users",
            ["author_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("personas", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_personas_author_id_users"), type_="foreignkey")
        batch_op.drop_column("author_id")
    # Erased attendances had their name taken: the older check wants one, an empty one does.
    memberships = sa.table(
        "memberships", sa.column("name", sa.String), sa.column("erased_at", sa.DateTime)
    )
    op.get_bind().execute(
        memberships.update().where(memberships.c.erased_at.is_not(None)).values(name="")
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_constraint("attendance_details", type_="check")
        batch_op.create_check_constraint("attendance_details", _ATTENDANCE_DETAILS_BEFORE)
        batch_op.drop_column("erased_at")

    op.drop_table("privacy_notices")
