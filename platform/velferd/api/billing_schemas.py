"""The API's schemas for invoices, credit notes, invoice runs and the billing profile."""

from __future__ import annotations

import re

from marshmallow import ValidationError, fields, validate

from velferd.api.quick_dump import QuickDump
from velferd.api.schemas import Id, Strict
from velferd.billing.bank_accounts import written_account
from velferd.billing.issue_dates import CATCH_UP_ISSUE_DATES
from velferd.billing.payment_means import compact_account
from velferd.models.billing import INVOICE_KINDS, INVOICE_STATUSES, VAT_CATEGORIES
from velferd.tenancy import current_tenant

Money = lambda **kw: fields.Decimal(as_string=True, places=2, **kw)  # noqa: E731
PERIOD_HELP = {"description": "a month, YYYY-MM"}


class InvoiceListQuery(Strict):
    status = fields.String(validate=validate.OneOf(INVOICE_STATUSES))
    kind = fields.String(validate=validate.OneOf(INVOICE_KINDS))
    period = fields.String(metadata=PERIOD_HELP)
    plugin = fields.String()
    payer_unit_id = Id()
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    after_id = Id(load_default=0, metadata={"description": "return invoices with a larger id (keyset paging)"})


class PartySchema(QuickDump):
    name = fields.String()
    organisation_number = fields.String(allow_none=True)
    country = fields.String()
    address = fields.String(allow_none=True)
    postal_code = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    ehf_endpoint = fields.String(allow_none=True)
    payer_kind = fields.String(allow_none=True)
    delivery_channel = fields.String(allow_none=True)
    buyer_reference = fields.String(allow_none=True)


class InvoiceSchema(QuickDump):
    id = fields.Integer()
    kind = fields.String()
    number = fields.Integer(allow_none=True)
    status = fields.String()
    hold_reason = fields.String(allow_none=True)
    plugin = fields.String()
    payer_unit_id = fields.Integer()
    payer_name = fields.String(allow_none=True)
    channel = fields.String(allow_none=True)
    period = fields.Function(lambda invoice: f"{invoice.period_start:%Y-%m}")
    period_start = fields.Date()
    period_end = fields.Date()
    currency = fields.String()
    total = Money()
    credited_total = Money()
    issue_date = fields.Date(allow_none=True)
    due_date = fields.Date(allow_none=True)
    credits_invoice_id = fields.Integer(allow_none=True)
    credit_reason = fields.String(allow_none=True)
    credit_origin = fields.String(allow_none=True, metadata={
        "description": "a credit note's maker: finance (by hand) or catch_up (a run's credit of a line no longer "
                       "owed as registered now); null for an invoice"})
    run_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    issued_at = fields.DateTime(allow_none=True)
    sent_at = fields.DateTime(allow_none=True)


class InvoicePageSchema(QuickDump):
    items = fields.List(fields.Nested(InvoiceSchema))
    next_after_id = fields.Integer(allow_none=True)


class InvoiceLineSchema(QuickDump):
    position = fields.Integer()
    description = fields.String()
    quantity = fields.Decimal(as_string=True)
    unit_price = Money()
    amount = Money()
    period_start = fields.Date()
    period_end = fields.Date()
    case_id = fields.Integer(allow_none=True)
    case_reference = fields.String(allow_none=True)


class DeliveryAttemptSchema(QuickDump):
    id = fields.Integer()
    channel = fields.String()
    attempt = fields.Integer()
    started_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    outcome = fields.String(allow_none=True)
    error = fields.String(allow_none=True)


class InvoiceDetailSchema(InvoiceSchema):
    payer = fields.Nested(PartySchema, attribute="payer_snapshot", allow_none=True)
    seller = fields.Nested(PartySchema, attribute="seller_snapshot", allow_none=True)
    vat_category = fields.String(allow_none=True)
    vat_rate = fields.Decimal(as_string=True, allow_none=True)
    vat_exemption_reason = fields.String(allow_none=True)
    bank_account = fields.String(allow_none=True)
    payment_reference = fields.String(allow_none=True, metadata={
        "description": "what the payer quotes: a KID (Norway) or an FI +71 line (Denmark); none on a credit note"})
    payment_terms_days = fields.Integer(allow_none=True)
    lines = fields.List(fields.Nested(InvoiceLineSchema))
    delivery_attempts = fields.List(fields.Nested(DeliveryAttemptSchema), attribute="attempts")


class CreditLineSchema(Strict):
    position = fields.Integer(required=True, validate=validate.Range(min=1))
    quantity = fields.Decimal(validate=validate.Range(min=0, min_inclusive=False),
                              metadata={"description": "how much of the line to credit; all of it by default"})


class CreditSchema(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=1000))
    lines = fields.List(fields.Nested(CreditLineSchema), load_default=None, validate=validate.Length(min=1),
                        metadata={"description": "the lines to credit; the whole invoice when left out"})


class RunRequestSchema(Strict):
    period = fields.String(required=True, metadata=PERIOD_HELP)


