"""memberships: the event's attendances as one range of an index (issue 13, item 6)

Revision ID: 8d2f6a1c4e37
Revises: c4e8a1f07d52
Create Date: 2026-12-05 06:30:00.000000

The vote's figures read an event's participants once per request (the ballots whose voter left
the event do not count): an index on (event, role, person) for the memberships without a team
makes that a range, also when other events hold thousands of attendees. No row changes.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "8d2f6a1c4e37"
down_revision = "c4e8a1f07d52"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index(
            "ix_memberships_event_role_person",
            ["event_id", "role", "user_id"],
            unique=False,
            sqlite_where=sa.text("team_id IS NULL"),
            postgresql_where=sa.text("team_id IS NULL"),
        )


def downgrade():
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_memberships_event_role_person",
            sqlite_where=sa.text("team_id IS NULL"),
            postgresql_where=sa.text("team_id IS NULL"),
        )
