"""The platform operator's pages: every municipality (and the form that creates one), and every
installed plugin with its block for everyone.

Every rule is the API's (velferd.api.operator_api): `require_operator` first (a stranger is sent
to the login; a member of staff, who is no operator, gets the 404 every page gives for what is
not theirs), then the same schemas (`TenantCreateSchema`, `BlockSchema`) and services
(`tenants.create_tenant`, `enablement.block`/`unblock`). Nothing here reads a case or a person.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from velferd import tenants
from velferd.api.errors import error_response
from velferd.api.schemas import BlockSchema, TenantCreateSchema
from velferd.auth import require_operator
from velferd.db import db
from velferd.errors import Conflict, NotFound, ValidationFailed, VelferdError
from velferd.models import Tenant
from velferd.plugins import enablement
from velferd.plugins.manager import registry
from velferd.web.blueprint import blp, wants_html
from velferd.web.case_pages import FailedForm
from velferd.web.form_fields import FormField, error_summary, errors_by_input, form_fields, submitted_data


def _operator():
    """The operator of this session, shown in the header; else 401 (to the login) or 403 (a 404 page)."""
    user = require_operator()
    g.velferd_web_user = user
    return user


def _tenant_fields() -> list[FormField]:
    return form_fields(TenantCreateSchema, {"slug": _("Short name in addresses (slug)"), "name": _("Name"),
                                            "country": _("Country"), "organisation_number": _("Organisation number")})


@blp.get("/operator/tenants")
def operator_tenants():
    """Every municipality, by slug, and the form that creates one."""
    _operator()
    return _tenants_page()


def _tenants_page(status: int = 200, failed: FailedForm | None = None) -> Response:
    towns = db.session.scalars(sa.select(Tenant).order_by(Tenant.slug)).all()
    page = render_template("web/operator_tenants.html", title=_("Municipalities"), towns=towns,
                           fields=_tenant_fields(), failed=failed)
    return Response(page, status=status)


@blp.post("/operator/tenants")
def create_tenant():
    """Create a municipality (`TenantCreateSchema`, `tenants.create_tenant`); back to the list (PRG)."""
    _operator()
    described = _tenant_fields()
    try:
        data = TenantCreateSchema().load(submitted_data(TenantCreateSchema, request.form))
        town = tenants.create_tenant(**data)
    except ValidationError as error:
        return _refused(ValidationFailed("the municipality is invalid", error.normalized_messages()), described,
                        "tenant", _tenants_page)
    except (ValidationFailed, Conflict) as error:
        return _refused(error, described, "tenant", _tenants_page)
    db.session.commit()
    flash(_("%(name)s is created.", name=town.name))
    return redirect(url_for("web.operator_tenants", _anchor="confirmation"))


def _refused(error: VelferdError, described: list[FormField], form_id: str, page) -> Response:
    db.session.rollback()
    if not wants_html():
        return error_response(error.status, error.message, error.fields or None)
    errors = errors_by_input(described, error.fields) if error.status == 422 else {"": [error.message]}
    return page(error.status, FailedForm(form_id, request.form, errors, error_summary(described, errors, form_id)))


# --- plugins -----------------------------------------------------------------------------------------

def _block_fields() -> list[FormField]:
    return form_fields(BlockSchema, {"reason": _("Reason for the block")})


@blp.get("/operator/plugins")
def operator_plugins():
    """Every installed plugin, whether it is blocked (why, since when) and the form to block or unblock it."""
    _operator()
    return _plugins_page()


def _plugins_page(status: int = 200, failed: FailedForm | None = None) -> Response:
    blocks = enablement.blocked_plugins()
    manifests = sorted(registry().manifests.items())
    page = render_template("web/operator_plugins.html", title=_("Plugins"), manifests=manifests, blocks=blocks,
                           fields=_block_fields(), failed=failed)
    return Response(page, status=status)


@blp.post("/operator/plugins/<plugin_id>/block")
def block_plugin(plugin_id: str):
    """Withdraw a plugin from every municipality (`BlockSchema`, `enablement.block`)."""
    user = _operator()
    described = _block_fields()
    form_id = f"block-{plugin_id}"
    try:
        data = BlockSchema().load(submitted_data(BlockSchema, request.form))
        enablement.block(plugin_id, data["reason"], user)
    except ValidationError as error:
        return _refused(ValidationFailed("the block is invalid", error.normalized_messages()), described, form_id,
                        _plugins_page)
    except (ValidationFailed, Conflict) as error:
        return _refused(error, described, form_id, _plugins_page)
    db.session.commit()
    flash(_("%(plugin)s is blocked in every municipality.", plugin=plugin_id))
    return redirect(url_for("web.operator_plugins", _anchor="confirmation"))


@blp.post("/operator/plugins/<plugin_id>/unblock")
def unblock_plugin(plugin_id: str):
    """Lift the block (`enablement.unblock`); each municipality's own choice applies again."""
    user = _operator()
    try:
        enablement.unblock(plugin_id, user)
    except NotFound:
        db.session.rollback()
        return redirect(url_for("web.operator_plugins"))
    db.session.commit()
    flash(_("%(plugin)s is no longer blocked.", plugin=plugin_id))
    return redirect(url_for("web.operator_plugins", _anchor="confirmation"))
