"""team on showcase

Revision ID: 5a0c1e9d7b21
Revises: d6ef113d6503
Create Date: 2026-12-05 02:40:00.000000

Issue 14, item 6: whether a team's work is on the event's public showcase (not by default).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5a0c1e9d7b21"
down_revision = "d6ef113d6503"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("teams") as batch_op:
        batch_op.add_column(
            sa.Column("on_showcase", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("teams") as batch_op:
        batch_op.drop_column("on_showcase")
