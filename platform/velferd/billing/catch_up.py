"""Catch-up: work registered after its month was billed is billed once, and what is no longer owed is credited.

A month's run is completed once, but what a plugin bills for a month can change after that: a
youth's start registered (back-dated) in October for 15 September, a break-off back-dated into
a billed month. Every run of a period P therefore also looks back over the earlier periods that
were billed (a ``completed`` or ``reopened`` run, at most ``BILLING_CATCH_UP_MONTHS`` months,
default 12) and compares what the providers say is owed for each of them *now* with what was
*net billed* for it.

**A billable item** is (plugin, payer unit, case, the line's service period, the line's key —
DUE: "monthly", "extra:<id>"). Its *net billed* is the sum of its amounts on invoices minus the
same item's amounts on credit notes. Held invoices count as billed (they are issued when
released), so an item waiting on a held invoice is never billed a second time. Lines without a
case (``case_id`` None) have no identity across runs and are not caught up.

**The one rule: bill what is owed and not net billed.** For each earlier period Q:

* owed, net billed 0 → a *catch-up line* on P's invoice to that payer, keeping its own service
  period (the line's period_start/end) and the plugin's text, prefixed with the month it is
  for in the tenant's language;
* net billed but no longer owed, or owed with another amount → the live billed line is
  credited (a credit note per original invoice, by line position and quantity, its
  ``credit_origin`` "catch_up", the reason naming the item and "no longer owed as registered
  now" in the tenant's language), and a changed amount is then billed
  anew as a catch-up line. Crediting old in full and billing new is what a finance officer can
  follow on the documents; a credit note is an ordinary document (numbered, delivered,
  exported). Crediting is automatic — the issue's "credited" — because the over-billing is a
  fact the caseworker registered, not a judgement. A line finance credited *in part* by hand
  is finance's judgement, though (an absence, a dispute): that item is left as finance set it.
* an item whose billed line sits on a *held* invoice (no number, never sent) cannot be
  credited: it is left as it is — never billed again beside it — until finance releases that
  invoice; the first run after the release credits it like any other (logged meanwhile).

P's own lines obey the same rule: a line whose item is net billed already is not billed again.
That is what makes the re-run of a *reopened* period (an invoice of it credited in full) safe
after a later run caught one of its items up elsewhere — the two paths cannot both bill it.

**Why on the next invoice, not a supplementary one.** One invoice per payer per month is what the
payer expects, and the bill-once index (one live invoice per plugin, payer and period) stays as
it is: a supplementary invoice for a billed period would be a second invoice for (payer, period),
which the index forbids.

**Crash and concurrency.** Everything is derived from the database, so a rerun after a crash at
any point bills and credits nothing twice: the credits are committed one by one before P's
invoices are written (a credited line is net 0 and owed again only if the provider still says
so), and P's invoices, catch-up lines included, are written in the run's batches. Two runs of
*different* periods at once could both see the same late line unbilled, so on PostgreSQL a
tenant's runs are serialised by an advisory lock held on a connection of its own for the span
of the run (`one_run_at_a_time`); a killed worker's connection closes and frees it. SQLite (the
single-process embedded demo) has no such lock: two runs of one tenant at the same moment there
are not guarded against a double catch-up.

Cost: one ``lines_by_payer`` per billed earlier period and one grouped query for the net billed
amounts over the whole look-back.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from flask import current_app

from velferd.billing.credit import CREDITABLE, credit_invoice
from velferd.billing.lines import DESCRIPTION_LIMIT, QUANTITY_PLACES, PricedLine, lines_by_payer
from velferd.billing.periods import Period
from velferd.billing.wording import catch_up_line_text, no_longer_owed_text
from velferd.db import db
from velferd.models import Invoice, InvoiceLine, InvoiceRun, Tenant
from velferd.redaction import redacting_logger

log = redacting_logger(__name__)

#: (plugin, payer unit id, case id, service period start, service period end, line key)
Item = tuple[str, int, int, dt.date, dt.date, str | None]
Key = tuple[str, int]  # (plugin, payer unit id): one invoice
ZERO = Decimal("0.00")
#: advisory lock space of the invoice runs (the second key is the tenant's id)
RUN_LOCK_SPACE = 7301


def item_of(key: Key, line: PricedLine) -> Item:
    return (*key, line.case_id, line.period_start, line.period_end, line.line_key)


@dataclass
class BilledPart:
    """What is left of an item on one original invoice: its line there, net of the credits of it."""

    invoice_id: int
    status: str
    position: int
    amount: Decimal
    quantity: Decimal
    credited_by_finance: bool  # partly credited by hand (credit_origin "finance", not a catch-up)

    @property
    def settled_by_finance(self) -> bool:
        """Credited in part by hand and still live: a deliberate reduction, never billed again.
        (An invoice credited in full by hand is ``credited``: its period is reopened to bill it anew.)"""
        return self.credited_by_finance and self.status != "credited"


@dataclass
class Billed:
    """An item's net billed amount and the originals it is billed on."""

    parts: list[BilledPart] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        return sum((part.amount for part in self.parts), ZERO)


