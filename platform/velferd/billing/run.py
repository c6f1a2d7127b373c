"""The monthly invoice run: one invoice per (plugin, payer) for a period, billed exactly once.

`run_period` claims the period's `InvoiceRun` (its own short transaction), asks every plugin the
tenant enabled for the period's lines, groups them by payer and writes the missing invoices in
batches of ``BILLING_INVOICES_PER_TRANSACTION`` (default 200), one transaction per batch: the
batch's numbers are taken in one round trip (consecutive, in the batch's stable order; held
invoices take none), its invoices are inserted with one statement and all their lines with
another (billing.bulk). The last batch is not committed on its own: the run's last transaction
takes it together with the finance export (every invoice the run issued, for the
municipality's finance system; payers on the finance-export channel are delivered by that
file), the other invoices' delivery requests and the run's completion — so a tenant with fewer
invoices than a batch is billed in one transaction. A crash loses at most the batch being
written, together with the numbers it took, so the numbers stay gapless and the next run writes
that batch again. The `InvoiceRun` row is unique per (tenant, period):

* a request for a completed period finds it and returns at once;
* a run interrupted by a crash (or a killed worker) left it ``running``: the next run skips the
  invoices that exist and writes only the missing ones;
* two runs at the same time both try; the unique index on invoices lets only one write each
  invoice. The other's batch fails on it, is rolled back and written again invoice by invoice,
  each in its own transaction, skipping those the first run wrote.

Each invoice also carries the *catch-up* of the earlier billed months (billing.catch_up): lines
registered late are billed on it with their own service period, and what is no longer owed is
credited before the first batch; the rule for every line, the period's own too, is "bill what is
owed and not net billed", so a resumed run or a reopened period's re-run bills nothing twice.
A tenant's runs take one lock (PostgreSQL) for their whole span, so two runs of different months
cannot both catch up the same late line.

What every invoice shares (issue date, seller, VAT, terms) and each payer's snapshot are worked
out once per run, before the first batch, and the export is made from the lines in memory
rather than read back. Every commit but the last skips waiting for the disk (see
`_commit_without_waiting_for_the_disk`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from velferd.billing.accounting import accounting_for
from velferd.billing.blocked import CannotBill, blocking_role
from velferd.billing.bulk import insert_lines
from velferd.billing.catch_up import one_run_at_a_time, owed_lines
from velferd.billing.exports import ExportedRef, export_run
from velferd.billing.holds import hold_reason
from velferd.billing.issue import held_fields, issue_terms, issued_fields, request_delivery
from velferd.billing.issue_dates import run_issue_date
from velferd.billing.lines import PricedLine, lines_by_payer, placed
from velferd.billing.numbering import take_numbers
from velferd.billing.parties import payer_snapshot
from velferd.billing.periods import Period
from velferd.billing.profiles import profile_for
from velferd.billing.run_counts import recount_run
from velferd.clock import tenant_today
from velferd.db import db, utcnow
from velferd.errors import VelferdError
from velferd.models import Invoice, InvoiceRun, Tenant, Unit, User
from velferd.redaction import describe_error, redact, redacting_logger

log = redacting_logger(__name__)


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
        with one_run_at_a_time(tenant):  # the catch-up of late lines must not run twice at once
            written, plugins = _write_missing_invoices(tenant, period, run)
            _request_deliveries(tenant, export_run(tenant, run, written), actor)
            _complete(run, plugins)
    except Exception as error:
        db.session.rollback()
        _record_failure(run, error)
        raise
    return RunOutcome(run, len(written))


def _claim_run(period: Period, actor: User | None) -> InvoiceRun:
    """The period's run, found or created ``running``. Two runs started at the same moment both
    try to create it; the unique index lets one, and the other rolls back and finds it."""
    run = find_run_for(period)
    if run is None:
        try:
            run = InvoiceRun(period_start=period.start, period_end=period.end, state="running",
                             requested_by_id=actor.id if actor else None)
            db.session.add(run)
            db.session.flush()
        except IntegrityError:
            db.session.rollback()  # nothing else is in this transaction
            run = find_run_for(period)
    elif run.state != "completed":
        run.state, run.error, run.started_at, run.finished_at = "running", None, utcnow(), None
        run.fixed_by_role = None
    _commit_without_waiting_for_the_disk()  # made durable with the run's last transaction
    return run


# the run's queries, built once (building a statement costs more than running it here)
FIND_RUN = sa.select(InvoiceRun).where(InvoiceRun.period_start == sa.bindparam("start"),
                                       InvoiceRun.period_end == sa.bindparam("end"))
BILLED_KEYS = sa.select(Invoice.plugin, Invoice.payer_unit_id).where(
    Invoice.kind == "invoice", Invoice.status != "credited",
    Invoice.period_start == sa.bindparam("start"), Invoice.period_end == sa.bindparam("end"))


def find_run_for(period: Period) -> InvoiceRun | None:
    """The tenant's run of `period`, if one was started."""
    return db.session.scalar(FIND_RUN, {"start": period.start, "end": period.end})


