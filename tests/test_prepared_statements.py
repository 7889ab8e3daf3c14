"""Requests end their transaction without losing PostgreSQL's prepared statements, and without
keeping anything they did not commit (facilitate.extensions, ``_end_reads_with_commit``).

psycopg prepares a statement once a connection has run it five times, and forgets every
prepared statement at each ROLLBACK. A transaction that only read is therefore ended with a
COMMIT (the same for the database); one that may have written still rolls back. These tests
use a database of their own and commit for real, as requests do."""

import pytest
from sqlalchemy import bindparam, create_engine, func, select, text
from sqlalchemy.exc import DBAPIError

from facilitate import create_app
from facilitate.extensions import db
from facilitate.models import Event
from tests import conftest

pytestmark = pytest.mark.own_database

# A statement no other code runs, to find it among the prepared ones: compiled by SQLAlchemy
# (a statement written with text() counts as one that may write, and rolls back).
READ = select(func.count(Event.id).label("prepared_statements_probe")).where(
    Event.id > bindparam("id")
)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = create_app(
        conftest.test_config(conftest.sibling_database_url(tmp_path_factory, "prepared"))
    )
    conftest.reset_database(app)
    with app.app_context():
        db.session.add(Event(slug="kept", name="As committed"))
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def on_postgresql(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


def request_like(app, work):
    """``work`` in an application context of its own, its session removed at the end, as
    Flask-SQLAlchemy does after each request."""
    with app.app_context():
        try:
            return work()
        finally:
            db.session.remove()


def event_name(app) -> str:
    return request_like(app, lambda: db.session.scalar(select(Event.name)))


def test_statements_stay_prepared_from_one_request_to_the_next(app):
    if not on_postgresql(app):
        pytest.skip("prepared statements are PostgreSQL's")
    for _ in range(7):
        request_like(app, lambda: db.session.scalar(READ, {"id": 0}))

    def prepared():
        return db.session.scalar(
            text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE :probe"),
            {"probe": "%prepared_statements_probe%"},
        )

    assert request_like(app, prepared) == 1


def test_a_change_flushed_but_not_committed_is_rolled_back(app):
    def change():
        db.session.scalar(select(Event).where(Event.slug == "kept")).name = "Flushed only"
        db.session.flush()
        db.session.scalar(READ, {"id": 0})  # a read after the write

    request_like(app, change)
    assert event_name(app) == "As committed"


def test_a_statement_that_writes_within_a_with_is_rolled_back(app):
    if not on_postgresql(app):
        pytest.skip("SQLite writes in no WITH")
    statement = text(
        "WITH changed AS (UPDATE events SET name = 'Changed' WHERE slug = 'kept' RETURNING id) "
        "SELECT count(*) FROM changed"
    )
    assert request_like(app, lambda: db.session.scalar(statement)) == 1
    assert event_name(app) == "As committed"


def test_a_failed_read_leaves_the_connection_usable(app):
    def failing():
        with pytest.raises(Exception):  # noqa: B017, PT011 (the database's error, whatever it is)
            db.session.execute(text("SELECT id FROM no_such_table"))

    request_like(app, failing)
    assert event_name(app) == "As committed"


def test_a_committed_change_is_kept(app):
    def change():
        db.session.scalar(select(Event).where(Event.slug == "kept")).name = "Committed"
        db.session.commit()
        db.session.scalar(READ, {"id": 0})

    request_like(app, change)
    assert event_name(app) == "Committed"
    request_like(app, lambda: _rename("As committed"))


def _rename(name: str) -> None:
    db.session.scalar(select(Event).where(Event.slug == "kept")).name = name
    db.session.commit()


def test_a_text_select_that_writes_within_a_lower_case_with_is_rolled_back(app):
    if not on_postgresql(app):
        pytest.skip("SQLite writes in no WITH")
    statement = text(
        "with changed as (update events set name = 'Changed' where slug = 'kept' returning id) "
        "select count(*) from changed"
    )
    assert request_like(app, lambda: db.session.scalar(statement)) == 1
    assert event_name(app) == "As committed"


def test_a_connection_lost_within_a_request_ends_cleanly(app):
    """The session's teardown ends without an error, and the next request works."""

    def lose_the_connection():
        db.session.scalar(select(Event.name))
        if on_postgresql(app):
            pid = db.session.scalar(text("SELECT pg_backend_pid()"))
            other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
            with other.begin() as connection:
                connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            other.dispose()
            with pytest.raises(DBAPIError):
                db.session.scalar(select(Event.name).where(Event.id > 0))
        else:
            db.session.connection().invalidate()

    request_like(app, lose_the_connection)  # session.remove() raises nothing
    assert event_name(app) == "As committed"
