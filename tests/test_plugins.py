"""Programme plugins: found through entry points, switched on per municipality, configured through
their own schema, withdrawn everywhere by the operator — and invisible where they are not enabled."""

from __future__ import annotations

import json
import sys
import textwrap

import pluggy
import pytest
import sqlalchemy as sa

from tests.conftest import _config
from tests.helpers import add_person, make_municipality, open_case, row_counts
from tests.plugins.example import ExamplePlugin
from velferd import create_app, tenants
from velferd.db import db
from velferd.migrate import current_heads
from velferd.models import AuditEvent, Case, CaseEvent, FormSubmission, OperatorAuditEvent, PluginBlock
from velferd.plugins.manager import PluginError
from velferd.tenancy import tenant_scope
from velferd.toolkit import Conflict, Manifest, Plugin, hookimpl

REFERRAL = {"motivation": "Needs a flat after the institution.", "criteria": ["leaving_institution"], "age": 18}
DEFAULTS = {"min_age": 16, "max_age": 23, "places": 10}
OPERATOR = ("drift@velferd.test", "operator passphrase")


class OutreachPlugin:
    """A second plugin, offered only in Denmark (like `dropin`)."""

    __name__ = "OutreachPlugin"

    @hookimpl
    def velferd_plugin(self):
        return Plugin(Manifest(id="outreach", title="Outreach at drop-in centres", version="0.1", countries=("DK",)))


class FullWaitingListPlugin(ExamplePlugin):
    """The example plugin, refusing every new case from its runtime hook."""

    @hookimpl
    def velferd_case_opened(self, tenant, case, actor):
        raise Conflict("the waiting list is full")


class MisspelledHookPlugin:
    __name__ = "MisspelledHookPlugin"

    @hookimpl
    def velferd_plugin(self):
        return Plugin(Manifest(id="typo", title="Typo", version="0.1"))

    @hookimpl
    def velferd_case_openned(self, tenant, case, actor):
        pass


@pytest.fixture
def build_app(db_url, database):
    """Build an app on the test database with the given plugin objects (instead of `app`)."""
    built = []

    def build(*plugins, **config):
        app = create_app(_config(db_url, database.owner_url or db_url, **config), plugins=plugins)
        built.append(app)
        return app

    yield build
    for app in built:
        with app.app_context():
            db.engine.dispose()



@pytest.fixture
def alta(app):
    return make_municipality(app, "alta", roles=("tenant_admin", "caseworker", "auditor"), plugins=())


def plugins_of(client, town, role="tenant_admin"):
    r = client.get(town.url("/plugins"), headers=town.staff[role].headers)
    assert r.status_code == 200, r.json
    return {p["id"]: p for p in r.json}


def enable(client, town, plugin_id="example", role="tenant_admin"):
    return client.put(town.url(f"/plugins/{plugin_id}/enabled"), headers=town.staff[role].headers)


def disable(client, town, plugin_id="example", role="tenant_admin"):
    return client.delete(town.url(f"/plugins/{plugin_id}/enabled"), headers=town.staff[role].headers)


def patch_settings(client, town, changes, plugin_id="example", role="tenant_admin"):
    return client.patch(town.url(f"/plugins/{plugin_id}/settings"), json=changes, headers=town.staff[role].headers)


def audit_actions(client, town, prefix="plugin."):
    r = client.get(town.url("/audit"), headers=town.tenant_admin.headers)
    assert r.status_code == 200, r.json
    return [(e["action"], e["record_id"]) for e in reversed(r.json) if e["action"].startswith(prefix)]


def hello(client, town, role="caseworker"):
    return client.get(town.url("/x/example/hello"), headers=town.staff[role].headers)


# --- one tenant enabled it, the other did not ------------------------------------------------

