"""The hook contract cannot drift (datasette style): every hookspec has a docstring, is documented
in docs/plugins.md under its exact signature, and has a ``test_hook_<name>`` test — the ones below
prove each hook's behaviour through the app with the example plugin (tests/plugins/example.py),
for Bergen, which enabled it, and not for Alta, which did not."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.helpers import add_person, make_municipality, open_case, row_counts
from tests.plugins.example import ExamplePlugin
from velferd import demo
from velferd.db import db
from velferd.demo import DemoTenant
from velferd.errors import Conflict
from velferd.jobs import enqueue
from velferd.models import Case, Decision, FormSubmission, Tenant, User
from velferd.plugins import hookspecs
from velferd.plugins.enablement import enabled_plugin_ids
from velferd.plugins.hookspecs import hookimpl
from velferd.plugins.manager import PluginError, build_registry
from velferd.plugins.specs import BeatEntry, Manifest, Plugin, TaskSpec
from velferd.tenancy import tenant_scope

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "plugins.md"
TESTS = ROOT / "tests"
HOOKS = {
    name: fn for name, fn in vars(hookspecs).items()
    if name.startswith("velferd_") and hasattr(fn, f"{hookspecs.PROJECT}_spec")
}
REFERRAL = {"motivation": "Wants a flat and a job.", "criteria": ["needs_housing"], "age": 19}


def parameters(hook) -> list[str]:
    return list(inspect.signature(hook).parameters)


def documented_signatures() -> dict[str, list[str]]:
    """Hook name → parameter names, from headings like ### `velferd_case_opened(tenant, case, actor)`."""
    found = {}
    for match in re.finditer(r"^#{2,4} `(velferd_\w+)\(([^)]*)\)`\s*$", DOCS.read_text(encoding="utf-8"), re.M):
        found[match.group(1)] = [p.strip() for p in match.group(2).split(",") if p.strip()]
    return found


