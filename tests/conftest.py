"""Shared fixtures: one application for the session, one rolled-back transaction per test.

Set FACILITATE_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run
the suite on PostgreSQL; the default is a SQLite file in a temporary folder. The schema is built
with the migrations, so every run also tests them.
"""

import os
import re
from contextlib import contextmanager

import psycopg
import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id
from hypothesis import settings
from psycopg import sql
from sqlalchemy import MetaData, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import scoped_session, sessionmaker

from facilitate import create_app
from facilitate.extensions import db
from tests import factories

TEST_DATABASE_URL = os.environ.get("FACILITATE_TEST_DATABASE_URL")

# The properties draw the same examples on every run, so that CI's verdict on a commit is the
# same each time; `HYPOTHESIS_PROFILE=explore make test` draws new ones to look for more.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


# Tests under these folders serve or hammer the app from other threads: they use their own
# database and commit for real, instead of the per-test rolled-back transaction.
_OWN_DATABASE_FOLDERS = {
    "/tests/browser/": "browser",
    "/tests/concurrency/": "concurrency",
    "/tests/instances/": "instances",
}


def pytest_collection_modifyitems(items):
    for item in items:
        for folder, marker in _OWN_DATABASE_FOLDERS.items():
            if folder in str(item.path):
                item.add_marker(getattr(pytest.mark, marker))
                item.add_marker(pytest.mark.own_database)


def sibling_database_url(tmp_path_factory, suffix: str) -> str:
    """A database of its own: a SQLite file in a temporary folder, or, when the suite runs on
    PostgreSQL, ``<name>_<suffix>`` on the same server (created when missing)."""
    if not TEST_DATABASE_URL or not TEST_DATABASE_URL.startswith("postgresql"):
        return "sqlite:///" + str(tmp_path_factory.mktemp(f"{suffix}-db") / "facilitate.sqlite3")
    url = make_url(TEST_DATABASE_URL)
    sibling = url.set(database=f"{url.database}_{suffix}")
    libpq_url = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (sibling.database,)
        ).fetchone()
        if not exists:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(sibling.database))
            )
    return sibling.render_as_string(hide_password=False)


def reset_database(app, revision: str = "head") -> None:
    """Drop every table, whatever created it, then migrate from nothing (up to ``revision``)."""
    with app.app_context():
        existing = MetaData()
        existing.reflect(db.engine)
        existing.drop_all(db.engine)
        upgrade(revision=revision)


def app_at_revision(tmp_path_factory, suffix: str, revision: str):
    """An application on a database of its own whose schema is the one of ``revision``, to test
    a migration on the rows an older version wrote."""
    app = create_app(test_config(sibling_database_url(tmp_path_factory, suffix)))
    reset_database(app, revision)
    return app


def test_config(database_url: str, **overrides) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "tests-only-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        # On, so that its request hooks exist; tests that check the limits tighten them.
        "RATELIMIT_ENABLED": True,
        "SIGN_IN_RATE_LIMIT": "1000 per minute",
        "SIGN_IN_PASSWORD_PAIR_LIMIT": "1000 per minute",
        "SIGN_IN_PASSWORD_FREE_FAILURES": 1000,
        "RESET_LINK_RATE_LIMIT": "1000 per minute",
        "RESET_LINK_RATE_LIMIT_PER_EMAIL": "1000 per minute",
        "CHANGE_PASSWORD_RATE_LIMIT": "1000 per minute",
        "BASE_URL": "http://facilitate.test",
        **overrides,
    }


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "facilitate-test.sqlite3")


class FreshContextClient(FlaskClient):
    """Each request runs in its own application context, as in production: its own database
    session and its own ``g`` (where Flask-Login keeps the signed-in user). Afterwards, the
    test's session forgets what it had loaded, so that it sees what the request committed."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(test_config(database_url))
    app.test_client_class = FreshContextClient
    reset_database(app)
    return app


@pytest.fixture(autouse=True)
def _transaction(request, app):
    """Every test runs in a transaction rolled back at its end; commits inside it are
    savepoints. Browser tests serve the app from another thread and use their own database."""
    if request.node.get_closest_marker("own_database"):
        yield
        return
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    app_session = db.session
    db.session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
        scopefunc=_app_ctx_id,
    )
    context = app.app_context()
    context.push()
    try:
        yield
    finally:
        context.pop()
        db.session = app_session
        outer.rollback()
        connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def count_queries(app):
    """``with count_queries() as queries:`` lists the SQL statements run inside the block."""

    @contextmanager
    def counter():
        statements: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK TO)", statement):
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return counter


@pytest.fixture
def make():
    """The factories, as ``make.event(...)``, ``make.participant(...)``."""
    return factories
