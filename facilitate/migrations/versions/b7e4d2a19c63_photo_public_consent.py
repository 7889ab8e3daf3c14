"""photo public consent

Revision ID: b7e4d2a19c63
Revises: e1d2a7b3c905
Create Date: 2026-12-05 03:30:00.000000

The people pictured in a prototype photo agreed to it being shared within the event; appearing
on the public showcase, on the internet, needs their further agreement, photo by photo. Photos
stored before this have not got it: they leave the showcase until someone records it.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7e4d2a19c63"
down_revision = "e1d2a7b3c905"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("prototype_files") as batch_op:
        batch_op.add_column(
            sa.Column("public_consent", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_prototype_files_public_needs_consent"),
            "NOT public_consent OR (is_photo AND consent_confirmed)",
        )


def downgrade():
    with op.batch_alter_table("prototype_files") as batch_op:
        batch_op.drop_constraint(op.f("ck_prototype_files_public_needs_consent"), type_="check")
        batch_op.drop_column("public_consent")
