"""The tenant admin's pages through the Flask client as a browser posts them: programmes switched
on and off (the caseload's programme filter follows), a programme's settings form drawn from its
settings schema, members' roles and invitations, units and the billing profile — each through the
API's services, so what the API reads back is what the page saved."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.databases import running_app
from tests.web.pages import log_in
from velferd import tenants
from velferd.db import db
from velferd.models import Invitation, Membership, Unit
from velferd.tenancy import tenant_scope
from velferd.toolkit import Manifest, Plugin, hookimpl

ADMIN_PAGES = ("/admin", "/admin/programmes", "/admin/programmes/example/settings", "/admin/members",
               "/admin/units", "/admin/billing-profile")
OPERATOR = ("drift@velferd.example", "a long operator passphrase")


class DanishOnly:
    """An installed programme offered only in Denmark: listed in Bergen, with that reason."""

    @hookimpl
    def velferd_plugin(self):
        return Plugin(Manifest(id="danish_only", title="Danish programme", version="1.0", countries=("DK",),
                               description="Only for Danish municipalities"))


@pytest.fixture
def app(db_url, database, example_plugin, tmp_path):
    with running_app(database, db_url, [example_plugin, DanishOnly()], tmp_path / "instance") as app:
        yield app


def page(client, town, path="", **kwargs):
    return client.get(f"/t/{town.slug}{path}", **kwargs)


def post(client, town, path, data):
    return client.post(f"/t/{town.slug}{path}", data=data)


def as_admin(client, town):
    """Logged in as `town`'s admin, the pages in English (the tests read the English texts)."""
    client.post("/language", data={"lang": "en"})
    assert log_in(client, town.tenant_admin.email).status_code == 302
    return client


def as_caseworker(app, client, town):
    """A second browser, logged in as `town`'s caseworker, in English."""
    caseworker = app.test_client()
    caseworker.environ_base["HTTP_ACCEPT"] = client.environ_base["HTTP_ACCEPT"]
    caseworker.post("/language", data={"lang": "en"})
    assert log_in(caseworker, town.caseworker.email).status_code == 302
    return caseworker


def plugins_of(app, town):
    api = app.test_client()
    return {p["id"]: p for p in api.get(town.url("/plugins"), headers=town.tenant_admin.headers).json}


def text(response) -> str:
    return response.get_data(as_text=True)


# --- every page: the admin sees it, a caseworker gets 403, another municipality's admin 404 ----------

@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_each_admin_page_is_for_the_tenant_admin_of_that_municipality(app, client, bergen, alta, path):
    as_admin(client, bergen)
    assert page(client, bergen, path).status_code == 200
    assert page(client, alta, path).status_code == 404  # not a member there: no such page

    caseworker = as_caseworker(app, client, bergen)
    refused = page(caseworker, bergen, path)
    assert refused.status_code == 403
    assert "Your role does not give you access to this page." in text(refused)


def test_the_menu_leads_the_admin_to_an_index_of_the_four_admin_pages(client, bergen):
    as_admin(client, bergen)
    index = text(page(client, bergen, "/admin"))
    assert f'href="/t/{bergen.slug}/admin"' in index and ">Administration<" in index
    for path, title in (("programmes", "Programmes"), ("members", "Members and roles"),
                        ("units", "Units and payers"), ("billing-profile", "Billing profile")):
        assert f'href="/t/{bergen.slug}/admin/{path}">{title}</a>' in index


def test_a_caseworker_has_no_administration_in_the_menu(app, client, bergen):
    assert "Administration" not in text(page(as_caseworker(app, client, bergen), bergen, "/cases"))


def test_a_post_to_an_admin_page_by_a_caseworker_changes_nothing(app, client, bergen):
    assert post(as_caseworker(app, client, bergen), bergen, "/admin/programmes/example/enabled", {"enabled": "0"}).status_code == 403
    assert plugins_of(app, bergen)["example"]["enabled"] is True


# --- programmes ----------------------------------------------------------------------------------------

