"""EHF: an invoice or credit note as PEPPOL BIS Billing 3.0 UBL 2.1 XML.

EHF Billing 3.0 in Norway *is* PEPPOL BIS Billing 3.0 (plus the national rules NO-R-001/002);
Denmark receives the same BIS documents over PEPPOL. The choices where the specification leaves
room, and why:

* **Endpoints** use scheme 0192 (Norwegian organisation number) or 0184 (Danish CVR), chosen by
  the party's country; the buyer's is its ``ehf_endpoint`` (its organisation number when blank).
* **VAT.** Exactly one ``TaxTotal`` with one ``TaxSubtotal`` for the document's single category
  (PEPPOL-EN16931-R053, BR-O-11). Category O (outside scope — municipal services between public
  units) has no percent anywhere (BR-O-05/06) and no seller VAT identifier (BR-O-02), and names
  the reason (VATEX-EU-O and the text, BR-O-10). Category E has percent 0 (BR-E-05) and the
  reason text (BR-E-10) and, like S, the seller's VAT identifier (BR-E-02 / BR-S-02:
  ``NO<orgnr>MVA`` per NO-R-001, ``DK<cvr>`` in Denmark).
* **"Foretaksregisteret"** (NO-R-002, a *warning*) is not written: it is owed by sellers
  registered in the Register of Business Enterprises (AS, ASA, branches of foreign companies,
  foretaksregisterloven § 10-2). The sellers here are municipalities, which are registered in
  the Central Coordinating Register (Enhetsregisteret) only; printing the word would be untrue.
* **Unit of measure** is C62 ("one"): a plugin's lines do not say whether they count months, days
  or visits, and C62 is true for all of them — the line's description and its own invoice
  period carry the time. MON or DAY would be wrong for some plugin's lines sooner or later.
* **Case reference** is the line object identifier (BT-128, ``DocumentReference`` with type
  code 130) and also the line note, which most receiving systems show. Nothing else about the
  case goes into the file: no name, no national id.
* **Payment** (invoices only; a credit note carries no payment request, so neither
  ``PaymentMeans`` nor ``PaymentTerms``) is chosen per seller country by
  :mod:`velferd.billing.payment_means`: credit transfer (30) in Norway, or SEPA credit transfer
  (58) for an IBAN in EUR; in Denmark code 31 with the reg.nr as the branch (DK-R-005/006). The
  ``PaymentID`` (BT-83) is the reference frozen at issue (:mod:`velferd.billing.payment_reference`):
  the KID in Norway; in Denmark the 15-digit FI +71 payment id when the tenant has an FI creditor
  number. A Danish FIK payment could also be written as code 93 (reference giro) with the
  creditor number as the account, but how BIS 3 carries the card type and creditor is not settled
  in the national rules we could check, so the bank transfer (31) stays the payment means and the
  FIK id its reference — a payer's bank can match either. The invoice number is the reference of
  an invoice issued before references were frozen. Without a bank account there is no
  ``PaymentMeans`` (BR-61 would require the account).
* **Texts** (payment terms) are in the seller's language, from :mod:`velferd.billing.wording`;
  the line names are the plugins' own descriptions, written in the tenant's language.
* One document-level ``Note`` at most (PEPPOL-EN16931-R002): the credit reason and the note are
  joined into it. No empty element is ever written (PEPPOL-EN16931-R008).
* The header invoice period covers every line's period (PEPPOL-EN16931-R110/R111 require the
  lines to lie within it), normally simply the billed month.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from velferd.billing.document import (
    EXEMPT, OUTSIDE_SCOPE, DocumentLine, InvoiceDocument, Party, plain_decimal, round_money,
)
from velferd.billing.payment_means import payment_means_for
from velferd.billing.payment_reference import payment_id
from velferd.billing.wording import locale_for, payment_terms_text

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
INVOICE_TYPE_CODE = "380"
CREDIT_NOTE_TYPE_CODE = "381"
LINE_OBJECT_DOCUMENT_TYPE = "130"  # UNCL1001 "invoicing data sheet": BT-128, the invoiced object
UNIT_CODE = "C62"
ENDPOINT_SCHEMES = {"NO": "0192", "DK": "0184"}
OUTSIDE_SCOPE_REASON_CODE = "VATEX-EU-O"

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def endpoint_scheme(country: str) -> str:
    """The PEPPOL electronic address scheme (EAS) of an organisation number of ``country``."""
    try:
        return ENDPOINT_SCHEMES[country]
    except KeyError:
        raise ValueError(f"no PEPPOL endpoint scheme for country {country!r} (known: NO, DK)") from None


def ubl_xml(doc: InvoiceDocument) -> bytes:
    """The document as UTF-8 UBL 2.1 XML: an ``Invoice`` (380) or a ``CreditNote`` (381)."""
    root = _UblWriter(doc).document()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _cbc(parent: etree._Element, name: str, text, **attributes) -> etree._Element | None:
    """A basic component, or nothing at all when there is no value (never an empty element)."""
    if text is None or str(text).strip() == "":
        return None
    element = etree.SubElement(parent, f"{{{NS_CBC}}}{name}", attributes)
    element.text = str(text)
    return element


def _cac(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{NS_CAC}}}{name}")


def _amount(value: Decimal) -> str:
    """Amounts with exactly two decimals (BR-DEC-*)."""
    return f"{round_money(value):.2f}"


class _UblWriter:
    """Writes one document. Element order follows the UBL 2.1 schema sequence, which the XSD checks."""

    def __init__(self, doc: InvoiceDocument):
        self.doc = doc
        self.credit = doc.is_credit_note
        self.currency = {"currencyID": doc.currency}

    def document(self) -> etree._Element:
        doc = self.doc
        namespace = NS_CREDIT_NOTE if self.credit else NS_INVOICE
        root = etree.Element(f"{{{namespace}}}{'CreditNote' if self.credit else 'Invoice'}",
                             nsmap={None: namespace, "cac": NS_CAC, "cbc": NS_CBC})
        _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
        _cbc(root, "ProfileID", PROFILE_ID)
        _cbc(root, "ID", doc.number)
        _cbc(root, "IssueDate", doc.issue_date.isoformat())
        if self.credit:
            _cbc(root, "CreditNoteTypeCode", CREDIT_NOTE_TYPE_CODE)
        else:
            _cbc(root, "DueDate", doc.due_date.isoformat())
            _cbc(root, "InvoiceTypeCode", INVOICE_TYPE_CODE)
        _cbc(root, "Note", self._note())
        _cbc(root, "DocumentCurrencyCode", doc.currency)
        _cbc(root, "BuyerReference", doc.buyer_reference)
        self._period(root, *self._header_period())
        if self.credit:
            reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
            _cbc(reference, "ID", doc.credited_number)
            if doc.credited_issue_date:
                _cbc(reference, "IssueDate", doc.credited_issue_date.isoformat())
        self._party(_cac(root, "AccountingSupplierParty"), doc.seller, seller=True)
        self._party(_cac(root, "AccountingCustomerParty"), doc.buyer, seller=False)
        self._payment_means(root)
        if not self.credit:
            _cbc(_cac(root, "PaymentTerms"), "Note",
                 payment_terms_text(doc.payment_terms_days, locale_for(doc.seller.country)))
        self._tax_total(root)
        self._monetary_total(root)
        for line in doc.lines:
            self._line(root, line)
        return root

    # ---- header ----------------------------------------------------------------------------------
    def _note(self) -> str | None:
        parts = [self.doc.credit_reason if self.credit else None, self.doc.note]
        joined = " — ".join(part.strip() for part in parts if part and part.strip())
        return joined or None

    def _header_period(self):
        starts = [self.doc.period_start, *(line.period_start for line in self.doc.lines)]
        ends = [self.doc.period_end, *(line.period_end for line in self.doc.lines)]
        return min(starts), max(ends)

    @staticmethod
    def _period(parent, start, end) -> None:
        period = _cac(parent, "InvoicePeriod")
        _cbc(period, "StartDate", start.isoformat())
        _cbc(period, "EndDate", end.isoformat())

    # ---- parties ---------------------------------------------------------------------------------
    def _party(self, wrapper, party: Party, *, seller: bool) -> None:
        scheme = endpoint_scheme(party.country)
        element = _cac(wrapper, "Party")
        _cbc(element, "EndpointID", party.endpoint, schemeID=scheme)
        _cbc(_cac(element, "PartyName"), "Name", party.name)
        address = _cac(element, "PostalAddress")
        _cbc(address, "StreetName", party.address)
        _cbc(address, "CityName", party.city)
        _cbc(address, "PostalZone", party.postal_code)
        _cbc(_cac(address, "Country"), "IdentificationCode", party.country)
        if seller and self.doc.vat_category != OUTSIDE_SCOPE:
            tax_scheme = _cac(element, "PartyTaxScheme")
            _cbc(tax_scheme, "CompanyID", vat_identifier(party))
            _cbc(_cac(tax_scheme, "TaxScheme"), "ID", "VAT")
        legal = _cac(element, "PartyLegalEntity")
        _cbc(legal, "RegistrationName", party.name)
        _cbc(legal, "CompanyID", party.organisation_number, schemeID=scheme)
        if party.email:
            _cbc(_cac(element, "Contact"), "ElectronicMail", party.email)

    # ---- payment ---------------------------------------------------------------------------------
    def _payment_means(self, root) -> None:
        """How to pay, for an invoice only: a credit note carries no payment request."""
        if self.credit:
            return
        chosen = payment_means_for(self.doc.bank_account, seller_country=self.doc.seller.country,
                                   currency=self.doc.currency)
        if chosen is None:
            return
        means = _cac(root, "PaymentMeans")
        _cbc(means, "PaymentMeansCode", chosen.code)
        _cbc(means, "PaymentID", payment_id(self.doc.reference_to_pay))
        account = _cac(means, "PayeeFinancialAccount")
        _cbc(account, "ID", chosen.account)
        if chosen.branch:
            _cbc(_cac(account, "FinancialInstitutionBranch"), "ID", chosen.branch)

    # ---- VAT and totals --------------------------------------------------------------------------
    def _tax_category(self, parent, name: str, *, with_reason: bool) -> None:
        doc = self.doc
        category = _cac(parent, name)
        _cbc(category, "ID", doc.vat_category)
        if doc.vat_category != OUTSIDE_SCOPE:
            _cbc(category, "Percent", plain_decimal(Decimal("0") if doc.vat_category == EXEMPT else doc.vat_rate))
        if with_reason:
            if doc.vat_category == OUTSIDE_SCOPE:
                _cbc(category, "TaxExemptionReasonCode", OUTSIDE_SCOPE_REASON_CODE)
            if doc.vat_category in (OUTSIDE_SCOPE, EXEMPT):
                _cbc(category, "TaxExemptionReason", doc.exemption_reason)
        _cbc(_cac(category, "TaxScheme"), "ID", "VAT")

    def _tax_total(self, root) -> None:
        doc = self.doc
        total = _cac(root, "TaxTotal")
        _cbc(total, "TaxAmount", _amount(doc.vat_amount), **self.currency)
        subtotal = _cac(total, "TaxSubtotal")
        _cbc(subtotal, "TaxableAmount", _amount(doc.line_total), **self.currency)
        _cbc(subtotal, "TaxAmount", _amount(doc.vat_amount), **self.currency)
        self._tax_category(subtotal, "TaxCategory", with_reason=True)

    def _monetary_total(self, root) -> None:
        doc = self.doc
        total = _cac(root, "LegalMonetaryTotal")
        _cbc(total, "LineExtensionAmount", _amount(doc.line_total), **self.currency)
        _cbc(total, "TaxExclusiveAmount", _amount(doc.line_total), **self.currency)
        _cbc(total, "TaxInclusiveAmount", _amount(doc.payable_total), **self.currency)
        _cbc(total, "PayableAmount", _amount(doc.payable_total), **self.currency)

    # ---- lines -----------------------------------------------------------------------------------
    def _line(self, root, line: DocumentLine) -> None:
        element = _cac(root, "CreditNoteLine" if self.credit else "InvoiceLine")
        _cbc(element, "ID", line.position)
        _cbc(element, "Note", line.case_reference)
        _cbc(element, "CreditedQuantity" if self.credit else "InvoicedQuantity", plain_decimal(line.quantity),
             unitCode=UNIT_CODE)
        _cbc(element, "LineExtensionAmount", _amount(line.amount), **self.currency)
        self._period(element, line.period_start, line.period_end)
        if line.case_reference:
            reference = _cac(element, "DocumentReference")
            _cbc(reference, "ID", line.case_reference)
            _cbc(reference, "DocumentTypeCode", LINE_OBJECT_DOCUMENT_TYPE)
        item = _cac(element, "Item")
        _cbc(item, "Name", line.description)
        self._tax_category(item, "ClassifiedTaxCategory", with_reason=False)
        _cbc(_cac(element, "Price"), "PriceAmount", plain_decimal(line.unit_price), **self.currency)


def vat_identifier(party: Party) -> str:
    """The VAT identifier as BIS expects it: ``NO<orgnr>MVA`` (NO-R-001), ``DK<cvr>``."""
    if party.country == "NO":
        return f"NO{party.organisation_number}MVA"
    return f"{party.country}{party.organisation_number}"
