"""Many threads writing at once against a real database (a SQLite file with WAL, or a sibling
PostgreSQL database), each thread in its own application context and session, as gunicorn's
workers and threads would be."""

import pytest

from facilitate import create_app
from facilitate.extensions import db
from tests.conftest import reset_database, sibling_database_url, test_config


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(test_config(sibling_database_url(tmp_path_factory, "concurrency")))
    reset_database(app)
    yield app
    with app.app_context():
        db.engine.dispose()
