"""Automatic journal entries written as French or English text before they were stored as an
event kind: the upgrade recognises them, so that each reader sees them in their own language."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from facilitate.extensions import db
from facilitate.models import JournalEntry
from tests import conftest

BEFORE = "f2b4c3a6b955"

ENTRIES = [
    # (id, automatic, body)
    (1, True, "Changement d’étape : Cadrage → Idéation."),
    (2, True, "Stage changed: Ideation → Prototyping."),
    (3, True, "Idée retenue : « Une navette partagée ». Pourquoi : elle répond\nau besoin"),
    (4, True, "Idea retained: “Shared shuttle”. Why: cheap"),
    (5, True, "Something an older version wrote"),
    (6, False, "Changement d’étape : Cadrage → Idéation."),  # a person's words stay theirs
    (7, True, "Vote par gommettes clos."),
    (8, True, "Dot vote reopened."),
]


@pytest.fixture
def old_database(tmp_path_factory):
    app = conftest.app_at_revision(tmp_path_factory, "journal", BEFORE)
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO events (id, slug, name, timezone, description, stage, created_at)"
                    " VALUES (1, 'rennes', 'Rennes', 'Europe/Paris', '', 'ideation', '2018-01-01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO challenges (id, event_id, number, question, stakeholders, users,"
                    " obstacles, levers) VALUES (1, 1, 1, 'Q ?', '[]', '[]', '[]', '[]')"
                )
            )
            connection.execute(
                text("INSERT INTO teams (id, event_id, challenge_id) VALUES (1, 1, 1)")
            )
            for entry_id, automatic, body in ENTRIES:
                connection.execute(
                    text(
                        "INSERT INTO journal_entries (id, team_id, stage, body, automatic,"
                        " created_at) VALUES (:id, 1, 'ideation', :body, :automatic, '2018-07-05')"
                    ),
                    {"id": entry_id, "body": body, "automatic": automatic},
                )
        yield app
        db.engine.dispose()


def test_upgrade_turns_recognised_automatic_entries_into_events(old_database):
    with old_database.app_context():
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                select(
                    JournalEntry.id, JournalEntry.kind, JournalEntry.params, JournalEntry.body
                ).order_by(JournalEntry.id)
            ).all()
    kinds = {row.id: (row.kind, row.params) for row in rows}
    assert kinds[1] == ("stage_changed", {"old": "framing", "new": "ideation"})
    assert kinds[2] == ("stage_changed", {"old": "ideation", "new": "prototyping"})
    assert kinds[3] == (
        "idea_retained",
        {"title": "Une navette partagée", "reason": "elle répond\nau besoin"},
    )
    assert kinds[4] == ("idea_retained", {"title": "Shared shuttle", "reason": "cheap"})
    assert kinds[5] == (None, None)
    assert kinds[6] == (None, None)
    assert kinds[7] == ("dots_closed", {})
    assert kinds[8] == ("dots_reopened", {})
    # The text as first written stays, for whoever reads the table.
    assert [row.body for row in rows] == [body for _, _, body in ENTRIES]


def test_downgrade_keeps_every_entry(old_database):
    with old_database.app_context():
        upgrade()
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            bodies = (
                connection.execute(text("SELECT body FROM journal_entries ORDER BY id"))
                .scalars()
                .all()
            )
    assert bodies == [body for _, _, body in ENTRIES]
