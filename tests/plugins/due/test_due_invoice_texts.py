"""DUE's invoice lines as the paying unit reads them (issue 11, item 4): in the tenant's language
with Norwegian numbers and dates, saying how the amount was reached, and carrying the vedtak
reference the unit knows — in the line data, on the PDF and in the EHF file."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from lxml import etree
from pypdf import PdfReader
from velferd_due.calendar import Span
from velferd_due.invoicing import _charge

from velferd.models import Tenant

from .flows import X, enter_deflators, get, ok, post

NS = {"cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
      "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
APRIL_FROM_15TH = Span(dt.date(2026, 4, 15), dt.date(2026, 4, 30))


def test_a_part_month_says_how_it_was_charged_in_the_tenants_language():
    bergen = Tenant(locale="nb", currency="NOK")
    amount, text = _charge(Decimal("24338"), APRIL_FROM_15TH, "månedspris 2026", "DUE-sak 2", bergen)
    assert amount == Decimal("12980.27")  # 24 338 × 16 / 30, to the øre
    assert text == "DUE-sak 2, månedspris 2026, 15.04.2026–30.04.2026: 16 av 30 dager × 24 338,00 NOK per måned"
    danish = Tenant(locale="da", currency="NOK")
    assert _charge(Decimal("24338"), APRIL_FROM_15TH, "månedspris 2026", "DUE-sag 2", danish)[1].endswith(
        "16 af 30 dage × 24.338,00 NOK pr. måned")


def test_a_due_invoice_line_is_norwegian_and_carries_the_vedtak_reference(client, bergen, running):
    ok(client.post(bergen.url(f"{X}/deflators/published"), headers=bergen.tenant_admin.headers))
    enter_deflators(client, bergen, {2017: "2.5", 2018: "2.6"})
    ok(client.put(bergen.url("/billing-profile"), json={"bank_account": "52010612349"},
                  headers=bergen.finance.headers))
    assert post(client, bergen, "/invoice-runs", {"period": "2025-03"}, role="finance").status_code == 202
    (item,) = ok(get(client, bergen, "/invoices", role="finance", period="2025-03", plugin="due"))["items"]
    (line,) = ok(get(client, bergen, f"/invoices/{item['id']}", role="finance"))["lines"]
    assert line["case_reference"] == "BV-2024/117"  # the vedtak reference, not the case's "due/1"
    assert line["description"].startswith(
        f"DUE-sak {running}, vedtak BV-2024/117, månedspris 2025, 01.03.2025–31.03.2025: ")
    assert line["description"].endswith(" NOK per måned") and "a month" not in line["description"]

    pdf = get(client, bergen, f"/invoices/{item['id']}/pdf", role="finance")
    content = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "BV-2024/117" in content and "månedspris 2025" in content and "KID: " in content
    xml = etree.fromstring(get(client, bergen, f"/invoices/{item['id']}/xml", role="finance").data)
    assert xml.xpath("cac:InvoiceLine/cac:DocumentReference/cbc:ID/text()", namespaces=NS) == ["BV-2024/117"]
    assert xml.xpath("cac:InvoiceLine/cac:Item/cbc:Name/text()", namespaces=NS) == [line["description"]]
