"""Extensions, created unbound and bound to an application in ``create_app``."""

import re
import sqlite3
from collections import defaultdict

import psycopg
from flask import has_request_context, request
from flask.globals import _cv_app, _cv_request
from flask_babel import Babel
from flask_limiter import Limiter as FlaskLimiter
from flask_limiter._extension import LimiterContext
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from flask_sqlalchemy.session import _app_ctx_id
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
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


class Session(FlaskSQLAlchemySession):
    """Flask-SQLAlchemy's session, which looks at each statement's tables for a ``bind_key`` to
    choose among several databases: with one database (no binds configured) the answer is
    always it, found without that search, a few times each statement."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None:
            engines = self._db.engines
            if len(engines) == 1 and None in engines:
                return engines[None]
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


def _app_context_id() -> int:
    """Flask-SQLAlchemy's scope (a session per application context), without Flask's proxy:
    asked at every use of ``db.session``."""
    context = _cv_app.get(None)
    return id(context) if context is not None else _app_ctx_id()  # which raises, as before


db = SQLAlchemy(model_class=Base, session_options={"class_": Session, "scopefunc": _app_context_id})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


class Limiter(FlaskLimiter):
    """Flask-Limiter, without its work before a view where it has nothing to check.

    Before every request, Flask-Limiter resolves the limits that apply outside the views: the
    application's, the default ones, the blueprints', the meta limits and the limits kept while
    the storage is down. Here there are none (every limit is declared on its view, and a view's
    decorator checks its own limits when the view is called), so that resolution always ends
    empty, after some thirty calls a request. It is skipped while there are none; should any
    be configured, it runs as before. Its request context (what the hooks pass each other) is
    found without going through Flask's proxy three times at each use."""

    def _limits_outside_views(self) -> bool:
        manager = self.limit_manager
        return bool(
            manager._application_limits
            or manager._default_limits
            or manager._blueprint_limits
            or self._meta_limits
            or self._in_memory_fallback
        )

    def _check_request_limit(self, callable_name=None, in_middleware=True) -> None:
        if in_middleware and callable_name is None and not self._limits_outside_views():
            return
        super()._check_request_limit(callable_name=callable_name, in_middleware=in_middleware)

    @property
    def context(self) -> LimiterContext:
        ctx = _cv_request.get()  # Flask-Limiter's request_context(), without its proxy
        contexts = ctx.__dict__.get("_limiter_request_context")
        if contexts is None:
            contexts = ctx._limiter_request_context = defaultdict(LimiterContext)
        return contexts[self]


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


@event.listens_for(Engine, "connect")
def _configure_postgresql(dbapi_connection, _record):
    """PostgreSQL's planner prices reading a page at random four times a page read in order
    (``random_page_cost``, for disks that seek); this application's data, some tens of
    megabytes, stays in memory, where PostgreSQL's documentation advises a price nearer 1.
    At 4, the attendee export of a site of 200 people read every account of the platform
    (10,700 attendees) into a hash rather than looking up its 200 by their key: 2.1 ms of
    PostgreSQL's CPU a request, and 1.1 ms with the setting (bench/pages.py --platform); no
    page measured slower.
    Set when the connection opens and committed, so that no rollback undoes it."""
    if isinstance(dbapi_connection, psycopg.Connection):
        dbapi_connection.execute("SET random_page_cost = 1.1")
        dbapi_connection.commit()


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


# --- PostgreSQL: prepared statements that outlive the request ----------------------------------
#
# psycopg prepares a statement on the server once a connection has run it ``prepare_threshold``
# times (5), so that PostgreSQL no longer parses and, in time, no longer plans it. But it
# forgets them all (DEALLOCATE ALL) at every ROLLBACK, lest a prepared statement outlive a table
# the rollback undid, and every request ends with one: closing the session rolls back, reads
# included. So a transaction that wrote nothing is ended with COMMIT instead, which leaves the
# database exactly as ROLLBACK would, and the statements stay prepared for the next request.
#
# A statement counts as a read only when it is a SELECT that SQLAlchemy compiled (``select()``,
# the ORM's queries) and no INSERT, UPDATE, DELETE or MERGE word appears in it (any case: a
# ``FOR UPDATE`` counts as a write too, which is safe). Every ``text()`` and ``exec_driver_sql``
# statement counts as a write, whatever it says. A compiled SELECT that calls a function with
# side effects (``set_config``, ``pg_notify``, ``nextval``...) would be committed: the code must
# not do that (write such a call with ``text()``).
_WROTE = "facilitate_wrote"
_READS = (
    "_facilitate_reads"  # the verdict, kept on each compiled statement (SQLAlchemy caches them)
)
_WRITING_WORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE).search


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(connection, _cursor, statement, _parameters, context, _executemany):
    compiled = context.compiled if context is not None else None
    if compiled is None:  # exec_driver_sql
        connection.info[_WROTE] = True
        return
    reads = compiled.__dict__.get(_READS)
    if reads is None:  # the search costs some 40 µs for a long statement: once per statement
        query = compiled.statement
        reads = (
            getattr(query, "is_select", False)
            and not getattr(query, "is_text", False)  # text("SELECT ...").columns(...)
            and not _WRITING_WORD(statement)
        )
        setattr(compiled, _READS, reads)
    if not reads:
        connection.info[_WROTE] = True


@event.listens_for(Engine, "commit")
def _forget_writes(connection):
    if not (connection.invalidated or connection.closed):
        connection.info.pop(_WROTE, None)


@event.listens_for(Engine, "rollback")
def _end_reads_with_commit(connection):
    # After the connection was lost (invalidated), even reading ``connection.info`` raises: the
    # rollback then has nothing to end, and nothing here may fail (the session's teardown would).
    if connection.invalidated or connection.closed or connection.dialect.driver != "psycopg":
        return
    try:
        if connection.info.pop(_WROTE, False):
            return
        dbapi_connection = connection.connection.dbapi_connection
        if dbapi_connection.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS:
            dbapi_connection.commit()  # the rollback that follows finds nothing left to do
    except (psycopg.Error, SQLAlchemyError):
        pass  # the rollback that follows meets the same trouble and reports it


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
