"""Configuration: safe defaults for the embedded demo, ``VELFERD_*`` variables over them, and a
production start that refuses to run with development settings."""

from __future__ import annotations

import os

import pytest

from velferd import create_app
from velferd.config import DEFAULT_SECRET_KEY, ConfigurationError

PG = "postgresql+psycopg://velferd:secret@db.internal:5432/velferd"
#: Only what keeps the tests independent of what happens to be installed.
NO_ENTRY_POINTS = {"LOAD_PLUGIN_ENTRY_POINTS": False}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No VELFERD_* variable from the shell leaks in; the instance folder is a temporary one."""
    for name in list(os.environ):
        if name.startswith("VELFERD_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("VELFERD_INSTANCE_PATH", str(tmp_path / "instance"))


def test_defaults_are_sqlite_in_the_instance_folder_and_development(tmp_path):
    app = create_app(NO_ENTRY_POINTS)
    assert app.config["ENV"] == "development"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'instance' / 'velferd.sqlite3'}"
    assert app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY
    assert app.config["REDIS_URL"] is None
    assert app.config["TOKEN_DAYS"] == 90
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert (tmp_path / "instance").is_dir()


def test_environment_variables_override_the_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("VELFERD_DATABASE_URL", f"sqlite:///{tmp_path / 'other.sqlite3'}")
    monkeypatch.setenv("VELFERD_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("VELFERD_TOKEN_DAYS", "30")
    monkeypatch.setenv("VELFERD_REDIS_URL", "redis://cache:6379/2")
    monkeypatch.setenv("VELFERD_LOAD_PLUGIN_ENTRY_POINTS", "false")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'other.sqlite3'}"
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["TOKEN_DAYS"] == 30  # parsed as JSON: a number, not "30"
    assert app.config["REDIS_URL"] == "redis://cache:6379/2"
    assert app.config["LOAD_PLUGIN_ENTRY_POINTS"] is False


def test_explicit_overrides_win_over_the_environment(monkeypatch):
    monkeypatch.setenv("VELFERD_TOKEN_DAYS", "30")
    app = create_app({**NO_ENTRY_POINTS, "TOKEN_DAYS": 7})
    assert app.config["TOKEN_DAYS"] == 7


def test_postgresql_url_gets_pool_pre_ping(monkeypatch):
    monkeypatch.setenv("VELFERD_DATABASE_URL", PG)
    app = create_app(NO_ENTRY_POINTS)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == PG
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}


def test_production_with_the_default_secret_key_refuses_to_start(monkeypatch):
    monkeypatch.setenv("VELFERD_ENV", "production")
    monkeypatch.setenv("VELFERD_DATABASE_URL", PG)
    with pytest.raises(ConfigurationError) as refused:
        create_app(NO_ENTRY_POINTS)
    assert "VELFERD_SECRET_KEY" in str(refused.value)
    assert "VELFERD_DATABASE_URL" not in str(refused.value)


@pytest.mark.parametrize("secret", ["", DEFAULT_SECRET_KEY])
def test_production_with_an_empty_or_default_secret_from_the_environment_refuses_to_start(monkeypatch, secret):
    monkeypatch.setenv("VELFERD_ENV", "production")
    monkeypatch.setenv("VELFERD_DATABASE_URL", PG)
    monkeypatch.setenv("VELFERD_SECRET_KEY", secret)
    with pytest.raises(ConfigurationError, match="VELFERD_SECRET_KEY"):
        create_app(NO_ENTRY_POINTS)


def test_production_without_a_database_url_refuses_to_start(monkeypatch):
    monkeypatch.setenv("VELFERD_ENV", "production")
    monkeypatch.setenv("VELFERD_SECRET_KEY", "a-long-random-production-secret")
    with pytest.raises(ConfigurationError) as refused:
        create_app(NO_ENTRY_POINTS)
    assert "VELFERD_DATABASE_URL" in str(refused.value)
    assert "VELFERD_SECRET_KEY" not in str(refused.value)


def test_production_missing_both_names_both_in_one_message(monkeypatch):
    monkeypatch.setenv("VELFERD_ENV", "production")
    with pytest.raises(ConfigurationError) as refused:
        create_app(NO_ENTRY_POINTS)
    assert "VELFERD_SECRET_KEY" in str(refused.value) and "VELFERD_DATABASE_URL" in str(refused.value)


def test_production_with_secret_and_database_starts_with_secure_cookies(monkeypatch):
    monkeypatch.setenv("VELFERD_ENV", "production")
    monkeypatch.setenv("VELFERD_SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("VELFERD_DATABASE_URL", PG)
    app = create_app(NO_ENTRY_POINTS)
    assert app.config["ENV"] == "production"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == PG
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.test_client().get("/healthz").status_code == 200


def test_production_settings_can_come_as_overrides_too():
    app = create_app({**NO_ENTRY_POINTS, "ENV": "production", "SECRET_KEY": "s3cret-from-a-vault", "DATABASE_URL": PG})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with pytest.raises(ConfigurationError, match="VELFERD_SECRET_KEY"):
        create_app({**NO_ENTRY_POINTS, "ENV": "production", "DATABASE_URL": PG})


def test_wsgi_entry_point_builds_the_app_from_the_environment(monkeypatch, tmp_path):
    """What gunicorn imports: `velferd.wsgi:app`, configured only by VELFERD_* variables."""
    import importlib
    import sys

    monkeypatch.setenv("VELFERD_SQLITE_PATH", str(tmp_path / "wsgi.sqlite3"))
    monkeypatch.setenv("VELFERD_LOAD_PLUGIN_ENTRY_POINTS", "false")
    sys.modules.pop("velferd.wsgi", None)
    wsgi = importlib.import_module("velferd.wsgi")
    assert wsgi.app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'wsgi.sqlite3'}"
    assert wsgi.app.test_client().get("/healthz").status_code == 200


def test_wsgi_entry_point_refuses_an_incomplete_production_configuration(monkeypatch):
    import importlib
    import sys

    monkeypatch.setenv("VELFERD_ENV", "production")
    monkeypatch.delenv("VELFERD_SECRET_KEY", raising=False)
    sys.modules.pop("velferd.wsgi", None)
    with pytest.raises(ConfigurationError, match="VELFERD_SECRET_KEY"):
        importlib.import_module("velferd.wsgi")
    sys.modules.pop("velferd.wsgi", None)
