"""Invoice documents for the renderer tests: Bergen billing NAV, Odense billing a Danish unit.

Plain ``InvoiceDocument`` values, no database: the renderers are pure functions of them. The
organisation numbers are real-format (MOD11 / CVR check digits valid) from tests/helpers.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from tests.helpers import ORGNR
from velferd.billing.document import CREDIT_NOTE, DocumentLine, InvoiceDocument, Party

BERGEN = Party(name="Bergen kommune", organisation_number=ORGNR["bergen"], country="NO",
               address="Rådhusgaten 10", postal_code="5014", city="Bergen", email="faktura@bergen.kommune.no")
NAV_ALTA = Party(name="NAV Alta", organisation_number=ORGNR["alta"], country="NO", address="Postboks 1",
                 postal_code="9501", city="Alta", email="okonomi@nav-alta.example.no", ehf_endpoint="944588132")
ODENSE = Party(name="Odense Kommune", organisation_number=ORGNR["odense"], country="DK",
               address="Flakhaven 2", postal_code="5000", city="Odense C", email="faktura@odense.example.dk")
ODENSE_CHILDREN_UNIT = Party(name="Børn og Unge, Odense", organisation_number="29189919", country="DK",
                    address="Ørbækvej 100", postal_code="5220", city="Odense SØ", email="bu@odense.example.dk",
                    ehf_endpoint="29189919")

MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


def line(position: int, amount: str, *, quantity: str = "1", unit_price: str | None = None,
         description: str = "Oppfølging etter fylte 18 år", case_reference: str | None = "2025-0042",
         period=MARCH) -> DocumentLine:
    return DocumentLine(position=position, description=description, quantity=Decimal(quantity),
                        unit_price=Decimal(unit_price or amount), amount=Decimal(amount),
                        period_start=period[0], period_end=period[1], case_reference=case_reference)


LINES = (
    line(1, "12500.00"),
    line(2, "5000.03", quantity="15", unit_price="333.335", description="Bolig; 15 døgn",
         case_reference="2025-0107", period=(dt.date(2025, 3, 1), dt.date(2025, 3, 15))),
    line(3, "0.50", quantity="2", unit_price="0.25", description="Reise", case_reference=None),
)


def bergen_invoice(**changes) -> InvoiceDocument:
    """Invoice 17 from Bergen to NAV Alta for March 2025, outside the scope of VAT (category O)."""
    document = InvoiceDocument(
        kind="invoice", number=17, issue_date=dt.date(2025, 4, 1), due_date=dt.date(2025, 5, 1), currency="NOK",
        period_start=MARCH[0], period_end=MARCH[1], seller=BERGEN, buyer=NAV_ALTA, buyer_reference="NAV-4711",
        lines=LINES, vat_category="O", vat_rate=Decimal("0"),
        vat_exemption_reason="Utenfor merverdiavgiftsloven – kommunal tjenesteyting",
        bank_account="1503.12.34567", payment_terms_days=30,
    )
    return dataclasses.replace(document, **changes)


def bergen_credit_note(**changes) -> InvoiceDocument:
    """Credit note 18 crediting invoice 17 in full."""
    values = dict(kind=CREDIT_NOTE, number=18, issue_date=dt.date(2025, 4, 10), due_date=dt.date(2025, 5, 10),
                  credited_number=17, credited_issue_date=dt.date(2025, 4, 1), credit_reason="Feil sats for mars")
    return bergen_invoice(**{**values, **changes})


def odense_invoice(**changes) -> InvoiceDocument:
    """Invoice 3 from Odense to a Danish unit, in DKK, VAT exempt (category E)."""
    values = dict(number=3, currency="DKK", seller=ODENSE, buyer=ODENSE_CHILDREN_UNIT, buyer_reference="BU-2025",
                  vat_category="E", vat_exemption_reason="Momsfritaget – kommunal opgave",
                  bank_account="DK5000400440116243")
    return bergen_invoice(**{**values, **changes})