def _billed_keys(period: Period) -> set[tuple[str, int]]:
    """(plugin, payer) pairs with a live invoice for the period: what a re-run must not bill again."""
    return {(plugin, payer) for plugin, payer in db.session.execute(
        BILLED_KEYS, {"start": period.start, "end": period.end})}


@dataclass(frozen=True)
class DraftInvoice:
    """An invoice the run is about to write: its row without what issuing adds, and its lines."""

    key: tuple[str, int]  # (plugin, payer unit id)
    row: dict[str, Any]
    lines: list[PricedLine]
    payer: dict[str, Any]  # the payer's snapshot
    hold_reason: str | None
    terms: dict[str, Any]  # the tenant's issue terms, shared by the run's invoices


def _write_missing_invoices(tenant: Tenant, period: Period, run: InvoiceRun) -> tuple[dict[int, list], list[str]]:
    """({id: lines} of the invoices written, plugins that billed). Each invoice has the period's
    lines not net billed yet and the catch-up lines of earlier periods (billing.catch_up, which
    first credits, committed, what is no longer owed)."""
    grouped = lines_by_payer(tenant, period)
    owed = owed_lines(tenant, period, grouped)
    billed = _billed_keys(period)
    missing = [(key, placed(lines)) for key, lines in sorted(owed.items()) if key not in billed]
    drafts = _drafts(tenant, period, run, missing) if missing else []
    size = max(1, int(current_app.config["BILLING_INVOICES_PER_TRANSACTION"]))
    written: dict[int, list[PricedLine]] = {}
    for start in range(0, len(drafts), size):
        last = start + size >= len(drafts)  # committed with the export, in the run's last transaction
        written.update(_write_batch_or_one_by_one(drafts[start:start + size], commit=not last))
    return written, sorted({plugin for plugin, _ in grouped})


def _drafts(tenant: Tenant, period: Period, run: InvoiceRun, missing) -> list[DraftInvoice]:
    units = {unit.id: unit for unit in db.session.scalars(sa.select(Unit))}
    profile, today = profile_for(tenant), tenant_today(tenant)
    terms = issue_terms(tenant, profile, today, run_issue_date(profile.catch_up_issue_date, period, today))
    payers: dict[int, tuple[dict[str, Any], str | None]] = {}
    drafts = []
    for (plugin, payer_id), lines in missing:
        if payer_id not in units:
            raise UnknownPayer(f"plugin '{plugin}' billed unit {payer_id}, which is no unit of {tenant.name}")
        if payer_id not in payers:
            payers[payer_id] = payer_snapshot(units[payer_id], tenant), hold_reason(units[payer_id])
        payer, reason = payers[payer_id]
        row = {"kind": "invoice", "plugin": plugin, "payer_unit_id": payer_id, "period_start": period.start,
               "period_end": period.end, "currency": tenant.currency, "run_id": run.id, "tenant_id": tenant.id,
               "total": sum((line.amount for line in lines), Decimal("0.00")),
               "accounting": accounting_for(profile, plugin)}  # frozen as issued; re-resolved on release
        drafts.append(DraftInvoice((plugin, payer_id), row, lines, payer, reason, terms))
    return drafts


