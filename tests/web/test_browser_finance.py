"""Finance and the operator in a real browser: finance runs a month through the form and
downloads an invoice's PDF; every finance page and both operator pages are screenshot and
checked by axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

import pytest

from tests.billing_towns import CHILD_WELFARE, NAV, billing_town, last_month
from tests.web.browser import Checked, sign_in
from velferd import tenants
from velferd.db import db

pytestmark = pytest.mark.browser


def test_finance_runs_a_month_and_downloads_an_invoice(app, client, bergen, smtp_server, served, page):
    app.config.update(smtp_server.config)
    billing_town(client, bergen, payers=(CHILD_WELFARE, {**NAV, "invoice_email": None}))
    checked = Checked(page)
    sign_in(page, served, bergen.finance.email)
    page.goto(f"{served}/t/bergen/finance")
    checked("finance-runs")
    page.fill("#run-field-period", "2026-13")
    page.click("text=Kjør perioden")
    checked("finance-run-refused")
    page.fill("#run-field-period", last_month())
    page.click("text=Kjør perioden")
    assert "Fakturakjøring" in page.inner_text("h1")
    checked("finance-run")
    page.click("text=Fakturaene og kreditnotaene i denne kjøringen")
    checked("finance-invoices")
    page.click("text=Faktura 1")
    checked("finance-invoice")
    with page.expect_download() as download:
        page.click("text=Last ned som PDF")
    assert download.value.suggested_filename == "faktura-1.pdf"
    assert open(download.value.path(), "rb").read(4) == b"%PDF"


def test_the_operator_pages_in_a_browser(app, bergen, served, page):
    with app.app_context():
        tenants.create_user("drift@velferd.test", "Driftsoperatør", "operator passphrase", is_operator=True)
        db.session.commit()
    checked = Checked(page)
    sign_in(page, served, "drift@velferd.test", "operator passphrase")
    page.goto(f"{served}/operator/tenants")
    checked("operator-tenants")
    page.goto(f"{served}/operator/plugins")
    checked("operator-plugins")
