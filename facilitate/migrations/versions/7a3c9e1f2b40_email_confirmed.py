"""accounts: when the owner proved their email (a password chosen through an invitation link
proves nothing, and reaches only the events that invited it until then)

Revision ID: 7a3c9e1f2b40
Revises: d7c62015d84c
Create Date: 2026-12-04 15:10:00

Accounts that had a password before this version were made on the command line by an
administrator (organisers cannot set passwords): their addresses count as confirmed.
"""

import sqlalchemy as sa
from alembic import op

revision = "7a3c9e1f2b40"
down_revision = "d7c62015d84c"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_confirmed_at", sa.DateTime(), nullable=True))
    users = sa.table(
        "users",
        sa.column("password_hash", sa.String),
        sa.column("created_at", sa.DateTime),
        sa.column("email_confirmed_at", sa.DateTime),
    )
    op.get_bind().execute(
        users.update()
        .where(users.c.password_hash.is_not(None))
        .values(email_confirmed_at=users.c.created_at)
    )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("email_confirmed_at")
