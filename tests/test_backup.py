"""``flask backup`` and ``flask restore``: a consistent snapshot of a live instance, restored
into an empty one.

Each test has a source and a target instance of its own (a SQLite file, or sibling PostgreSQL
databases when the suite runs on PostgreSQL), with real commits, and upload folders of their
own.
"""

import io
import json
import os
import secrets
import tarfile
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import MetaData, insert, inspect, select

from facilitate import create_app
from facilitate.extensions import db
from facilitate.models import User
from tests.conftest import TEST_DATABASE_URL, reset_database, sibling_database_url
from tests.conftest import test_config as config_for

pytestmark = pytest.mark.own_database

ON_POSTGRES = bool(TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"))


def _instance(tmp_path_factory, suffix: str):
    folder = tmp_path_factory.mktemp(f"{suffix}-instance") / "uploads"
    folder.mkdir()
    url = sibling_database_url(tmp_path_factory, suffix)
    return create_app(config_for(url, UPLOAD_FOLDER=str(folder)))


def _empty(app) -> None:
    with app.app_context():
        existing = MetaData()
        existing.reflect(db.engine)
        existing.drop_all(db.engine)
        db.engine.dispose()


@pytest.fixture
def source(tmp_path_factory):
    app = _instance(tmp_path_factory, "backup_src")
    reset_database(app)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def target(tmp_path_factory):
    app = _instance(tmp_path_factory, "backup_dst")
    _empty(app)
    yield app
    with app.app_context():
        db.engine.dispose()


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args), catch_exceptions=False)


def _add_users(app, count: int, prefix: str = "u") -> None:
    with app.app_context(), db.engine.begin() as connection:
        for _ in range(count):
            connection.execute(
                insert(User).values(name="A", email=f"{prefix}-{secrets.token_hex(6)}@example.org")
            )


def _emails(app) -> set[str]:
    with app.app_context():
        emails = set(db.session.scalars(select(User.email)))
        db.session.remove()
        return emails


