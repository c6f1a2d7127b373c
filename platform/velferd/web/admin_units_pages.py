"""The tenant admin's pages for who is billed and how: the units (offices, services, the payers
invoices go to) and the municipality's billing profile.

The API's rules and services: `UnitSchema` and `tenants.save_unit` (velferd.api.tenant_api),
`BillingProfileSchema` and `billing.profiles.save_profile` (velferd.api.invoices_api), both
forms drawn by the form renderer. The schemas' descriptions are written for the API's readers
in English; the pages give their own translated labels and hints (`localised`).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from velferd import tenants
from velferd.api.billing_schemas import BillingProfileSchema
from velferd.api.context import tenant
from velferd.api.errors import error_response
from velferd.api.schemas import UnitSchema
from velferd.auth import require_permission
from velferd.billing.profiles import profile_for, save_profile
from velferd.db import db
from velferd.errors import Conflict, ValidationFailed, VelferdError
from velferd.models import Unit
from velferd.tenancy import require_owned
from velferd.web.admin_pages import localised
from velferd.web.blueprint import blp, wants_html
from velferd.web.form_fields import FormField, error_summary, errors_by_input, form_fields, submitted_data
from velferd.web.prefilled import form_values


class BillingProfileForm(BillingProfileSchema):
    """The billing profile as the page edits it: the per-programme accounting dimensions (a map of
    plugin ids) stay with the API."""

    class Meta(BillingProfileSchema.Meta):
        exclude = ("dimensions_by_plugin",)


def _unit_fields() -> list[FormField]:
    labels = {"name": _("Name"), "kind": _("Kind of unit"), "organisation_number": _("Organisation number"),
              "payer_kind": _("Payer"), "delivery_channel": _("Invoices sent by"),
              "invoice_email": _("E-mail address for invoices"), "address": _("Address"),
              "postal_code": _("Postal code"), "city": _("City"), "country": _("Country"),
              "ehf_endpoint": _("EHF address"), "buyer_reference": _("Buyer's reference")}
    hints = {"country": _("NO or DK; the municipality's country when left empty."),
             "ehf_endpoint": _("An organisation number (NO) or CVR number (DK); the unit's own when left empty."),
             "buyer_reference": _("Printed on the payer's invoices; needed for EHF.")}
    return localised(form_fields(UnitSchema), labels, hints)


def _profile_fields() -> list[FormField]:
    labels = {"vat_category": _("VAT category"), "vat_exemption_reason": _("Why there is no VAT"),
              "vat_rate": _("VAT rate (per cent)"), "vat_registered": _("Registered for VAT"),
              "bank_account": _("Bank account"), "payment_terms_days": _("Days to pay"),
              "fi_creditor_number": _("FI creditor number"), "sender_email": _("Sender's e-mail address"),
              "address": _("Address"), "postal_code": _("Postal code"), "city": _("City"),
              "catch_up_issue_date": _("Issue date of a late run's invoices"), "ledger_account": _("Ledger account"),
              "cost_centre": _("Cost centre"), "service_code": _("Service code")}
    hints = {"vat_category": _("O: outside the scope of VAT, E: exempt, S: standard rate."),
             "bank_account": _("An account number or IBAN; spaces, dots and dashes are fine."),
             "fi_creditor_number": _("Danish municipalities only: 8 digits, the first an 8.")}
    return localised(form_fields(BillingProfileForm), labels, hints)


def _refused(error: VelferdError, described: list[FormField], again) -> Response:
    """A 422 (the fields' messages) or 409: the page again with the summary and the values as typed."""
    db.session.rollback()
    if not wants_html():
        return error_response(error.status, error.message, error.fields or None)
    errors = errors_by_input(described, error.fields) if error.status in (409, 422) and error.fields else {
        "": [error.message]}
    return again(request.form, errors, error.status)


# --- units -------------------------------------------------------------------------------------------

def _units_page(values=None, errors=None, status: int = 200) -> Response:
    described = _unit_fields()
    errors = errors or {}
    units = db.session.scalars(sa.select(Unit).order_by(Unit.name)).all()
    page = render_template("web/admin_units.html", title=_("Units and payers"), units=units, fields=described,
                           values=values or {}, errors=errors, summary=error_summary(described, errors, "unit"))
    return Response(page, status=status)


def _unit_page(unit: Unit, values=None, errors=None, status: int = 200) -> Response:
    described = _unit_fields()
    errors = errors or {}
    if values is None:
        values = form_values(described, UnitSchema().dump(unit))
    page = render_template("web/admin_unit.html", title=_("Unit: %(name)s", name=unit.name), unit=unit,
                           fields=described, values=values, errors=errors,
                           summary=error_summary(described, errors, "unit"))
    return Response(page, status=status)


def _saved_unit(unit: Unit | None) -> Unit:
    """The form through the API's `UnitSchema` and `tenants.save_unit` (raises their refusals)."""
    try:
        data = UnitSchema().load(submitted_data(UnitSchema, request.form))
    except ValidationError as error:
        raise ValidationFailed("the unit is invalid", error.normalized_messages()) from None
    return tenants.save_unit(tenant(), data, unit)


@blp.get("/t/<tenant>/admin/units")
def admin_units():
    """The units with their payer details, and the form for a new one."""
    require_permission("units:manage")
    return _units_page()


@blp.post("/t/<tenant>/admin/units")
def admin_add_unit():
    require_permission("units:manage")
    try:
        unit = _saved_unit(None)
    except (ValidationFailed, Conflict) as error:
        return _refused(error, _unit_fields(), _units_page)
    db.session.commit()
    flash(_("The unit %(name)s is added.", name=unit.name))
    return redirect(url_for("web.admin_units", tenant=tenant().slug, _anchor="confirmation"))


@blp.get("/t/<tenant>/admin/units/<int:unit_id>")
def admin_unit(unit_id: int):
    """One unit's form, prefilled; an empty input keeps the value it had (as the API's PUT of the
    fields given)."""
    require_permission("units:manage")
    return _unit_page(require_owned(Unit, unit_id, "unit"))


@blp.post("/t/<tenant>/admin/units/<int:unit_id>")
def admin_save_unit(unit_id: int):
    require_permission("units:manage")
    unit = require_owned(Unit, unit_id, "unit")
    try:
        _saved_unit(unit)
    except (ValidationFailed, Conflict) as error:
        db.session.rollback()
        unit = require_owned(Unit, unit_id, "unit")
        return _refused(error, _unit_fields(), lambda values, errors, status: _unit_page(unit, values, errors, status))
    db.session.commit()
    flash(_("The unit %(name)s is saved.", name=unit.name))
    return redirect(url_for("web.admin_units", tenant=tenant().slug, _anchor="confirmation"))


# --- the billing profile -----------------------------------------------------------------------------

def _profile_page(values=None, errors=None, status: int = 200) -> Response:
    described = _profile_fields()
    errors = errors or {}
    if values is None:
        values = form_values(described, BillingProfileForm().dump(profile_for(tenant())))
    page = render_template("web/admin_billing_profile.html", title=_("Billing profile"), fields=described,
                           values=values, errors=errors, summary=error_summary(described, errors, "profile"))
    return Response(page, status=status)


@blp.get("/t/<tenant>/admin/billing-profile")
def admin_billing_profile():
    """The billing profile's form, prefilled (the defaults until it is saved)."""
    require_permission("billing:manage")
    return _profile_page()


@blp.post("/t/<tenant>/admin/billing-profile")
def admin_save_billing_profile():
    """The form through the API's `BillingProfileSchema` and `save_profile` (check digits, VAT rules)."""
    require_permission("billing:manage")
    try:
        data = BillingProfileForm().load(submitted_data(BillingProfileForm, request.form))
        save_profile(tenant(), data)
    except ValidationError as error:
        return _refused(ValidationFailed("the billing profile is invalid", error.normalized_messages()),
                        _profile_fields(), _profile_page)
    except (ValidationFailed, Conflict) as error:
        return _refused(error, _profile_fields(), _profile_page)
    db.session.commit()
    flash(_("The billing profile is saved."))
    return redirect(url_for("web.admin_billing_profile", tenant=tenant().slug, _anchor="confirmation"))
