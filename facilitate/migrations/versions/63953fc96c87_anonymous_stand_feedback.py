"""stand feedback may be anonymous: its author is kept but never shown

Revision ID: 63953fc96c87
Revises: 5e1f0a7c0d10
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '63953fc96c87'
down_revision = "5e1f0a7c0d10"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymous', sa.Boolean(), server_default=sa.false(), nullable=False))
        # Autogenerate does not see check constraints added to an existing table.
        batch_op.create_check_constraint(op.f('ck_feedback_entries_anonymous_only_at_exhibition'), 'at_exhibition OR NOT anonymous')


def downgrade():
    # The older schema would show every author: anonymous entries lose theirs, to keep the promise.
    op.execute("UPDATE feedback_entries SET author_id = NULL WHERE anonymous")
    with op.batch_alter_table('feedback_entries', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_feedback_entries_anonymous_only_at_exhibition'), type_='check')
        batch_op.drop_column('anonymous')
