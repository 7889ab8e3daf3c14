"""resources and debrief

Revision ID: 0091ac927be7
Revises: c67f19fbedf0
Create Date: 2026-12-05 00:15:16.229746

New tables only (issue 14, items 3 and 4): the event's resources (Markdown pages rendered
to sanitised HTML when saved, and checked documents) with the stages they are linked to; the
debrief questionnaire and one answer per person.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0091ac927be7"
down_revision = "c67f19fbedf0"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "debrief_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("keep", sa.Text(), nullable=False),
        sa.Column("change", sa.Text(), nullable=False),
        sa.Column("show_name", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_debrief_answers_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_debrief_answers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debrief_answers")),
        sa.UniqueConstraint(
            "event_id", "user_id", name=op.f("uq_debrief_answers_event_id_user_id")
        ),
    )
    with op.batch_alter_table("debrief_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_debrief_answers_event_id"), ["event_id"], unique=False)

    op.create_table(
        "debriefs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_debriefs_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debriefs")),
        sa.UniqueConstraint("event_id", name=op.f("uq_debriefs_event_id")),
    )
    op.create_table(
        "resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("grouping", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body_markdown", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("storage_name", sa.String(length=64), nullable=True),
        sa.Column("original_name", sa.String(length=255), nullable=True),
        sa.Column("content_type", sa.String(length=64), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "body_markdown <> '' OR storage_name IS NOT NULL", name=op.f("ck_resources_has_content")
        ),
        sa.CheckConstraint("grouping <> ''", name=op.f("ck_resources_grouping_not_empty")),
        sa.CheckConstraint("title <> ''", name=op.f("ck_resources_title_not_empty")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_resources_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resources")),
    )
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resources_event_id"), ["event_id"], unique=False)

    op.create_table(
        "resource_stages",
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "framing",
                "ideation",
                "prototyping",
                "exhibition",
                name="stage",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_stages_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("resource_id", "stage", name=op.f("pk_resource_stages")),
    )


def downgrade():
    op.drop_table("resource_stages")
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resources_event_id"))

    op.drop_table("resources")
    op.drop_table("debriefs")
    with op.batch_alter_table("debrief_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_debrief_answers_event_id"))

    op.drop_table("debrief_answers")