class InvoiceRunSchema(QuickDump):
    id = fields.Integer()
    period = fields.Function(lambda run: f"{run.period_start:%Y-%m}")
    period_start = fields.Date()
    period_end = fields.Date()
    state = fields.String()
    plugins = fields.List(fields.String())
    started_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    invoice_count = fields.Integer()
    held_count = fields.Integer()
    export_count = fields.Integer()
    has_export = fields.Function(lambda run: run.export_path is not None)
    error = fields.String(allow_none=True, metadata={
        "description": "why the run failed; when something must be fixed first, what is missing"})
    fixed_by_role = fields.String(allow_none=True, metadata={
        "description": "the role that can fix what blocks the run (e.g. tenant_admin), null otherwise"})


class FinanceExportFileSchema(QuickDump):
    sequence = fields.Integer(metadata={"description": "1 for the run's own file, then one per later export"})
    name = fields.Function(lambda file: file.path.rsplit("/", 1)[-1])
    created_at = fields.DateTime()
    document_count = fields.Integer(metadata={"description": "invoices and credit notes in the file"})
    net_total = Money(metadata={"description": "invoices minus credit notes, before VAT"})
    download = fields.Function(lambda file: f"{file.run_id}/exports/{file.sequence}", metadata={
        "description": "the file's path relative to /invoice-runs/"})


class RunRequestedSchema(QuickDump):
    job_run_id = fields.Integer()
    period = fields.String()
    state = fields.String(metadata={"description": "the job's state"})
    run = fields.Nested("InvoiceRunSchema", allow_none=True, metadata={
        "description": "the period's run as it stands: its state and, when blocked, what is missing and who fixes it"
                       " (null until a worker has started it)"})


def _dimension(**metadata) -> fields.String:
    return fields.String(allow_none=True, validate=validate.Length(max=20), metadata=metadata)


class AccountingDimensionsSchema(Strict):
    """The accounting dimensions the finance export carries on each document (billing.accounting)."""

    ledger_account = _dimension(description="the ledger account (konto / art)")
    cost_centre = _dimension(description="the cost centre (ansvar / omkostningssted)")
    service_code = _dimension(description="the service code (tjeneste or KOSTRA funksjon / funktion)")


class BankAccount(fields.String):
    """An account as people type it, stored in one form (billing.bank_accounts.written_account, by
    the tenant's country); its check digits are checked when the profile is saved."""

    _SHAPE = re.compile(r"^[A-Z0-9]{8,34}$")

    def _deserialize(self, value, attr, data, **kwargs):
        account = compact_account(super()._deserialize(value, attr, data, **kwargs))
        if not account:
            return None
        if not self._SHAPE.match(account):
            raise ValidationError("An account number or IBAN: 8-34 digits or letters; spaces, dots and dashes "
                                  "between them are fine.")
        tenant = current_tenant()
        return written_account(account, tenant.country) if tenant is not None else account


class BillingProfileSchema(Strict):
    """Every field is optional on PUT: the given ones are changed, the rest kept."""

    id = fields.Integer(dump_only=True)
    vat_category = fields.String(validate=validate.OneOf(VAT_CATEGORIES),
                                 metadata={"description": "O outside the scope of VAT, E exempt, S standard"})
    vat_exemption_reason = fields.String(allow_none=True, validate=validate.Length(max=500))
    vat_rate = fields.Decimal(as_string=True, places=2, validate=validate.Range(min=0, max=100))
    vat_registered = fields.Boolean(metadata={
        "description": "in the VAT register (Merverdiavgiftsregisteret / momsregistret), even when billing "
                       "category O: the organisation number is printed with MVA; implied by categories S and E"})
    bank_account = BankAccount(allow_none=True, metadata={
        "description": "an account number or IBAN; spaces, dots and dashes between the digits are fine "
                       "(1503.12.34562); stored as the country writes it (1503 12 34562), an IBAN compact"})
    payment_terms_days = fields.Integer(validate=validate.Range(min=0, max=365))
    fi_creditor_number = fields.String(allow_none=True, validate=validate.Regexp(
        r"^8\d{7}$", error="The FI creditor number (kreditornummer) has 8 digits, the first an 8."),
        metadata={"description": "Danish tenants: prints a +71 FI payment line and uses its payment id"})
    sender_email = fields.Email(allow_none=True)
    address = fields.String(allow_none=True, validate=validate.Length(max=400))
    postal_code = fields.String(allow_none=True, validate=validate.Regexp(r"^\d{4}$", error="Four digits."))
    city = fields.String(allow_none=True, validate=validate.Length(max=100))
    catch_up_issue_date = fields.String(validate=validate.OneOf(CATCH_UP_ISSUE_DATES), metadata={
        "description": "how a run made after its period dates its invoices: the run day or the period's last day"})
    ledger_account = _dimension(description="the ledger account (konto / art), unless the plugin has its own")
    cost_centre = _dimension(description="the cost centre (ansvar / omkostningssted)")
    service_code = _dimension(description="the service code (tjeneste or KOSTRA funksjon / funktion)")
    dimensions_by_plugin = fields.Dict(keys=fields.String(), values=fields.Nested(AccountingDimensionsSchema), metadata={
        "description": "per enabled plugin id, dimensions that replace the profile's own for what that plugin bills"})
