"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from facilitate.extensions import db


def test_models_and_migrations_agree():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_every_migration_downgrades_and_upgrades_again(tmp_path):
    """On a database of its own: what a deployment does when a release is rolled back."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    from facilitate import create_app
    from tests.conftest import test_config

    app = create_app(test_config(f"sqlite:///{tmp_path / 'roundtrip.sqlite3'}"))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "ideas" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_upgrading_a_database_with_data_keeps_every_row(tmp_path):
    """Upgrading from the first schema to the latest must not lose saved work (SQLite rebuilds
    tables to alter them; with foreign keys on, that used to cascade deletes)."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from facilitate import create_app
    from tests.conftest import test_config

    app = create_app(test_config(f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"))
    with app.app_context():
        upgrade(revision="2bb78c16b778")  # the first schema
        rows = [
            "INSERT INTO events (id, slug, name, timezone, description, stage, created_at) VALUES (1, 'e', 'E', 'Europe/Paris', '', 'framing', '2026-01-01')",
            "INSERT INTO themes (id, event_id, name, position) VALUES (1, 1, 'T', 0)",
            "INSERT INTO challenges (id, event_id, number, question, stakeholders, users, obstacles, levers, theme_id) VALUES (1, 1, 1, 'Q ?', '[]', '[]', '[]', '[]', 1)",
            "INSERT INTO teams (id, event_id, challenge_id) VALUES (1, 1, 1)",
            "INSERT INTO users (id, name, email, is_organiser, session_nonce, created_at) VALUES (1, 'A', 'a@example.org', 0, 'n', '2026-01-01')",
            "INSERT INTO memberships (id, user_id, event_id, team_id, role) VALUES (1, 1, 1, 1, 'member')",
        ]
        with db.engine.begin() as connection:
            for row in rows:
                connection.execute(text(row))
        upgrade()
        with db.engine.connect() as connection:
            for table in ("events", "themes", "challenges", "teams", "users", "memberships"):
                count = text(f"SELECT count(*) FROM {table}")  # noqa: S608  (fixed names)
                assert connection.execute(count).scalar() == 1, table
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()
