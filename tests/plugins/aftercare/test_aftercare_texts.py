"""Every label, hint and choice an aftercare page draws from the API's schemas is in the plugin's
catalogue (marked in page_texts.py), so a Norwegian or Danish page shows no English field; the
deadlines it raises and its journal entries are named in the page's language, not by their
stored kind."""

from __future__ import annotations

import velferd_aftercare
from velferd_aftercare.page_texts import DRAWN_SCHEMAS

from tests.plugins.aftercare import stay_flows as flow
from tests.plugins.aftercare.pages import text_of
from tests.web.conftest import BROWSER_ACCEPT
from tests.web.pages import log_in
from velferd.web.plugin_texts import catalogue_texts, schema_texts


def test_the_pages_drawn_schemas_texts_are_all_in_the_catalogue():
    drawn = set().union(*(schema_texts(schema) for schema in DRAWN_SCHEMAS))
    assert drawn - catalogue_texts(velferd_aftercare.PLUGIN) == set()


def test_the_stays_deadline_and_journal_entries_are_named_in_norwegian_on_the_case_page(app, client, alta):
    today = flow.today()
    case_id = flow.resident(client, alta, flow.flats(client, alta)["1"], today)
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT"] = BROWSER_ACCEPT
    assert log_in(browser, alta.aftercare_leader.email).status_code == 302
    page = text_of(browser.get(f"/t/alta/cases/{case_id}"))
    assert "Botiden utløper" in page and "aftercare.stay_limit" not in page
    assert "Trinn endret" in page and "step_changed" not in page          # the journal's own entry
