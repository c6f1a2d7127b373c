"""Every label, hint and choice a dropin page draws from the API's schemas is in the plugin's
catalogue (marked in page_texts.py), and Odense's staff read the pages in Danish."""

from __future__ import annotations

import velferd_dropin
from velferd_dropin import centres, page_texts
from velferd_dropin.page_texts import DRAWN_SCHEMAS

from tests.plugins.dropin.pages import text_of
from tests.web.conftest import BROWSER_ACCEPT
from tests.web.pages import log_in
from velferd.db import db
from velferd.tenancy import tenant_scope
from velferd.web.plugin_texts import catalogue_texts, schema_texts


def test_every_text_a_page_draws_from_a_schema_is_marked_for_the_catalogue():
    drawn = set().union(*(schema_texts(schema) for schema in DRAWN_SCHEMAS))
    marked = {(None, text) for text in page_texts.LABELS_AND_HINTS} | {
        ("choice", text) for text in page_texts.CHOICES}
    assert drawn - marked == set()


def test_the_pages_drawn_schemas_texts_are_all_in_the_catalogue():
    drawn = set().union(*(schema_texts(schema) for schema in DRAWN_SCHEMAS))
    assert drawn - catalogue_texts(velferd_dropin.PLUGIN) == set()


def test_odenses_staff_read_the_centres_page_in_danish(app, odense):
    with app.app_context(), tenant_scope(odense.tenant):
        centres.odense_centres(odense.tenant)
        db.session.commit()
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    assert log_in(browser, odense.dropin_coordinator.email).status_code == 302
    text = text_of(browser.get("/t/odense/x/dropin/centres"))
    assert "Væresteder" in text and "Drop-in centres" not in text
    assert "Samtalerum" in text