def test_plugin_works_for_the_tenant_that_enabled_it_and_is_invisible_for_the_other(
        app, client, bergen, alta, example_plugin):
    def attempts(town, person_id):
        headers = town.caseworker.headers
        return {
            "route": hello(client, town).status_code,
            "form schema": client.get(town.url("/forms/example/referral"), headers=headers).status_code,
            "submission": client.post(town.url("/forms/example/referral/submissions"), json={"data": REFERRAL},
                                      headers=headers).status_code,
            "rule": client.post(town.url("/rules/example/eligibility/evaluations"),
                                json={"inputs": {"age": 18, "criteria": ["needs_housing"]}}, headers=headers).status_code,
            "case": client.post(town.url("/cases"), json={"person_id": person_id, "plugin": "example"},
                                headers=headers).status_code,
        }

    assert attempts(bergen, add_person(client, bergen)["id"]) == {
        "route": 200, "form schema": 200, "submission": 201, "rule": 201, "case": 201}
    assert attempts(alta, add_person(client, alta)["id"]) == {
        "route": 404, "form schema": 404, "submission": 404, "rule": 404, "case": 404}
    assert sorted(example_plugin.calls) == [("case_opened", "bergen"), ("decision_recorded", "bergen"),
                                            ("form_submitted", "bergen")]
    assert not [call for call in example_plugin.calls if call[1] == "alta"]
    assert client.get(alta.url("/forms"), headers=alta.caseworker.headers).json == []


def test_a_runtime_hook_that_refuses_rolls_the_whole_request_back(build_app):
    app = build_app(FullWaitingListPlugin())
    bergen = make_municipality(app, "bergen", roles=("caseworker",))
    client = app.test_client()
    person = add_person(client, bergen)
    r = client.post(bergen.url("/cases"), json={"person_id": person["id"], "plugin": "example"},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 409
    assert r.json["message"] == "the waiting list is full"
    assert row_counts(app, Case, CaseEvent) == {"case_file": 0, "case_event": 0}
    with app.app_context(), tenant_scope(bergen.tenant):
        assert db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "case.created")).all() == []


# --- enablement through the API ---------------------------------------------------------------

def test_list_shows_only_the_plugins_offered_in_the_tenants_country(build_app):
    app = build_app(ExamplePlugin(), OutreachPlugin())
    client = app.test_client()
    bergen = make_municipality(app, "bergen", roles=("tenant_admin",), plugins=())
    odense = make_municipality(app, "odense", roles=("tenant_admin",), plugins=())
    assert sorted(plugins_of(client, bergen)) == ["example"]
    assert sorted(plugins_of(client, odense)) == ["example", "outreach"]
    assert client.get(bergen.url("/plugins/outreach"), headers=bergen.tenant_admin.headers).status_code == 404
    r = enable(client, bergen, "outreach")
    assert r.status_code == 404
    assert "not offered in NO" in r.json["message"]
    r = enable(client, odense, "outreach")
    assert r.status_code == 200, r.json
    assert r.json["enabled"] is True


def test_tenant_admin_enables_and_disables_a_plugin_and_each_change_is_audited(app, client, alta):
    assert plugins_of(client, alta)["example"] == {
        "id": "example", "title": "Example programme", "version": "1.0", "countries": ["NO", "DK"],
        "enabled": False, "settings": DEFAULTS}
    r = enable(client, alta)
    assert r.status_code == 200, r.json
    assert r.json["enabled"] is True
    assert hello(client, alta).status_code == 200
    assert enable(client, alta).status_code == 200  # idempotent, audited once
    r = disable(client, alta)
    assert r.status_code == 200 and r.json["enabled"] is False
    assert hello(client, alta).status_code == 404
    assert audit_actions(client, alta) == [("plugin.enabled", "example"), ("plugin.disabled", "example")]
    events = client.get(alta.url("/audit?action=plugin.enabled"), headers=alta.tenant_admin.headers).json
    assert [e["actor_id"] for e in events] == [alta.tenant_admin.user_id]


def test_enabling_an_unknown_plugin_is_404(client, alta):
    r = enable(client, alta, "nope")
    assert r.status_code == 404
    assert "no plugin 'nope' is installed" in r.json["message"]


@pytest.mark.parametrize("call", [enable, disable, lambda c, t, role: patch_settings(c, t, {"max_age": 25}, role=role)],
                         ids=["enable", "disable", "settings"])
def test_caseworker_cannot_change_plugins(client, bergen, call):
    r = call(client, bergen, role="caseworker")
    assert r.status_code == 403
    assert "plugins:manage" in r.json["message"]
    state = plugins_of(client, bergen, role="caseworker")["example"]  # reading is allowed
    assert (state["enabled"], state["settings"]) == (True, DEFAULTS)
    assert audit_actions(client, bergen) == [("plugin.enabled", "example")]  # only the fixture's


