"""The ``velferd`` command as an operator uses it: clear one-line errors, never a traceback."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from tests.conftest import _config
from tests.helpers import ORGNR, row_counts
from tests.owner import owner_execute
from velferd import create_app
from velferd.db import db
from velferd.identity import parse_national_id
from velferd.migrate import current_heads
from velferd.models import ApiToken, Membership, Person, Tenant, Unit, User
from velferd.tenancy import tenant_scope


def run(runner, *args, **kwargs):
    return runner.invoke(args=list(args), **kwargs)


def create_bergen(runner, slug="bergen", orgnr=ORGNR["bergen"]):
    return run(runner, "tenant", "create", "--slug", slug, "--name", "Bergen kommune", "--country", "NO",
               "--organisation-number", orgnr)


def assert_one_line_error(result, *words):
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    for word in words:
        assert word in lines[0]


# --- tenant create ----------------------------------------------------------------------------

def test_tenant_create_makes_a_municipality_with_its_country_defaults(app, runner):
    result = create_bergen(runner)
    assert result.exit_code == 0, result.output
    assert result.output == "created tenant bergen (Bergen kommune, NO, Europe/Oslo)\n"
    with app.app_context():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "bergen"))
    assert (tenant.organisation_number, tenant.currency, tenant.locale) == (ORGNR["bergen"], "NOK", "nb")
    assert "bergen\tBergen kommune\tNO" in run(runner, "tenant", "list").output


def test_tenant_create_accepts_an_organisation_number_with_spaces(app, runner):
    result = create_bergen(runner, orgnr="964 338 531")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("orgnr, reason", [
    ("964338532", "wrong check digit"), ("96433853", "must be 9 digits"), ("", "Required"),
], ids=["check-digit", "length", "empty"])
def test_tenant_create_with_an_invalid_organisation_number_names_the_field(app, runner, orgnr, reason):
    result = create_bergen(runner, orgnr=orgnr)
    assert_one_line_error(result, "organisation_number", reason)
    assert result.exit_code == 1
    assert row_counts(app, Tenant) == {"tenant": 0}


def test_tenant_create_with_a_taken_slug_says_so(app, runner):
    create_bergen(runner)
    result = create_bergen(runner, orgnr=ORGNR["alta"])
    assert_one_line_error(result, "slug", "exists already")
    assert row_counts(app, Tenant) == {"tenant": 1}


def test_tenant_create_with_a_taken_organisation_number_says_so(app, runner):
    create_bergen(runner)
    result = create_bergen(runner, slug="bergen-2")
    assert_one_line_error(result, "organisation_number")
    assert row_counts(app, Tenant) == {"tenant": 1}


@pytest.mark.parametrize("slug", ["Bergen", "bergen kommune", "-bergen", "b", "bergen/alta"])
def test_tenant_create_with_a_slug_unfit_for_urls_names_the_field(app, runner, slug):
    result = create_bergen(runner, slug=slug)
    assert_one_line_error(result, "slug")
    assert row_counts(app, Tenant) == {"tenant": 0}


def test_tenant_create_with_an_unknown_country_is_a_usage_error(app, runner):
    result = run(runner, "tenant", "create", "--slug", "malmo", "--name", "Malmö", "--country", "SE",
                 "--organisation-number", "2120001124")
    assert result.exit_code == 2
    assert "--country" in result.output
    assert "Traceback" not in result.output


# --- users and tokens -------------------------------------------------------------------------

def test_user_create_makes_a_member_who_can_log_in(app, runner):
    create_bergen(runner)
    result = run(runner, "user", "create", "--email", "Kari@Bergen.test", "--name", "Kari Nordmann",
                 "--password", "gulrot kanel fjordbåt", "--tenant", "bergen", "--role", "caseworker")
    assert result.exit_code == 0, result.output
    assert result.output == "created user kari@bergen.test in bergen as caseworker\n"
    (stored,) = owner_execute(app, "select password_hash from app_user where email = 'kari@bergen.test'")
    assert stored[0].startswith("$argon2")
    client = app.test_client()
    assert client.post("/api/auth/login", json={"email": "kari@bergen.test",
                                                "password": "gulrot kanel fjordbåt"}).status_code == 200
    assert client.get("/api/t/bergen/persons").status_code == 200
    assert client.get("/api/t/bergen/audit").status_code == 403  # a caseworker, nothing more


def test_user_create_asks_for_the_password_twice_when_not_given(app, runner):
    create_bergen(runner)
    result = run(runner, "user", "create", "--email", "leader@bergen.test", "--name", "Leder", "--tenant", "bergen",
                 "--role", "leader", "--role", "caseworker", input="gulrot kanel fjordbåt\ngulrot kanel fjordbåt\n")
    assert result.exit_code == 0, result.output
    assert "gulrot kanel fjordbåt" not in result.output
    assert "in bergen as leader, caseworker" in result.output
    r = app.test_client().post("/api/auth/login", json={"email": "leader@bergen.test", "password": "gulrot kanel fjordbåt"})
    assert r.status_code == 200


def test_user_create_with_an_unknown_role_creates_nobody(app, runner):
    create_bergen(runner)
    result = run(runner, "user", "create", "--email", "x@bergen.test", "--name", "X", "--password", "gulrot kanel fjordbåt",
                 "--tenant", "bergen", "--role", "superuser")
    assert_one_line_error(result, "unknown roles: superuser", "roles")
    assert row_counts(app, User, Membership) == {"app_user": 0, "membership": 0}


def test_user_create_in_an_unknown_tenant_creates_nobody(app, runner):
    result = run(runner, "user", "create", "--email", "x@nowhere.test", "--name", "X", "--password", "gulrot kanel fjordbåt",
                 "--tenant", "nowhere")
    assert result.exit_code == 2
    assert "no tenant 'nowhere'" in result.output
    assert "Traceback" not in result.output
    assert row_counts(app, User) == {"app_user": 0}


def test_user_create_with_a_taken_email_says_so(app, runner):
    run(runner, "user", "create", "--email", "op@velferd.test", "--name", "Op", "--password", "gulrot kanel fjordbåt", "--operator")
    result = run(runner, "user", "create", "--email", "OP@velferd.test", "--name", "Op 2", "--password", "tyttebær lakris ferje")
    assert_one_line_error(result, "exists already", "email")
    assert row_counts(app, User) == {"app_user": 1}


def test_user_token_prints_a_working_token_once(app, runner):
    create_bergen(runner)
    run(runner, "user", "create", "--email", "kari@bergen.test", "--name", "Kari", "--password", "gulrot kanel fjordbåt",
        "--tenant", "bergen", "--role", "caseworker")
    result = run(runner, "user", "token", "--email", "kari@bergen.test", "--tenant", "bergen", "--name", "import")
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("vf.bergen.")
    r = app.test_client().get("/api/t/bergen/persons", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    with app.app_context():
        bergen = db.session.scalar(sa.select(Tenant))
        with tenant_scope(bergen):
            stored = db.session.scalar(sa.select(ApiToken))
    assert stored.name == "import"
    assert token.split(".", 2)[2] not in (stored.token_hash, stored.prefix)
    assert abs(stored.expires_at - dt.datetime.now(dt.UTC) - dt.timedelta(days=90)) < dt.timedelta(minutes=1)


def test_user_token_for_an_unknown_user_is_a_usage_error(app, runner):
    create_bergen(runner)
    result = run(runner, "user", "token", "--email", "nobody@bergen.test", "--tenant", "bergen")
    assert result.exit_code == 2
    assert "no user with e-mail nobody@bergen.test" in result.output
    assert row_counts(app, ApiToken) == {"api_token": 0}


# --- database and demo ------------------------------------------------------------------------

def test_db_upgrade_builds_the_schema_on_a_fresh_sqlite_file(tmp_path):
    path = tmp_path / "fresh.sqlite3"
    app = create_app(_config(f"sqlite:///{path}"))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "database is at " + ", ".join(current_heads(app))
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        tables = set(sa.inspect(engine).get_table_names())
        assert {"tenant", "app_user", "membership", "api_token", "person", "case_file", "case_event", "decision",
                "form_submission", "audit_event", "tenant_plugin", "alembic_version"} <= tables
        with engine.connect() as conn:
            versions = set(conn.scalars(sa.text("select version_num from alembic_version")))
        assert versions == set(current_heads(app))
    finally:
        engine.dispose()
    again = runner.invoke(args=["db", "upgrade"])
    assert again.exit_code == 0, again.output


def _demo_counts(app) -> dict:
    return row_counts(app, Tenant, User, Membership, Person, Unit)


def test_demo_seed_creates_four_municipalities_with_staff_and_synthetic_citizens(app, runner):
    result = run(runner, "demo", "seed")
    assert result.exit_code == 0, result.output
    assert "velferd-demo-2026" in result.output
    with app.app_context():
        towns = {t.slug: t for t in db.session.scalars(sa.select(Tenant))}
        assert sorted(towns) == ["alta", "bergen", "kristiansand", "odense"]
        for slug, town in towns.items():
            with tenant_scope(town):
                people = db.session.scalars(sa.select(Person)).all()
                staff = db.session.scalars(sa.select(Membership)).all()
            assert len(people) == 20, slug
            assert sorted(r for m in staff for r in m.roles) == sorted(
                ["tenant_admin", "caseworker", "coordinator", "leader", "finance", "auditor"])
            for person in people:
                parsed = parse_national_id(person.national_id, town.country)
                assert parsed.birth_date == person.birth_date
                if town.country == "NO":
                    assert parsed.synthetic, f"{slug}: {parsed.masked} is not a synthetic number"
    assert _demo_counts(app) == {"tenant": 4, "app_user": 25, "membership": 24, "person": 80, "unit": 11}
    r = app.test_client().post("/api/auth/login", json={"email": "caseworker@odense.demo", "password": "velferd-demo-2026"})
    assert r.status_code == 200


def test_demo_seed_twice_creates_nothing_more(app, runner):
    assert run(runner, "demo", "seed").exit_code == 0
    first = _demo_counts(app)
    result = run(runner, "demo", "seed")
    assert result.exit_code == 0, result.output
    assert _demo_counts(app) == first


# --- the installed command: outside the project, --version, help -----------------------------

def velferd(*args: str, cwd, env_extra: dict | None = None):
    """The real `velferd` console script, in a folder of the test's own, without any VELFERD_*
    setting from the shell (as a new user would run it)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith("VELFERD_")}
    env.update(env_extra or {})
    script = Path(sys.executable).parent / "velferd"
    return subprocess.run([str(script), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def assert_says_upgrade_first(result):
    assert result.returncode != 0
    assert "run `velferd db upgrade` first" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_command_before_db_upgrade_says_so_and_creates_no_database(tmp_path):
    """Observed: `velferd tenant list` outside the project created an empty instance/velferd.sqlite3
    and died with a traceback about `no such table: tenant`."""
    result = velferd("tenant", "list", cwd=tmp_path)
    assert_says_upgrade_first(result)
    assert not (tmp_path / "instance" / "velferd.sqlite3").exists()
    assert_says_upgrade_first(velferd("demo", "seed", cwd=tmp_path))
    assert not (tmp_path / "instance" / "velferd.sqlite3").exists()


def test_after_db_upgrade_the_same_command_runs(tmp_path):
    upgraded = velferd("db", "upgrade", cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    assert (tmp_path / "instance" / "velferd.sqlite3").exists()
    listed = velferd("tenant", "list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == ""


def test_an_empty_database_file_says_to_upgrade_first(tmp_path):
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "velferd.sqlite3").touch()
    result = velferd("tenant", "list", cwd=tmp_path)
    assert_says_upgrade_first(result)
    assert "no tables yet" in result.stderr


def test_help_works_before_any_database_exists(tmp_path):
    result = velferd("tenant", "create", "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "--organisation-number" in result.stdout
    assert not (tmp_path / "instance" / "velferd.sqlite3").exists()


def test_a_database_behind_this_version_says_to_upgrade_first(tmp_path):
    from velferd.migrate import upgrade
    from velferd.schema_state import schema_problem

    app = create_app({"SQLITE_PATH": str(tmp_path / "old.sqlite3"), "LOAD_PLUGIN_ENTRY_POINTS": False})
    upgrade(app, "0001_core")
    assert "is not up to date" in schema_problem(app) and "velferd db upgrade" in schema_problem(app)
    upgrade(app)
    assert schema_problem(app) is None


def test_a_bad_setting_stops_a_command_with_one_message_naming_it(tmp_path):
    result = velferd("tenant", "list", cwd=tmp_path, env_extra={"VELFERD_TOKEN_DAYS": "abc"})
    assert result.returncode != 0
    assert "VELFERD_TOKEN_DAYS: Input should be a valid integer" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_version_is_velferds_own(tmp_path):
    from importlib.metadata import version

    result = velferd("--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"velferd {version('velferd')}"
    assert "Flask" not in result.stdout


def test_every_command_and_option_has_help(monkeypatch, tmp_path):
    """Walks the whole command tree as `velferd --help` builds it (core, billing, jobs, the
    installed plugins, Flask's and flask-smorest's commands) and lists what has no help text."""
    import click

    from velferd.cli import build_command

    monkeypatch.setenv("VELFERD_INSTANCE_PATH", str(tmp_path / "instance"))
    root = build_command()
    missing = []
    with root.make_context("velferd", ["--help"], resilient_parsing=True) as ctx:
        def walk(command: click.Command, path: str) -> None:
            if not (command.help or command.short_help):
                missing.append(path)
            missing.extend(f"{path} {param.opts[0]}" for param in command.params
                           if isinstance(param, click.Option) and not param.help)
            if isinstance(command, click.Group):
                for name in command.list_commands(ctx):
                    walk(command.get_command(ctx, name), f"{path} {name}")

        walk(root, "velferd")
        assert {"db", "tenant", "user", "plugins", "invoices", "jobs", "demo"} <= set(root.list_commands(ctx))
    assert missing == []


def test_the_suites_migrated_database_has_no_schema_problem(app):
    """On PostgreSQL the app role may not read alembic_version: the check then rests on the tables."""
    from velferd.schema_state import schema_problem

    assert schema_problem(app) is None


def test_every_demo_login_printed_opens_the_web_pages(app, runner):
    """What a newcomer does after `make demo`: take a printed login to http://127.0.0.1:5000/."""
    result = run(runner, "demo", "seed")
    printed = sorted(set(re.findall(r"[\w.-]+@[\w-]+\.demo", result.output)))
    assert "caseworker@bergen.demo" in printed and "finance@kristiansand.demo" in printed
    assert len(printed) == 25  # every staff member of the four towns and the operator
    assert "http://127.0.0.1:5000/t/bergen/" in result.output
    for email in printed:
        client = app.test_client()
        r = client.post("/login", data={"email": email, "password": "velferd-demo-2026"})
        assert r.status_code == 302, email
        assert client.get(r.headers["Location"]).status_code in (200, 302), email
