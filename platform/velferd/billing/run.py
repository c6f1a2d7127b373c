"""The monthly invoice run: one invoice per (plugin, payer) for a period, billed exactly once.

`run_period` asks every plugin the tenant enabled for the period's lines, groups them by payer
and writes each missing invoice in its own short transaction — created, numbered (or held) and
its delivery requested together — so a crash loses at most the invoice being written, and the
numbers stay gapless. The run's `InvoiceRun` row is unique per (tenant, period):

* a request for a completed period finds it and returns at once;
* a run interrupted by a crash (or a killed worker) left it ``running``: the next run skips the
  invoices that exist and writes only the missing ones;
* two runs at the same time both try; the unique index on invoices lets only one write each
  invoice, and the other moves on.

At the end, in one synchronous transaction, the run writes its finance export (every invoice it
issued, for the municipality's finance system; payers on the finance-export channel are
delivered by that file), requests the other invoices' deliveries and is marked completed. Lines
are written with one INSERT per invoice (billing.bulk), not row by row.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from velferd.billing.bulk import insert_lines
from velferd.billing.exports import export_run
from velferd.billing.issue import issue_or_hold, request_delivery
from velferd.billing.lines import PricedLine, lines_by_payer
from velferd.billing.periods import Period
from velferd.billing.profiles import profile_for
from velferd.db import db, utcnow
from velferd.decisions import tenant_today
from velferd.errors import VelferdError
from velferd.models import BillingProfile, Invoice, InvoiceRun, Tenant, Unit, User

log = logging.getLogger(__name__)


class UnknownPayer(VelferdError):
    status = 500


@dataclass(frozen=True)
class RunOutcome:
    run: InvoiceRun
    created: int
    already_completed: bool = False

    def as_json(self) -> dict:
        return {"run_id": self.run.id, "period": f"{self.run.period_start:%Y-%m}", "state": self.run.state,
                "created": self.created, "already_completed": self.already_completed,
                "invoices": self.run.invoice_count, "held": self.run.held_count}


def run_period(tenant: Tenant, period: Period, actor: User | None = None) -> RunOutcome:
    """Bill `period` for `tenant` (in scope). Safe to call any number of times."""
    run = _claim_run(period, actor)
    if run.state == "completed":
        return RunOutcome(run, 0, already_completed=True)
    try:
        created = _write_missing_invoices(tenant, period, run)
        export_run(tenant, run)
        _request_deliveries(tenant, run, actor)
        _complete(run)
    except Exception as error:
        db.session.rollback()
        _record_failure(run, error)
        raise
    return RunOutcome(run, created)


def _claim_run(period: Period, actor: User | None) -> InvoiceRun:
    run = _find_run(period)
    if run is None:
        try:
            with db.session.begin_nested():
                run = InvoiceRun(period_start=period.start, period_end=period.end, state="running",
                                 requested_by_id=actor.id if actor else None)
                db.session.add(run)
        except IntegrityError:  # a run of the same period started at the same moment
            run = _find_run(period)
    elif run.state != "completed":
        run.state, run.error, run.started_at, run.finished_at = "running", None, utcnow(), None
    _commit_without_waiting_for_the_disk()  # made durable with the run's last transaction
    return run


def _find_run(period: Period) -> InvoiceRun | None:
    return db.session.scalar(sa.select(InvoiceRun).where(
        InvoiceRun.period_start == period.start, InvoiceRun.period_end == period.end))


def _billed_keys(period: Period) -> set[tuple[str, int]]:
    """(plugin, payer) pairs with a live invoice for the period: what a re-run must not bill again."""
    rows = db.session.execute(sa.select(Invoice.plugin, Invoice.payer_unit_id).where(
        Invoice.kind == "invoice", Invoice.status != "credited",
        Invoice.period_start == period.start, Invoice.period_end == period.end))
    return {(plugin, payer) for plugin, payer in rows}


def _write_missing_invoices(tenant: Tenant, period: Period, run: InvoiceRun) -> int:
    grouped = lines_by_payer(tenant, period)
    run.plugins = sorted({plugin for plugin, _ in grouped})
    billed = _billed_keys(period)
    units = {unit.id: unit for unit in db.session.scalars(sa.select(Unit))}
    profile = profile_for(tenant)
    today = tenant_today(tenant)
    db.session.commit()
    created = 0
    for (plugin, payer_id), lines in sorted(grouped.items()):
        if (plugin, payer_id) in billed:
            continue
        if payer_id not in units:
            raise UnknownPayer(f"plugin '{plugin}' billed unit {payer_id}, which is no unit of {tenant.name}")
        created += _write_invoice(tenant, period, run, plugin, units[payer_id], lines, profile, today)
    return created


def _write_invoice(tenant: Tenant, period: Period, run: InvoiceRun, plugin: str, payer: Unit,
                   lines: list[PricedLine], profile: BillingProfile, today: dt.date) -> int:
    """One invoice, in one transaction: 1 if written, 0 if another run wrote it first."""
    invoice = Invoice(
        kind="invoice", plugin=plugin, payer_unit_id=payer.id, period_start=period.start,
        period_end=period.end, currency=tenant.currency, run_id=run.id, tenant_id=tenant.id,
        total=sum((line.amount for line in lines), Decimal("0.00")),
    )
    issued = issue_or_hold(invoice, tenant, payer, profile, today)
    db.session.add(invoice)
    try:
        db.session.flush()
    except IntegrityError:  # the unique index: another run billed this payer and period just now
        db.session.rollback()
        log.info("invoice for %s/%s %s exists already; skipped", plugin, payer.id, period.name)
        return 0
    insert_lines([_line_row(tenant, invoice, position, line) for position, line in enumerate(lines, start=1)])
    _commit_without_waiting_for_the_disk()
    return 1


def _commit_without_waiting_for_the_disk() -> None:
    """Commit one invoice of the run with PostgreSQL's ``synchronous_commit`` off for this
    transaction only: it does not wait for its WAL flush (the run would otherwise spend most of
    its time on one fsync per invoice). Safe here because the run's last transaction commits
    synchronously, which makes every earlier one durable too (the WAL is written in order), and
    nothing leaves the database before that: deliveries are requested, and the export written,
    in that last transaction. Should the database itself crash mid-run, the tail of the invoices
    is lost together with the numbers it took, and the next run writes them again — no gap."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL synchronous_commit = off"))
    db.session.commit()


