"""The database side of backups: which kind of database the instance uses, a consistent
snapshot of it (SQLite's online backup API; PostgreSQL's ``pg_dump`` in the same snapshot as the
row counts), and putting one back. The archive around it is ``facilitate.backup``'s."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import psycopg
from flask_babel import gettext as _
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL

from facilitate.extensions import db


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for the operator."""


def database_url() -> URL:
    # The engine's URL: Flask-SQLAlchemy makes a relative SQLite path relative to the instance.
    return db.engine.url


def kind(url: URL) -> str:
    backend = url.get_backend_name()
    if backend in ("sqlite", "postgresql"):
        return backend
    raise BackupError(_("Backups support SQLite and PostgreSQL only, not %(kind)s.", kind=backend))


def sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError(_("This SQLite database is not a plain file: it cannot be backed up."))
    return Path(url.database)


def libpq_url(url: URL) -> str:
    """``postgresql+psycopg://`` is SQLAlchemy's; pg_dump, pg_restore and psycopg want
    ``postgresql://``."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(program)s was not found on the PATH: install the Debian package "
                "postgresql-client (apt install postgresql-client).",
                program=name,
            )
        )
    return path


def client_url(url: URL) -> str:
    """For pg_dump, pg_restore and psql: without the password, which would show in ``ps``."""
    return URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string(hide_password=False)


def run(command: list[str], url: URL | None = None) -> None:
    env = None
    if url is not None and url.password:
        env = {**os.environ, "PGPASSWORD": str(url.password)}
    result = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, check=False, env=env
    )
    if result.returncode != 0:
        raise BackupError(
            _(
                "%(program)s failed (exit status %(code)d): %(error)s",
                program=Path(command[0]).name,
                code=result.returncode,
                error=result.stderr.strip(),
            )
        )


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_snapshot(source: Path, destination: Path) -> tuple[dict[str, int], str | None]:
    """Copy the live database with the online backup API (in one step, so that it is one
    consistent read), then count the rows of the copy itself."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(destination)
    try:
        src.backup(dst)
    finally:
        src.close()
    try:
        dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
        return _counts_and_revision(
            dst,
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
    finally:
        dst.close()


def _counts_and_revision(connection, tables_sql: str) -> tuple[dict[str, int], str | None]:
    """Each table's rows (the tables as ``tables_sql`` lists them) and the migrations' revision,
    through a DB-API connection that can ``execute`` (sqlite3's, psycopg's)."""
    names = [row[0] for row in connection.execute(tables_sql)]
    counts = {
        name: connection.execute(f"SELECT count(*) FROM {quote(name)}").fetchone()[0]  # noqa: S608
        for name in names
    }
    revision = None
    if "alembic_version" in names:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    return counts, revision


def postgres_snapshot(url: URL, destination: Path) -> tuple[dict[str, int], str | None]:
    """pg_dump and the row counts read the same snapshot, exported by a repeatable-read
    transaction that stays open while pg_dump runs."""
    pg_dump = program("pg_dump")
    libpq = libpq_url(url)
    with psycopg.connect(libpq) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with connection.transaction():
            snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
            counts, revision = _counts_and_revision(
                connection,
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
                "ORDER BY table_name",
            )
            run(
                [
                    pg_dump,
                    "-Fc",
                    f"--snapshot={snapshot}",
                    "-f",
                    str(destination),
                    "-d",
                    client_url(url),
                ],
                url,
            )
    return counts, revision


def is_empty() -> bool:
    tables = set(inspect(db.engine).get_table_names())
    if tables - {"alembic_version"}:
        return False
    if "alembic_version" in tables:
        with db.engine.connect() as connection:
            return not connection.execute(text("SELECT count(*) FROM alembic_version")).scalar()
    return True


def restore_sqlite(url: URL, staged: Path) -> None:
    """Through the backup API, into the live file: SQLite writes it in one transaction (all
    or nothing) and keeps its WAL consistent, which replacing the file under it would not."""
    check = sqlite3.connect(staged)
    try:
        if check.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(_("The archive's SQLite database is damaged."))
    finally:
        check.close()
    target = sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    sqlite_copy(staged, target)


def sqlite_copy(source: Path | str, destination: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(destination, timeout=30)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def restore_postgres(url: URL, staged: Path, force: bool) -> None:
    """pg_restore in one transaction: all or nothing. With ``force``, the tables the archive
    does not hold (a newer schema) must go too, or the migrations would stop on them: the
    dump is then turned into SQL and run by psql after the drops, in one transaction."""
    pg_restore = program("pg_restore")
    libpq = client_url(url)
    existing = inspect(db.engine).get_table_names()
    db.engine.dispose()
    if not (force and existing):
        run(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "-d",
                libpq,
                str(staged),
            ],
            url,
        )
        return
    psql = program("psql")
    drops = staged.with_name("drop.sql")
    drops.write_text("".join(f"DROP TABLE IF EXISTS {quote(name)} CASCADE;\n" for name in existing))
    script = staged.with_name("restore.sql")
    run([pg_restore, "--clean", "--if-exists", "--no-owner", "-f", str(script), str(staged)])
    run(
        [
            psql,
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "--single-transaction",
            "-d",
            libpq,
            "-f",
            str(drops),
            "-f",
            str(script),
        ],
        url,
    )


def count_rows(tables) -> dict[str, int]:
    present = set(inspect(db.engine).get_table_names())
    with db.engine.connect() as connection:
        return {
            name: connection.execute(text(f"SELECT count(*) FROM {quote(name)}")).scalar()  # noqa: S608
            for name in sorted(tables)
            if name in present
        }
