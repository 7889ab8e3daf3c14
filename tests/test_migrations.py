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
