"""Configuration: defaults, instance/config.py, then FACILITATE_* variables."""

import os

from sqlalchemy import text

from facilitate import create_app
from facilitate.extensions import db


def _app(monkeypatch, tmp_path, **env):
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(
        "flask.Flask.auto_find_instance_path", lambda self: str(tmp_path / "instance")
    )
    return create_app()


def test_defaults_use_sqlite_in_instance_and_generate_a_private_secret(monkeypatch, tmp_path):
    app = _app(monkeypatch, tmp_path)
    instance = tmp_path / "instance"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'facilitate.sqlite3'}"
    secret_file = instance / "secret_key"
    assert app.config["SECRET_KEY"] == secret_file.read_text().strip()
    assert len(app.config["SECRET_KEY"]) >= 64
    assert secret_file.stat().st_mode & 0o077 == 0
    assert _app(monkeypatch, tmp_path).config["SECRET_KEY"] == app.config["SECRET_KEY"]  # kept


def test_environment_variables_override(monkeypatch, tmp_path):
    app = _app(
        monkeypatch,
        tmp_path,
        FACILITATE_DATABASE_URL="sqlite:////tmp/elsewhere.sqlite3",
        FACILITATE_SECRET_KEY="from-the-environment",
        FACILITATE_BASE_URL="https://facilitate.example.fr",
    )
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////tmp/elsewhere.sqlite3"
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["BASE_URL"] == "https://facilitate.example.fr"
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_instance_config_file_overrides_defaults(monkeypatch, tmp_path):
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "config.py").write_text(
        'SECRET_KEY = "from-instance"\nPROXY_FIX = 1\n'
    )
    app = _app(monkeypatch, tmp_path)
    assert app.config["SECRET_KEY"] == "from-instance"
    assert app.config["PROXY_FIX"] == 1


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_foreign_keys(monkeypatch, tmp_path):
    app = _app(monkeypatch, tmp_path)
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert os.path.exists(tmp_path / "instance" / "facilitate.sqlite3")