def test_switching_a_programme_off_and_on_changes_the_caseload_filter_and_the_api(app, client, bergen):
    as_admin(client, bergen)
    listed = text(page(client, bergen, "/admin/programmes"))
    assert "Example programme" in listed and "Switched on" in listed and "Switch off Example programme" in listed

    off = post(client, bergen, "/admin/programmes/example/enabled", {"enabled": "0"})
    assert off.status_code == 302 and off.headers["Location"].endswith("/admin/programmes#confirmation")
    shown = text(client.get(off.headers["Location"]))
    assert "Example programme is switched off. Its settings and data are kept." in shown
    assert "Switch on Example programme" in shown
    assert plugins_of(app, bergen)["example"]["enabled"] is False

    caseworker = as_caseworker(app, client, bergen)
    assert 'value="example"' not in text(page(caseworker, bergen, "/cases"))

    on = post(client, bergen, "/admin/programmes/example/enabled", {"enabled": "1"})
    assert on.status_code == 302
    assert "Example programme is switched on." in text(client.get(on.headers["Location"]))
    assert plugins_of(app, bergen)["example"]["enabled"] is True
    assert 'value="example"' in text(page(caseworker, bergen, "/cases"))


def test_a_programme_not_offered_here_is_listed_with_the_reason_and_no_button(client, bergen):
    as_admin(client, bergen)
    listed = text(page(client, bergen, "/admin/programmes"))
    assert "Danish programme" in listed and "Not offered in this municipality's country." in listed
    assert "Switch on Danish programme" not in listed
    assert page(client, bergen, "/admin/programmes/danish_only/settings").status_code == 404


@pytest.fixture
def operator(app):
    with app.app_context():
        tenants.create_user(OPERATOR[0], "Driftsoperatør", OPERATOR[1], is_operator=True)
        db.session.commit()
    client = app.test_client()
    assert client.post("/api/auth/login", json={"email": OPERATOR[0], "password": OPERATOR[1]}).status_code == 200
    return client


def test_a_blocked_programme_shows_the_operators_reason_and_switching_it_on_is_refused_on_the_page(
        app, client, bergen, operator):
    as_admin(client, bergen)
    assert post(client, bergen, "/admin/programmes/example/enabled", {"enabled": "0"}).status_code == 302
    reason = "security fix pending for the referral form"
    assert operator.put("/api/operator/plugins/example/block", json={"reason": reason}).status_code == 204

    listed = text(page(client, bergen, "/admin/programmes"))
    assert "Blocked by the operator for every municipality:" in listed and reason in listed

    refused = post(client, bergen, "/admin/programmes/example/enabled", {"enabled": "1"})  # a page drawn before
    assert refused.status_code == 409
    body = text(refused)
    assert 'class="error-summary"' in body and "The programme could not be changed" in body and reason in body
    assert operator.delete("/api/operator/plugins/example/block").status_code == 204
    assert plugins_of(app, bergen)["example"]["enabled"] is False


# --- a programme's settings ------------------------------------------------------------------------------

def test_the_settings_form_is_drawn_from_the_schema_with_the_current_values(client, bergen):
    as_admin(client, bergen)
    form = text(page(client, bergen, "/admin/programmes/example/settings"))
    for name, value in (("min_age", "16"), ("max_age", "23"), ("places", "10")):
        assert f'name="{name}" type="text" inputmode="numeric" value="{value}"' in form
    assert "Save the settings" in form


def test_a_bad_setting_is_422_with_the_fields_message_and_the_value_as_typed(app, client, bergen):
    as_admin(client, bergen)
    refused = post(client, bergen, "/admin/programmes/example/settings",
                   {"min_age": "16", "max_age": "99", "places": "ten"})
    assert refused.status_code == 422
    body = text(refused)
    assert 'class="error-summary"' in body
    assert 'href="#settings-field-max-age"' in body and 'href="#settings-field-places"' in body
    assert "Must be greater than or equal to 0 and less than or equal to 30." in body
    assert "Not a valid integer." in body
    assert 'value="99"' in body and 'value="ten"' in body  # as typed
    assert plugins_of(app, bergen)["example"]["settings"]["max_age"] == 23  # nothing written


