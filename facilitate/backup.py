"""Backing up a running instance into one archive, and restoring it into an empty one.

The archive is a ``.tar.gz`` (tar streams large files without holding them in memory, keeps
paths as they are, and ``tar tzf`` lists it on any server) holding:

- ``database.sqlite3`` (SQLite, taken with the online backup API: a file copy of a live WAL
  database loses recent writes) or ``database.dump`` (PostgreSQL, ``pg_dump -Fc``);
- ``uploads/...``: the prototype photos and documents, as stored;
- ``manifest.json``: app version, migration revision, database kind, row counts per table (of
  the snapshot itself), creation time (UTC), and the SHA-256 of every other file.

A backup is written to a temporary file then renamed: a failed one leaves nothing behind. A
restore checks every checksum before touching anything, builds the new uploads folder aside,
replaces the database in one transaction, swaps the folders, then runs the migrations forward.
"""

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path, PurePosixPath

import psycopg
from flask import current_app
from flask_babel import gettext as _
from flask_migrate import upgrade
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL

from facilitate.extensions import db
from facilitate.workspace.uploads import upload_folder

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.dump"
UPLOADS_PREFIX = "uploads/"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for the operator."""


@dataclass
class RestoreReport:
    counts: dict[str, int]
    expected: dict[str, int]
    uploads: int
    revision: str | None
    mismatches: list[str] = field(default_factory=list)


# --- the database URL ------------------------------------------------------------------------


def _database_url() -> URL:
    # The engine's URL: Flask-SQLAlchemy makes a relative SQLite path relative to the instance.
    return db.engine.url


def _kind(url: URL) -> str:
    backend = url.get_backend_name()
    if backend in ("sqlite", "postgresql"):
        return backend
    raise BackupError(_("Backups support SQLite and PostgreSQL only, not %(kind)s.", kind=backend))


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError(_("This SQLite database is not a plain file: it cannot be backed up."))
    return Path(url.database)


def _libpq_url(url: URL) -> str:
    """``postgresql+psycopg://`` is SQLAlchemy's; pg_dump, pg_restore and psycopg want
    ``postgresql://``."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _program(name: str) -> str:
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


def _client_url(url: URL) -> str:
    """For pg_dump, pg_restore and psql: without the password, which would show in ``ps``."""
    return URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string(hide_password=False)


def _run(command: list[str], url: URL | None = None) -> None:
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


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- backup ----------------------------------------------------------------------------------


def _sqlite_snapshot(source: Path, destination: Path) -> tuple[dict[str, int], str | None]:
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
        names = [
            row[0]
            for row in dst.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        counts = {
            name: dst.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0]  # noqa: S608
            for name in names
        }
        revision = None
        if "alembic_version" in names:
            row = dst.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    finally:
        dst.close()
    return counts, revision


def _postgres_snapshot(url: URL, destination: Path) -> tuple[dict[str, int], str | None]:
    """pg_dump and the row counts read the same snapshot, exported by a repeatable-read
    transaction that stays open while pg_dump runs."""
    pg_dump = _program("pg_dump")
    libpq = _libpq_url(url)
    with psycopg.connect(libpq) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with connection.transaction():
            snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
            names = [
                row[0]
                for row in connection.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
                    "ORDER BY table_name"
                )
            ]
            counts = {
                name: connection.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0]  # noqa: S608
                for name in names
            }
            revision = None
            if "alembic_version" in names:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            _run(
                [
                    pg_dump,
                    "-Fc",
                    f"--snapshot={snapshot}",
                    "-f",
                    str(destination),
                    "-d",
                    _client_url(url),
                ],
                url,
            )
    return counts, revision


def _app_version() -> str:
    try:
        return package_version("facilitate")
    except PackageNotFoundError:
        return "unknown"


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes, mtime: float) -> str:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(mtime)
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))
    return hashlib.sha256(data).hexdigest()


def _add_file(archive: tarfile.TarFile, name: str, path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    info = archive.gettarinfo(str(path), arcname=name)
    info.mode = 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as f:
        archive.addfile(info, f)
    return digest.hexdigest()


def _upload_files(folder: Path) -> list[tuple[str, Path]]:
    if not folder.is_dir():
        return []
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(folder).as_posix(), path))
    return found


