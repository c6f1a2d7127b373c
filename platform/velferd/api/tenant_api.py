"""The tenant itself, its units, its members and the caller's API tokens."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from velferd import break_glass, invitations, tenants
from velferd.api.account_schemas import InvitationSchema, MemberRolesSchema, PendingInvitationSchema
from velferd.api.context import TENANT_PREFIX, tenant
from velferd.api.need_to_know_schemas import AccessGrantSchema, MemberWorkSchema
from velferd.api.schemas import (
    MemberCreateSchema,
    MemberSchema,
    TenantSchema,
    TokenCreateSchema,
    TokenSchema,
    UnitSchema,
)
from velferd.auth import current_user, issue_token, requires
from velferd.db import db, utcnow
from velferd.errors import NotFound
from velferd.models import ApiToken, Invitation, Membership, Unit
from velferd.tenancy import get_owned, require_owned

blp = Blueprint("tenant", __name__, url_prefix=TENANT_PREFIX, description="A municipality, its units and staff")


@blp.get("")
@blp.response(200, TenantSchema)
def read_tenant():
    """This municipality."""
    return tenant()


@blp.route("/units")
class Units(MethodView):
    @requires("units:read")
    @blp.response(200, UnitSchema(many=True))
    def get(self):
        """The municipality's units (offices, services, payers)."""
        return tenants.list_units()

    @requires("units:manage")
    @blp.arguments(UnitSchema)
    @blp.response(201, UnitSchema)
    def post(self, data):
        """Add a unit."""
        unit = tenants.save_unit(tenant(), data)
        db.session.commit()
        return unit


def _unit(unit_id: int) -> Unit:
    return require_owned(Unit, unit_id, "unit")


@blp.route("/units/<int:unit_id>")
class UnitById(MethodView):
    @requires("units:read")
    @blp.response(200, UnitSchema)
    def get(self, unit_id):
        """One unit."""
        return _unit(unit_id)

    @requires("units:manage")
    @blp.arguments(UnitSchema)
    @blp.response(200, UnitSchema)
    def put(self, data, unit_id):
        """Change a unit."""
        unit = tenants.save_unit(tenant(), data, _unit(unit_id))
        db.session.commit()
        return unit


@blp.route("/members")
class Members(MethodView):
    @requires("members:manage")
    @blp.response(200, MemberSchema(many=True))
    def get(self):
        """The municipality's staff and their roles."""
        return db.session.scalars(sa.select(Membership).order_by(Membership.id)).all()

    @requires("members:manage")
    @blp.arguments(MemberCreateSchema)
    @blp.response(201, InvitationSchema)
    def post(self, data):
        """Invite someone: the answer (and its token, shown only now) is the same whether or not
        the e-mail has an account anywhere; the membership exists once they accept the token
        at ``POST /api/auth/invitations/accept``. Hand the token over yourself: no mail is sent."""
        invitation, token = invitations.invite(data["email"], data["name"], data["roles"], current_user())
        db.session.commit()
        return {"id": invitation.id, "email": invitation.email, "name": invitation.name,
                "roles": invitation.roles, "expires_at": invitation.expires_at, "token": token}


@blp.get("/members/invitations")
@requires("members:manage")
@blp.response(200, PendingInvitationSchema(many=True))
def list_invitations():
    """Invitations not yet accepted (expired ones included, until replaced)."""
    return db.session.scalars(
        sa.select(Invitation).where(Invitation.accepted_at.is_(None)).order_by(Invitation.id)).all()


@blp.put("/members/<int:membership_id>")
@requires("members:manage")
@blp.arguments(MemberRolesSchema)
@blp.response(200, MemberSchema)
def set_member_roles(data, membership_id):
    """Replace a member's roles here (nothing of their account changes)."""
    membership = require_owned(Membership, membership_id, "membership")
    membership = tenants.add_member(membership.user, data["roles"])
    db.session.commit()
    return membership


@blp.put("/members/<int:membership_id>/work")
@requires("members:manage")
@blp.arguments(MemberWorkSchema)
@blp.response(200, MemberSchema)
def set_member_work(data, membership_id):
    """Where a member works: their units and programmes, which decide the cases they may know of."""
    membership = tenants.set_member_work(require_owned(Membership, membership_id, "membership"),
                                         data["unit_ids"], data["programmes"])
    db.session.commit()
    return membership


@blp.get("/access-reports")
@requires("dashboard:read")
@blp.response(200, AccessGrantSchema(many=True))
def access_reports():
    """Cases colleagues opened outside their work ("broke the glass") that were reported to you,
    not yet reviewed, newest first."""
    return break_glass.reports_for_me()


@blp.post("/access-reports/<int:grant_id>/review")
@requires("dashboard:read")
@blp.response(200, AccessGrantSchema)
def review_access_report(grant_id):
    """Mark a reported access as looked at."""
    grant = break_glass.review(grant_id)
    db.session.commit()
    return grant


@blp.route("/tokens")
class Tokens(MethodView):
    @requires("tokens:own")
    @blp.response(200, TokenSchema(many=True))
    def get(self):
        """The API tokens of the caller (the secrets are never shown again)."""
        return db.session.scalars(
            sa.select(ApiToken).where(ApiToken.user_id == current_user().id, ApiToken.revoked_at.is_(None))
        ).all()

    @requires("tokens:own")
    @blp.arguments(TokenCreateSchema)
    @blp.response(201, TokenSchema)
    def post(self, data):
        """Create a bearer token for yourself in this tenant; the token is shown only now."""
        days = data["valid_days"] or current_app.config["TOKEN_DAYS"]
        token, plaintext = issue_token(current_user(), tenant(), data["name"], dt.timedelta(days=days))
        db.session.commit()
        # raw values: the response schema dumps them (dumping twice fails on the datetime)
        return {"id": token.id, "name": token.name, "prefix": token.prefix,
                "expires_at": token.expires_at, "token": plaintext}


@blp.delete("/tokens/<int:token_id>")
@requires("tokens:own")
@blp.response(204)
def revoke_token(token_id):
    """Revoke an API token at once."""
    token = get_owned(ApiToken, token_id)
    if token is None or token.user_id != current_user().id:
        raise NotFound(f"no token {token_id} of yours")
    token.revoked_at = utcnow()
    db.session.commit()
