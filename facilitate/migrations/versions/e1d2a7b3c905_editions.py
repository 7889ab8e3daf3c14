"""editions: sites of one year grouped, and their national organisers (issue 15, item 1)

Revision ID: e1d2a7b3c905
Revises: b00c5e1a7d42
Create Date: 2026-12-05 02:40:00

Existing events stay on their own (no edition); an edition's national organisers attach them.
"""

import sqlalchemy as sa
from alembic import op

revision = "e1d2a7b3c905"
down_revision = "b00c5e1a7d42"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "editions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("name <> ''", name=op.f("ck_editions_name_not_empty")),
        sa.CheckConstraint("year BETWEEN 2000 AND 2099", name=op.f("ck_editions_year_plausible")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_editions")),
    )
    op.create_table(
        "national_organisers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["editions.id"],
            name=op.f("fk_national_organisers_edition_id_editions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_national_organisers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_national_organisers")),
        sa.UniqueConstraint(
            "edition_id", "user_id", name=op.f("uq_national_organisers_edition_id_user_id")
        ),
    )
    with op.batch_alter_table("national_organisers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_national_organisers_edition_id"), ["edition_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_national_organisers_user_id"), ["user_id"], unique=False
        )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("edition_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_events_edition_id"), ["edition_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_events_edition_id_editions"),
            "editions",
            ["edition_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_events_edition_id_editions"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_events_edition_id"))
        batch_op.drop_column("edition_id")
    with op.batch_alter_table("national_organisers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_national_organisers_user_id"))
        batch_op.drop_index(batch_op.f("ix_national_organisers_edition_id"))
    op.drop_table("national_organisers")
    op.drop_table("editions")
