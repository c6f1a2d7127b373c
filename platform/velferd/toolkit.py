"""The public API for plugins — the only module a plugin should import from the core.

Everything here is kept stable across minor versions; the rest of ``velferd`` may change
behind it (the CKAN toolkit idea). A plugin module looks like::

    from velferd.toolkit import Manifest, Plugin, hookimpl

    @hookimpl
    def velferd_plugin():
        return Plugin(Manifest(id="due", title="Der Ungdommen Er", version="1.0", countries=("NO",)))

and is registered in its distribution's ``velferd.plugins`` entry-point group.
"""

import flask
import marshmallow as ma
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext, ngettext
from flask_smorest import Blueprint, abort
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from velferd import audit
from velferd.api.fields import column_limits
from velferd.api.schemas import MAX_ID, PARTICIPANT_ROLES, Id, ParticipantSchema
from velferd.api.schemas import Strict as StrictSchema
from velferd.auth import acting_as, current_user, has_permission, require_permission, requires
from velferd.billing.blocked import CannotBill
from velferd.billing.periods import Period, parse_period
from velferd.billing.wording import (
    format_amount,
    format_date,
    format_money,
    format_period,
    monthly_price_text,
    part_of_month_text,
    per_month_text,
)
from velferd.cases import open_case, transition_case
from velferd.clock import tenant_today
from velferd.db import Base, Money, TenantOwned, Timestamped, add_or_find, db, utcnow
from velferd.decisions import evaluate as evaluate_rule
from velferd.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    ValidationFailed,
    VelferdError,
)
from velferd.forms import submit as submit_form
from velferd.jobs import enqueue
from velferd.migration_columns import (
    date_column,
    foreign_key,
    json_column,
    tenant_columns,
    tenant_indexes,
    utc_timestamp,
)
from velferd.models import (
    Case,
    CaseEvent,
    Deadline,
    Decision,
    FormSubmission,
    JobRun,
    Meeting,
    Membership,
    Person,
    Tenant,
    Unit,
    User,
)
from velferd.people import register_person
from velferd.personal_data import PERSONAL, SPECIAL
from velferd.plugins.enablement import settings_for
from velferd.plugins.hookspecs import hookimpl
from velferd.plugins.specs import (
    BeatEntry,
    CasePanel,
    DashboardWidget,
    FormSpec,
    Guard,
    GuardContext,
    InboxItem,
    InvoiceLine,
    InvoiceLineProvider,
    Manifest,
    Outcome,
    PageLink,
    Plugin,
    RetentionRule,
    RuleContext,
    RuleSpec,
    TaskContext,
    TaskSpec,
    Transition,
    WebPages,
    Workflow,
)
from velferd.read_audit import person_link
from velferd.rls import enable_tenant_rls
from velferd.spreadsheet import safe_row
from velferd.subject_export import exported_row, person_rows
from velferd.tenancy import current_tenant, get_owned, require_owned, tenant_scope
from velferd.web.form_fields import error_summary, errors_by_input, form_fields, submitted_data
from velferd.web.plugin_forms import Refusal, attempt_form, page_done, page_response, tenant_url
from velferd.web.validation_messages import N_

__all__ = [
    "acting_as", "add_or_find", "column_limits", "parse_period", "Period", "require_owned", "date_column", "evaluate_rule", "foreign_key", "json_column", "tenant_columns",
    "tenant_indexes", "utc_timestamp", "open_case", "submit_form", "transition_case",
    "Base", "BadRequest", "BeatEntry", "CannotBill", "Case", "CaseEvent", "Conflict", "Deadline", "Decision",
    "Forbidden", "FormSpec", "FormSubmission", "Guard", "GuardContext", "InvoiceLine",
    "InvoiceLineProvider", "JobRun", "Manifest", "Meeting", "Membership", "Money", "NotFound", "Outcome", "Person",
    "Plugin", "RetentionRule", "RuleContext", "RuleSpec", "TaskContext", "TaskSpec", "Tenant", "TenantOwned", "Timestamped",
    "Transition", "Unit", "User",
    "ValidationFailed", "VelferdError", "Workflow", "audit", "current_tenant", "current_user", "db", "enqueue",
    "enable_tenant_rls", "get_owned", "hookimpl", "person_link", "register_person", "require_permission", "requires", "settings_for",
    "tenant_scope", "tenant_today", "utcnow",
    # billing texts in the tenant's language (velferd.billing.wording)
    "format_amount", "format_date", "format_money", "format_period", "monthly_price_text", "part_of_month_text",
    "per_month_text",
    # routes and schemas: a plugin needs no import of flask-smorest or marshmallow of its own
    "Blueprint", "abort", "ma", "Schema", "StrictSchema", "ValidationError", "fields", "post_load", "validate", "validates_schema",
    # who takes part in a meeting: the core's vocabulary, so a plugin's meetings speak the same roles
    "PARTICIPANT_ROLES", "ParticipantSchema",
    # a record's id in a request: bounded like the database's integer, a 422 naming the field beyond it
    "Id", "MAX_ID",
    # pages (velferd.web.plugin_pages): a plain Flask blueprint, the page helpers, the texts
    # (looked up in the plugin's catalogue) and the form renderer the core's pages use
    "PageBlueprint", "WebPages", "has_permission", "PageLink", "CasePanel", "DashboardWidget", "InboxItem", "flash", "redirect",
    "render_template", "request", "url_for", "gettext", "lazy_gettext", "ngettext", "N_",
    "error_summary", "errors_by_input", "form_fields", "submitted_data",
    # a plugin page's form: load with the API's schema, run the API's service, refuse or redirect
    "Refusal", "attempt_form", "page_done", "page_response", "tenant_url",
    # a CSV row a spreadsheet opens safely (a formula-like text written as text)
    "safe_row",
    # a model's personal-data columns (velferd.personal_data) and a person's rows for their export
    "PERSONAL", "SPECIAL", "exported_row", "person_rows",
]

#: A plugin's page blueprint (`WebPages.blueprint`): plain Flask, HTML forms, no OpenAPI document.
PageBlueprint = flask.Blueprint
