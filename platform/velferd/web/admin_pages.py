"""The tenant admin's pages: the administration index and the programmes (switch a plugin on or
off, its settings drawn from the plugin's settings schema).

Every rule is the API's (velferd.api.plugins_api): the same permission, the same services
(`enablement.list_available`, `set_enabled`, `update_settings`) and so the same refusals, shown
on the page; what the API's list leaves out — an installed programme the municipality cannot
switch on — is listed with its reason (`enablement.list_unavailable`).
"""

from __future__ import annotations

from dataclasses import replace

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from velferd.api.context import tenant
from velferd.api.errors import error_response
from velferd.auth import current_user, has_permission, require_permission
from velferd.db import db
from velferd.errors import Conflict, NotFound, ValidationFailed, VelferdError
from velferd.plugins import enablement
from velferd.web import navigation
from velferd.web.blueprint import blp, programme_title, wants_html
from velferd.web.form_fields import FormField, error_summary, errors_by_input, form_fields, submitted_data
from velferd.web.prefilled import form_values

navigation.core_entry("web.admin", lazy_gettext("Administration"), "plugins:manage")

def sections() -> list[tuple[str, str, str, str]]:
    """The admin index's links: (endpoint, title, what it is for, the permission its page needs)."""
    return [
        ("web.admin_programmes", _("Programmes"),
         _("Switch programmes on or off and change their settings."), "plugins:manage"),
        ("web.admin_members", _("Members and roles"),
         _("Change what staff may do, and invite new members."), "members:manage"),
        ("web.admin_units", _("Units and payers"),
         _("The municipality's offices, services and the payers invoices go to."), "units:manage"),
        ("web.admin_billing_profile", _("Billing profile"),
         _("Bank account, VAT and payment terms printed on invoices."), "billing:manage"),
    ]


#: The fields that take several lines; the schemas' other strings without a length limit are one line.
MULTI_LINE = frozenset({"address", "vat_exemption_reason"})


def localised(described: list[FormField], labels: dict[str, str], hints: dict[str, str]) -> list[FormField]:
    """The fields with the page's translated labels and hints (an API description is dropped),
    and a one-line input for a short value the schema sets no (or a long) length limit on (an e-mail
    address). The core's forms (members, units, billing profile) use it."""
    return [replace(field, label=labels.get(field.input_name, field.label), hint=hints.get(field.input_name),
                    widget="text" if field.widget == "textarea" and field.key not in MULTI_LINE else field.widget)
            for field in described]


@blp.get("/t/<tenant>/admin")
def admin():
    """The administration index: a link to each admin page the user may open."""
    require_permission("plugins:manage")
    shown = [section for section in sections() if has_permission(section[3])]
    return render_template("web/admin_index.html", title=_("Administration"), sections=shown)


# --- programmes --------------------------------------------------------------------------------------

def _programmes_page(status: int = 200, problem: str | None = None) -> Response:
    town = tenant()
    page = render_template("web/admin_programmes.html", title=_("Programmes"),
                           available=enablement.list_available(town),
                           unavailable=enablement.list_unavailable(town), problem=problem)
    return Response(page, status=status)


@blp.get("/t/<tenant>/admin/programmes")
def admin_programmes():
    """Every installed programme: enabled or not, and why one cannot be switched on here."""
    require_permission("plugins:manage")
    return _programmes_page()


@blp.post("/t/<tenant>/admin/programmes/<plugin_id>/enabled")
def admin_switch_programme(plugin_id: str):
    """Switch a programme on (``enabled=1``) or off, through the API's `set_enabled`."""
    require_permission("plugins:manage")
    switch_on = request.form.get("enabled") == "1"
    try:
        enablement.set_enabled(tenant(), plugin_id, switch_on, current_user())
    except Conflict as error:  # blocked by the operator since the page was drawn, or another refusal
        db.session.rollback()
        if not wants_html():
            return error_response(error.status, error.message, error.fields or None)
        return _programmes_page(409, _("The programme could not be changed: %(reason)s", reason=error.message))
    db.session.commit()
    title = programme_title(plugin_id)
    flash(_("%(programme)s is switched on.", programme=title) if switch_on
          else _("%(programme)s is switched off. Its settings and data are kept.", programme=title))
    return redirect(url_for("web.admin_programmes", tenant=tenant().slug, _anchor="confirmation"))


# --- a programme's settings --------------------------------------------------------------------------

def _manifest(plugin_id: str):
    """The plugin, when it is available to this municipality (the API's read_plugin answers 404 otherwise)."""
    manifest = enablement.available_manifests(tenant()).get(plugin_id)
    if manifest is None:
        raise NotFound(f"no plugin '{plugin_id}' is available here")
    return manifest


def _settings_page(plugin_id: str, values=None, errors=None, status: int = 200) -> Response:
    manifest = _manifest(plugin_id)
    described = form_fields(manifest.settings_schema)
    if values is None:
        values = form_values(described, enablement.plugin_state(tenant(), plugin_id).settings)
    errors = errors or {}
    page = render_template("web/admin_settings.html", title=_("Settings: %(programme)s",
                                                              programme=programme_title(plugin_id)),
                           plugin_id=plugin_id, fields=described, values=values, errors=errors,
                           summary=error_summary(described, errors, "settings"))
    return Response(page, status=status)


@blp.get("/t/<tenant>/admin/programmes/<plugin_id>/settings")
def admin_programme_settings(plugin_id: str):
    """The programme's settings form, prefilled with the current settings (defaults filled in)."""
    require_permission("plugins:manage")
    return _settings_page(plugin_id)


@blp.post("/t/<tenant>/admin/programmes/<plugin_id>/settings")
def admin_save_programme_settings(plugin_id: str):
    """The form's values through the API's `update_settings` (the plugin's schema validates the whole)."""
    require_permission("plugins:manage")
    manifest = _manifest(plugin_id)
    described = form_fields(manifest.settings_schema)
    try:
        enablement.update_settings(tenant(), plugin_id, submitted_data(manifest.settings_schema, request.form),
                                   current_user())
    except (ValidationFailed, Conflict) as error:
        return _settings_refused(plugin_id, error, described)
    db.session.commit()
    flash(_("The settings are saved."))
    return redirect(url_for("web.admin_programme_settings", tenant=tenant().slug, plugin_id=plugin_id,
                            _anchor="confirmation"))


def _settings_refused(plugin_id: str, error: VelferdError, described) -> Response:
    db.session.rollback()
    if not wants_html():
        return error_response(error.status, error.message, error.fields or None)
    errors = errors_by_input(described, error.fields) if error.status == 422 else {"": [error.message]}
    return _settings_page(plugin_id, request.form, errors, error.status)
