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
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path, PurePosixPath

from flask import current_app
from flask_babel import gettext as _
from flask_migrate import upgrade
from sqlalchemy import text

from facilitate.backup import databases
from facilitate.backup.databases import BackupError
from facilitate.extensions import db
from facilitate.workspace.uploads import upload_folder

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.dump"
UPLOADS_PREFIX = "uploads/"
_CHUNK = 1024 * 1024


@dataclass
class RestoreReport:
    counts: dict[str, int]
    expected: dict[str, int]
    uploads: int
    revision: str | None
    mismatches: list[str] = field(default_factory=list)


# --- backup ----------------------------------------------------------------------------------


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
    url = databases.database_url()
    kind = databases.kind(url)
    if kind == "postgresql":
        databases.program("pg_dump")  # before anything is written
    else:
        source = databases.sqlite_path(url)
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
                counts, revision = databases.sqlite_snapshot(source, snapshot)
            else:
                member = POSTGRES_MEMBER
                snapshot = Path(work) / member
                counts, revision = databases.postgres_snapshot(url, snapshot)
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


def restore_backup(path: str | os.PathLike, force: bool = False) -> RestoreReport:
    archive_path = Path(path)
    if not archive_path.is_file():
        raise BackupError(_("%(path)s is not a file.", path=archive_path))
    url = databases.database_url()
    kind = databases.kind(url)
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
        if not force and not databases.is_empty():
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
            databases.sqlite_copy(databases.sqlite_path(url), previous)
            restored_sqlite = True
            databases.restore_sqlite(url, staging / member)
        else:
            databases.restore_postgres(url, staging / member, force)
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
            databases.sqlite_copy(previous, databases.sqlite_path(url))
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if old_uploads is not None:
        shutil.rmtree(old_uploads, ignore_errors=True)

    db.engine.dispose()
    expected = {name: int(count) for name, count in manifest["row_counts"].items()}
    counts = databases.count_rows(expected)
    mismatches = [
        name for name, count in expected.items() if name in counts and counts[name] != count
    ]
    with db.engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    uploads = sum(1 for name in manifest["files"] if name.startswith(UPLOADS_PREFIX))
    return RestoreReport(counts, expected, uploads, revision, mismatches)