def function_names_in_tests() -> set[str]:
    names = set()
    for path in TESTS.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names |= {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return names


# --- the contract -----------------------------------------------------------------------------

def test_hookspecs_are_found():
    """One declaration hook, and runtime hooks for behaviour only."""
    assert set(HOOKS) == {"velferd_plugin", "velferd_case_opened", "velferd_case_transitioned",
                          "velferd_form_submitted", "velferd_decision_recorded", "velferd_demo_seed",
                          "velferd_person_data"}


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_hookspec_has_a_docstring_saying_when_it_is_called(name):
    doc = inspect.getdoc(HOOKS[name]) or ""
    assert doc.strip(), f"hookspec {name} has no docstring"
    assert "Used by" in doc, f"hookspec {name} does not say which programmes use it"


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_hookspec_is_declaration_without_arguments_or_runtime_with_the_tenant_first(name):
    params = parameters(HOOKS[name])
    assert params == [] or params[0] == "tenant", f"{name}{tuple(params)}: runtime hooks take the tenant first"


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_hookspec_is_documented_with_its_exact_signature(name):
    documented = documented_signatures()
    assert name in documented, f"docs/plugins.md has no heading ### `{name}({', '.join(parameters(HOOKS[name]))})`"
    assert documented[name] == parameters(HOOKS[name]), f"docs/plugins.md documents {name} with other parameters"


def test_docs_document_no_hook_that_does_not_exist():
    assert set(documented_signatures()) <= set(HOOKS)


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_hookspec_has_a_test_hook_function(name):
    assert f"test_hook_{name}" in function_names_in_tests(), f"no test function test_hook_{name} under tests/"


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def alta(app):
    return make_municipality(app, "alta", roles=("tenant_admin", "caseworker", "leader"), plugins=())


def calls_for(plugin, slug: str) -> list[str]:
    return [hook for hook, tenant in plugin.calls if tenant == slug]


def registry_of(app):
    return app.extensions["velferd.plugins"]


# --- the declaration hook: one Plugin, each part checked ---------------------------------------

def test_hook_velferd_plugin(app):
    """The example plugin's one declaration is indexed part by part, under its id."""
    plugins = registry_of(app)
    declared = plugins.declarations["example"]
    assert plugins.manifest("example") is declared.manifest
    assert plugins.workflow_for("example") is declared.workflow
    assert list(plugins.forms) == [("example", "referral")] and list(plugins.rules) == [("example", "eligibility")]
    assert plugins.beat_entries["example"] == list(declared.beat_entries)
    assert plugins.invoice_line_providers["example"] == list(declared.invoice_line_providers)


class Declares:
    """A plugin whose declaration is whatever the test gives it."""

    def __init__(self, declared):
        self.declared = declared

    @hookimpl
    def velferd_plugin(self):
        return self.declared


MINIMAL = Manifest(id="minimal", title="Minimal", version="1")


@pytest.mark.parametrize("changes, message", [
    ({"workflow": [ExamplePlugin().velferd_plugin().workflow]}, "Plugin.workflow must be one Workflow or None"),
    ({"forms": "referral"}, "Plugin.forms must be a list or tuple of FormSpec"),
    ({"tasks": [TaskSpec("minimal.t", lambda ctx: None), "minimal.u"]}, "Plugin.tasks must be a list or tuple of TaskSpec"),
    ({"beat_entries": [("daily", "minimal.t", "0 7 * * *")]}, "Plugin.beat_entries must be a list or tuple of BeatEntry"),
    ({"blueprints": "velferd_due.api"}, "Plugin.blueprints must be 'module:attribute'"),
    ({"manifest": {"id": "minimal"}}, "Plugin.manifest must be a Manifest"),
])
def test_a_declaration_field_of_the_wrong_type_stops_the_start_naming_plugin_and_field(changes, message):
    declared = Plugin(**{"manifest": MINIMAL, **changes})
    with pytest.raises(PluginError, match=re.escape(message)) as error:
        build_registry([Declares(declared)], load_entry_points=False)
    assert "Declares" in str(error.value)  # which plugin


def test_a_declaration_that_is_not_a_plugin_or_missing_stops_the_start():
    with pytest.raises(PluginError, match="velferd_plugin must return a velferd.toolkit.Plugin, not Manifest"):
        build_registry([Declares(MINIMAL)], load_entry_points=False)

    class Silent:
        @hookimpl
        def velferd_case_opened(self, tenant, case, actor):
            pass

    with pytest.raises(PluginError, match="does not implement velferd_plugin"):
        build_registry([Silent()], load_entry_points=False)


def test_blueprints_named_by_module_attribute_are_imported_when_the_registry_is_built():
    """"module:attribute" keeps a plugin's routes (and flask-smorest) out of its import."""
    import sys

    import velferd_due

    assert velferd_due.PLUGIN.blueprints == "velferd_due.api:blp"
    plugins = build_registry([Declares(Plugin(MINIMAL, blueprints="velferd_due.api:blp"))], load_entry_points=False)
    assert [bp.name for bp in plugins.blueprints["minimal"]] == [sys.modules["velferd_due.api"].blp.name]
    with pytest.raises(PluginError, match="not Flask blueprints"):
        build_registry([Declares(Plugin(MINIMAL, blueprints=lambda: ["not a blueprint"]))], load_entry_points=False)


def test_declared_manifest(app, client, bergen, alta):
    manifest = registry_of(app).manifest("example")
    assert (manifest.id, manifest.title, manifest.countries) == ("example", "Example programme", ("NO", "DK"))
    listed = client.get(bergen.url("/plugins"), headers=bergen.tenant_admin.headers).json
    assert listed == [{"id": "example", "title": "Example programme", "version": "1.0", "countries": ["NO", "DK"],
                       "enabled": True, "settings": {"min_age": 16, "max_age": 23, "places": 10}}]
    assert client.get(alta.url("/plugins"), headers=alta.tenant_admin.headers).json[0]["enabled"] is False
    # the manifest's role is a role members can be given, with the permissions it grants
    assert registry_of(app).roles["example_reviewer"] == {"cases:read", "decisions:override"}
    r = client.post(bergen.url("/members"), json={"email": "reviewer@bergen.test", "name": "Reviewer",
                                                  "roles": ["example_reviewer"]}, headers=bergen.tenant_admin.headers)
    assert r.status_code == 201, r.json


def test_declared_forms(client, bergen, alta):
    assert client.get(bergen.url("/forms"), headers=bergen.caseworker.headers).json == [
        {"plugin": "example", "name": "referral", "version": 2, "title": "Referral"}]
    assert client.get(alta.url("/forms"), headers=alta.caseworker.headers).json == []
    schema = client.get(bergen.url("/forms/example/referral"), headers=bergen.caseworker.headers).json
    assert schema["x-form-version"] == 2 and set(schema["properties"]) == {"motivation", "criteria", "age"}
    r = client.post(bergen.url("/forms/example/referral/submissions"), json={"data": REFERRAL},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 201, r.json
    assert r.json["form_version"] == 2
    r = client.post(bergen.url("/forms/example/referral/submissions"), json={"data": {**REFERRAL, "age": "old"}},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 422 and list(r.json["fields"]) == ["age"]


def test_declared_rules(client, bergen):
    r = client.post(bergen.url("/rules/example/eligibility/evaluations"),
                    json={"inputs": {"age": 24, "criteria": ["needs_housing"]}}, headers=bergen.caseworker.headers)
    assert r.status_code == 201, r.json
    assert (r.json["rule_version"], r.json["outcome"]) == (3, "not_eligible")
    assert r.json["reasons"] == ["24 is above the upper age limit 23"]
    r = client.post(bergen.url("/rules/example/nonsense/evaluations"), json={"inputs": {}},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 404


def test_declared_workflow(app, client, bergen):
    workflow = registry_of(app).workflow_for("example")
    assert (workflow.name, workflow.initial) == ("example_intake", "referred")
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    assert (case["workflow"], case["state"], case["available_transitions"]) == (
        "example_intake", "referred", ["assess", "decline"])
    r = client.post(bergen.url(f"/cases/{case['id']}/transitions"), json={"transition": "assess"},
                    headers=bergen.caseworker.headers)
    assert r.json["state"] == "assessed"
    r = client.post(bergen.url(f"/cases/{case['id']}/transitions"), json={"transition": "accept"},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 409  # the guard: no eligibility decision yet
    assert "no eligibility decision" in r.json["message"]


def test_declared_blueprints(app, client, bergen, alta):
    assert {bp.name for bp in registry_of(app).blueprints["example"]} == {"example_plain", "example_api"}
    r = client.get(bergen.url("/x/example/hello"), headers=bergen.caseworker.headers)
    assert r.status_code == 200
    assert r.json == {"tenant": "bergen", "settings": {"min_age": 16, "max_age": 23, "places": 10}}
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    r = client.get(bergen.url(f"/x/example/cases/{case['id']}/summary"), headers=bergen.caseworker.headers)
    assert r.json == {"case_id": case["id"], "state": "referred"}
    assert client.get(alta.url("/x/example/hello"), headers=alta.caseworker.headers).status_code == 404
    assert client.get(bergen.url("/x/example/hello")).status_code == 401  # the core authenticates first
    paths = client.get("/api/openapi.json").json["paths"]
    assert "/api/t/{tenant}/x/example/cases/{case_id}/summary" in paths  # smorest blueprints are documented


def fan_out(app, plugin_id: str) -> list[str]:
    """The tenants a periodic job or invoice run of `plugin_id` reaches: those that enabled it."""
    with app.app_context():
        reached = []
        for town in db.session.scalars(sa.select(Tenant).order_by(Tenant.slug)).all():
            with tenant_scope(town):
                if plugin_id in enabled_plugin_ids(town):
                    reached.append(town.slug)
        return reached


def runtime_hook_reaches(app, example_plugin, enabled) -> list[tuple[str, str]]:
    """Call a runtime hook through the registry, reaching the `enabled` plugins."""
    example_plugin.calls.clear()
    with app.app_context():
        town = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "alta"))
        registry_of(app).runtime_hook("velferd_case_opened", enabled)(tenant=town, case=None, actor=None)
    return list(example_plugin.calls)


def test_declared_beat_entries(app, bergen, alta, example_plugin):
    assert registry_of(app).beat_entries == {"example": [BeatEntry("example-daily", "example.remind", "0 7 * * *")]}
    assert fan_out(app, "example") == ["bergen"]
    assert runtime_hook_reaches(app, example_plugin, enabled=()) == []
    assert runtime_hook_reaches(app, example_plugin, enabled={"example"}) == [("case_opened", "alta")]


def test_declared_tasks(app, client, bergen, alta):
    """Tasks are indexed by name and owned by the plugin; a job runs only for a tenant that enabled
    it, with that tenant's settings as they are when it runs."""
    assert sorted(registry_of(app).tasks) == ["example.broken", "example.flaky", "example.remind"]
    assert set(registry_of(app).task_plugins.values()) == {"example"}
    r = client.patch(bergen.url("/plugins/example/settings"), json={"max_age": 25}, headers=bergen.tenant_admin.headers)
    assert r.status_code == 200, r.json
    with app.app_context(), tenant_scope(bergen.tenant):
        job = enqueue("example.remind", tenant=bergen.tenant, kwargs={"note": "hello"})
        db.session.commit()
        assert (job.state, job.plugin, job.attempts) == ("succeeded", "example", 1)
        assert job.result["settings"] == {"min_age": 16, "max_age": 25, "places": 10}
        assert job.result["kwargs"] == {"note": "hello"}
    with app.app_context(), tenant_scope(alta.tenant), pytest.raises(Conflict, match="not enabled for Alta"):
        enqueue("example.remind", tenant=alta.tenant)


def test_two_plugins_cannot_declare_the_same_task():
    class Other:
        @hookimpl
        def velferd_plugin(self):
            return Plugin(Manifest(id="other", title="Other", version="1"),
                          tasks=[TaskSpec("example.remind", lambda ctx: None)])

    with pytest.raises(PluginError, match="example.remind"):
        build_registry([ExamplePlugin(), Other()], load_entry_points=False)


def test_declared_invoice_line_providers(app, bergen, alta, example_plugin):
    providers = registry_of(app).invoice_line_providers
    assert list(providers) == ["example"]
    assert [p.name for p in providers["example"]] == ["example-monthly"]
    with app.app_context(), tenant_scope(bergen.tenant):
        assert providers["example"][0].lines(bergen.tenant, {}, dt.date(2026, 1, 1), dt.date(2026, 1, 31)) == []
    assert fan_out(app, "example") == ["bergen"]
    assert runtime_hook_reaches(app, example_plugin, enabled={"some_other_plugin"}) == []


# --- runtime hooks ----------------------------------------------------------------------------

def test_hook_velferd_case_opened(app, client, bergen, alta, example_plugin):
    open_case(client, bergen, add_person(client, bergen)["id"])
    assert example_plugin.calls == [("case_opened", "bergen")]
    person = add_person(client, alta)
    r = client.post(alta.url("/cases"), json={"person_id": person["id"], "plugin": "example"},
                    headers=alta.caseworker.headers)
    assert r.status_code == 404
    assert calls_for(example_plugin, "alta") == []
    assert row_counts(app, Case) == {"case_file": 1}


def test_hook_velferd_case_transitioned(app, client, bergen, alta, example_plugin):
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    r = client.post(bergen.url(f"/cases/{case['id']}/transitions"),
                    json={"transition": "assess", "data": {"meeting_on": "2026-11-23"}},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 200, r.json
    assert example_plugin.calls == [("case_opened", "bergen"), ("case_transitioned", "bergen")]
    assert example_plugin.payloads == [{"meeting_on": "2026-11-23"}]
    refused = client.post(bergen.url(f"/cases/{case['id']}/transitions"), json={"transition": "accept"},
                          headers=bergen.caseworker.headers)
    assert refused.status_code == 409
    assert calls_for(example_plugin, "bergen").count("case_transitioned") == 1  # a refused move is not told
    r = client.post(alta.url(f"/cases/{case['id']}/transitions"), json={"transition": "decline"},
                    headers=alta.caseworker.headers)
    assert r.status_code == 404
    assert calls_for(example_plugin, "alta") == []


def test_hook_velferd_form_submitted(app, client, bergen, alta, example_plugin):
    r = client.post(bergen.url("/forms/example/referral/submissions"), json={"data": REFERRAL},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 201, r.json
    assert example_plugin.calls == [("form_submitted", "bergen")]
    invalid = client.post(bergen.url("/forms/example/referral/submissions"), json={"data": {"age": 19}},
                          headers=bergen.caseworker.headers)
    assert invalid.status_code == 422
    r = client.post(alta.url("/forms/example/referral/submissions"), json={"data": REFERRAL},
                    headers=alta.caseworker.headers)
    assert r.status_code == 404
    assert example_plugin.calls == [("form_submitted", "bergen")]
    assert row_counts(app, FormSubmission) == {"form_submission": 1}


def test_hook_velferd_decision_recorded(app, client, bergen, alta, example_plugin):
    inputs = {"age": 19, "criteria": ["needs_housing"]}
    r = client.post(bergen.url("/rules/example/eligibility/evaluations"), json={"inputs": inputs},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 201, r.json
    r = client.post(bergen.url(f"/decisions/{r.json['id']}/overrides"),
                    json={"outcome": "not_eligible", "reason": "Not motivated at the feedback meeting."},
                    headers=bergen.leader.headers)
    assert r.status_code == 201, r.json
    assert example_plugin.calls == [("decision_recorded", "bergen"), ("decision_recorded", "bergen")]
    r = client.post(alta.url("/rules/example/eligibility/evaluations"), json={"inputs": inputs},
                    headers=alta.caseworker.headers)
    assert r.status_code == 404
    assert calls_for(example_plugin, "alta") == []
    assert row_counts(app, Decision) == {"decision": 2}


def test_hook_velferd_demo_seed(app, example_plugin):
    """The demo enables a municipality's programmes, gives each plugin role a login, then lets
    the plugin seed; a municipality without the programme is not asked. Seeding twice is safe."""
    towns = [DemoTenant("bergen", "Bergen kommune", "NO", "964338531", (), plugins=("example", "not_installed")),
             DemoTenant("alta", "Alta kommune", "NO", "944588132", ())]
    with app.app_context():
        lines = list(demo.seed(towns)) + list(demo.seed(towns))
        bergen = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "bergen"))
        alta = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "alta"))
        for town, expected in ((bergen, {"example"}), (alta, set())):
            with tenant_scope(town):
                assert enabled_plugin_ids(town) == expected
        reviewer = db.session.scalar(sa.select(User).where(User.email == "example-reviewer@bergen.demo"))
        assert reviewer is not None
    assert example_plugin.calls == [("demo_seed", "bergen"), ("demo_seed", "bergen")]
    assert any("Bergen kommune" in line and "(example)" in line for line in lines)