def test_settings_change_is_validated_stored_and_audited(client, bergen):
    r = patch_settings(client, bergen, {"max_age": 25})
    assert r.status_code == 200, r.json
    assert r.json["settings"] == {**DEFAULTS, "max_age": 25}
    assert hello(client, bergen).json["settings"]["max_age"] == 25
    events = client.get(bergen.url("/audit?action=plugin.settings_changed"), headers=bergen.tenant_admin.headers).json
    assert [(e["details"], e["actor_id"]) for e in events] == [({"changed": ["max_age"]}, bergen.tenant_admin.user_id)]


@pytest.mark.parametrize("changes, field", [
    ({"max_age": "twenty"}, "max_age"),
    ({"max_age": 99}, "max_age"),
    ({"places": -1}, "places"),
    ({"colour": "red"}, "colour"),
    ({"min_age": 17, "places": "many"}, "places"),
], ids=["wrong-type", "out-of-range", "negative", "unknown-key", "one-bad-of-two"])
def test_bad_settings_are_422_naming_the_field_and_nothing_is_stored(client, bergen, changes, field):
    r = patch_settings(client, bergen, changes)
    assert r.status_code == 422
    assert list(r.json["fields"]) == [field]
    assert field in r.json["message"]
    assert plugins_of(client, bergen)["example"]["settings"] == DEFAULTS
    assert ("plugin.settings_changed", "example") not in audit_actions(client, bergen)


def test_disabling_keeps_settings_and_data_and_re_enabling_brings_them_back(app, client, bergen):
    patch_settings(client, bergen, {"max_age": 25})
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    submitted = client.post(bergen.url("/forms/example/referral/submissions"),
                            json={"data": REFERRAL, "case_id": case["id"]}, headers=bergen.caseworker.headers).json
    assert disable(client, bergen).status_code == 200
    move = client.post(bergen.url(f"/cases/{case['id']}/transitions"), json={"transition": "assess"},
                       headers=bergen.caseworker.headers)
    assert move.status_code == 404
    # the record stays readable while the programme is off, like the case itself
    assert client.get(bergen.url(f"/forms/submissions/{submitted['id']}"),
                      headers=bergen.caseworker.headers).json["data"] == REFERRAL
    assert client.get(bergen.url(f"/cases/{case['id']}"), headers=bergen.caseworker.headers).status_code == 200
    assert row_counts(app, Case, FormSubmission) == {"case_file": 1, "form_submission": 1}

    r = enable(client, bergen)
    assert r.json["settings"] == {**DEFAULTS, "max_age": 25}
    assert client.get(bergen.url(f"/forms/submissions/{submitted['id']}"),
                      headers=bergen.caseworker.headers).json["data"] == REFERRAL
    move = client.post(bergen.url(f"/cases/{case['id']}/transitions"), json={"transition": "assess"},
                       headers=bergen.caseworker.headers)
    assert move.status_code == 200 and move.json["state"] == "assessed"
    assert audit_actions(client, bergen) == [
        ("plugin.enabled", "example"), ("plugin.settings_changed", "example"),
        ("plugin.disabled", "example"), ("plugin.enabled", "example")]


# --- the operator's block ---------------------------------------------------------------------

@pytest.fixture
def operator(app):
    with app.app_context():
        user = tenants.create_user(OPERATOR[0], "Driftsoperatør", OPERATOR[1], is_operator=True)
        db.session.commit()
        user_id = user.id
    client = app.test_client()
    r = client.post("/api/auth/login", json={"email": OPERATOR[0], "password": OPERATOR[1]})
    assert r.status_code == 200, r.json
    client.user_id = user_id
    return client


def operator_events(app):
    with app.app_context():
        return [(e.action, e.record_id, e.details, e.actor_id)
                for e in db.session.scalars(sa.select(OperatorAuditEvent).order_by(OperatorAuditEvent.id))]


def test_operator_block_withdraws_the_plugin_from_every_tenant_until_unblocked(app, client, bergen, alta, operator):
    reason = "security fix pending for the referral form"
    r = operator.put("/api/operator/plugins/example/block", json={"reason": reason})
    assert r.status_code == 204, r.json
    assert hello(client, bergen).status_code == 404
    assert client.get(bergen.url("/forms/example/referral"), headers=bergen.caseworker.headers).status_code == 404
    assert plugins_of(client, bergen) == {}
    for town in (bergen, alta):
        r = enable(client, town)
        assert r.status_code == 409
        assert reason in r.json["message"]
    assert patch_settings(client, bergen, {"max_age": 25}).status_code == 409
    assert operator_events(app) == [("plugin.blocked", "example", {"reason": reason}, operator.user_id)]

    assert operator.delete("/api/operator/plugins/example/block").status_code == 204
    assert hello(client, bergen).status_code == 200  # Bergen's own choice is back
    assert plugins_of(client, bergen)["example"]["enabled"] is True
    assert plugins_of(client, alta)["example"]["enabled"] is False
    assert operator_events(app)[-1][:2] == ("plugin.unblocked", "example")
    assert row_counts(app, PluginBlock) == {"plugin_block": 0}


