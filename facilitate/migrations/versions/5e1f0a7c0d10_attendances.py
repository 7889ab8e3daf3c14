"""accounts belong to their owners: name as printed, organisation and access code move from the
account (users) to the attendance (the participant membership of each event)

Revision ID: 5e1f0a7c0d10
Revises: 3cc5b3312bcc
Create Date: 2026-12-04 14:30:00

A code used to open the whole account. Now each attendance has its own code, opening that event
only. A person attending one event keeps their printed code. A person attending several shared
one code between them: it stays with their latest event (by start date), and their other events
get a new code each, said in those events' history so that organisers reprint those badges.
Sessions opened with a code (the account's nonce) end: a badge signs in again.
"""

import secrets
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "5e1f0a7c0d10"
down_revision = "3cc5b3312bcc"
branch_labels = None
depends_on = None

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("organisation", sa.String),
    sa.column("access_code", sa.String),
    sa.column("session_nonce", sa.String),
)
memberships = sa.table(
    "memberships",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("event_id", sa.Integer),
    sa.column("role", sa.String),
    sa.column("name", sa.String),
    sa.column("organisation", sa.String),
    sa.column("access_code", sa.String),
    sa.column("code_nonce", sa.String),
)
events = sa.table("events", sa.column("id", sa.Integer), sa.column("starts_at", sa.DateTime))
audit_entries = sa.table(
    "audit_entries",
    sa.column("event_id", sa.Integer),
    sa.column("actor_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("details", sa.JSON),
    sa.column("created_at", sa.DateTime),
)

_ATTENDANCE_DETAILS = (
    "(role = 'participant' AND name IS NOT NULL)"
    " OR (role != 'participant' AND name IS NULL AND organisation IS NULL"
    " AND access_code IS NULL AND code_nonce IS NULL)"
)


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(15))


def upgrade():
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("organisation", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("access_code", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("code_nonce", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_memberships_access_code"), ["access_code"]
        )

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            memberships.c.id,
            memberships.c.user_id,
            memberships.c.event_id,
            users.c.name,
            users.c.organisation,
            users.c.access_code,
            events.c.starts_at,
        )
        .join(users, users.c.id == memberships.c.user_id)
        .join(events, events.c.id == memberships.c.event_id)
        .where(memberships.c.role == "participant")
    ).all()
    by_user: dict[int, list] = {}
    for row in rows:
        by_user.setdefault(row.user_id, []).append(row)
    reissued: dict[int, list[str]] = {}
    for attendances in by_user.values():
        # The latest event keeps the code printed on the badge.
        attendances.sort(key=lambda r: (r.starts_at or datetime.min, r.id), reverse=True)
        for position, row in enumerate(attendances):
            code = None
            if row.access_code is not None:
                code = row.access_code if position == 0 else _new_code()
                if position > 0:
                    reissued.setdefault(row.event_id, []).append(row.name)
            connection.execute(
                memberships.update()
                .where(memberships.c.id == row.id)
                .values(
                    name=row.name,
                    organisation=row.organisation,
                    access_code=code,
                    code_nonce=secrets.token_urlsafe(16),
                )
            )
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for event_id, names in reissued.items():
        connection.execute(
            audit_entries.insert().values(
                event_id=event_id,
                actor_id=None,
                action="codes.reissued_by_upgrade",
                details={"count": len(names), "names": sorted(names)},
                created_at=now,
            )
        )
    # A session opened with a code opened the whole account: end them all.
    for (user_id,) in connection.execute(
        sa.select(users.c.id).where(users.c.access_code.is_not(None))
    ).all():
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(session_nonce=secrets.token_urlsafe(16))
        )

    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_check_constraint("attendance_details", _ATTENDANCE_DETAILS)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_access_code"), type_="unique")
        batch_op.drop_column("access_code")
        batch_op.drop_column("organisation")


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("access_code", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_users_access_code"), ["access_code"])

    # Each account takes back the organisation and the code of its latest attendance.
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            memberships.c.user_id,
            memberships.c.organisation,
            memberships.c.access_code,
            events.c.starts_at,
            memberships.c.id,
        )
        .join(events, events.c.id == memberships.c.event_id)
        .where(memberships.c.role == "participant")
    ).all()
    latest: dict[int, tuple] = {}
    for row in sorted(rows, key=lambda r: (r.starts_at or datetime.min, r.id)):
        latest[row.user_id] = (row.organisation, row.access_code)
    for user_id, (organisation, code) in latest.items():
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(organisation=organisation, access_code=code)
        )

    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_constraint("attendance_details", type_="check")
        batch_op.drop_constraint(batch_op.f("uq_memberships_access_code"), type_="unique")
        batch_op.drop_column("code_nonce")
        batch_op.drop_column("access_code")
        batch_op.drop_column("organisation")
        batch_op.drop_column("name")
