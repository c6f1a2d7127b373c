"""Events about a record reach only the plugin that owns it (issue 12, item 2).

A third plugin that a municipality switched on next to the example programme, and whose hooks
do not look at ``case.plugin`` (the mistake a new programme makes first), must never hear about
the example programme's cases, forms or decisions — and the example plugin never about its."""

from __future__ import annotations

import pytest

from tests.databases import running_app
from tests.helpers import add_person, make_municipality, open_case
from velferd.db import db
from velferd.models import Case
from velferd.plugins import hookspecs
from velferd.plugins.enablement import call_hook, call_owner_hook
from velferd.plugins.manager import PluginError
from velferd.tenancy import tenant_scope
from velferd.toolkit import Manifest, Plugin, Transition, Workflow, hookimpl

REFERRAL = {"motivation": "Wants a flat and a job.", "criteria": ["needs_housing"], "age": 19}


class Bystander:
    """A programme with cases of its own whose runtime hooks record every call, no questions asked."""

    __name__ = "Bystander"

    def __init__(self):
        self.calls: list[tuple[str, int]] = []

    @hookimpl
    def velferd_plugin(self):
        workflow = Workflow("bystander_flow", "open", ("open", "done"), (Transition("finish", ("open",), "done"),))
        return Plugin(Manifest(id="bystander", title="Bystander", version="1.0"), workflow)

    @hookimpl
    def velferd_case_opened(self, tenant, case, actor):
        self.calls.append(("case_opened", case.id))

    @hookimpl
    def velferd_case_transitioned(self, tenant, case, transition, from_state, actor, payload):
        self.calls.append(("case_transitioned", case.id))

    @hookimpl
    def velferd_form_submitted(self, tenant, submission, actor):
        self.calls.append(("form_submitted", submission.id))

    @hookimpl
    def velferd_decision_recorded(self, tenant, decision, actor):
        self.calls.append(("decision_recorded", decision.id))


@pytest.fixture
def bystander():
    return Bystander()


@pytest.fixture
def app(db_url, database, example_plugin, bystander, tmp_path):
    with running_app(database, db_url, [example_plugin, bystander], tmp_path / "instance") as app:
        yield app


@pytest.fixture
def bergen(app):
    """Bergen runs both programmes."""
    return make_municipality(app, "bergen", plugins=("example", "bystander"))


def test_events_about_an_example_case_do_not_reach_another_enabled_plugin(client, bergen, example_plugin, bystander):
    headers = bergen.caseworker.headers
    case = open_case(client, bergen, add_person(client, bergen)["id"])
    r = client.post(bergen.url(f"/cases/{case['id']}/transitions"), json={"transition": "assess"}, headers=headers)
    assert r.status_code == 200, r.json
    r = client.post(bergen.url("/forms/example/referral/submissions"), json={"data": REFERRAL, "case_id": case["id"]},
                    headers=headers)
    assert r.status_code == 201, r.json
    r = client.post(bergen.url("/rules/example/eligibility/evaluations"),
                    json={"inputs": {"age": 19, "criteria": ["needs_housing"]}, "case_id": case["id"]}, headers=headers)
    assert r.status_code == 201, r.json
    assert example_plugin.calls == [("case_opened", "bergen"), ("case_transitioned", "bergen"),
                                    ("form_submitted", "bergen"), ("decision_recorded", "bergen")]
    assert bystander.calls == []


def test_events_about_the_other_programmes_case_reach_only_that_programme(client, bergen, example_plugin, bystander):
    case = open_case(client, bergen, add_person(client, bergen)["id"], plugin="bystander")
    moved = client.post(bergen.url(f"/cases/{case['id']}/transitions"), json={"transition": "finish"},
                        headers=bergen.caseworker.headers)
    assert moved.status_code == 200, moved.json
    assert bystander.calls == [("case_opened", case["id"]), ("case_transitioned", case["id"])]
    assert example_plugin.calls == []


def test_an_owner_that_the_tenant_switched_off_is_not_told(app, client, bergen, bystander):
    opened = open_case(client, bergen, add_person(client, bergen)["id"], plugin="bystander")
    assert client.delete(bergen.url("/plugins/bystander/enabled"),
                         headers=bergen.tenant_admin.headers).status_code == 200
    bystander.calls.clear()
    with app.app_context(), tenant_scope(bergen.tenant):
        case = db.session.get(Case, opened["id"])
        call_owner_hook("velferd_case_opened", bergen.tenant, case=case, actor=None)
    assert bystander.calls == []


def test_an_owner_event_cannot_be_broadcast_by_mistake(app, bergen):
    with app.app_context(), tenant_scope(bergen.tenant), pytest.raises(PluginError, match="call_owner_hook"):
        call_hook("velferd_case_opened", bergen.tenant, case=None, actor=None)


def test_every_runtime_hook_says_whom_it_reaches():
    """Each runtime hook is either about one plugin's record (naming the argument that says which
    plugin) or meant for every enabled plugin, and its docstring says which."""
    runtime = {name for name, fn in vars(hookspecs).items()
               if name.startswith("velferd_") and hasattr(fn, "velferd_spec") and name != "velferd_plugin"}
    assert runtime == set(hookspecs.OWNER_ARGUMENT) | hookspecs.EVERY_ENABLED_PLUGIN
    assert not set(hookspecs.OWNER_ARGUMENT) & hookspecs.EVERY_ENABLED_PLUGIN
    for name, argument in hookspecs.OWNER_ARGUMENT.items():
        hook = getattr(hookspecs, name)
        assert argument in hook.__code__.co_varnames[:hook.__code__.co_argcount], name
        assert "only on the plugin" in hook.__doc__, name
    for name in hookspecs.EVERY_ENABLED_PLUGIN:
        assert "every* plugin the tenant enabled" in getattr(hookspecs, name).__doc__, name