def _add_uploads(app) -> dict[str, bytes]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    files = {
        f"{secrets.token_hex(16)}.jpg": b"\xff\xd8\xff" + os.urandom(50_000),
        f"{secrets.token_hex(16)}.pdf": b"%PDF-1.4\n" + os.urandom(3_000),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.loads(tar.extractfile("manifest.json").read())


def _rewrite(archive: Path, change) -> None:
    """Rewrite the archive with ``change(members)`` applied to {name: bytes}."""
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    change(members)
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_a_backup_under_writes_keeps_every_acknowledged_row_and_restores_it(
    source, target, tmp_path
):
    """The key property: every row committed before the backup starts is in it, although
    another connection keeps writing meanwhile; the restore reproduces the manifest."""
    _add_users(source, 50, prefix="before")
    uploads = _add_uploads(source)
    acknowledged: list[str] = []
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer():
        try:
            with source.app_context():
                while not stop.is_set():
                    email = f"w-{secrets.token_hex(6)}@example.org"
                    with db.engine.begin() as connection:
                        connection.execute(insert(User).values(name="W", email=email))
                    acknowledged.append(email)  # only once the commit has returned
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while len(acknowledged) < 100 and time.monotonic() < deadline:
            time.sleep(0.01)
        before_backup = list(acknowledged)
        archive = tmp_path / "backup.tar.gz"
        result = _cli(source, "backup", str(archive))
        during_backup = len(acknowledged) - len(before_backup)
    finally:
        stop.set()
        thread.join()
    assert not errors
    assert result.exit_code == 0, result.output
    assert len(before_backup) >= 100
    assert during_backup > 0, "the writer should have kept writing during the backup"

    manifest = _manifest(archive)
    assert manifest["database"] == ("postgresql" if ON_POSTGRES else "sqlite")
    assert manifest["migration_head"]
    assert manifest["app_version"]
    assert manifest["created_at"].endswith("Z")
    assert manifest["row_counts"]["users"] >= 50 + len(before_backup)
    assert {f"uploads/{name}" for name in uploads} <= set(manifest["files"])
    assert [p.name for p in tmp_path.iterdir()] == ["backup.tar.gz"]  # no partial file left

    result = _cli(target, "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert "users" in result.output
    restored = _emails(target)
    assert set(before_backup) <= restored
    assert len(restored) == manifest["row_counts"]["users"]
    with target.app_context():
        for table, count in manifest["row_counts"].items():
            if table != "alembic_version":
                assert (
                    db.session.execute(
                        select(db.func.count()).select_from(db.table(table))
                    ).scalar()
                    == count
                ), table
        db.session.remove()
    folder = Path(target.config["UPLOAD_FOLDER"])
    for name, data in uploads.items():
        assert (folder / name).read_bytes() == data


def test_restore_refuses_an_instance_that_holds_data_unless_forced(source, target, tmp_path):
    _add_users(source, 3, prefix="archived")
    archive = tmp_path / "backup.tar.gz"
    assert _cli(source, "backup", str(archive)).exit_code == 0
    reset_database(target)
    _add_users(target, 2, prefix="kept")
    before = _emails(target)

    refused = _cli(target, "restore", str(archive))
    assert refused.exit_code != 0
    assert "--force" in refused.output
    assert _emails(target) == before

    forced = _cli(target, "restore", "--force", str(archive))
    assert forced.exit_code == 0, forced.output
    assert _emails(target) == _emails(source)


def test_an_empty_alembic_version_counts_as_empty(source, target, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    assert _cli(source, "backup", str(archive)).exit_code == 0
    with target.app_context(), db.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32))")
    result = _cli(target, "restore", str(archive))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("damage", ["upload", "database", "manifest", "truncated"])
def test_a_tampered_or_truncated_archive_is_refused_and_changes_nothing(
    source, target, tmp_path, damage
):
    _add_users(source, 3)
    _add_uploads(source)
    archive = tmp_path / "backup.tar.gz"
    assert _cli(source, "backup", str(archive)).exit_code == 0
    database = "database.dump" if ON_POSTGRES else "database.sqlite3"

    def change(members):
        if damage == "upload":
            name = next(n for n in members if n.startswith("uploads/"))
            members[name] = members[name][:-1] + b"!"
        elif damage == "database":
            members[database] = members[database][:100] + b"x" + members[database][101:]
        else:
            manifest = json.loads(members["manifest.json"])
            manifest["files"]["uploads/extra.pdf"] = "0" * 64
            members["manifest.json"] = json.dumps(manifest).encode()

    if damage == "truncated":
        data = archive.read_bytes()
        archive.write_bytes(data[: len(data) // 2])
    else:
        _rewrite(archive, change)
    folder = Path(target.config["UPLOAD_FOLDER"])
    (folder / "already-here.txt").write_bytes(b"untouched")

    result = _cli(target, "restore", str(archive))
    assert result.exit_code != 0
    assert "backup.tar.gz" in result.output
    with target.app_context():
        assert inspect(db.engine).get_table_names() == []
        db.engine.dispose()
    assert [p.name for p in folder.iterdir()] == ["already-here.txt"]
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]  # no staging left


def test_an_archive_of_the_other_kind_of_database_is_refused(source, target, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    assert _cli(source, "backup", str(archive)).exit_code == 0
    other = "sqlite" if ON_POSTGRES else "postgresql"

    def relabel(members):
        manifest = json.loads(members["manifest.json"])
        manifest["database"] = other
        members["manifest.json"] = json.dumps(manifest).encode()

    _rewrite(archive, relabel)
    result = _cli(target, "restore", str(archive))
    assert result.exit_code != 0
    assert other in result.output
    with target.app_context():
        assert inspect(db.engine).get_table_names() == []
        db.engine.dispose()


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_dump backs up PostgreSQL only")
def test_missing_pg_dump_is_named_with_its_debian_package(source, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    archive = tmp_path / "out" / "backup.tar.gz"
    archive.parent.mkdir()
    result = _cli(source, "backup", str(archive))
    assert result.exit_code != 0
    assert "pg_dump" in result.output
    assert "postgresql-client" in result.output
    assert list(archive.parent.iterdir()) == []


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite needs no external program")
def test_a_sqlite_backup_needs_no_external_program(source, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    archive = tmp_path / "backup.tar.gz"
    result = _cli(source, "backup", str(archive))
    assert result.exit_code == 0, result.output
    assert archive.is_file()


def test_an_older_archive_is_brought_up_to_date_by_the_migrations(source, target, tmp_path):
    from flask_migrate import upgrade
    from sqlalchemy import text

    _empty(source)
    with source.app_context():
        upgrade(revision="d7c62015d84c")  # before the latest migration
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (name, email, is_organiser, session_nonce, created_at) "
                    "VALUES ('A', 'old@example.org', false, 'n', '2026-01-01')"
                )
            )
        db.engine.dispose()
    archive = tmp_path / "old.tar.gz"
    assert _cli(source, "backup", str(archive)).exit_code == 0
    assert _manifest(archive)["migration_head"] == "d7c62015d84c"

    result = _cli(target, "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert "7a3c9e1f2b40" in result.output
    assert _emails(target) == {"old@example.org"}


def test_an_archive_from_a_newer_version_is_refused_before_anything_changes(
    source, target, tmp_path
):
    archive = tmp_path / "backup.tar.gz"
    assert _cli(source, "backup", str(archive)).exit_code == 0

    def newer(members):
        manifest = json.loads(members["manifest.json"])
        manifest["migration_head"] = "fff000fff000"
        members["manifest.json"] = json.dumps(manifest).encode()

    _rewrite(archive, newer)
    result = _cli(target, "restore", str(archive))
    assert result.exit_code != 0
    assert "fff000fff000" in result.output
    with target.app_context():
        assert inspect(db.engine).get_table_names() == []
        db.engine.dispose()


def test_restore_says_when_the_row_counts_differ_from_the_manifest(source, target, tmp_path):
    _add_users(source, 2)
    archive = tmp_path / "backup.tar.gz"
    assert _cli(source, "backup", str(archive)).exit_code == 0

    def miscount(members):
        manifest = json.loads(members["manifest.json"])
        manifest["row_counts"]["users"] += 1
        members["manifest.json"] = json.dumps(manifest).encode()

    _rewrite(archive, miscount)
    result = _cli(target, "restore", str(archive))
    assert result.exit_code != 0
    assert "users" in result.output.splitlines()[-1]


def test_a_forced_restore_replaces_tables_the_archive_does_not_hold(source, target, tmp_path):
    _add_users(source, 2)
    archive = tmp_path / "backup.tar.gz"
    assert _cli(source, "backup", str(archive)).exit_code == 0
    reset_database(target)
    _add_users(target, 4, prefix="replaced")
    with target.app_context(), db.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE from_a_newer_version (id INTEGER)")
        connection.exec_driver_sql("INSERT INTO from_a_newer_version VALUES (1)")

    result = _cli(target, "restore", "--force", str(archive))
    assert result.exit_code == 0, result.output
    assert _emails(target) == _emails(source)
    with target.app_context():
        assert "from_a_newer_version" not in inspect(db.engine).get_table_names()
        db.engine.dispose()


@pytest.mark.skipif(not ON_POSTGRES, reason="psql runs forced PostgreSQL restores")
def test_a_forced_restore_that_fails_half_way_leaves_postgresql_as_it_was(
    source, target, tmp_path, monkeypatch
):
    import shutil

    _add_users(source, 2)
    archive = tmp_path / "backup.tar.gz"
    assert _cli(source, "backup", str(archive)).exit_code == 0
    reset_database(target)
    _add_users(target, 3, prefix="kept")
    before = _emails(target)
    # A psql that runs the whole restore, then fails at its very end.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "pg_restore").symlink_to(shutil.which("pg_restore"))
    fake = bin_dir / "psql"
    fake.write_text(f'#!/bin/sh\nexec {shutil.which("psql")} "$@" -c "SELECT 1/0"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))

    result = _cli(target, "restore", "--force", str(archive))
    assert result.exit_code != 0
    assert "psql" in result.output
    assert _emails(target) == before


@pytest.mark.skipif(ON_POSTGRES, reason="PostgreSQL keeps no copy to put back")
def test_a_restore_that_fails_half_way_puts_sqlite_and_the_uploads_back(
    source, target, tmp_path, monkeypatch
):
    import facilitate.backup

    _add_users(source, 2)
    _add_uploads(source)
    archive = tmp_path / "backup.tar.gz"
    assert _cli(source, "backup", str(archive)).exit_code == 0
    reset_database(target)
    _add_users(target, 3, prefix="kept")
    before = _emails(target)
    kept = _add_uploads(target)

    def failing_upgrade():
        raise RuntimeError("migration failed")

    monkeypatch.setattr(facilitate.backup, "upgrade", failing_upgrade)
    with pytest.raises(RuntimeError):
        _cli(target, "restore", "--force", str(archive))
    assert _emails(target) == before
    folder = Path(target.config["UPLOAD_FOLDER"])
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == kept
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]


def test_postgresql_programs_get_the_password_from_the_environment_not_the_command_line():
    from sqlalchemy.engine import make_url

    from facilitate.backup.databases import client_url

    url = make_url("postgresql+psycopg://facilitate:s3cret@db.example:5432/facilitate")
    assert client_url(url) == "postgresql://facilitate@db.example:5432/facilitate"


def test_a_backup_that_fails_half_way_leaves_no_archive(source, tmp_path, monkeypatch):
    import facilitate.backup

    _add_uploads(source)

    def failing():
        raise OSError("disk full")

    monkeypatch.setattr(facilitate.backup, "_app_version", failing)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(OSError, match="disk full"):
        _cli(source, "backup", str(out / "backup.tar.gz"))
    assert list(out.iterdir()) == []
