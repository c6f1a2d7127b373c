"""Every table of the core, importable from one place (Alembic's autogenerate needs them all)."""

from velferd.models.accounts import ApiToken, Invitation, LoginEvent, Membership, User, UserSession
from velferd.models.audit import AuditEvent, OperatorAuditEvent
from velferd.models.billing import (
    BillingProfile,
    DeliveryAttempt,
    FinanceExportFile,
    Invoice,
    InvoiceLine,
    InvoiceNumberSequence,
    InvoiceRun,
)
from velferd.models.cases import AccessGrant, Case, CaseEvent, Deadline, Meeting
from velferd.models.jobs import JobRun
from velferd.models.people import Person
from velferd.models.plugins import PluginBlock, TenantPlugin
from velferd.models.records import Decision, FormSubmission
from velferd.models.reminders import ReminderMail
from velferd.models.tenants import Tenant, Unit

__all__ = [
    "AccessGrant", "ApiToken", "AuditEvent", "BillingProfile", "Case", "CaseEvent", "Deadline", "Decision",
    "DeliveryAttempt", "FinanceExportFile", "FormSubmission", "Invitation", "Invoice", "InvoiceLine", "InvoiceNumberSequence",
    "InvoiceRun", "JobRun", "LoginEvent", "Meeting", "Membership", "OperatorAuditEvent", "Person", "PluginBlock",
    "ReminderMail", "Tenant", "TenantPlugin", "Unit", "User", "UserSession",
]
