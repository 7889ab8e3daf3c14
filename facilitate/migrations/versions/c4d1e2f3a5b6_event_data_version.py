"""events: a data version the dashboard's and the room screen's polls compare (issue 13, item 5)

Revision ID: c4d1e2f3a5b6
Revises: a51c0e7d2b19
Create Date: 2026-12-04 23:50:00

Every existing event starts at 0 (new ones at a random number; each change draws another):
screens open before the upgrade hold a hash as their ETag, which matches no version, so their
next poll gets the page once and then 304s.
"""

import sqlalchemy as sa
from alembic import op

revision = "c4d1e2f3a5b6"
down_revision = "a51c0e7d2b19"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("data_version", sa.BigInteger(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("data_version")
