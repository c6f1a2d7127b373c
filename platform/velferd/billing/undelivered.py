"""Deliveries and finance exports nobody is going to make: found by the sweeper, asked for.

An issued invoice is delivered by a ``billing.deliver_invoice`` job written in the same
transaction that issued it (a release, a credit note) or that completed its run. A worker
killed at the wrong moment can still leave one undelivered with nobody to deliver it — the
observed case was a worker SIGKILLed mid invoice run, after which a tenth of the invoices stayed
unsent until the run was repeated by hand. So every sweep, per tenant, looks for issued
invoices that are neither sent nor failed, whose run (if any) has completed, and that no
unfinished delivery job is for, and asks for their delivery with the per-invoice idempotency
key a run uses: a second sweep, a resumed run or a concurrent sweeper finds that job and adds
none, and the delivery job itself never sends an invoice twice (`velferd.billing.delivery`).

Invoices of a run still in progress are left to the run: nothing leaves the database before the
run's last transaction, which requests their deliveries itself (see `velferd.billing.run`).

The same holds for the finance export (billing.exports): a document issued for a finished run
(a credit note, a released invoice) is written into the run's next file by a job requested when
it was issued. Should that job be lost, the sweep asks for the run's export again once a document
has waited `EXPORT_LOST_AFTER` (a job normally runs within seconds; the wait keeps the sweep from
racing a job that is only queued), so nothing stays out of the books. An export is safe to ask
for twice: the second finds nothing left to export and writes no file.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from velferd.billing.exports import EXPORT_TASK, RUNS_DONE, request_export
from velferd.billing.issue import DELIVER_TASK, request_delivery
from velferd.db import db, utcnow
from velferd.models import Invoice, InvoiceRun, JobRun
from velferd.models.jobs import FINISHED_STATES
from velferd.tenancy import require_tenant

EXPORT_LOST_AFTER = dt.timedelta(minutes=5)


def request_missing_deliveries() -> int:
    """Ask for the delivery of the current tenant's issued invoices that no job will deliver;
    returns how many were asked for (sent when the caller commits)."""
    undelivered = set(db.session.scalars(
        sa.select(Invoice.id).outerjoin(InvoiceRun, Invoice.run_id == InvoiceRun.id)
        .where(Invoice.status == "issued", Invoice.number.is_not(None), Invoice.sent_at.is_(None),
               sa.or_(Invoice.run_id.is_(None), InvoiceRun.state.in_(RUNS_DONE)))))
    if not undelivered:
        return 0
    being_delivered = {kwargs.get("invoice_id") for kwargs in db.session.scalars(
        sa.select(JobRun.kwargs).where(JobRun.task == DELIVER_TASK, JobRun.state.not_in(FINISHED_STATES)))}
    keys = {f"{DELIVER_TASK}:{invoice_id}": invoice_id for invoice_id in undelivered - being_delivered}
    asked_before = {keys[key] for key in db.session.scalars(  # and finished: a failure stays for a person
        sa.select(JobRun.idempotency_key).where(JobRun.idempotency_key.in_(list(keys))))}
    missing = sorted(set(keys.values()) - asked_before)
    tenant = require_tenant()
    for invoice_id in missing:
        request_delivery(invoice_id, tenant, once=True)
    return len(missing)


def request_missing_exports() -> int:
    """Ask for the export of every finished run of the current tenant that has an issued document
    in no file for longer than `EXPORT_LOST_AFTER` and no unfinished export job; returns how many
    runs were asked for (sent when the caller commits)."""
    waiting = set(db.session.scalars(
        sa.select(Invoice.run_id).join(InvoiceRun, Invoice.run_id == InvoiceRun.id)
        .where(Invoice.number.is_not(None), Invoice.exported_at.is_(None),
               Invoice.issued_at < utcnow() - EXPORT_LOST_AFTER, InvoiceRun.state.in_(RUNS_DONE))
        .distinct()))
    if not waiting:
        return 0
    being_exported = {kwargs.get("run_id") for kwargs in db.session.scalars(
        sa.select(JobRun.kwargs).where(JobRun.task == EXPORT_TASK, JobRun.state.not_in(FINISHED_STATES)))}
    missing = sorted(waiting - being_exported)
    tenant = require_tenant()
    for run_id in missing:
        request_export(run_id, tenant)
    return len(missing)