def _request_deliveries(tenant: Tenant, run: InvoiceRun, actor: User | None) -> None:
    """Deliver the run's issued invoices that are not on the finance-export channel (those are
    delivered by the run's file). Keyed per invoice, so a resumed run requests none twice."""
    pending = db.session.scalars(sa.select(Invoice).where(
        Invoice.run_id == run.id, Invoice.status == "issued", Invoice.sent_at.is_(None))).all()
    for invoice in pending:
        if invoice.channel != "finance_export":
            request_delivery(invoice, tenant, actor, once=True)


def _line_row(tenant: Tenant, invoice: Invoice, position: int, line: PricedLine) -> dict:
    return {"tenant_id": tenant.id, "invoice_id": invoice.id, "position": position,
            "description": line.description, "quantity": line.quantity, "unit_price": line.unit_price,
            "amount": line.amount, "period_start": line.period_start, "period_end": line.period_end,
            "case_id": line.case_id, "case_reference": line.case_reference}


def _complete(run: InvoiceRun) -> None:
    counts = dict(db.session.execute(
        sa.select(Invoice.status, sa.func.count()).where(Invoice.run_id == run.id).group_by(Invoice.status)).all())
    run.held_count = counts.pop("held", 0)
    run.invoice_count = sum(counts.values())
    run.state, run.finished_at, run.error = "completed", utcnow(), None
    db.session.commit()


def _record_failure(run: InvoiceRun, error: Exception) -> None:
    run = db.session.get(InvoiceRun, run.id)
    run.state, run.finished_at = "failed", utcnow()
    run.error = f"{type(error).__name__}: {error}"[:2000]
    db.session.commit()


def reopen_period(invoice: Invoice) -> None:
    """An invoice of a completed run was credited in full: the next run of its period bills its
    replacement (the credit note alone would leave the period unbilled)."""
    if invoice.run_id is None:
        return
    run = db.session.get(InvoiceRun, invoice.run_id)
    if run is not None and run.state == "completed":
        run.state = "reopened"