def create_backup(path: str | os.PathLike) -> dict:
    """Write the archive to ``path`` and return its manifest."""
    target = Path(path).resolve()
    if target.is_dir():
        raise BackupError(
            _("%(path)s is a folder: give the name of the archive to write.", path=target)
        )
    if not target.parent.is_dir():
        raise BackupError(_("The folder %(path)s does not exist.", path=target.parent))
    url = _database_url()
    kind = _kind(url)
    if kind == "postgresql":
        _program("pg_dump")  # before anything is written
    else:
        source = _sqlite_path(url)
    created_at = datetime.now(UTC)

    fd, partial_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
    )
    partial = Path(partial_name)
    try:
        with tempfile.TemporaryDirectory(prefix="facilitate-backup-") as work:
            if kind == "sqlite":
                member = SQLITE_MEMBER
                snapshot = Path(work) / member
                counts, revision = _sqlite_snapshot(source, snapshot)
            else:
                member = POSTGRES_MEMBER
                snapshot = Path(work) / member
                counts, revision = _postgres_snapshot(url, snapshot)
            checksums = {}
            raw = os.fdopen(fd, "wb")  # from here on, closing raw closes fd
            fd = None
            with raw:
                with tarfile.open(fileobj=raw, mode="w:gz") as archive:
                    checksums[member] = _add_file(archive, member, snapshot)
                    for name, file in _upload_files(Path(upload_folder())):
                        # Read once, so that the checksum is of the bytes archived even if the
                        # file changes meanwhile.
                        with contextlib.suppress(FileNotFoundError):  # deleted meanwhile
                            data = file.read_bytes()
                            arcname = UPLOADS_PREFIX + name
                            checksums[arcname] = _add_bytes(
                                archive, arcname, data, file.stat().st_mtime
                            )
                    manifest = {
                        "format": FORMAT,
                        "app_version": _app_version(),
                        "database": kind,
                        "migration_head": revision,
                        "created_at": created_at.isoformat(timespec="seconds").replace(
                            "+00:00", "Z"
                        ),
                        "row_counts": counts,
                        "files": checksums,
                    }
                    data = json.dumps(manifest, indent=2, sort_keys=True).encode() + b"\n"
                    _add_bytes(archive, MANIFEST, data, created_at.timestamp())
                raw.flush()
                os.fsync(raw.fileno())
        os.replace(partial, target)
    except BaseException:
        if fd is not None:
            os.close(fd)
        partial.unlink(missing_ok=True)
        raise
    return manifest


# --- restore ---------------------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    pure = PurePosixPath(name)
    return not pure.is_absolute() and ".." not in pure.parts and name == pure.as_posix()