def _look_back_start(period: Period) -> dt.date:
    months = int(current_app.config["BILLING_CATCH_UP_MONTHS"])
    index = period.start.year * 12 + period.start.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


# the statements, built once (building one costs more than running it here, as in billing.run)
BILLED_PERIODS = sa.select(InvoiceRun.period_start, InvoiceRun.period_end).where(
    InvoiceRun.state.in_(("completed", "reopened")), InvoiceRun.period_start >= sa.bindparam("since"),
    InvoiceRun.period_end < sa.bindparam("before")).order_by(InvoiceRun.period_start)


def billed_periods_before(period: Period, since: dt.date) -> list[Period]:
    """The earlier periods from `since` whose run completed (or was reopened by a full credit)."""
    return [Period(start, end) for start, end in db.session.execute(
        BILLED_PERIODS, {"since": since, "before": period.start})]


_SIGN = sa.case((Invoice.kind == "invoice", 1), else_=-1)
_ORIGINAL_INVOICE = aliased(Invoice)
_ITEM_COLUMNS = (Invoice.plugin, Invoice.payer_unit_id, InvoiceLine.case_id, InvoiceLine.period_start,
                 InvoiceLine.period_end, InvoiceLine.line_key)
NET_BILLED = (
    sa.select(*_ITEM_COLUMNS, _ORIGINAL_INVOICE.id, _ORIGINAL_INVOICE.status, sa.func.sum(_SIGN * InvoiceLine.amount),
              sa.func.sum(_SIGN * InvoiceLine.quantity),
              sa.func.min(sa.case((Invoice.kind == "invoice", InvoiceLine.position))),
              sa.func.max(sa.case((Invoice.credit_origin == "finance", 1), else_=0)))
    .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
    .join(_ORIGINAL_INVOICE, _ORIGINAL_INVOICE.id == sa.func.coalesce(Invoice.credits_invoice_id, Invoice.id))
    .where(Invoice.tenant_id == sa.bindparam("tenant_id"), Invoice.period_start >= sa.bindparam("since"),
           InvoiceLine.case_id.is_not(None), InvoiceLine.period_start >= sa.bindparam("since"),
           InvoiceLine.period_end <= sa.bindparam("until"))
    .group_by(*_ITEM_COLUMNS, _ORIGINAL_INVOICE.id, _ORIGINAL_INVOICE.status))


def _exact(value, places: Decimal) -> Decimal:
    """A sum read back as the column's decimal (SQLite may hand a float back for a SUM)."""
    return Decimal(str(value)).quantize(places)


def net_billed(tenant: Tenant, since: dt.date, until: dt.date) -> dict[Item, Billed]:
    """{item: what is billed of it} for the items whose service period lies in `since`–`until`, on
    any invoice from `since` on (a late line is billed on a later month's invoice)."""
    billed: dict[Item, Billed] = defaultdict(Billed)
    for row in db.session.execute(NET_BILLED, {"tenant_id": tenant.id, "since": since, "until": until}):
        original, status, amount, quantity, position, by_hand = row[6:]
        billed[tuple(row[:6])].parts.append(BilledPart(original, status, position, _exact(amount, ZERO),
                                                       _exact(quantity, QUANTITY_PLACES), bool(by_hand)))
    return billed


@dataclass
class Reconciled:
    """What a run of P writes besides P's own lines, worked out from the database."""

    catch_up: dict[Key, list[PricedLine]] = field(default_factory=lambda: defaultdict(list))
    to_credit: dict[int, list[tuple[Item, BilledPart]]] = field(default_factory=lambda: defaultdict(list))
    waiting_on_held: list[Item] = field(default_factory=list)


def _work_of(item: Item) -> tuple:
    """The item without its service days: (plugin, payer, case, line key)."""
    plugin, payer, case_id, _, _, line_key = item
    return plugin, payer, case_id, line_key


def _catch_up_line(tenant: Tenant, period: Period, line: PricedLine) -> PricedLine:
    return line._replace(description=catch_up_line_text(period.start, line.description, tenant.locale)[
        :DESCRIPTION_LIMIT])


def _owed_items(tenant: Tenant, period: Period) -> dict[Item, tuple[Key, PricedLine]]:
    """{item: ((plugin, payer), line)} the providers say `period` owes now (lines with a case)."""
    return {item_of(key, line): (key, line) for key, lines in lines_by_payer(tenant, period).items()
            for line in lines if line.case_id is not None}


