"""Extensions, created unbound and bound to an application in ``create_app``."""

import sqlite3

from flask import has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so that Alembic can drop and alter them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record):
    """WAL lets readers work while a writer commits; the busy timeout makes a second writer wait
    instead of failing with "database is locked"; SQLite leaves foreign keys off unless asked."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see
        # _begin_sqlite): otherwise SAVEPOINTs and transactional DDL misbehave.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL is corruption-safe and skips a disk flush per commit (a power cut
        # may lose the last commits, never half of one): SQLite's own advice for WAL.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


# Execution option asking SQLite to take the write lock when the transaction begins.
SQLITE_WRITE_LOCK = "facilitate_sqlite_write_lock"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection):
    """A SQLite transaction that reads and then writes fails at once ("database is locked",
    SQLITE_BUSY_SNAPSHOT, no waiting) when another process wrote in between: 200 people sending
    feedback or ballots at the same minute would see errors. So a request that may write (any
    method but GET, HEAD, OPTIONS), or code that asks with ``begin_write``, takes the write lock
    when its transaction begins, and waits its turn (busy timeout) instead of failing. Code whose
    every write goes through ``begin_write`` (the JSON API) may ask for ``SQLITE_WRITE_LOCK:
    False``: its reads then hold no lock."""
    if connection.dialect.name != "sqlite":
        return
    asked = connection.get_execution_options().get(SQLITE_WRITE_LOCK)
    immediate = (
        asked
        if asked is not None
        else has_request_context() and request.method not in _SAFE_METHODS
    )
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
    connection.info[SQLITE_WRITE_LOCK] = bool(immediate)


def begin_write() -> None:
    """Make sure what follows runs in a transaction that may write without failing.

    On SQLite that is a transaction begun with the write lock: if the current one began without
    it (it has only read), it is committed and a new one begins, and objects loaded before are
    expired. On PostgreSQL the current transaction does (each statement sees what is committed;
    the caller takes the row locks it needs), so nothing is done: no extra round trip.
    """
    session = db.session()
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction() and session.connection().info.get(SQLITE_WRITE_LOCK):
        return
    session.commit()
    session.connection(execution_options={SQLITE_WRITE_LOCK: True})
