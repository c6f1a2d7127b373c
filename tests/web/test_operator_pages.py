"""The platform operator's pages: the municipalities (and creating one), the plugins (and
blocking one for everyone) — and the 404 anyone else gets for them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.web.pages import log_in
from velferd import tenants
from velferd.db import db
from velferd.models import PluginBlock, Tenant

OPERATOR = ("drift@velferd.test", "operator passphrase")


@pytest.fixture
def operator(app, client):
    """`client` logged in through the login page as the platform operator (a member of no municipality)."""
    with app.app_context():
        tenants.create_user(OPERATOR[0], "Driftsoperatør", OPERATOR[1], is_operator=True)
        db.session.commit()
    assert log_in(client, *OPERATOR).status_code == 302
    return client


def test_after_login_the_operator_is_offered_the_operator_pages(operator):
    page = operator.get("/municipalities").get_data(as_text=True)
    assert 'href="/operator/tenants"' in page and 'href="/operator/plugins"' in page


def test_the_operator_lists_and_creates_municipalities(app, operator, bergen, alta):
    page = operator.get("/operator/tenants").get_data(as_text=True)
    assert "Bergen" in page and "alta" in page and "Logget inn som Driftsoperatør" in page
    r = operator.post("/operator/tenants", data={"slug": "tromso", "name": "Tromsø", "country": "NO",
                                                 "organisation_number": "940101808"})
    assert r.status_code == 302 and r.headers["Location"] == "/operator/tenants#confirmation"
    assert "Tromsø" in operator.get("/operator/tenants").get_data(as_text=True)
    with app.app_context():
        town = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "tromso"))
        assert (town.name, town.country, town.locale) == ("Tromsø", "NO", "nb")


def test_a_bad_slug_is_refused_with_the_field_and_nothing_is_created(app, operator):
    r = operator.post("/operator/tenants", data={"slug": "Not A Slug!", "name": "X", "country": "NO",
                                                 "organisation_number": "940101808"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and 'href="#tenant-field-slug"' in page and 'value="Not A Slug!"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Tenant)) == 0


def test_a_block_withdraws_the_plugin_from_the_tenant_admins_list_until_lifted(app, operator, bergen):
    page = operator.get("/operator/plugins").get_data(as_text=True)
    assert 'action="/operator/plugins/example/block#errors"' in page
    r = operator.post("/operator/plugins/example/block", data={"reason": ""})
    assert r.status_code == 422 and 'href="#block-example-field-reason"' in r.get_data(as_text=True)
    r = operator.post("/operator/plugins/example/block", data={"reason": "Security fix pending"})
    assert r.status_code == 302
    page = operator.get("/operator/plugins").get_data(as_text=True)
    assert "Security fix pending" in page and 'action="/operator/plugins/example/unblock"' in page
    api = app.test_client()
    listed = api.get(bergen.url("/plugins"), headers=bergen.tenant_admin.headers).json
    assert "example" not in [p["id"] for p in listed]
    assert operator.post("/operator/plugins/example/unblock").status_code == 302
    listed = api.get(bergen.url("/plugins"), headers=bergen.tenant_admin.headers).json
    assert "example" in [p["id"] for p in listed]
    with app.app_context():
        assert db.session.scalars(sa.select(PluginBlock)).all() == []


def test_the_operator_pages_are_404_for_staff_and_a_login_for_a_stranger(app, client, bergen):
    assert client.get("/operator/tenants").status_code == 302  # to the login
    log_in(client, bergen.tenant_admin.email)
    for path in ("/operator/tenants", "/operator/plugins"):
        assert client.get(path).status_code == 404
    assert client.post("/operator/plugins/example/block", data={"reason": "x"}).status_code == 404
    assert client.post("/operator/tenants", data={"slug": "evil"}).status_code == 404
    with app.app_context():
        assert db.session.scalars(sa.select(PluginBlock)).all() == []