def _changed(period: Period, owed: dict[Item, tuple[Key, PricedLine]], billed: dict[Item, Billed],
             billed_in: list[Item]):
    """[(item, (plugin, payer), line owed now or None, its billed parts)] whose net billed differs
    from what is owed: owed and not billed, billed and no longer owed, or billed another amount.
    `billed_in`: the billed items whose service starts in `period`'s month."""
    gone = [item for item in billed_in if item not in owed and item[4] <= period.end]
    changed = []
    for item in [*owed, *gone]:
        key, line = owed.get(item, (item[:2], None))
        billed_now = billed.get(item, Billed())
        if any(part.settled_by_finance for part in billed_now.parts):
            continue
        if billed_now.amount != (line.amount if line is not None else ZERO):
            changed.append((item, key, line, [part for part in billed_now.parts if part.amount != 0]))
    return changed


def reconcile(tenant: Tenant, billed: dict[Item, Billed], earlier: list[Period]) -> Reconciled:
    """Compare what each earlier billed period owes now with what is net billed for it."""
    result = Reconciled()
    by_month: dict[dt.date, list[Item]] = defaultdict(list)
    for item in billed:
        by_month[item[3].replace(day=1)].append(item)
    for owed_period in earlier:
        changed = _changed(owed_period, _owed_items(tenant, owed_period), billed, by_month[owed_period.start])
        # what sits on a held invoice waits for its release, and so does what replaces it (the same
        # case and line key in the month, e.g. 1–20 instead of 1–30 September after a break-off)
        held = {_work_of(item) for item, _, _, live in changed if any(p.status not in CREDITABLE for p in live)}
        for item, key, line, live in changed:
            if _work_of(item) in held:
                result.waiting_on_held.append(item)  # corrected by the first run after the release
                continue
            for part in live:
                result.to_credit[part.invoice_id].append((item, part))
            if line is not None and line.amount != 0:
                result.catch_up[key].append(_catch_up_line(tenant, owed_period, line))
    return result


def _describe(item: Item) -> str:
    plugin, _, case_id, start, end, line_key = item
    return f"{plugin} case {case_id}, {line_key or 'line'} {start.isoformat()}/{end.isoformat()}"  # ISO 8601 interval


def credit_what_is_no_longer_owed(tenant: Tenant, to_credit: dict[int, list[tuple[Item, BilledPart]]]) -> int:
    """One credit note per original invoice for its lines no longer owed, each committed at once
    (so a crash after it leaves it done, and the rerun sees those items net 0). Credit notes made."""
    for invoice_id, parts in sorted(to_credit.items()):
        reason = no_longer_owed_text([(part.position, start, end) for (_, _, _, start, end, _), part in parts],
                                     tenant.locale)
        credit_invoice(tenant, db.session.get(Invoice, invoice_id), reason, origin="catch_up",
                       lines=[{"position": part.position, "quantity": part.quantity} for _, part in parts])
        db.session.commit()
    return len(to_credit)


def owed_lines(tenant: Tenant, period: Period, own: dict[Key, list[PricedLine]]) -> dict[Key, list[PricedLine]]:
    """{(plugin, payer): lines to bill on P's invoice}: P's own lines not net billed yet and the
    earlier periods' catch-up lines — after crediting, committed, what is no longer owed."""
    since = _look_back_start(period)
    earlier = billed_periods_before(period, since)
    billed = net_billed(tenant, since, period.end)
    reconciled = reconcile(tenant, billed, earlier)
    if reconciled.waiting_on_held:
        log.warning("catch-up of %s waits: billed on a held invoice, corrected by the first run after its release",
                    ", ".join(_describe(item) for item in reconciled.waiting_on_held))
    credit_what_is_no_longer_owed(tenant, reconciled.to_credit)
    lines: dict[Key, list[PricedLine]] = {}
    for key in {*own, *reconciled.catch_up}:
        kept = [line for line in own.get(key, ()) if line.case_id is None
                or item_of(key, line) not in billed or billed[item_of(key, line)].amount == 0]
        kept += reconciled.catch_up.get(key, [])
        if kept:
            lines[key] = kept
    return lines


@contextmanager
def one_run_at_a_time(tenant: Tenant) -> Iterator[None]:
    """Hold the tenant's invoice-run lock (PostgreSQL) for the span of a run: a session-level
    advisory lock on a connection of its own, because the run commits many times and a
    transaction-level lock would end at the first commit."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT pg_advisory_lock(:space, :tenant)"),
                           {"space": RUN_LOCK_SPACE, "tenant": tenant.id})
        connection.commit()  # not left idle in a transaction while the run works
        try:
            yield
        finally:
            connection.execute(sa.text("SELECT pg_advisory_unlock(:space, :tenant)"),
                               {"space": RUN_LOCK_SPACE, "tenant": tenant.id})
            connection.commit()
