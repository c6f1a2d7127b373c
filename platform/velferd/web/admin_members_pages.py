"""The tenant admin's members page: the staff with their roles, a change of roles, invitations.

The API's rules and services (velferd.api.tenant_api): ``members:manage``, `MemberRolesSchema`
and `tenants.add_member` for a change of roles, `MemberCreateSchema` and `invitations.invite`
for an invitation. The roles offered are the role table's (core roles and every plugin's).

The invitation's token is shown on the answer to the POST itself, not after a redirect: it is a
secret shown once, and a redirect would have to carry it in the session cookie.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from velferd import invitations, tenants
from velferd.api.account_schemas import MemberRolesSchema
from velferd.api.context import tenant
from velferd.api.errors import error_response
from velferd.api.need_to_know_schemas import MemberWorkSchema
from velferd.api.schemas import MemberCreateSchema
from velferd.auth import current_user, require_permission
from velferd.db import db
from velferd.errors import Conflict, ValidationFailed, VelferdError
from velferd.models import Invitation, Membership
from velferd.plugins.enablement import enabled_plugin_ids
from velferd.plugins.manager import registry
from velferd.tenancy import require_owned
from velferd.web.admin_pages import localised
from velferd.web.blueprint import blp, wants_html
from velferd.web.case_pages import FailedForm
from velferd.web.form_fields import error_summary, errors_by_input, form_fields, submitted_data
from velferd.web.role_titles import role_title


def _invite_fields():
    """The invitation's e-mail and name through the form renderer; its roles are the role boxes."""
    labels = {"email": _("E-mail address"), "name": _("Name")}
    return localised([field for field in form_fields(MemberCreateSchema) if field.key != "roles"], labels, {})


def _members_page(status: int = 200, problem: FailedForm | None = None, invited: dict | None = None) -> Response:
    """`problem`: the form that failed (``invite`` or ``member-<id>``), its values and errors."""
    members = db.session.scalars(sa.select(Membership).order_by(Membership.id)).all()
    pending = db.session.scalars(
        sa.select(Invitation).where(Invitation.accepted_at.is_(None)).order_by(Invitation.id)).all()
    page = render_template("web/admin_members.html", title=_("Members and roles"), members=members,
                           pending=pending, roles=sorted(registry().roles), role_title=role_title,
                           units=tenants.list_units(), programmes=sorted(enabled_plugin_ids(tenant())),
                           invite_fields=_invite_fields(), problem=problem, invited=invited)
    return Response(page, status=status)


@blp.get("/t/<tenant>/admin/members")
def admin_members():
    """The members and their roles, the pending invitations, the invitation form."""
    require_permission("members:manage")
    return _members_page()


def _refused(error: VelferdError, form_id: str, described) -> Response:
    db.session.rollback()
    if not wants_html():
        return error_response(error.status, error.message, error.fields or None)
    fields = dict(error.fields or {}) if error.status == 422 else {}
    roles = [str(text) for text in fields.pop("roles", [])]  # the role boxes: drawn by the page, not the renderer
    errors = errors_by_input(described, fields) if fields or roles else {"": [error.message]}
    summary = error_summary(described, errors, form_id) + [(f"{form_id}-roles", f"{_('Roles')}: {text}")
                                                           for text in roles]
    return _members_page(error.status, FailedForm(form_id, request.form, {**errors, "roles": roles}, summary))


@blp.post("/t/<tenant>/admin/members/<int:membership_id>/roles")
def admin_set_member_roles(membership_id: int):
    """Replace a member's roles (the ticked boxes), through the API's schema and `tenants.add_member`."""
    require_permission("members:manage")
    membership = require_owned(Membership, membership_id, "membership")
    form_id = f"member-{membership_id}"
    try:
        data = MemberRolesSchema().load({"roles": request.form.getlist("roles")})
        tenants.add_member(membership.user, data["roles"])
    except ValidationError as error:
        return _refused(ValidationFailed("the roles are invalid", error.normalized_messages()), form_id, [])
    except (ValidationFailed, Conflict) as error:
        return _refused(error, form_id, [])
    db.session.commit()
    flash(_("The roles of %(name)s are saved.", name=membership.user.name))
    return redirect(url_for("web.admin_members", tenant=tenant().slug, _anchor="confirmation"))


@blp.post("/t/<tenant>/admin/members/<int:membership_id>/work")
def admin_set_member_work(membership_id: int):
    """Where a member works — the ticked units and programmes, which decide the cases they may
    know of (velferd.need_to_know) — through the API's schema and `tenants.set_member_work`."""
    require_permission("members:manage")
    membership = require_owned(Membership, membership_id, "membership")
    form_id = f"work-{membership_id}"
    try:
        data = MemberWorkSchema().load({"unit_ids": request.form.getlist("unit_ids"),
                                        "programmes": request.form.getlist("programmes")})
        tenants.set_member_work(membership, data["unit_ids"], data["programmes"])
    except ValidationError as error:
        return _refused(ValidationFailed("the units are invalid", error.normalized_messages()), form_id, [])
    except ValidationFailed as error:
        return _refused(error, form_id, [])
    db.session.commit()
    flash(_("Where %(name)s works is saved.", name=membership.user.name))
    return redirect(url_for("web.admin_members", tenant=tenant().slug, _anchor="confirmation"))


@blp.post("/t/<tenant>/admin/members/invitations")
def admin_invite_member():
    """Invite an e-mail address with the ticked roles, through the API's schema and `invitations.invite`."""
    require_permission("members:manage")
    described = _invite_fields()
    try:
        data = MemberCreateSchema().load({**submitted_data(MemberCreateSchema, request.form),
                                          "roles": request.form.getlist("roles")})
        invitation, token = invitations.invite(data["email"], data["name"], data["roles"], current_user())
    except ValidationError as error:
        return _refused(ValidationFailed("the invitation is invalid", error.normalized_messages()), "invite", described)
    except (ValidationFailed, Conflict) as error:
        return _refused(error, "invite", described)
    db.session.commit()
    return _members_page(201, invited={"email": invitation.email, "token": token})
