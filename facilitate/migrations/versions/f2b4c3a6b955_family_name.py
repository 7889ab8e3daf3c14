"""an attendance keeps the surname an attendee file gave in a column of its own

Revision ID: f2b4c3a6b955
Revises: 96fc1275205d
Create Date: 2026-12-04 20:28:30

Lists sort people by surname (facilitate.names). When an attendee file has separate first and
last name columns, the attendance keeps the last name as given; otherwise (NULL, every existing
row) the surname is read from the full name.
"""

import sqlalchemy as sa
from alembic import op

revision = "f2b4c3a6b955"
down_revision = "96fc1275205d"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("memberships", sa.Column("family_name", sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table("memberships") as batch_op:
        batch_op.drop_column("family_name")
