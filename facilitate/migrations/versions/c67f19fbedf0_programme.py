"""programme: sessions, announcements to room screens, personal calendar feeds

Revision ID: c67f19fbedf0
Revises: c4d1e2f3a5b6
Create Date: 2026-12-04 23:29:55

New tables only (issue 14, items 1 and 2): the programme's sessions, stored in UTC as planned
stages are; the announcements organisers push to the room screens; the secret addresses of
personal calendar feeds.
"""

import sqlalchemy as sa
from alembic import op

revision = "c67f19fbedf0"
down_revision = "c4d1e2f3a5b6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_calendar_feeds_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_calendar_feeds_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("event_id", "user_id", name=op.f("uq_calendar_feeds_event_id_user_id")),
        sa.UniqueConstraint("token", name=op.f("uq_calendar_feeds_token")),
    )
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_feeds_user_id"), ["user_id"], unique=False)

    op.create_table(
        "programme_announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=280), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(), nullable=True),
        sa.Column("posted_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("text <> ''", name=op.f("ck_programme_announcements_text_not_empty")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_programme_announcements_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["posted_by_id"],
            ["users.id"],
            name=op.f("fk_programme_announcements_posted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_announcements")),
    )
    with op.batch_alter_table("programme_announcements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_announcements_event_id"), ["event_id"], unique=False
        )

    op.create_table(
        "programme_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "plenary",
                "talk",
                "short_talk",
                "teamwork",
                "exhibition",
                "meal",
                "debrief",
                name="sessionkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("room", sa.String(length=120), nullable=True),
        sa.Column("speakers", sa.String(length=500), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
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
            nullable=True,
        ),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("title <> ''", name=op.f("ck_programme_sessions_title_not_empty")),
        sa.CheckConstraint(
            "ends_at > starts_at", name=op.f("ck_programme_sessions_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_programme_sessions_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_programme_sessions_team_id_teams"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_sessions")),
        sa.UniqueConstraint("event_id", "stage", name=op.f("uq_programme_sessions_event_id_stage")),
    )
    with op.batch_alter_table("programme_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_sessions_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_programme_sessions_starts_at"), ["starts_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_programme_sessions_team_id"), ["team_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("programme_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_sessions_team_id"))
        batch_op.drop_index(batch_op.f("ix_programme_sessions_starts_at"))
        batch_op.drop_index(batch_op.f("ix_programme_sessions_event_id"))

    op.drop_table("programme_sessions")
    with op.batch_alter_table("programme_announcements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_announcements_event_id"))

    op.drop_table("programme_announcements")
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_feeds_user_id"))

    op.drop_table("calendar_feeds")