def test_only_the_operator_may_block_a_plugin(app, client, bergen):
    staff = app.test_client()
    assert staff.post("/api/auth/login", json={"email": bergen.tenant_admin.email,
                                               "password": "correct horse battery"}).status_code == 200
    r = staff.put("/api/operator/plugins/example/block", json={"reason": "no"})
    assert r.status_code == 403
    assert app.test_client().put("/api/operator/plugins/example/block", json={"reason": "no"}).status_code == 401
    assert row_counts(app, PluginBlock) == {"plugin_block": 0}
    assert operator_events(app) == []
    assert hello(client, bergen).status_code == 200


@pytest.mark.parametrize("method, path, body", [
    ("post", "/api/operator/tenants", {"slug": "x"}),
    ("put", "/api/operator/plugins/example/block", {}),
    ("get", "/api/operator/login-events?limit=nonsense", None),
])
def test_a_stranger_is_told_to_log_in_before_anything_about_the_input(app, method, path, body):
    """An invalid body or query to an operator route is a 401 for a stranger, not a 422 that
    describes what the route would accept."""
    r = getattr(app.test_client(), method)(path, json=body)
    assert r.status_code == 401, r.json


@pytest.mark.parametrize("plugin_id, body, status", [
    ("nope", {"reason": "x"}, 404), ("example", {}, 422), ("example", {"reason": ""}, 422),
])
def test_block_of_an_unknown_plugin_or_without_a_reason_is_refused(app, operator, plugin_id, body, status):
    assert operator.put(f"/api/operator/plugins/{plugin_id}/block", json=body).status_code == status
    assert row_counts(app, PluginBlock) == {"plugin_block": 0}


def test_unblocking_a_plugin_that_is_not_blocked_is_404(operator):
    assert operator.delete("/api/operator/plugins/example/block").status_code == 404


# --- the command line -------------------------------------------------------------------------

def run(runner, *args):
    return runner.invoke(args=list(args))


def listed(runner, slug) -> list[tuple[str, str, dict]]:
    result = run(runner, "plugins", "list", "--tenant", slug)
    assert result.exit_code == 0, result.output
    return [(pid, state, json.loads(settings))
            for pid, state, settings in (line.split("\t") for line in result.output.splitlines())]


def test_cli_lists_enables_configures_and_disables_a_plugin(app, runner, alta):
    assert run(runner, "plugins", "list").output == "example\t1.0\tNO/DK\tExample programme\n"
    assert listed(runner, "alta") == [("example", "disabled", DEFAULTS)]
    result = run(runner, "plugins", "enable", "example", "--tenant", "alta")
    assert (result.exit_code, result.output) == (0, "example enabled for alta\n")
    result = run(runner, "plugins", "settings", "example", "--tenant", "alta", "--set", "max_age=25", "--set", "places=7")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {**DEFAULTS, "max_age": 25, "places": 7}
    result = run(runner, "plugins", "disable", "example", "--tenant", "alta")
    assert (result.exit_code, result.output) == (0, "example disabled for alta\n")
    assert listed(runner, "alta") == [("example", "disabled", {**DEFAULTS, "max_age": 25, "places": 7})]
    client = app.test_client()
    assert audit_actions(client, alta) == [("plugin.enabled", "example"), ("plugin.settings_changed", "example"),
                                           ("plugin.disabled", "example")]


@pytest.mark.parametrize("pair, field", [("max_age=old", "max_age"), ("max_age=99", "max_age"),
                                         ("colour=red", "colour")])
def test_cli_settings_with_a_bad_value_is_one_line_naming_the_field(runner, bergen, pair, field):
    result = run(runner, "plugins", "settings", "example", "--tenant", "bergen", "--set", pair)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and field in lines[0], result.output
    assert listed(runner, "bergen") == [("example", "enabled", DEFAULTS)]


