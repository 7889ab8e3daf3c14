"""teams: when the facilitator closed the dot vote (issue 12, item 8)

Revision ID: 96fc1275205d
Revises: 39e78e8303fd
Create Date: 2026-12-04 20:08:41

A nullable column: existing teams keep their dot vote open.
"""

import sqlalchemy as sa
from alembic import op

revision = "96fc1275205d"
down_revision = "39e78e8303fd"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dots_closed_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_column("dots_closed_at")
