"""Invoices and credit notes, their lines, the runs that write them and the attempts to deliver them.

Billing exactly once rests on the database, not on the code being careful: one invoice per
(tenant, plugin, payer, period) is a partial unique index (invoices not credited in full), so a
run started twice, or retried after a crash, cannot bill twice; numbers come from one row per
tenant (`InvoiceNumberSequence`) locked in the transaction that issues, so a rollback leaves no
gap; and an issued invoice's payer, seller and VAT are frozen in snapshots, so a later change to
a unit or the billing profile never changes what was sent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from velferd.db import Base, Json, Money, TenantOwned, Timestamped, utcnow
from velferd.personal_data import PERSONAL

INVOICE_KINDS = ("invoice", "credit_note")
INVOICE_STATUSES = ("draft", "held", "issued", "sent", "failed", "credited")
RUN_STATES = ("running", "completed", "failed", "reopened")
DELIVERY_OUTCOMES = ("sent", "temporary_failure", "permanent_failure", "held")
VAT_CATEGORIES = ("O", "E", "S")
#: who made a credit note: finance by hand, or a run's catch-up (a line no longer owed)
CREDIT_ORIGINS = ("finance", "catch_up")

Quantity = sa.Numeric(12, 4, asdecimal=True)
Rate = sa.Numeric(5, 2, asdecimal=True)


class BillingProfile(Base, TenantOwned, Timestamped):
    """How a municipality bills: VAT treatment, bank account, payment terms, the sender address.

    Municipal services billed to other public units are usually outside the scope of VAT
    (category O); the exemption reason is printed on every invoice and in the EHF file."""

    __tablename__ = "billing_profile"
    id: Mapped[int] = mapped_column(primary_key=True)
    vat_category: Mapped[str] = mapped_column(sa.String(1), default="O")
    vat_exemption_reason: Mapped[str | None] = mapped_column(sa.Text)
    vat_rate: Mapped[Decimal] = mapped_column(Rate, default=Decimal("0"))
    bank_account: Mapped[str | None] = mapped_column(sa.String(34))
    payment_terms_days: Mapped[int] = mapped_column(default=30)
    sender_email: Mapped[str | None] = mapped_column(sa.String(254))
    address: Mapped[str | None] = mapped_column(sa.String(400))
    postal_code: Mapped[str | None] = mapped_column(sa.String(10))
    city: Mapped[str | None] = mapped_column(sa.String(100))
    # how a run made after its period dates its invoices: "run_day" or "period_end" (billing.issue_dates)
    catch_up_issue_date: Mapped[str] = mapped_column(sa.String(20), default="run_day", server_default="run_day")
    # the accounting dimensions the finance export carries, so the ledger posts without a mapping
    # step: the tenant's defaults, and {plugin id: {ledger_account, cost_centre, service_code}} overrides
    ledger_account: Mapped[str | None] = mapped_column(sa.String(20))
    cost_centre: Mapped[str | None] = mapped_column(sa.String(20))
    service_code: Mapped[str | None] = mapped_column(sa.String(20))
    dimensions_by_plugin: Mapped[dict] = mapped_column(default=dict)
    # Danish tenants: the FI creditor number (kreditornummer, 8 digits) that makes a +71 payment line
    fi_creditor_number: Mapped[str | None] = mapped_column(sa.String(8))
    # in the VAT register even when billing category O: the organisation number is printed with "MVA"
    vat_registered: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("tenant_id"),
        sa.CheckConstraint(f"vat_category in {VAT_CATEGORIES!r}", name="vat_category"),
    )


class InvoiceNumberSequence(Base, TenantOwned):
    """The next invoice number of one tenant: a single row, locked while an invoice is issued."""

    __tablename__ = "invoice_number_sequence"
    id: Mapped[int] = mapped_column(primary_key=True)
    next_number: Mapped[int] = mapped_column(default=1)

    __table_args__ = (sa.UniqueConstraint("tenant_id"),)


class InvoiceRun(Base, TenantOwned, Timestamped):
    """The monthly run of one period. Unique per (tenant, period): a second request for a
    completed period finds this row and returns at once; one left ``running`` by a crash is
    picked up and finished. ``reopened`` means an invoice of the period was credited in full,
    so the next run bills its replacement."""

    __tablename__ = "invoice_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    state: Mapped[str] = mapped_column(sa.String(20), default="running")
    plugins: Mapped[list] = mapped_column(default=list)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    invoice_count: Mapped[int] = mapped_column(default=0)
    held_count: Mapped[int] = mapped_column(default=0)
    export_count: Mapped[int] = mapped_column(default=0)
    export_path: Mapped[str | None] = mapped_column(sa.String(500))
    error: Mapped[str | None] = mapped_column(sa.Text)
    # the role that can fix what blocks the run (billing.blocked), None when nothing does
    fixed_by_role: Mapped[str | None] = mapped_column(sa.String(40))

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "period_start", "period_end"),
        sa.CheckConstraint(f"state in {RUN_STATES!r}", name="state"),
    )


class Invoice(Base, TenantOwned, Timestamped):
    """An invoice or a credit note. Draft (or held, with the reason) until issued; from then on
    only its status and delivery times change — a correction is a credit note pointing at it."""

    __tablename__ = "invoice"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(12), default="invoice")
    plugin: Mapped[str] = mapped_column(sa.String(40))
    payer_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    currency: Mapped[str] = mapped_column(sa.String(3))
    status: Mapped[str] = mapped_column(sa.String(12), default="draft")
    hold_reason: Mapped[str | None] = mapped_column(sa.Text)
    number: Mapped[int | None]
    issue_date: Mapped[dt.date | None]
    due_date: Mapped[dt.date | None]
    credits_invoice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invoice.id"), index=True)
    credit_reason: Mapped[str | None] = mapped_column(sa.Text)
    # a credit note's maker (CREDIT_ORIGINS), null for an invoice: the catch-up leaves a line
    # finance credited in part as finance set it, and finance can tell an automatic credit apart
    credit_origin: Mapped[str | None] = mapped_column(sa.String(12))
    total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    credited_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    payer_snapshot: Mapped[dict | None] = mapped_column(Json)
    seller_snapshot: Mapped[dict | None] = mapped_column(Json)
    vat_category: Mapped[str | None] = mapped_column(sa.String(1))
    vat_rate: Mapped[Decimal | None] = mapped_column(Rate)
    vat_exemption_reason: Mapped[str | None] = mapped_column(sa.Text)
    bank_account: Mapped[str | None] = mapped_column(sa.String(34))
    payment_terms_days: Mapped[int | None]
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invoice_run.id"), index=True)
    issued_at: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None]
    exported_at: Mapped[dt.datetime | None]
    # the finance export file this document is in (exactly one, once exported)
    export_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("finance_export_file.id"), index=True)
    # frozen at issue: the accounting dimensions ({ledger_account, cost_centre, service_code}) and
    # the payment reference the payer quotes (a KID in Norway, an FI payment id in Denmark)
    accounting: Mapped[dict | None] = mapped_column(Json)
    payment_reference: Mapped[str | None] = mapped_column(sa.String(35))

    lines: Mapped[list["InvoiceLine"]] = relationship(
        order_by="InvoiceLine.position", back_populates="invoice", lazy="selectin")
    attempts: Mapped[list["DeliveryAttempt"]] = relationship(order_by="DeliveryAttempt.id", lazy="selectin")

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "number"),
        sa.CheckConstraint(f"kind in {INVOICE_KINDS!r}", name="kind"),
        sa.CheckConstraint(f"status in {INVOICE_STATUSES!r}", name="status"),
        sa.CheckConstraint("kind = 'invoice' or credits_invoice_id is not null", name="credit_note_credits"),
        sa.CheckConstraint("(kind = 'invoice' and credit_origin is null) or "
                           f"(kind = 'credit_note' and credit_origin in {CREDIT_ORIGINS!r})", name="credit_origin"),
        # The "bill once" guarantee: one live invoice per (tenant, plugin, payer, period).
        sa.Index(
            "uq_invoice_once_per_payer_and_period",
            "tenant_id", "plugin", "payer_unit_id", "period_start", "period_end",
            unique=True,
            postgresql_where=sa.text("kind = 'invoice' and status <> 'credited'"),
            sqlite_where=sa.text("kind = 'invoice' and status <> 'credited'"),
        ),
        sa.Index("ix_invoice_tenant_id_period", "tenant_id", "period_start", "status"),
    )

    @property
    def channel(self) -> str | None:
        return (self.payer_snapshot or {}).get("delivery_channel")

    @property
    def payer_name(self) -> str | None:
        return (self.payer_snapshot or {}).get("name")

    @property
    def creditable_amount(self) -> Decimal:
        return self.total - self.credited_total


class InvoiceLine(Base, TenantOwned):
    __tablename__ = "invoice_line"
    __not_personal__ = ("description", "line_key")  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(sa.ForeignKey("invoice.id"), index=True)
    position: Mapped[int]
    description: Mapped[str] = mapped_column(sa.String(400))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    amount: Mapped[Decimal] = mapped_column(Money)
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    case_reference: Mapped[str | None] = mapped_column(sa.String(100), info=PERSONAL)  # a vedtak reference fits
    # what the line bills, stable across runs (plugin's own key, e.g. "monthly" or "extra:3"):
    # with the case and the service period it names a billable item, so a catch-up can tell a
    # line billed already from one that appeared or disappeared since (billing.catch_up)
    line_key: Mapped[str | None] = mapped_column(sa.String(80))

    invoice: Mapped[Invoice] = relationship(back_populates="lines")

    __table_args__ = (sa.UniqueConstraint("tenant_id", "invoice_id", "position"),)


class FinanceExportFile(Base, TenantOwned):
    """One file of the finance export. Every issued invoice and credit note is in exactly one
    (`Invoice.export_file_id`); a run's first file has its invoices, later files of the same run
    what was issued for it afterwards (credit notes, released invoices)."""

    __tablename__ = "finance_export_file"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invoice_run.id"), index=True)
    sequence: Mapped[int]
    path: Mapped[str] = mapped_column(sa.String(500))
    document_count: Mapped[int] = mapped_column(default=0)
    # invoices minus credit notes, before VAT, in the tenant's currency
    net_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "path"),)


class DeliveryAttempt(Base, TenantOwned):
    """One try at delivering an invoice over its channel, kept whatever the outcome."""

    __tablename__ = "delivery_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(sa.ForeignKey("invoice.id"), index=True)
    channel: Mapped[str] = mapped_column(sa.String(20))
    attempt: Mapped[int]
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    outcome: Mapped[str | None] = mapped_column(sa.String(20))
    error: Mapped[str | None] = mapped_column(sa.Text)
    details: Mapped[dict] = mapped_column(default=dict)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "invoice_id", "attempt"),)
