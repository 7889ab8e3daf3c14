"""printing: when an attendance's badge and a team's poster were last printed (issue 13, item 3)

Revision ID: a51c0e7d2b19
Revises: f939bf04aa8c
Create Date: 2026-12-04 23:40:00

Nullable columns: nothing printed before is known as printed, so the first "not yet printed"
batch holds everything.
"""

import sqlalchemy as sa
from alembic import op

revision = "a51c0e7d2b19"
down_revision = "f939bf04aa8c"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("badge_printed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("poster_printed_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_column("poster_printed_at")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_column("badge_printed_at")
