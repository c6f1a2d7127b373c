"""What a Norwegian or Danish finance officer reads on an invoice (issue 11, item 4): texts and
numbers in the tenant's language, a KID or FI +71 line to quote, a seller's "MVA", the VAT rate,
the wording true to the VAT category, and a credit note that asks for no payment.

The PDFs are read back with pypdf and the EHF files validated against the UBL 2.1 XSD, as in
tests/test_billing_documents.py.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from lxml import etree
from peppol import check_rules, validate_xsd
from pypdf import PdfReader
from stdnum import luhn

from tests.billing_samples import bergen_credit_note, bergen_invoice, line, odense_invoice
from tests.test_billing_mail import invoice_email
from velferd.billing.bank_accounts import InvalidAccount, check_bank_account
from velferd.billing.ehf import ubl_xml
from velferd.billing.payment_reference import fik_line, fik_payment_id, kid, payment_reference
from velferd.billing.pdf import invoice_pdf
from velferd.billing.wording import (
    format_amount, format_date, format_money, format_percent, monthly_price_text, part_of_month_text,
    per_month_text,
)

NS = {"cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
      "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
VALID_ACCOUNT = "1503.12.34562"  # the samples' account with its real MOD11 check digit
FIK = "+71<000000000000174+85117924<"


def pdf_text(doc, locale="nb") -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(invoice_pdf(doc, locale))).pages)


def ehf_text(doc, path: str) -> list[str]:
    return etree.fromstring(ubl_xml(doc)).xpath(path + "/text()", namespaces=NS)


def mail_body(doc, locale="nb") -> str:
    message, _ = invoice_email(doc, locale)
    return message.get_body(("plain",)).get_content()


# ---- numbers, dates and the stock phrases ----------------------------------------------------------

def test_money_and_dates_follow_the_tenants_locale():
    assert format_money(Decimal("24338"), "nb") == "24 338,00"
    assert format_money(Decimal("24338"), "da") == "24.338,00"
    assert format_amount(Decimal("24338"), "NOK", "nb") == "24 338,00 NOK"
    assert format_amount(Decimal("1234.5"), "DKK", "da") == "1.234,50 DKK"
    assert format_amount(Decimal("24338"), "NOK", "en") == "NOK 24,338.00"
    assert format_date(dt.date(2026, 3, 1), "nb") == "01.03.2026" == format_date(dt.date(2026, 3, 1), "da")
    assert format_percent(Decimal("25"), "nb") == "25 %" and format_percent(Decimal("12.5"), "da") == "12,5 %"
    with pytest.raises(ValueError, match="locale"):
        format_money(Decimal("1"), "sv")


def test_how_a_part_month_was_charged_reads_in_norwegian_and_danish():
    assert part_of_month_text(16, 30, Decimal("24338"), "NOK", "nb") == "16 av 30 dager × 24 338,00 NOK per måned"
    assert part_of_month_text(16, 30, Decimal("24338"), "NOK", "da") == "16 af 30 dage × 24.338,00 NOK pr. måned"
    assert per_month_text(Decimal("24338"), "NOK", "nb") == "24 338,00 NOK per måned"
    assert monthly_price_text(2026, "nb") == "månedspris 2026"


def test_a_norwegian_pdf_and_ehf_keep_the_norwegian_line_text_as_written():
    text = "DUE-sak 2, vedtak BV-2024/117, månedspris 2026, 01.04.2026–30.04.2026: 16 av 30 dager × 24 338,00 NOK " \
           "per måned"
    doc = bergen_invoice(lines=(line(1, "12980.27", description=text, case_reference="BV-2024/117"),))
    content = pdf_text(doc)
    assert "16 av 30 dager x 24 338,00 NOK per" in content  # × is outside the PDF font: written as x
    assert "BV-2024/117" in content and " a month" not in content and "2026-04-01" not in content
    assert ehf_text(doc, "cac:InvoiceLine/cac:Item/cbc:Name") == [text]
    assert ehf_text(doc, "cac:InvoiceLine/cac:DocumentReference/cbc:ID") == ["BV-2024/117"]


# ---- payment references ----------------------------------------------------------------------------

def test_the_kid_is_the_zero_padded_invoice_number_with_a_mod10_check_digit():
    assert kid(17) == "0000000174" and luhn.is_valid(kid(17))
    assert kid(123456789) == "1234567897" and len(kid(1)) == 10
    assert payment_reference(17, "NO") == "0000000174"
    with pytest.raises(ValueError, match="digits"):
        kid(10 ** 9)


def test_a_danish_fik_line_has_a_15_digit_payment_id_and_the_creditor_number():
    assert fik_payment_id(17) == "000000000000174" and luhn.is_valid(fik_payment_id(17))
    assert fik_payment_id(1).lstrip("0") == "18" and fik_payment_id(2).lstrip("0") == "26"  # the FI examples
    assert fik_line(17, "85117924") == FIK == payment_reference(17, "DK", "85117924")
    assert payment_reference(17, "DK") == "17"  # no creditor number: the invoice number


def test_a_norwegian_invoice_asks_for_its_kid_in_the_pdf_the_mail_and_the_ehf():
    doc = bergen_invoice(payment_reference=kid(17), bank_account=VALID_ACCOUNT)
    assert "KID: 0000000174" in pdf_text(doc)
    assert "Kontonummer: 1503.12.34562" in mail_body(doc) and "KID: 0000000174" in mail_body(doc)
    assert ehf_text(doc, "cac:PaymentMeans/cbc:PaymentID") == ["0000000174"]
    assert ehf_text(doc, "cac:PaymentMeans/cbc:PaymentMeansCode") == ["30"]


def test_a_danish_invoice_with_an_fi_creditor_number_prints_the_71_line():
    doc = odense_invoice(payment_reference=FIK)
    assert f"FI-kort +71: {FIK}" in pdf_text(doc, "da") and f"FI-kort +71: {FIK}" in mail_body(doc, "da")
    assert ehf_text(doc, "cac:PaymentMeans/cbc:PaymentID") == ["000000000000174"]
    assert ehf_text(doc, "cac:PaymentMeans/cbc:PaymentMeansCode") == ["31"]  # DK-R-005 allows it
    xml = ubl_xml(doc)
    assert validate_xsd(xml)[0] and [str(finding) for finding in check_rules(xml)] == []


# ---- bank accounts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("account,country", [
    ("1503 12 34562", "NO"), ("15031234562", "NO"), ("NO93 8601 1117 947", "NO"), ("0040 0440116243", "DK"),
    ("DK5000400440116243", "DK"), ("DE89370400440532013000", "DK"), (None, "NO"), ("", "DK"),
])
def test_accounts_with_their_real_check_digits_pass(account, country):
    check_bank_account(account, country)


@pytest.mark.parametrize("account,country,reason", [
    ("1503 12 34567", "NO", "MOD11"),  # the demo's old account: one digit off
    ("5205 12 34567", "NO", "MOD11"),
    ("1503 12 3456", "NO", "11 digits"),
    ("NO93 8601 1117 948", "NO", "IBAN"),
    ("DK5000400440116244", "DK", "IBAN"),
    ("12345678901234567", "DK", "reg.nr"),
])
def test_accounts_failing_their_check_digits_are_refused_with_the_reason(account, country, reason):
    with pytest.raises(InvalidAccount, match=reason):
        check_bank_account(account, country)


# ---- the seller's VAT registration and the rate ----------------------------------------------------

def test_a_vat_registered_norwegian_seller_prints_mva_and_the_rate():
    content = pdf_text(bergen_invoice(vat_category="S", vat_rate=Decimal("25")))
    assert "Org.nr. 964 338 531 MVA" in content
    assert "Mva. 25 % 4 375,13 NOK" in content and "Å betale 21 875,66 NOK" in content
    assert ehf_text(bergen_invoice(vat_category="S", vat_rate=Decimal("25")),
                    "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID") == ["NO964338531MVA"]


def test_a_vat_registered_seller_billing_outside_the_scope_prints_mva_but_no_vat_identifier_in_ehf():
    doc = bergen_invoice(vat_registered=True)  # category O
    assert "Org.nr. 964 338 531 MVA" in pdf_text(doc) and "Org.nr. 944 588 132 MVA" not in pdf_text(doc)
    assert ehf_text(doc, "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID") == []  # BR-O-02
    xml = ubl_xml(doc)
    assert validate_xsd(xml)[0] and [str(finding) for finding in check_rules(xml)] == []


def test_a_seller_outside_the_vat_register_has_no_mva_and_the_buyer_never_has():
    content = pdf_text(bergen_invoice())
    assert "Org.nr. 964 338 531\n" in content and "MVA" not in content
    assert "Org.nr. 944 588 132\n" in content
    assert "Moms 25 %" in pdf_text(odense_invoice(vat_category="S", vat_rate=Decimal("25")), "da")


# ---- VAT wording per category and country ----------------------------------------------------------

@pytest.mark.parametrize("make,category,locale,wording", [
    (bergen_invoice, "O", "nb", "Utenfor merverdiavgiftsloven - kommunal tjenesteyting"),
    (bergen_invoice, "E", "nb", "Fritatt for merverdiavgift"),
    (odense_invoice, "O", "da", "Uden for momsområdet - kommunal opgave"),
    (odense_invoice, "E", "da", "Momsfritaget"),
])
def test_the_vat_wording_matches_the_category(make, category, locale, wording):
    doc = make(vat_category=category, vat_exemption_reason=None)
    assert wording in pdf_text(doc, locale)
    assert ehf_text(doc, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReason") \
        == [doc.exemption_reason]
    if category == "O":
        assert "momsfritaget" not in pdf_text(doc, locale).lower()


# ---- credit notes ----------------------------------------------------------------------------------

@pytest.mark.parametrize("doc,locale,says", [
    (bergen_credit_note(payment_reference=None, bank_account=VALID_ACCOUNT), "nb", "Beløpet krediteres"),
    (odense_invoice(kind="credit_note", credited_number=2), "da", "Beløbet krediteres"),
], ids=["NO", "DK"])
def test_a_credit_note_requests_no_payment(doc, locale, says):
    content = pdf_text(doc, locale)
    assert says in content
    for payment_request in ("Kontonummer", "KID", "Forfallsdato", "Forfaldsdato", "Å betale", "At betale",
                            "Betalingsreferanse", "Betalingsreference", "Betalingsbetingelser"):
        assert payment_request not in content, payment_request
    body = mail_body(doc, locale)
    assert says in body
    assert not any(word in body for word in ("Kontonummer", "KID", "Forfallsdato", "Forfaldsdato"))


def test_an_invoice_issued_before_payment_references_still_names_its_number():
    doc = bergen_invoice(payment_reference=None)
    assert "Betalingsreferanse: 17" in pdf_text(doc)
    assert ehf_text(doc, "cac:PaymentMeans/cbc:PaymentID") == ["17"]
