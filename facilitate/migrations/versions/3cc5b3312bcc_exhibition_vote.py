"""exhibition: stands, exhibition feedback, the vote (ballots, votes) and organisers' API tokens

Revision ID: 3cc5b3312bcc
Revises: 4084b5f829b0
Create Date: 2026-11-22 06:01:05.689216

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3cc5b3312bcc'
down_revision = '4084b5f829b0'
branch_labels = None
depends_on = None

_FEEDBACK_NOT_EMPTY = (
    "body <> '' OR COALESCE(liked, '') <> '' OR COALESCE(could_be_better, '') <> ''"
    " OR COALESCE(question, '') <> ''"
)


def upgrade():
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('digest', name=op.f('uq_api_tokens_digest'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('ballots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_ballots_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ballots_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballots')),
    sa.UniqueConstraint('event_id', 'user_id', name=op.f('uq_ballots_event_id_user_id')),
    sa.UniqueConstraint('id', 'event_id', name=op.f('uq_ballots_id_event_id'))
    )
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballots_user_id'), ['user_id'], unique=False)

    op.create_table('votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('slot BETWEEN 1 AND 20', name=op.f('ck_votes_slot_range')),
    sa.ForeignKeyConstraint(['ballot_id', 'event_id'], ['ballots.id', 'ballots.event_id'], name=op.f('fk_votes_ballot_id_event_id_ballots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_votes_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id', 'event_id'], ['teams.id', 'teams.event_id'], name=op.f('fk_votes_team_id_event_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes')),
    sa.UniqueConstraint('ballot_id', 'slot', name=op.f('uq_votes_ballot_id_slot')),
    sa.UniqueConstraint('ballot_id', 'team_id', name=op.f('uq_votes_ballot_id_team_id'))
    )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_votes_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_votes_team_id'), ['team_id'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vote_status', sa.Enum('not_started', 'open', 'closed', 'revealed', name='votestatus', native_enum=False, create_constraint=True, length=32), server_default='not_started', nullable=False))
        batch_op.add_column(sa.Column('votes_per_participant', sa.Integer(), server_default='3', nullable=False))
        batch_op.add_column(sa.Column('own_team_votes_allowed', sa.Boolean(), server_default=sa.false(), nullable=False))
        # Autogenerate does not see check constraints added to an existing table.
        batch_op.create_check_constraint(op.f('ck_events_votes_per_participant_range'), 'votes_per_participant BETWEEN 1 AND 20')

    with op.batch_alter_table('feedback_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('at_exhibition', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('liked', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('could_be_better', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('question', sa.Text(), nullable=True))
        # Exhibition feedback has no body: one of the four texts must say something.
        batch_op.alter_column('body', existing_type=sa.Text(), server_default='')
        batch_op.drop_constraint(op.f('ck_feedback_entries_body_not_empty'), type_='check')
        batch_op.create_check_constraint(op.f('ck_feedback_entries_not_empty'), _FEEDBACK_NOT_EMPTY)

    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stand_number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('stand_place', sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_teams_event_id_stand_number'), ['event_id', 'stand_number'])
        batch_op.create_check_constraint(op.f('ck_teams_stand_number_positive'), 'stand_number > 0')



def downgrade():
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_teams_stand_number_positive'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_teams_event_id_stand_number'), type_='unique')
        batch_op.drop_column('stand_place')
        batch_op.drop_column('stand_number')

    # Exhibition feedback has no body and cannot survive the older rule: it goes.
    op.execute("DELETE FROM feedback_entries WHERE at_exhibition")
    with op.batch_alter_table('feedback_entries', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_feedback_entries_not_empty'), type_='check')
        batch_op.create_check_constraint(op.f('ck_feedback_entries_body_not_empty'), "body <> ''")
        batch_op.alter_column('body', existing_type=sa.Text(), server_default=None)
        batch_op.drop_column('question')
        batch_op.drop_column('could_be_better')
        batch_op.drop_column('liked')
        batch_op.drop_column('at_exhibition')

    with op.batch_alter_table('events', schema=None) as batch_op:
        # The enum's check goes first: SQLite rebuilds the table with what remains.
        batch_op.drop_constraint(op.f('ck_events_votestatus'), type_='check')
        batch_op.drop_constraint(op.f('ck_events_votes_per_participant_range'), type_='check')
        batch_op.drop_column('own_team_votes_allowed')
        batch_op.drop_column('votes_per_participant')
        batch_op.drop_column('vote_status')

    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_votes_team_id'))
        batch_op.drop_index(batch_op.f('ix_votes_event_id'))

    op.drop_table('votes')
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballots_user_id'))

    op.drop_table('ballots')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
