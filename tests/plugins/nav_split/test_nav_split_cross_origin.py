"""A foreign page cannot make a logged-in user's browser build the week's agendas (a POST with
no JSON body, so a plain HTML form on any site could send it)."""

from __future__ import annotations

import sqlalchemy as sa
from velferd_nav_split.models import Agenda

from tests.test_origin_check import EVIL, logged_in
from velferd.db import db
from velferd.tenancy import tenant_scope

from .flows import X


def agendas_of(app, town) -> int:
    with app.app_context(), tenant_scope(town.tenant):
        return db.session.scalar(sa.select(sa.func.count()).select_from(Agenda))


def test_a_foreign_form_cannot_build_the_agendas_with_the_session_cookie(app, client, kristiansand):
    browser = logged_in(client, kristiansand, "forvaltning")
    for headers in ({"Origin": EVIL}, {"Sec-Fetch-Site": "cross-site", "Origin": EVIL}):
        r = browser.post(kristiansand.url(f"{X}/agendas/build"), data={}, headers=headers)
        assert r.status_code == 403 and "cross-origin" in r.json["message"]
    assert agendas_of(app, kristiansand) == 0
    r = browser.post(kristiansand.url(f"{X}/agendas/build"), json={}, headers={"Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 200, r.json
    assert agendas_of(app, kristiansand) > 0