def _extract_verified(archive_path: Path, staging: Path) -> dict:
    """Extract every member into ``staging`` while hashing it, then check the manifest: any
    file missing, added, altered or cut short refuses the whole archive."""
    refused = _("%(path)s is not a sound backup archive", path=archive_path)
    digests: dict[str, str] = {}
    manifest_bytes = None
    try:
        with tarfile.open(archive_path, mode="r:gz") as archive:
            for info in archive:
                if not info.isfile() or not _safe_member_name(info.name) or info.name in digests:
                    raise BackupError(
                        _(
                            "%(refused)s: unexpected entry %(name)s.",
                            refused=refused,
                            name=info.name,
                        )
                    )
                source = archive.extractfile(info)
                if info.name == MANIFEST:
                    manifest_bytes = source.read()
                    continue
                destination = staging / info.name
                destination.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with destination.open("wb") as out:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                digests[info.name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(_("%(refused)s: %(error)s", refused=refused, error=error)) from error
    if manifest_bytes is None:
        raise BackupError(_("%(refused)s: it has no manifest.json.", refused=refused))
    try:
        manifest = json.loads(manifest_bytes)
        expected = dict(manifest["files"])
        manifest["row_counts"]  # noqa: B018 (must be there)
        kind = manifest["database"]
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(_("%(refused)s: its manifest is unreadable.", refused=refused)) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(_("%(refused)s: unknown archive format.", refused=refused))
    for name in sorted(set(expected) | set(digests)):
        if expected.get(name) != digests.get(name):
            raise BackupError(
                _("%(refused)s: %(name)s does not match its checksum.", refused=refused, name=name)
            )
    if kind not in ("sqlite", "postgresql"):
        raise BackupError(_("%(refused)s: its manifest is unreadable.", refused=refused))
    return manifest


def _is_empty() -> bool:
    tables = set(inspect(db.engine).get_table_names())
    if tables - {"alembic_version"}:
        return False
    if "alembic_version" in tables:
        with db.engine.connect() as connection:
            return not connection.execute(text("SELECT count(*) FROM alembic_version")).scalar()
    return True


def _check_revision_known(revision: str | None) -> None:
    if revision is None:
        return
    from alembic.script import ScriptDirectory

    config = current_app.extensions["migrate"].migrate.get_config()
    try:
        ScriptDirectory.from_config(config).get_revision(revision)
    except Exception as error:
        raise BackupError(
            _(
                "The archive's database is at migration %(revision)s, which this version of "
                "facilitate does not know: restore it with a newer version.",
                revision=revision,
            )
        ) from error


def _restore_sqlite(url: URL, staged: Path) -> None:
    """Through the backup API, into the live file: SQLite writes it in one transaction (all
    or nothing) and keeps its WAL consistent, which replacing the file under it would not."""
    check = sqlite3.connect(staged)
    try:
        if check.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(_("The archive's SQLite database is damaged."))
    finally:
        check.close()
    target = _sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    _sqlite_copy(staged, target)


def _sqlite_copy(source: Path | str, destination: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(destination, timeout=30)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _restore_postgres(url: URL, staged: Path, force: bool) -> None:
    """pg_restore in one transaction: all or nothing. With ``force``, the tables the archive
    does not hold (a newer schema) must go too, or the migrations would stop on them: the
    dump is then turned into SQL and run by psql after the drops, in one transaction."""
    pg_restore = _program("pg_restore")
    libpq = _client_url(url)
    existing = inspect(db.engine).get_table_names()
    db.engine.dispose()
    if not (force and existing):
        _run(
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
    psql = _program("psql")
    drops = staged.with_name("drop.sql")
    drops.write_text(
        "".join(f"DROP TABLE IF EXISTS {_quote(name)} CASCADE;\n" for name in existing)
    )
    script = staged.with_name("restore.sql")
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "-f", str(script), str(staged)])
    _run(
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


def _swap_folder(staged: Path, folder: Path) -> Path | None:
    """Put ``staged`` in the place of ``folder``; return where the old folder went."""
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.before-restore-{os.getpid()}")
        os.replace(folder, old)
    try:
        os.replace(staged, folder)
    except BaseException:
        if old is not None:
            os.replace(old, folder)
        raise
    return old


def _count_rows(tables) -> dict[str, int]:
    present = set(inspect(db.engine).get_table_names())
    with db.engine.connect() as connection:
        return {
            name: connection.execute(text(f"SELECT count(*) FROM {_quote(name)}")).scalar()  # noqa: S608
            for name in sorted(tables)
            if name in present
        }


def restore_backup(path: str | os.PathLike, force: bool = False) -> RestoreReport:
    archive_path = Path(path)
    if not archive_path.is_file():
        raise BackupError(_("%(path)s is not a file.", path=archive_path))
    url = _database_url()
    kind = _kind(url)
    folder = Path(upload_folder()).resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    db.session.remove()
    db.engine.dispose()

    # Beside the uploads folder, so that the swap is a rename on one file system.
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".facilitate-restore-"))
    restored_sqlite = swapped = False
    old_uploads = None
    try:
        manifest = _extract_verified(archive_path, staging)
        if manifest["database"] != kind:
            raise BackupError(
                _(
                    "This archive holds a %(archive)s database and this instance uses "
                    "%(instance)s: a backup can only be restored into the same kind of database.",
                    archive=manifest["database"],
                    instance=kind,
                )
            )
        member = SQLITE_MEMBER if kind == "sqlite" else POSTGRES_MEMBER
        if not (staging / member).is_file():
            raise BackupError(_("%(path)s holds no database.", path=archive_path))
        _check_revision_known(manifest.get("migration_head"))
        if not force and not _is_empty():
            raise BackupError(
                _(
                    "The database already holds data: nothing was restored. Restore into an "
                    "empty instance, or add --force to replace everything it holds."
                )
            )
        staged_uploads = staging / UPLOADS_PREFIX.rstrip("/")
        staged_uploads.mkdir(exist_ok=True)
        if kind == "sqlite":
            # Kept until the end, to put back if anything below fails.
            previous = staging / "previous.sqlite3"
            _sqlite_copy(_sqlite_path(url), previous)
            restored_sqlite = True
            _restore_sqlite(url, staging / member)
        else:
            _restore_postgres(url, staging / member, force)
        db.engine.dispose()
        old_uploads = _swap_folder(staged_uploads, folder)
        swapped = True
        upgrade()
    except BaseException:
        db.session.remove()
        db.engine.dispose()
        if swapped:
            shutil.rmtree(folder, ignore_errors=True)
            if old_uploads is not None:
                os.replace(old_uploads, folder)
        if restored_sqlite:
            _sqlite_copy(previous, _sqlite_path(url))
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if old_uploads is not None:
        shutil.rmtree(old_uploads, ignore_errors=True)

    db.engine.dispose()
    expected = {name: int(count) for name, count in manifest["row_counts"].items()}
    counts = _count_rows(expected)
    mismatches = [
        name for name, count in expected.items() if name in counts and counts[name] != count
    ]
    with db.engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    uploads = sum(1 for name in manifest["files"] if name.startswith(UPLOADS_PREFIX))
    return RestoreReport(counts, expected, uploads, revision, mismatches)
