"""Invitations: how a tenant admin gives someone roles without ever touching their account.

Accounts are global (one consultant may serve several municipalities), so a tenant admin must not
set a password on, rename, or learn anything about an account that exists elsewhere. The admin
therefore only *invites* an e-mail address: the answer is the same whether or not that address
has an account. The invitation token (``vi.<tenant slug>.<secret>``, single-use, expiring,
stored as its SHA-256) is shown once to the admin, who hands it to the person — there is no mail
channel to staff yet. Accepting it needs the account's own password when the account exists
(so an admin holding the token cannot join someone else's account to their town), or sets the
new account's password, checked for strength, when it does not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Iterable

import sqlalchemy as sa
from flask import current_app, g

from velferd import accounts, audit, passwords, tenants
from velferd.db import db, utcnow
from velferd.errors import Forbidden, NotFound, Unauthorized
from velferd.login import password_matches_throttled
from velferd.models import Invitation, Membership, Tenant, User
from velferd.tenancy import require_tenant, tenant_scope

TOKEN_PREFIX = "vi"
UNUSABLE = "the invitation is unknown, already used or expired"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def invite(email: str, name: str, roles: Iterable[str], invited_by: User | None) -> tuple[Invitation, str]:
    """Invite `email` to the tenant in scope with `roles`; returns the invitation and its token
    (shown once). An earlier pending invitation of the same address here is replaced."""
    tenant = require_tenant()
    roles = tenants.check_roles(roles)
    email = email.strip().lower()
    db.session.execute(sa.delete(Invitation).where(Invitation.email == email, Invitation.accepted_at.is_(None)))
    secret = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email, name=name, roles=roles, token_hash=_digest(secret),
        invited_by_id=invited_by.id if invited_by is not None else None,
        expires_at=utcnow() + dt.timedelta(days=current_app.config["INVITATION_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record("member.invited", "invitation", invitation.id, details={"roles": roles})
    return invitation, f"{TOKEN_PREFIX}.{tenant.slug}.{secret}"


def _parse(token: str) -> tuple[str, str]:
    prefix, _, rest = token.strip().partition(".")
    slug, _, secret = rest.partition(".")
    if prefix != TOKEN_PREFIX or not slug or not secret:
        raise NotFound(UNUSABLE)
    return slug, secret


def accept(token: str, password: str) -> tuple[Tenant, Membership]:
    """Accept the invitation `token`: the membership it offers, for the existing account of its
    e-mail (whose `password` must match) or for a new account with `password`. Single-use: a
    second accept, even a concurrent one, finds it used."""
    slug, secret = _parse(token)
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise NotFound(UNUSABLE)
    with tenant_scope(tenant):
        invitation = db.session.scalar(sa.select(Invitation).where(
            Invitation.token_hash == _digest(secret), Invitation.accepted_at.is_(None),
            Invitation.expires_at > utcnow()))
        if invitation is None:
            raise NotFound(UNUSABLE)
        user = _account_for(invitation, password)
        g.velferd_user = user  # the audit rows name the person who accepted
        claimed = db.session.execute(
            sa.update(Invitation).where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
            .values(accepted_at=utcnow(), accepted_by_id=user.id).execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            raise NotFound(UNUSABLE)
        membership = tenants.add_member(user, invitation.roles)
        audit.record("invitation.accepted", "invitation", invitation.id, details={"user_id": user.id})
        db.session.commit()
        return tenant, membership


def _account_for(invitation: Invitation, password: str) -> User:
    credentials = accounts.credentials_for(invitation.email)
    if credentials is None:
        passwords.check_strength(password, "password", [invitation.email, invitation.name])
        return accounts.create_user(invitation.email, invitation.name, passwords.hash_password(password))
    if not password_matches_throttled(invitation.email, credentials.password_hash, password):
        raise Unauthorized("this e-mail address has an account: give its password to accept")
    if not credentials.active:
        raise Forbidden("the account of this e-mail address is deactivated")
    return db.session.get(User, credentials.user_id)
