"""A database that exists for one bench only: a temporary SQLite file, or a PostgreSQL database
the bench creates (refusing one that exists) and drops at the end, also when it fails."""

import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextmanager
def fresh_database(url: str | None):
    """A database that exists for the bench only."""
    if url is None:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.sqlite3", "SQLite (temporary file)"
        return
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not parsed.database or path.exists():
            sys.exit(f"{url}: give the path of a SQLite file that does not exist yet.")
        try:
            yield url, f"SQLite ({path})"
        finally:
            path.unlink(missing_ok=True)
        return
    if parsed.get_backend_name() != "postgresql":
        sys.exit("Only SQLite and PostgreSQL URLs are supported.")
    name = parsed.database
    quoted = '"' + name.replace('"', '""') + '"'
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            sys.exit(f"Database {name!r} exists: name one that does not, the bench drops it.")
        connection.execute(text(f"CREATE DATABASE {quoted}"))
    try:
        version = ""
        with create_engine(url).connect() as connection:
            version = connection.scalar(text("SHOW server_version"))
        yield url, f"PostgreSQL {version} ({name}, created for the bench)"
    finally:
        with server.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
        server.dispose()
