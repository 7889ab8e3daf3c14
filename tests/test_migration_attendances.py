"""The move of names, organisations and codes from accounts to attendances, on a database of
the schema before it holding two events, people in both, ballots and team work."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from facilitate.extensions import db
from facilitate.models import AuditEntry, Membership, Role, User
from tests import conftest

BEFORE = "3cc5b3312bcc"

ROWS = [
    # Rennes 2018 (earlier) and Brest 2019 (later), one challenge and team each.
    "INSERT INTO events (id, slug, name, timezone, description, stage, created_at, starts_at)"
    " VALUES (1, 'rennes', 'Rennes', 'Europe/Paris', '', 'exhibition', '2018-01-01', '2018-07-04')",
    "INSERT INTO events (id, slug, name, timezone, description, stage, created_at, starts_at)"
    " VALUES (2, 'brest', 'Brest', 'Europe/Paris', '', 'framing', '2019-01-01', '2019-07-04')",
    "INSERT INTO challenges (id, event_id, number, question, stakeholders, users, obstacles,"
    " levers) VALUES (1, 1, 1, 'Q1 ?', '[]', '[]', '[]', '[]')",
    "INSERT INTO challenges (id, event_id, number, question, stakeholders, users, obstacles,"
    " levers) VALUES (2, 2, 1, 'Q2 ?', '[]', '[]', '[]', '[]')",
    "INSERT INTO teams (id, event_id, challenge_id) VALUES (1, 1, 1)",
    "INSERT INTO teams (id, event_id, challenge_id) VALUES (2, 2, 2)",
    # Only at Rennes, with a code; at both events, one code; an organiser with a password.
    "INSERT INTO users (id, name, email, organisation, access_code, is_organiser, session_nonce,"
    " created_at) VALUES (1, 'Alice', 'alice@example.org', 'Ville de Rennes', 'AAAAABBBBBCCCCC',"
    " false, 'alice-nonce', '2018-01-01')",
    "INSERT INTO users (id, name, email, organisation, access_code, is_organiser, session_nonce,"
    " created_at) VALUES (2, 'Bruno', 'bruno@example.org', 'Brest Métropole', 'DDDDDEEEEEFFFFF',"
    " false, 'bruno-nonce', '2018-01-01')",
    "INSERT INTO users (id, name, email, password_hash, is_organiser, session_nonce, created_at)"
    " VALUES (3, 'Chef', 'chef@example.org', 'hash', true, 'chef-nonce', '2018-01-01')",
    "INSERT INTO memberships (id, user_id, event_id, team_id, role) VALUES"
    " (1, 1, 1, NULL, 'participant'), (2, 1, 1, 1, 'member'),"
    " (3, 2, 1, NULL, 'participant'), (4, 2, 1, 1, 'member'),"
    " (5, 2, 2, NULL, 'participant'), (6, 2, 2, 2, 'member'),"
    " (7, 3, 1, NULL, 'organiser'), (8, 3, 2, NULL, 'organiser')",
    # The vote at Rennes, and team work.
    "INSERT INTO ballots (id, event_id, user_id, created_at) VALUES (1, 1, 1, '2018-07-06'),"
    " (2, 1, 2, '2018-07-06')",
    "INSERT INTO votes (id, ballot_id, event_id, team_id, slot, created_at) VALUES"
    " (1, 1, 1, 1, 1, '2018-07-06'), (2, 2, 1, 1, 1, '2018-07-06')",
    "INSERT INTO ideas (id, team_id, title, author_id, created_at) VALUES"
    " (1, 1, 'Une idée', 1, '2018-07-05')",
]


@pytest.fixture
def old_database(tmp_path_factory):
    app = conftest.app_at_revision(tmp_path_factory, "attendances", BEFORE)
    with app.app_context():
        with db.engine.begin() as connection:
            for row in ROWS:
                connection.execute(text(row))
            if connection.dialect.name == "postgresql":
                for table in ("events", "challenges", "teams", "users", "memberships"):
                    sequence = f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"  # noqa: S608
                    connection.execute(text(sequence))
        yield app
        db.engine.dispose()


# The suite's own session is bound to the suite's database: this one is read through its own
# connection.
def _count(connection, table: str) -> int:
    return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608


def _attendance(connection, user_id: int, event_id: int):
    return connection.execute(
        select(Membership.name, Membership.organisation, Membership.access_code).where(
            Membership.user_id == user_id,
            Membership.event_id == event_id,
            Membership.role == Role.PARTICIPANT,
        )
    ).one()


def test_upgrading_keeps_printed_codes_work_and_ballots(old_database):
    with old_database.app_context(), db.engine.connect() as connection:
        upgrade()
        alice = _attendance(connection, 1, 1)
        bruno_rennes, bruno_brest = _attendance(connection, 2, 1), _attendance(connection, 2, 2)
        # The name as printed and the organisation are now each event's own.
        assert (alice.name, alice.organisation) == ("Alice", "Ville de Rennes")
        assert (bruno_brest.name, bruno_brest.organisation) == ("Bruno", "Brest Métropole")
        # A badge printed for one event keeps working for it.
        assert alice.access_code == "AAAAABBBBBCCCCC"
        # A code shared by two events stays with the latest; the other gets a new one, said in
        # its history so that its organisers reprint the badge.
        assert bruno_brest.access_code == "DDDDDEEEEEFFFFF"
        assert bruno_rennes.access_code not in (None, "DDDDDEEEEEFFFFF")
        entry = connection.execute(
            select(AuditEntry.event_id, AuditEntry.details).where(
                AuditEntry.action == "codes.reissued_by_upgrade"
            )
        ).one()
        assert (entry.event_id, entry.details) == (1, {"count": 1, "names": ["Bruno"]})
        # Sessions opened with a code opened the whole account: they end. Password ones don't.
        nonces = dict(connection.execute(select(User.id, User.session_nonce)).all())
        assert nonces[1] != "alice-nonce" and nonces[2] != "bruno-nonce"
        assert nonces[3] == "chef-nonce"
        # Nothing else is lost.
        assert [
            _count(connection, t) for t in ("users", "memberships", "ballots", "votes", "ideas")
        ] == [
            3,
            8,
            2,
            2,
            1,
        ]
        assert not hasattr(User, "access_code") and not hasattr(User, "organisation")


def test_downgrading_gives_accounts_their_latest_code_back(old_database):
    with old_database.app_context():
        upgrade()
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            rows = dict(
                connection.execute(
                    text("SELECT email, access_code FROM users WHERE access_code IS NOT NULL")
                ).all()
            )
            votes = _count(connection, "votes")
        assert rows == {
            "alice@example.org": "AAAAABBBBBCCCCC",
            "bruno@example.org": "DDDDDEEEEEFFFFF",
        }
        assert votes == 2