def _write_batch_or_one_by_one(batch: list[DraftInvoice], *, commit: bool) -> dict[int, list[PricedLine]]:
    """Write `batch`; if another run wrote one of its invoices meanwhile (the unique index
    refuses the batch), write it again invoice by invoice, each committed, and skip those.
    {id: lines} written."""
    try:
        return _write_batch(batch, commit=commit)
    except IntegrityError:
        db.session.rollback()
        if len(batch) > 1:
            return {key: lines for draft in batch
                    for key, lines in _write_batch_or_one_by_one([draft], commit=True).items()}
        (draft,) = batch
        if not _exists(draft):
            raise  # not the unique index: a real fault
        log.info("invoice for %s/%s %s exists already; skipped", *draft.key, draft.row["period_start"])
        return {}


def _write_batch(batch: list[DraftInvoice], *, commit: bool) -> dict[int, list[PricedLine]]:
    """The numbers (one statement), the invoices (one INSERT, ids back in the batch's order) and all
    their lines (billing.bulk); committed unless the caller commits them with more. {id: lines}."""
    numbers = iter(take_numbers(sum(draft.hold_reason is None for draft in batch)))
    rows = [{**draft.row, **(held_fields(draft.hold_reason, draft.payer) if draft.hold_reason is not None
                             else issued_fields(next(numbers), draft.payer, draft.terms))} for draft in batch]
    columns = dict.fromkeys(key for row in rows for key in row)  # held rows lack the issue fields
    ids = db.session.execute(INSERT_INVOICES, [{**columns, **row} for row in rows]).scalars().all()
    insert_lines([(draft.row["tenant_id"], invoice_id, *line)
                  for draft, invoice_id in zip(batch, ids, strict=True) for line in draft.lines])
    if commit:
        _commit_without_waiting_for_the_disk()
    return {invoice_id: draft.lines for draft, invoice_id in zip(batch, ids, strict=True)}


INSERT_INVOICES = Invoice.__table__.insert().returning(Invoice.__table__.c.id, sort_by_parameter_order=True)


def _exists(draft: DraftInvoice) -> bool:
    plugin, payer_id = draft.key
    return db.session.scalar(sa.select(Invoice.id).where(
        Invoice.kind == "invoice", Invoice.status != "credited", Invoice.plugin == plugin,
        Invoice.payer_unit_id == payer_id, Invoice.period_start == draft.row["period_start"],
        Invoice.period_end == draft.row["period_end"])) is not None


def _commit_without_waiting_for_the_disk() -> None:
    """Commit the claim or a batch of the run with PostgreSQL's ``synchronous_commit`` off for
    this transaction only: it does not wait for its WAL flush. Safe here because the run's last
    transaction commits synchronously, which makes every earlier one durable too (the WAL is
    written in order), and nothing leaves the database before that: deliveries are requested,
    and the export written, in that last transaction. Should the database itself crash mid-run,
    the tail of the invoices is lost together with the numbers it took, and the next run writes
    them again — no gap."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL synchronous_commit = off"))
    db.session.commit()


def _request_deliveries(tenant: Tenant, exported: list[ExportedRef], actor: User | None) -> None:
    """Deliver the invoices the run just exported that are not on the finance-export channel
    (those are delivered by the run's file). Keyed per invoice, so a resumed run requests none
    twice."""
    for invoice in exported:
        if invoice.status == "issued" and invoice.sent_at is None and invoice.channel != "finance_export":
            request_delivery(invoice.id, tenant, actor, once=True)


def _complete(run: InvoiceRun, plugins: list[str]) -> None:
    run.plugins = plugins
    recount_run(run)
    run.state, run.finished_at, run.error, run.fixed_by_role = "completed", utcnow(), None, None
    db.session.commit()


def _record_failure(run: InvoiceRun, error: Exception) -> None:
    run = db.session.get(InvoiceRun, run.id)
    run.state, run.finished_at = "failed", utcnow()
    # what blocks the run is a sentence for finance; any other fault is recorded with its type
    run.error = (redact(error.message) if isinstance(error, CannotBill) else describe_error(error))[:2000]
    run.fixed_by_role = blocking_role(error)
    db.session.commit()