def test_cli_enabling_an_unknown_plugin_says_so_in_one_line(runner, bergen):
    result = run(runner, "plugins", "enable", "nope", "--tenant", "bergen")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no plugin 'nope' is installed"


# --- entry points and start-up checks ---------------------------------------------------------

def install_distribution(tmp_path, monkeypatch, module: str, entry_point: str, manifest_id: str) -> None:
    """A real installed distribution on disk: a module and its dist-info with an entry point."""
    (tmp_path / f"{module}.py").write_text(textwrap.dedent(f'''
        from velferd.toolkit import FormSpec, Manifest, Plugin, hookimpl
        from marshmallow import Schema, fields

        class Contact(Schema):
            centre = fields.String(required=True)

        @hookimpl
        def velferd_plugin():
            return Plugin(Manifest(id={manifest_id!r}, title="Installed plugin", version="0.1", countries=("DK",)),
                          forms=[FormSpec("contact", 1, Contact)])
    '''))
    info = tmp_path / f"{module}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[velferd.plugins]\n{entry_point} = {module}\n")
    monkeypatch.syspath_prepend(str(tmp_path))


@pytest.fixture
def forget_modules():
    """Modules the test imports from tmp_path are dropped afterwards, so none leaks into another test."""
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        if name.startswith("velferd_test_installed"):
            del sys.modules[name]


def test_installed_plugin_is_found_through_its_entry_point(tmp_path, monkeypatch, forget_modules):
    install_distribution(tmp_path, monkeypatch, "velferd_test_installed_ok", "installed", "installed")
    app = create_app(_config("sqlite://", LOAD_PLUGIN_ENTRY_POINTS=True))
    registry = app.extensions["velferd.plugins"]
    assert registry.manifest("installed").title == "Installed plugin"
    assert ("installed", "contact") in registry.forms
    assert create_app(_config("sqlite://")).extensions["velferd.plugins"].manifest("installed") is None  # off in tests


def test_entry_point_name_differing_from_the_manifest_id_fails_at_start_up(tmp_path, monkeypatch, forget_modules):
    install_distribution(tmp_path, monkeypatch, "velferd_test_installed_bad", "installed_as", "declared_as")
    with pytest.raises(PluginError, match="registered as 'installed_as' declares manifest id 'declared_as'"):
        create_app(_config("sqlite://", LOAD_PLUGIN_ENTRY_POINTS=True))


def test_misspelled_hook_fails_check_pending_at_start_up():
    with pytest.raises(pluggy.PluginValidationError, match="velferd_case_openned"):
        create_app(_config("sqlite://"), plugins=[MisspelledHookPlugin()])


# --- migrations -------------------------------------------------------------------------------

MIGRATION = '''
"""Outreach: contacts at the drop-in centre."""
import sqlalchemy as sa
from alembic import op
from velferd.toolkit import enable_tenant_rls

revision = "outreach_0001"
down_revision = None
branch_labels = ("outreach",)
depends_on = "0001_core"


def upgrade() -> None:
    op.create_table(
        "outreach_contact",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenant.id"), nullable=False, index=True),
        sa.Column("centre", sa.String(200), nullable=False),
    )
    enable_tenant_rls(op, "outreach_contact")


def downgrade() -> None:
    op.drop_table("outreach_contact")
'''


def test_plugin_migrations_are_their_own_branch_and_run_with_db_upgrade(tmp_path):
    versions = tmp_path / "outreach_migrations"
    versions.mkdir()
    (versions / "outreach_0001.py").write_text(MIGRATION)

    class OutreachWithTables(OutreachPlugin):
        @hookimpl
        def velferd_plugin(self):
            return Plugin(Manifest(id="outreach", title="Outreach", version="0.2", countries=("DK",),
                                   migrations=str(versions)))

    path = tmp_path / "fresh.sqlite3"
    app = create_app(_config(f"sqlite:///{path}"), plugins=[OutreachWithTables()])
    assert "outreach_0001" in current_heads(app)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        assert {"tenant", "case_file", "outreach_contact"} <= set(sa.inspect(engine).get_table_names())
        with engine.connect() as conn:
            # the plugin's branch starts from the core's first revision: both heads are recorded
            heads = set(conn.scalars(sa.text("select version_num from alembic_version")))
            assert "outreach_0001" in heads and heads == set(current_heads(app))  # the core's head too, whichever it is
    finally:
        engine.dispose()
    assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
