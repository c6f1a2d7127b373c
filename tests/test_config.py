"""Configuration: safe defaults for the embedded demo, ``VELFERD_*`` variables over them, and a
production start that refuses to run with development settings."""

from __future__ import annotations

import os

import pytest

from velferd import create_app
from velferd.config import DEFAULT_SECRET_KEY, MIN_SECRET_KEY_LENGTH, ConfigurationError
from velferd.start_checks import StartRefused  # what the entry modules raise: exit 3, one line

PG = "postgresql+psycopg://velferd:secret@db.internal:5432/velferd"
#: Only what keeps the tests independent of what happens to be installed.
NO_ENTRY_POINTS = {"LOAD_PLUGIN_ENTRY_POINTS": False}
GOOD_SECRET = "m4Q7-vZ2pK9xR3tW8yB1nE6hJ0cL5fG_"  # 32 characters, as from secrets.token_urlsafe


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No VELFERD_* variable from the shell leaks in; the instance folder is a temporary one; an
    app built here starts no embedded sweeper thread (tests/conftest.py)."""
    for name in list(os.environ):
        if name.startswith("VELFERD_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("VELFERD_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("VELFERD_JOBS_EMBEDDED_SWEEP_INTERVAL_SECONDS", "0")  # no thread outlives the test


def refusal(monkeypatch, **variables: str) -> str:
    """Start with these VELFERD_* variables set; the message of the refusal that must follow."""
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as refused:
        create_app(NO_ENTRY_POINTS)
    return str(refused.value)


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


def test_postgresql_url_is_the_database_and_the_pool_does_not_ping(monkeypatch):
    """A lent connection's socket is checked instead (velferd.connection_check, tested on a real
    server in tests/test_connection_check.py)."""
    monkeypatch.setenv("VELFERD_DATABASE_URL", PG)
    app = create_app(NO_ENTRY_POINTS)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == PG
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"] == {}


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
    monkeypatch.setenv("VELFERD_SECRET_KEY", GOOD_SECRET)
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
    monkeypatch.setenv("VELFERD_SECRET_KEY", GOOD_SECRET)
    monkeypatch.setenv("VELFERD_DATABASE_URL", PG)
    app = create_app(NO_ENTRY_POINTS)
    assert app.config["ENV"] == "production"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == PG
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.test_client().get("/healthz").status_code == 200


def test_production_settings_can_come_as_overrides_too():
    app = create_app({**NO_ENTRY_POINTS, "ENV": "production", "SECRET_KEY": GOOD_SECRET, "DATABASE_URL": PG})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with pytest.raises(ConfigurationError, match="VELFERD_SECRET_KEY"):
        create_app({**NO_ENTRY_POINTS, "ENV": "production", "DATABASE_URL": PG})


def test_wsgi_entry_point_builds_the_app_from_the_environment(monkeypatch, tmp_path):
    """What gunicorn imports: `velferd.wsgi:app`, configured only by VELFERD_* variables."""
    import importlib
    import sys

    from velferd.migrate import upgrade

    monkeypatch.setenv("VELFERD_SQLITE_PATH", str(tmp_path / "wsgi.sqlite3"))
    monkeypatch.setenv("VELFERD_LOAD_PLUGIN_ENTRY_POINTS", "false")
    upgrade(create_app())  # a server refuses a database behind its schema (tests/test_schema_at_head.py)
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
    with pytest.raises(StartRefused, match="VELFERD_SECRET_KEY"):
        importlib.import_module("velferd.wsgi")
    sys.modules.pop("velferd.wsgi", None)


@pytest.mark.parametrize(("variable", "value", "reason"), [
    ("VELFERD_TOKEN_DAYS", "abc", "valid integer"),
    ("VELFERD_TOKEN_DAYS", "-5", "greater than or equal to 0"),
    ("VELFERD_SMTP_PORT", "70000", "less than or equal to 65535"),
    ("VELFERD_SMTP_STARTTLS", "perhaps", "valid boolean"),
    ("VELFERD_ENV", "prod", "'development' or 'production'"),
    ("VELFERD_SMTP_TIMEOUT", "soon", "valid number"),
    ("VELFERD_SMTP_TIMEOUT", "inf", "finite number"),
])
def test_a_bad_setting_refuses_to_start_naming_its_variable_and_the_reason(monkeypatch, variable, value, reason):
    message = refusal(monkeypatch, **{variable: value})
    assert f"{variable}:" in message and reason in message


def test_a_token_lifetime_that_does_not_parse_stops_the_start_not_the_first_token(monkeypatch):
    """The observed defect: VELFERD_TOKEN_DAYS=abc started, then creating a token was a 500."""
    assert "VELFERD_TOKEN_DAYS" in refusal(monkeypatch, VELFERD_TOKEN_DAYS="abc")


def test_every_bad_setting_is_named_in_one_message(monkeypatch):
    message = refusal(monkeypatch, VELFERD_TOKEN_DAYS="abc", VELFERD_SMTP_PORT="0")
    assert "VELFERD_TOKEN_DAYS" in message and "VELFERD_SMTP_PORT" in message


def test_the_refusal_never_repeats_the_value(monkeypatch):
    """The value may be a password pasted into the wrong variable: logs get the name only."""
    message = refusal(monkeypatch, VELFERD_SMTP_PORT="hunter2-the-smtp-password")
    assert "VELFERD_SMTP_PORT" in message and "hunter2" not in message


def test_a_bad_override_is_refused_too():
    with pytest.raises(ConfigurationError, match="TOKEN_DAYS"):
        create_app({**NO_ENTRY_POINTS, "TOKEN_DAYS": "a week"})


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False), ("1", True), ("0", False),
                                                 ("yes", True), ("off", False)])
def test_booleans_read_as_people_write_them(monkeypatch, value, expected):
    monkeypatch.setenv("VELFERD_SMTP_STARTTLS", value)
    assert create_app(NO_ENTRY_POINTS).config["SMTP_STARTTLS"] is expected


def test_text_settings_stay_text_and_null_is_none(monkeypatch):
    """Digits in a text setting are still text; JSON null (as a test worker's environment has it)
    is no value, and a JSON string is its text."""
    monkeypatch.setenv("VELFERD_SECRET_KEY", "12345678901234567890123456789012")
    monkeypatch.setenv("VELFERD_SMTP_USER", "null")
    monkeypatch.setenv("VELFERD_SMTP_HOST", '"mail.internal"')
    monkeypatch.setenv("VELFERD_SMTP_TIMEOUT", "2.5")
    config = create_app(NO_ENTRY_POINTS).config
    assert config["SECRET_KEY"] == "12345678901234567890123456789012"
    assert config["SMTP_USER"] is None
    assert config["SMTP_HOST"] == "mail.internal"
    assert config["SMTP_TIMEOUT"] == 2.5


@pytest.mark.parametrize(("secret", "reason"), [
    ("Zq8-short-but-random", f"shorter than {MIN_SECRET_KEY_LENGTH} characters"),
    ("changeme", "placeholder"),
    ("secret", "placeholder"),
    ("CHANGEME", "placeholder"),
    (DEFAULT_SECRET_KEY, "placeholder"),
    ("changeme" * 5, "different characters"),
    ("a" * 64, "different characters"),
])
def test_production_refuses_a_short_or_placeholder_secret_key(monkeypatch, secret, reason):
    message = refusal(monkeypatch, VELFERD_ENV="production", VELFERD_DATABASE_URL=PG, VELFERD_SECRET_KEY=secret)
    assert "VELFERD_SECRET_KEY" in message and reason in message
    assert len(secret) < 10 or secret not in message  # the key itself is never repeated


def test_development_keeps_its_development_key(monkeypatch):
    monkeypatch.setenv("VELFERD_SECRET_KEY", "short")
    assert create_app(NO_ENTRY_POINTS).config["SECRET_KEY"] == "short"


def import_fresh(module: str):
    """Import a server entry module as its server does: built at import, from the environment."""
    import importlib
    import sys

    sys.modules.pop(module, None)
    try:
        return importlib.import_module(module)
    finally:
        sys.modules.pop(module, None)


@pytest.fixture
def throwaway_role():
    """Make a login role on the test server with the given attributes; its URL, dropped after."""
    import uuid

    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from tests.databases import PG_URL

    server = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    made = []

    def make(attributes: str) -> str:
        name = f"velferd_cfg_{uuid.uuid4().hex[:8]}"
        with server.connect() as connection:
            connection.execute(sa.text(f"CREATE ROLE {name} LOGIN {attributes}"))
        made.append(name)
        return make_url(PG_URL).set(username=name, password=None).render_as_string(hide_password=False)

    yield make
    with server.connect() as connection:
        for name in made:
            connection.execute(sa.text(f"DROP ROLE {name}"))
    server.dispose()


@pytest.mark.postgres
def test_the_web_app_refuses_a_superuser_connection(monkeypatch):
    """The test server's own URL connects as root, a superuser: row-level security would be off."""
    from tests.databases import PG_URL

    monkeypatch.setenv("VELFERD_DATABASE_URL", PG_URL)
    monkeypatch.setenv("VELFERD_LOAD_PLUGIN_ENTRY_POINTS", "false")
    with pytest.raises(StartRefused) as refused:
        import_fresh("velferd.wsgi")
    assert "connects as a role with SUPERUSER" in str(refused.value)


@pytest.mark.postgres
def test_the_worker_refuses_a_superuser_connection(monkeypatch):
    from tests.databases import PG_URL

    monkeypatch.setenv("VELFERD_DATABASE_URL", PG_URL)
    monkeypatch.setenv("VELFERD_LOAD_PLUGIN_ENTRY_POINTS", "false")
    with pytest.raises(StartRefused, match="SUPERUSER"):
        import_fresh("velferd.worker")


@pytest.mark.postgres
def test_the_web_app_refuses_a_role_with_bypassrls(monkeypatch, throwaway_role):
    monkeypatch.setenv("VELFERD_DATABASE_URL", throwaway_role("NOSUPERUSER BYPASSRLS"))
    monkeypatch.setenv("VELFERD_LOAD_PLUGIN_ENTRY_POINTS", "false")
    with pytest.raises(StartRefused) as refused:
        import_fresh("velferd.wsgi")
    assert "connects as a role with BYPASSRLS, which" in str(refused.value)


@pytest.mark.postgres
def test_the_web_app_and_worker_start_as_a_role_under_row_level_security(monkeypatch, database):
    """The suite's app role (NOSUPERUSER NOBYPASSRLS) on its migrated database: servers refuse an
    unmigrated one (tests/test_schema_at_head.py)."""
    monkeypatch.setenv("VELFERD_DATABASE_URL", database.app_url)
    monkeypatch.setenv("VELFERD_LOAD_PLUGIN_ENTRY_POINTS", "false")
    monkeypatch.setenv("VELFERD_ENV", "production")
    monkeypatch.setenv("VELFERD_SECRET_KEY", GOOD_SECRET)
    wsgi = import_fresh("velferd.wsgi")
    assert wsgi.app.test_client().get("/healthz").status_code == 200
    monkeypatch.setenv("VELFERD_REDIS_URL", "redis://127.0.0.1:1/0")  # never contacted at import
    assert import_fresh("velferd.worker").celery is not None


def test_a_sqlite_app_has_no_role_to_check(tmp_path):
    from velferd.database_role import bypassing_attributes

    assert bypassing_attributes(create_app(NO_ENTRY_POINTS)) == []
