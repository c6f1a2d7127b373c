"""What DUE bills, for the core's monthly invoice run (guideline 5.2): monthly in arrears, per
decision — one line per case and month to the unit holding the vedtak on those days — plus the
agreed extra resources on lines of their own.

* A month the case covers whole is charged the year's monthly price (`prices`).
* A month it covers only in part — the start month, the end month, a transfer mid-month — is
  charged price × calendar days covered / days in the month (start day and end day both count),
  rounded to the øre, half up. A transfer splits the month between the two payers by days.
* Each line has quantity 1 and the charged amount as its unit price, so the invoice total is the
  exact sum of what is stated here; the description says how the amount was reached, in the
  tenant's language with its number and date formats (the core's wording, through the toolkit):
  "DUE-sak 2, vedtak BV-2024/117, månedspris 2026, 01.03.2026–31.03.2026: 16 av 30 dager ×
  24 338,00 NOK per måned". The line's
  case reference is the paying unit's vedtak reference — the reference the payer knows — and its
  key ("monthly", "extra:<id>") lets the core's catch-up tell a line billed from one not billed.

Whether the payer gets an internal invoice (child welfare, Agresso) or a sales order (NAV, Socio,
through the finance export) follows from its unit's payer kind and delivery channel, which the
core's billing uses; `placement.payer_unit` refuses a vedtak from a unit set up the wrong way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    InvoiceLine,
    InvoiceLineProvider,
    Tenant,
    current_tenant,
    db,
    format_period,
    monthly_price_text,
    part_of_month_text,
    per_month_text,
)

from .calendar import Span, days_in_month, months_of, whole_month
from .extras import extras_of
from .manifest import PLUGIN_ID
from .models import PayerPeriod, Placement, Vedtak
from .placement import vedtak_of
from .prices import part_of_month, percent_table, price_for_year

ONE = Decimal("1")


# DUE's own words in the line texts; the numbers, dates and "per month" come from the core's wording
CASE_LABEL = {"nb": "DUE-sak {case}", "da": "DUE-sag {case}", "en": "DUE case {case}"}
VEDTAK = {"nb": "vedtak {reference}", "da": "afgørelse {reference}", "en": "decision {reference}"}
EXTRA_RESOURCES = {"nb": "ekstra ressurser ({what})", "da": "ekstra ressourcer ({what})",
                   "en": "extra resources ({what})"}


def _charge(monthly: Decimal, month: Span, what: str, case: str, tenant: Tenant) -> tuple[Decimal, str]:
    """The amount of `month` and the text saying how it was reached, in the tenant's language."""
    locale, currency = tenant.locale, tenant.currency
    label = f"{case}, {what}, {format_period(month.first, month.last, locale)}"
    if whole_month(month):
        return monthly, f"{label}: {per_month_text(monthly, currency, locale)}"
    total = days_in_month(month.first.year, month.first.month)
    amount = part_of_month(monthly, month.days, total)
    return amount, f"{label}: {part_of_month_text(month.days, total, monthly, currency, locale)}"


def _case_label(case_id: int, vedtak: list[Vedtak], unit_id: int, locale: str) -> str:
    """E.g. "DUE-sak 2, vedtak BV-2024/117": the latest vedtak the paying unit gave on the case."""
    reference = _vedtak_reference(vedtak, unit_id)
    label = CASE_LABEL[locale].format(case=case_id)
    return f"{label}, {VEDTAK[locale].format(reference=reference)}" if reference else label


def _vedtak_reference(vedtak: list[Vedtak], unit_id: int) -> str | None:
    """The reference of the latest vedtak the paying unit gave on the case: the line's case reference."""
    references = [v.reference for v in vedtak if v.unit_id == unit_id and v.reference]
    return references[-1] if references else None


def lines_for(settings: Mapping[str, Any], start: dt.date, end: dt.date) -> list[InvoiceLine]:
    """The invoice lines of the tenant in scope for the days `start`–`end` (a month in the run)."""
    tenant = current_tenant()
    period, lines = Span(start, end), []
    table = percent_table()
    placements = db.session.scalars(
        sa.select(Placement).join(Case, Case.id == Placement.case_id)
        .where(Case.plugin == PLUGIN_ID, Placement.started_at.is_not(None), Placement.start_on <= end,
               sa.or_(Placement.end_on.is_(None), Placement.end_on >= start))
        .order_by(Placement.case_id)).all()
    for placement in placements:
        covered = period.overlap(placement.start_on, placement.end_on)
        payers = db.session.scalars(sa.select(PayerPeriod).where(PayerPeriod.case_id == placement.case_id)
                                    .order_by(PayerPeriod.starts_on, PayerPeriod.id)).all()
        extras = extras_of(placement.case_id)
        vedtak = vedtak_of(placement.case_id)
        for payer in payers:
            paid = covered.overlap(payer.starts_on, payer.ends_on) if covered else None
            if paid is None:
                continue
            case = _case_label(placement.case_id, vedtak, payer.unit_id, tenant.locale)
            reference = _vedtak_reference(vedtak, payer.unit_id)
            for month in months_of(paid):
                price = price_for_year(month.first.year, settings, table)
                amount, text = _charge(price, month, monthly_price_text(month.first.year, tenant.locale), case, tenant)
                lines.append(InvoiceLine(payer.unit_id, text, ONE, amount, month.first, month.last, placement.case_id,
                                         line_key="monthly", case_reference=reference))
            for extra in extras:
                agreed = paid.overlap(extra.starts_on, extra.ends_on)
                for month in months_of(agreed) if agreed else ():
                    what = EXTRA_RESOURCES[tenant.locale].format(what=extra.description)
                    amount, text = _charge(extra.monthly_amount, month, what, case, tenant)
                    lines.append(InvoiceLine(payer.unit_id, text, ONE, amount, month.first, month.last,
                                             placement.case_id, line_key=f"extra:{extra.id}",
                                             case_reference=reference))
    return lines


def provide_lines(tenant: Tenant, settings: Mapping[str, Any], start: dt.date, end: dt.date) -> list[InvoiceLine]:
    """The provider the core's invoice run calls, with the tenant in scope."""
    return lines_for(settings, start, end)


PROVIDER = InvoiceLineProvider("due_monthly", provide_lines)