def test_settings_saved_on_the_page_are_what_the_api_reads(app, client, bergen):
    as_admin(client, bergen)
    saved = post(client, bergen, "/admin/programmes/example/settings", {"min_age": "15", "max_age": "25", "places": "12"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/settings#confirmation")
    shown = text(client.get(saved.headers["Location"]))
    assert "The settings are saved." in shown and 'value="25"' in shown
    assert plugins_of(app, bergen)["example"]["settings"] == {"min_age": 15, "max_age": 25, "places": 12}


def test_a_programme_without_a_settings_schema_says_so(app, client):
    from tests.helpers import make_municipality

    odense = make_municipality(app, "odense", plugins=("danish_only",))
    as_admin(client, odense)
    shown = text(page(client, odense, "/admin/programmes/danish_only/settings"))
    assert "This programme has no settings." in shown and "<form method=\"post\" id=\"settings\"" not in shown


# --- members and roles ------------------------------------------------------------------------------------

def memberships(app, town):
    with app.app_context(), tenant_scope(town.tenant):
        return {m.id: m.roles for m in db.session.scalars(sa.select(Membership))}


def test_members_are_listed_with_their_roles_and_a_change_of_roles_persists(app, client, bergen):
    as_admin(client, bergen)
    listed = text(page(client, bergen, "/admin/members"))
    member = bergen.caseworker.membership_id
    assert f'id="member-{member}-role-caseworker" name="roles" type="checkbox" value="caseworker" checked' in listed
    assert "example_reviewer" in listed  # a plugin's role is offered too

    saved = post(client, bergen, f"/admin/members/{member}/roles", {"roles": ["caseworker", "leader"]})
    assert saved.status_code == 302
    assert "are saved." in text(client.get(saved.headers["Location"]))
    assert memberships(app, bergen)[member] == ["caseworker", "leader"]


def test_a_member_left_without_roles_is_refused_on_the_page(app, client, bergen):
    as_admin(client, bergen)
    member = bergen.caseworker.membership_id
    refused = post(client, bergen, f"/admin/members/{member}/roles", {})
    assert refused.status_code == 422
    assert 'class="error-summary"' in text(refused) and 'class="field-error"' in text(refused)
    assert memberships(app, bergen)[member] == ["caseworker"]


def test_another_municipalitys_member_is_not_found(client, bergen, alta):
    as_admin(client, bergen)
    assert post(client, bergen, f"/admin/members/{alta.caseworker.membership_id}/roles",
                {"roles": ["leader"]}).status_code == 404


def test_an_invitation_is_created_its_code_shown_once_and_listed_as_pending(app, client, bergen):
    as_admin(client, bergen)
    made = post(client, bergen, "/admin/members/invitations",
                {"email": "Ny.Ansatt@bergen.example", "name": "Ny Ansatt", "roles": ["caseworker"]})
    assert made.status_code == 201
    body = text(made)
    assert "ny.ansatt@bergen.example is invited." in body and "vi.bergen." in body
    with app.app_context(), tenant_scope(bergen.tenant):
        invitation = db.session.scalar(sa.select(Invitation))
        assert (invitation.email, invitation.roles) == ("ny.ansatt@bergen.example", ["caseworker"])
    again = text(page(client, bergen, "/admin/members"))
    assert "ny.ansatt@bergen.example" in again and "vi.bergen." not in again


def test_an_invitation_with_a_bad_address_is_422_with_the_value_as_typed(app, client, bergen):
    as_admin(client, bergen)
    refused = post(client, bergen, "/admin/members/invitations", {"email": "not-an-address", "name": "X",
                                                                   "roles": ["caseworker"]})
    assert refused.status_code == 422
    body = text(refused)
    assert 'href="#invite-field-email"' in body and 'value="not-an-address"' in body
    assert 'id="invite-role-caseworker" name="roles" type="checkbox" value="caseworker" checked' in body
    with app.app_context(), tenant_scope(bergen.tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


# --- units and the billing profile -------------------------------------------------------------------------

def test_a_unit_is_added_listed_and_edited(app, client, bergen):
    as_admin(client, bergen)
    added = post(client, bergen, "/admin/units", {"name": "NAV Bergenhus", "kind": "nav_office",
                                                  "payer_kind": "external", "delivery_channel": "email",
                                                  "invoice_email": "faktura@nav.example"})
    assert added.status_code == 302
    listed = text(client.get(added.headers["Location"]))
    assert "The unit NAV Bergenhus is added." in listed and "faktura@nav.example" in listed
    with app.app_context(), tenant_scope(bergen.tenant):
        unit_id = db.session.scalar(sa.select(Unit.id).where(Unit.name == "NAV Bergenhus"))

    form = text(page(client, bergen, f"/admin/units/{unit_id}"))
    assert 'value="faktura@nav.example"' in form and '<option value="nav_office" selected>' in form
    saved = post(client, bergen, f"/admin/units/{unit_id}", {"name": "NAV Bergenhus", "kind": "nav_office",
                                                             "city": "Bergen", "postal_code": "5003"})
    assert saved.status_code == 302
    unit = app.test_client().get(bergen.url(f"/units/{unit_id}"), headers=bergen.tenant_admin.headers).json
    assert (unit["city"], unit["postal_code"], unit["invoice_email"]) == ("Bergen", "5003", "faktura@nav.example")


def test_a_bad_unit_is_422_and_nothing_is_added(app, client, bergen):
    as_admin(client, bergen)
    refused = post(client, bergen, "/admin/units", {"name": "Tiltak", "kind": "nav_office", "postal_code": "50"})
    assert refused.status_code == 422
    assert "Four digits." in text(refused) and 'value="50"' in text(refused)
    with app.app_context(), tenant_scope(bergen.tenant):
        assert db.session.scalar(sa.select(Unit.id).where(Unit.name == "Tiltak")) is None


def test_another_municipalitys_unit_is_not_found(app, client, bergen, alta):
    with app.app_context(), tenant_scope(alta.tenant):
        unit = Unit(name="Alta NAV", kind="nav_office")
        db.session.add(unit)
        db.session.commit()
        unit_id = unit.id
    as_admin(client, bergen)
    assert page(client, bergen, f"/admin/units/{unit_id}").status_code == 404


def test_a_bad_bank_account_is_422_with_the_services_message(app, client, bergen):
    as_admin(client, bergen)
    refused = post(client, bergen, "/admin/billing-profile", {"bank_account": "1503.12.34567", "vat_category": "O",
                                                              "vat_rate": "0"})
    assert refused.status_code == 422
    body = text(refused)
    assert 'href="#profile-field-bank-account"' in body and 'value="1503.12.34567"' in body
    api = app.test_client().get(bergen.url("/billing-profile"), headers=bergen.finance.headers).json
    assert api["bank_account"] is None


def test_the_billing_profile_saved_on_the_page_is_what_the_api_reads(app, client, bergen):
    as_admin(client, bergen)
    form = text(page(client, bergen, "/admin/billing-profile"))
    assert 'name="payment_terms_days" type="text" inputmode="numeric" value="30"' in form
    saved = post(client, bergen, "/admin/billing-profile", {"bank_account": "1503.12.34562", "vat_category": "O",
                                                            "vat_rate": "0", "payment_terms_days": "20",
                                                            "vat_registered": "on"})
    assert saved.status_code == 302
    assert "The billing profile is saved." in text(client.get(saved.headers["Location"]))
    api = app.test_client().get(bergen.url("/billing-profile"), headers=bergen.finance.headers).json
    assert (api["bank_account"], api["payment_terms_days"], api["vat_registered"]) == ("1503 12 34562", 20, True)


def test_a_script_posting_a_bad_setting_gets_the_apis_error_shape(app, bergen):
    script = app.test_client()  # no Accept: text/html
    script.post("/language", data={"lang": "en"})
    log_in(script, bergen.tenant_admin.email)
    refused = script.post(f"/t/{bergen.slug}/admin/programmes/example/settings", data={"max_age": "99"})
    assert refused.status_code == 422
    assert refused.json["fields"] == {"max_age": ["Must be greater than or equal to 0 and less than or equal to 30."]}


def test_a_second_unit_of_the_same_name_is_409_at_the_name_and_a_bad_edit_changes_nothing(app, client, bergen):
    as_admin(client, bergen)
    assert post(client, bergen, "/admin/units", {"name": "Barnevernet", "kind": "child_welfare"}).status_code == 302
    twice = post(client, bergen, "/admin/units", {"name": "Barnevernet", "kind": "other"})
    assert twice.status_code == 409
    assert 'href="#unit-field-name"' in text(twice) and "Already used." in text(twice)
    with app.app_context(), tenant_scope(bergen.tenant):
        unit_id = db.session.scalar(sa.select(Unit.id).where(Unit.name == "Barnevernet"))
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Unit)) == 1

    refused = post(client, bergen, f"/admin/units/{unit_id}", {"name": "Barnevernet", "kind": "child_welfare",
                                                              "invoice_email": "not an address"})
    assert refused.status_code == 422
    assert "<h1>Unit: Barnevernet</h1>" in text(refused) and 'value="not an address"' in text(refused)
    unit = app.test_client().get(bergen.url(f"/units/{unit_id}"), headers=bergen.tenant_admin.headers).json
    assert unit["invoice_email"] is None
